package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.function.PaymentDatabase.DatabaseException;
import com.payments.dr.function.PaymentDatabase.Failure;
import com.payments.dr.function.PaymentDatabase.KeyReusedException;
import com.payments.dr.function.PaymentDatabase.Status;
import com.payments.dr.function.PaymentDatabase.StoredPayment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The payments store against a real PostgreSQL server that accepts only TLS. */
class PaymentDatabaseTest {

    private static final TestPostgres PG = TestPostgres.shared();
    private static final String DB = "payments_db_test";

    @BeforeAll
    static void createDatabase() throws SQLException {
        PG.createDatabase(DB);
    }

    private static FunctionConfig config(String... overrides) {
        return Fixtures.localConfig("unused-table", DB, overrides);
    }

    private static PaymentRequest request(String key, String amount) {
        return new PaymentRequest(key, new BigDecimal(amount), "USD", "m-1", Optional.of("order 7"));
    }

    private static long rows(String database, String key) throws SQLException {
        try (Connection c = PG.admin(database);
                  Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery(
                          "SELECT count(*) FROM payments WHERE idempotency_key = '" + key + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void storesAPaymentOverTlsAndMigratesOnFirstUse() throws Exception {
        try (PaymentDatabase db = new PaymentDatabase(config(), Fixtures.appCredentials())) {
            PaymentRequest request = request("db-key-0001", "12.34");
            StoredPayment stored = db.insert(request, "us-east-1");
            assertEquals(new StoredPayment(request.paymentId().toString(), "ACCEPTED", "us-east-1"),
                    stored);
            try (Connection c = PG.admin(DB); Statement s = c.createStatement();
                      ResultSet rs = s.executeQuery("SELECT a.ssl, p.amount, p.currency, p.merchant_id,"
                              + " p.description, p.request_hash FROM pg_stat_ssl a"
                              + " JOIN pg_stat_activity USING (pid), payments p"
                              + " WHERE application_name = 'payment-function' AND p.idempotency_key = 'db-key-0001'")) {
                assertTrue(rs.next());
                assertTrue(rs.getBoolean(1), "the function's session uses TLS");
                assertEquals(new BigDecimal("12.34"), rs.getBigDecimal(2));
                assertEquals("USD", rs.getString(3));
                assertEquals("m-1", rs.getString(4));
                assertEquals("order 7", rs.getString(5));
                assertEquals(request.requestHash(), rs.getString(6));
            }
        }
    }

    @Test
    void aRetryFindsTheStoredRowAndAReusedKeyIsRefused() throws Exception {
        try (PaymentDatabase db = new PaymentDatabase(config(), Fixtures.appCredentials())) {
            StoredPayment first = db.insert(request("db-key-0002", "5.00"), "us-east-1");
            // Same request again, e.g. after the first response was lost: the same row comes back.
            assertEquals(first, db.insert(request("db-key-0002", "5.00"), "us-west-2"));
            assertThrows(KeyReusedException.class,
                    () -> db.insert(request("db-key-0002", "6.00"), "us-east-1"));
            assertEquals(1, rows(DB, "db-key-0002"));
        }
    }

    @Test
    void verifyFullAcceptsTheRightCaAndRejectsAnyOther() throws Exception {
        FunctionConfig right = config("DB_SSL_MODE", "verify-full",
                "DB_SSL_ROOT_CERT", PG.serverCertificate().toString());
        assertTrue(PaymentDatabase.jdbcUrl(right).contains("sslmode=verify-full&"));
        assertTrue(PaymentDatabase.jdbcUrl(right).endsWith("&sslrootcert=" + PG.serverCertificate()));
        try (PaymentDatabase db = new PaymentDatabase(right, Fixtures.appCredentials())) {
            assertTrue(db.status().writable());
        }
        FunctionConfig wrong = config("DB_SSL_MODE", "verify-ca",
                "DB_SSL_ROOT_CERT", PG.otherCertificate().toString());
        try (PaymentDatabase db = new PaymentDatabase(wrong, Fixtures.appCredentials())) {
            DatabaseException e = assertThrows(DatabaseException.class, db::status);
            assertEquals(Failure.UNAVAILABLE, e.failure());
        }
    }

    @Test
    void aRotatedPasswordIsReReadFromTheSecretOnce() throws Exception {
        try (FakeSecretsManager fake = new FakeSecretsManager(
                FakeSecretsManager.secret(TestPostgres.APP_USER, "old-password"))) {
            SecretsManagerCredentials credentials =
                    new SecretsManagerCredentials(fake.client(), Fixtures.SECRET_ARN);
            credentials.current();
            fake.secretString = FakeSecretsManager.secret(TestPostgres.APP_USER,
                    TestPostgres.APP_PASSWORD);
            try (PaymentDatabase db = new PaymentDatabase(config(), credentials)) {
                assertEquals(new Status(true, 2), db.status());
            }
            assertEquals(2, fake.calls.get());
        }
    }

    @Test
    void wrongCredentialsOrAnUnreadableSecretMeanUnavailable() throws Exception {
        try (PaymentDatabase db = new PaymentDatabase(config(),
                Fixtures.fixedCredentials(TestPostgres.APP_USER, "wrong"))) {
            DatabaseException e = assertThrows(DatabaseException.class, db::status);
            assertEquals(Failure.UNAVAILABLE, e.failure());
            assertEquals("database error 28P01", e.getMessage());
        }
        try (FakeSecretsManager fake = new FakeSecretsManager("{}")) {
            fake.failing = true;
            try (PaymentDatabase db = new PaymentDatabase(config(),
                    new SecretsManagerCredentials(fake.client(), Fixtures.SECRET_ARN))) {
                DatabaseException e = assertThrows(DatabaseException.class,
                        () -> db.insert(request("db-key-0003", "1.00"), "us-east-1"));
                assertEquals(Failure.UNAVAILABLE, e.failure());
                assertEquals("database credentials unavailable", e.getMessage());
            }
        }
    }

    @Test
    void aReadOnlyDatabaseIsReportedAndNeverMigratedOrWritten() throws Exception {
        PG.createDatabase("payments_db_ro");
        PG.makeReadOnly("payments_db_ro");
        try (PaymentDatabase db = new PaymentDatabase(
                Fixtures.localConfig("unused-table", "payments_db_ro"), Fixtures.appCredentials())) {
            assertEquals(new Status(false, 0), db.status());
            DatabaseException e = assertThrows(DatabaseException.class,
                    () -> db.insert(request("db-key-0004", "1.00"), "us-west-2"));
            assertEquals(Failure.READ_ONLY, e.failure());
        }
    }

    @Test
    void reconnectsAfterTheServerComesBack() throws Exception {
        try (PaymentDatabase db = new PaymentDatabase(config(), Fixtures.appCredentials())) {
            assertTrue(db.status().writable());
            PG.stop();
            try {
                DatabaseException e = assertThrows(DatabaseException.class, db::status);
                assertEquals(Failure.UNAVAILABLE, e.failure());
            } finally {
                PG.start();
            }
            assertTrue(db.status().writable());
        }
    }

    @Test
    void closingABrokenResourceIsLoggedNotThrown() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            PaymentDatabase.closeQuietly(() -> {
                throw new SQLException("already gone");
            });
        } finally {
            Log.redirect(System.out);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("\"event\":\"close_failed\""));
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("already gone"));
    }
}
