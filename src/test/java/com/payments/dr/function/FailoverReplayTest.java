package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two regions, each with its own idempotency table and its own PostgreSQL server, and replication
 * the test performs by hand: the table's record reaches the DR region, the database row does not
 * (an unplanned failover with data loss), then the DR database is promoted.
 */
class FailoverReplayTest {

    private static final String TABLE_PRIMARY = "failover-primary";
    private static final String TABLE_DR = "failover-dr";
    private static final String DB = "payments";
    private static final String BODY = Fixtures.paymentBody("25.00", "USD", "m-1");
    private static TestPostgres primaryServer;
    private static TestPostgres drServer;
    private static TestDynamo dynamo;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final Faults drFaults = new Faults();
    private Containers containers;

    @BeforeAll
    static void regions() throws SQLException {
        primaryServer = TestPostgres.shared();
        drServer = TestPostgres.startNew();
        dynamo = TestDynamo.shared();
        dynamo.createTable(TABLE_PRIMARY);
        dynamo.createTable(TABLE_DR);
        primaryServer.createDatabase(DB);
        drServer.createDatabase(DB);
        Fixtures.migrate(Fixtures.localConfig(primaryServer, TABLE_PRIMARY, DB));
        Fixtures.migrate(Fixtures.localConfig(drServer, TABLE_DR, DB));
    }

    @BeforeEach
    void noContainers() {
        containers = new Containers(dynamo, clock);
    }

    @AfterEach
    void close() throws Exception {
        containers.close();
    }

    private PaymentHandler region(String table, TestPostgres server, Faults faults, String... env) {
        return containers.start(Fixtures.localConfig(server, table, DB, env), faults);
    }

    /** Global-table replication of one record, primary to DR. */
    private static void replicateRecord(String key) {
        Map<String, AttributeValue> item = dynamo.client().getItem(b -> b.tableName(TABLE_PRIMARY)
                .consistentRead(true).key(Map.of("pk", AttributeValue.fromS("IDEMPOTENCY#m-1/" + key)))).item();
        dynamo.client().putItem(b -> b.tableName(TABLE_DR).item(item));
    }

    private static long rows(TestPostgres server, String key) throws SQLException {
        try (Connection c = server.admin(DB); Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("SELECT count(*) FROM payments WHERE idempotency_key = 'm-1/"
                          + key + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void setReadOnly(TestPostgres server, boolean readOnly) throws SQLException {
        try (Connection c = server.admin("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + DB + " SET default_transaction_read_only = " + readOnly);
        }
    }

    @Test
    void aReplayWhoseKeyTheWriterHoldsForAnotherPaymentIsAConflictNotAConfirmation() throws Exception {
        String key = "diverged-" + UUID.randomUUID();
        assertEquals(201, region(TABLE_PRIMARY, primaryServer, new Faults()).handle(Fixtures.postPayment(key, BODY))
                .statusCode());
        replicateRecord(key);
        // The DR writer took a different payment under the key while the regions were split.
        PaymentHandler dr = region(TABLE_DR, drServer, drFaults, "REGION_ROLE", "dr");
        dr.handle(Fixtures.postPayment("warm-" + UUID.randomUUID(), BODY));
        try (PaymentDatabase db = new PaymentDatabase(Fixtures.localConfig(drServer, TABLE_DR, DB),
                Fixtures.appCredentials(), clock)) {
            db.insert(new PaymentRequest(key, new java.math.BigDecimal("26.00"), "USD", "m-1",
                    java.util.Optional.empty()), "us-east-2", Deadline.after(java.time.Duration.ofSeconds(10)));
        }
        ApiResponse replay = dr.handle(Fixtures.postPayment(key, BODY));
        assertEquals(409, replay.statusCode(), replay.body());
        assertEquals("idempotency_key_reused", Fixtures.body(replay).get("error").getAsString());
    }

    @Test
    void aReplayAfterFailoverWithDataLossReassertsThePaymentBeforeConfirmingIt() throws Exception {
        String key = "failover-" + UUID.randomUUID();
        PaymentHandler primary = region(TABLE_PRIMARY, primaryServer, new Faults());
        ApiResponse first = primary.handle(Fixtures.postPayment(key, BODY));
        assertEquals(201, first.statusCode());
        // The DR database has the schema (replicated earlier) but not this row: it was lost.
        assertEquals(201, region(TABLE_DR, drServer, new Faults()).handle(Fixtures.postPayment(
                "warm-" + UUID.randomUUID(), BODY)).statusCode());
        replicateRecord(key);
        assertEquals(0, rows(drServer, key));

        // Before promotion the DR region refuses, and does not touch its replica of the table.
        setReadOnly(drServer, true);
        PaymentHandler dr = region(TABLE_DR, drServer, drFaults, "REGION_ROLE", "dr");
        ApiResponse refused = dr.handle(Fixtures.postPayment(key, BODY));
        assertEquals(503, refused.statusCode());
        assertEquals("region_read_only", Fixtures.body(refused).get("error").getAsString());
        assertEquals(0, drFaults.writes());

        // Promoted: the replay is answered only once the DR database holds the payment too.
        setReadOnly(drServer, false);
        clock.advance(PaymentDatabase.WRITABLE_CACHE.plusSeconds(1));
        PaymentHandler promoted = region(TABLE_DR, drServer, drFaults, "REGION_ROLE", "dr");
        ApiResponse replay = promoted.handle(Fixtures.postPayment(key, BODY));
        assertEquals(201, replay.statusCode(), replay.body());
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
        assertEquals(first.body(), replay.body());
        assertEquals(1, rows(drServer, key), "the promoted writer holds the confirmed payment");
        try (Connection c = drServer.admin(DB); Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("SELECT payment_id FROM payments WHERE idempotency_key = 'm-1/"
                          + key + "'")) {
            assertTrue(rs.next());
            assertEquals(Fixtures.body(first).get("payment_id").getAsString(), rs.getString(1),
                    "the same deterministic id in both regions");
        }
    }
}
