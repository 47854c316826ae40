package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The migrator against a real PostgreSQL server, logging in as the owner like in AWS. */
class MigrationHandlerTest {

    private static final TestPostgres PG = TestPostgres.shared();

    @BeforeAll
    static void roles() {
        Fixtures.prepareRoles(PG);
    }

    private static MigrationHandler migrator(String database, List<SchemaMigrator.Migration> migrations) {
        return new MigrationHandler(Fixtures.localConfig("unused-table", database), Fixtures.ownerCredentials(),
                migrations);
    }

    private static String tableOwner(String database) throws SQLException {
        try (Connection c = PG.admin(database); Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("SELECT tableowner FROM pg_tables WHERE tablename = 'payments'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void migratesAWritableDatabaseAsTheOwnerOnceThroughTheLambdaEntryPoint() throws Exception {
        PG.createDatabase("payments_mig_rw");
        MigrationHandler handler = migrator("payments_mig_rw", SchemaMigrator.MIGRATIONS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // the invoker hands over the master secret's SecretString (the RDS format) under "owner"
        String payload = "{\"owner\": {\"username\": \"" + TestPostgres.APP_USER + "\", \"password\": \""
                + TestPostgres.APP_PASSWORD + "\", \"engine\": \"postgres\", \"port\": 5432, \"dbname\": \"payments\"}}";
        handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        JsonObject first = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("migrated", first.get("result").getAsString());
        assertEquals(SchemaMigrator.MIGRATIONS.size(), first.get("applied").getAsInt());
        assertEquals(SchemaMigrator.LATEST_VERSION, first.get("schema_version").getAsInt());
        assertEquals(TestPostgres.APP_USER, tableOwner("payments_mig_rw"), "the owner made the schema");
        // A second deployment with the same list applies nothing.
        JsonObject again = handler.migrate();
        assertEquals("migrated", again.get("result").getAsString());
        assertEquals(0, again.get("applied").getAsInt());
        assertEquals(SchemaMigrator.LATEST_VERSION, again.get("schema_version").getAsInt());
    }

    @Test
    void skipsAReadOnlyDatabaseWithoutWriting() throws Exception {
        PG.createDatabase("payments_mig_ro");
        PG.makeReadOnly("payments_mig_ro");
        JsonObject result = migrator("payments_mig_ro", SchemaMigrator.MIGRATIONS).migrate();
        assertEquals(MigrationHandler.SKIPPED, result.get("result").getAsString());
        assertEquals("skipped: reader", result.get("result").getAsString());
        assertEquals(0, result.get("schema_version").getAsInt());
        assertFalse(result.has("applied"));
        assertEquals(null, tableOwner("payments_mig_ro"));
    }

    @Test
    void aFailingMigrationIsThrownSoTheInvocationReportsAFunctionError() throws Exception {
        PG.createDatabase("payments_mig_bad");
        List<SchemaMigrator.Migration> broken = List.of(SchemaMigrator.MIGRATIONS.get(0),
                new SchemaMigrator.Migration(2, "broken", "CREATE INDEX nope ON no_such_table (x)"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> migrator("payments_mig_bad", broken).migrate());
        assertEquals("migration failed: database error 42P01", e.getMessage());
        assertEquals(null, tableOwner("payments_mig_bad"), "nothing of a failed run is kept");
        // Wrong owner credentials fail the same way, naming the state only.
        MigrationHandler wrong = new MigrationHandler(Fixtures.localConfig("unused-table", "payments_mig_bad"),
                Fixtures.fixedCredentials(TestPostgres.APP_USER, "wrong"), SchemaMigrator.MIGRATIONS);
        IllegalStateException refused = assertThrows(IllegalStateException.class, wrong::migrate);
        assertEquals("migration failed: database error 28P01", refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong"));
    }

    @Test
    void theOwnersCredentialsComeFromThePayloadAndAreNeverEchoed() throws Exception {
        assertEquals(new DbCredentials("payments_admin", "s3cr3t-Pw"), MigrationHandler.ownerCredentials(
                "{\"owner\": {\"username\": \"payments_admin\", \"password\": \"s3cr3t-Pw\", \"port\": 5432}}"));
        for (String payload : List.of("", "{}", "null", "[1]", "{\"owner\": \"payments_admin\"}",
                "{\"owner\": {\"username\": \"payments_admin\"}}",
                "{\"owner\": {\"username\": \"\", \"password\": \"s3cr3t-Pw\"}}",
                "{\"owner\": {\"username\": \"payments_admin\", \"password\": {\"x\": \"s3cr3t-Pw\"}}}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MigrationHandler.ownerCredentials(payload), payload);
            assertEquals("invoke the migrator with the schema owner's credentials: {\"owner\": <SecretString of the"
                    + " master secret in this region>} (docs/runbook.md)", e.getMessage());
            assertFalse(e.getMessage().contains("s3cr3t"));
        }
        // through the entry point, before any connection
        PG.createDatabase("payments_mig_nopayload");
        MigrationHandler handler = migrator("payments_mig_nopayload", SchemaMigrator.MIGRATIONS);
        assertThrows(IllegalArgumentException.class, () -> handler.handleRequest(
                new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null));
        assertEquals(null, tableOwner("payments_mig_nopayload"));
        MigrationHandler wired = new MigrationHandler(Fixtures.env());
        assertTrue(wired.wire() == wired.wire(), "the Lambda wiring from a valid environment, once");
        // Lambda's entry point reads the process environment, which here has none of the variables:
        // the invocation fails with the configuration's message.
        MigrationHandler lambda = new MigrationHandler();
        assertTrue(assertThrows(FunctionConfig.ConfigException.class, () -> lambda.handleRequest(
                new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), null)).getMessage()
                .contains("DB_HOST is not set"));
    }
}
