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
import com.payments.dr.lambda.LogCapture;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The payments store against a real PostgreSQL server that accepts only TLS. */
class PaymentDatabaseTest {

    private static final TestPostgres PG = TestPostgres.shared();
    private static final String DB = "payments_db_test";
    private static final Deadline D = Deadline.after(Duration.ofHours(1));

    @BeforeAll
    static void createDatabase() throws SQLException {
        PG.createDatabase(DB);
        Fixtures.prepareRoles(PG);
        Fixtures.migrate(config());
    }

    private static FunctionConfig config(String... overrides) {
        return Fixtures.localConfig("unused-table", DB, overrides);
    }

    private static PaymentDatabase database(FunctionConfig config, DbCredentials.Provider app) {
        return new PaymentDatabase(config, app, Clock.systemUTC());
    }

    private static PaymentDatabase database() {
        return database(config(), Fixtures.appCredentials());
    }

    private static PaymentRequest request(String key, String amount) {
        return new PaymentRequest(key, new BigDecimal(amount), "USD", "m-1", Optional.of("order 7"));
    }

    private static long rows(String database, String key) throws SQLException {
        try (Connection c = PG.admin(database);
                  Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery(
                          "SELECT count(*) FROM payments WHERE idempotency_key = 'm-1/" + key + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void storesAPaymentOverTlsAsTheApplicationRoleInTheSchemaTheMigratorMade() throws Exception {
        try (PaymentDatabase db = database()) {
            PaymentRequest request = request("db-key-0001", "12.34");
            StoredPayment stored = db.insert(request, "us-east-1", D);
            assertEquals(new StoredPayment(request.paymentId().toString(), "ACCEPTED", "us-east-1", false,
                    stored.createdAt()), stored);
            // the row's own time, in UTC, as the acknowledgement record keeps it
            assertTrue(Math.abs(java.time.Duration.between(java.time.Instant.parse(stored.createdAt()),
                    java.time.Instant.now()).toSeconds()) < 60, stored.createdAt());
            try (Connection c = PG.admin(DB); Statement s = c.createStatement();
                      ResultSet rs = s.executeQuery("SELECT a.ssl, p.amount, p.currency, p.merchant_id,"
                              + " p.description, p.request_hash, t.tableowner, x.usename FROM pg_stat_ssl a"
                              + " JOIN pg_stat_activity x USING (pid), payments p, pg_tables t"
                              + " WHERE x.application_name = 'payment-function' AND x.datname = '" + DB + "'"
                              + " AND p.idempotency_key = 'm-1/db-key-0001' AND t.tablename = 'payments'")) {
                assertTrue(rs.next());
                assertTrue(rs.getBoolean(1), "the function's session uses TLS");
                assertEquals(new BigDecimal("12.34"), rs.getBigDecimal(2));
                assertEquals("USD", rs.getString(3));
                assertEquals("m-1", rs.getString(4));
                assertEquals("order 7", rs.getString(5));
                assertEquals(request.requestHash(), rs.getString(6));
                assertEquals(TestPostgres.APP_USER, rs.getString(7), "the owner (the migrator) made the schema");
                assertEquals(FunctionConfig.DEFAULT_DB_USER, rs.getString(8), "payments run as the app role");
            }
        }
    }

    @Test
    void theApplicationRoleMayOnlyReadAndInsertAndHasServerSideTimeouts() throws Exception {
        try (PaymentDatabase db = database()) {
            db.insert(request("db-key-dml", "1.00"), "us-east-1", D);
        }
        try (Connection c = PG.connect(DB, FunctionConfig.DEFAULT_DB_USER, Fixtures.API_PASSWORD);
                  Statement s = c.createStatement()) {
            for (String sql : List.of("UPDATE payments SET status = 'X'", "DELETE FROM payments",
                    "TRUNCATE payments", "CREATE TABLE intruder (x int)", "DROP TABLE payments",
                    "DELETE FROM schema_migrations")) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertEquals("42501", e.getSQLState(), sql);
            }
            try (ResultSet rs = s.executeQuery("SELECT current_setting('statement_timeout'),"
                    + " current_setting('lock_timeout')")) {
                rs.next();
                assertEquals("5s", rs.getString(1));
                assertEquals("2s", rs.getString(2));
            }
        }
    }

    @Test
    void aMissingApplicationRoleIsUnavailableAtOnceAndThePaymentPathNeverMigrates() throws Exception {
        String database = "payments_db_boot";
        String role = "payments_api_" + UUID.randomUUID().toString().substring(0, 8);
        PG.createDatabase(database);
        // In AWS the IAM token works once the role exists and is in rds_iam; locally, a password
        // set at that moment stands in for it.
        java.util.concurrent.atomic.AtomicInteger logins = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger invalidations = new java.util.concurrent.atomic.AtomicInteger();
        DbCredentials.Provider iamLike = new DbCredentials.Provider() {
            @Override
            public DbCredentials current() {
                logins.incrementAndGet();
                try (Connection c = PG.admin("postgres"); Statement s = c.createStatement();
                          ResultSet rs = s.executeQuery("SELECT pg_has_role('" + role + "', 'rds_iam', 'MEMBER')"
                                  + " FROM pg_roles WHERE rolname = '" + role + "'")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        s.execute("ALTER ROLE " + role + " PASSWORD 'token'");
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return new DbCredentials(role, "token");
            }

            @Override
            public void invalidate() {
                invalidations.incrementAndGet();
            }
        };
        FunctionConfig config = Fixtures.localConfig("unused-table", database, "DB_USER", role);
        try (PaymentDatabase db = database(config, iamLike)) {
            assertEquals(Failure.UNAVAILABLE, assertThrows(DatabaseException.class, () -> db.status(D)).failure());
            DatabaseException e = assertThrows(DatabaseException.class,
                    () -> db.insert(request("db-key-boot", "1.00"), "us-east-1", D));
            assertEquals(Failure.UNAVAILABLE, e.failure());
            assertTrue(e.getMessage().startsWith("database error 28"), e.getMessage());
            assertEquals(2, logins.get(), "one login per call, no immediate retry");
            assertEquals(2, invalidations.get(), "a refused token is not reused");
            try (Connection c = PG.admin(database)) {
                assertEquals(0, SchemaMigrator.currentVersion(c), "the payment path never migrates");
            }
            // The migrator creates the role; the next request works.
            Fixtures.migrate(config);
            assertFalse(db.insert(request("db-key-boot", "1.00"), "us-east-1", D).existing());
            assertEquals(new Status(true, SchemaMigrator.LATEST_VERSION), db.status(D));
        }
    }

    @Test
    void aRetryFindsTheStoredRowAndAReusedKeyIsRefused() throws Exception {
        try (PaymentDatabase db = database()) {
            StoredPayment first = db.insert(request("db-key-0002", "5.00"), "us-east-1", D);
            // Same request again, e.g. after the first response was lost: the same row comes back.
            StoredPayment again = db.insert(request("db-key-0002", "5.00"), "us-west-2", D);
            assertEquals(new StoredPayment(first.paymentId(), first.status(), first.region(), true, first.createdAt()),
                    again);
            assertThrows(KeyReusedException.class,
                    () -> db.insert(request("db-key-0002", "6.00"), "us-east-1", D));
            assertEquals(1, rows(DB, "db-key-0002"));
        }
    }

    @Test
    void concurrentInsertsOfOneKeyMeetAtTheUniqueConstraintAndStoreOneRow() throws Exception {
        int containers = 8;
        List<PaymentDatabase> databases = new ArrayList<>();
        for (int i = 0; i < containers; i++) {
            PaymentDatabase db = database();
            db.insert(request("db-warm-" + i, "1.00"), "us-east-1", D);
            databases.add(db);
        }
        PaymentRequest request = request("db-key-race", "3.00");
        ExecutorService pool = Executors.newFixedThreadPool(containers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<StoredPayment>> results = new ArrayList<>();
        try {
            for (PaymentDatabase db : databases) {
                // No idempotency claim in front: only the table's constraint stands between them.
                results.add(pool.submit(() -> {
                    go.await();
                    return db.insert(request, "us-east-1", D);
                }));
            }
            go.countDown();
            int fresh = 0;
            for (Future<StoredPayment> result : results) {
                StoredPayment stored = result.get();
                assertEquals(request.paymentId().toString(), stored.paymentId());
                fresh += stored.existing() ? 0 : 1;
            }
            assertEquals(1, fresh);
        } finally {
            pool.shutdownNow();
            databases.forEach(PaymentDatabase::close);
        }
        assertEquals(1, rows(DB, "db-key-race"));
    }

    @Test
    void verifyFullAcceptsTheRightCaAndRejectsAnyOther() throws Exception {
        FunctionConfig right = config("DB_SSL_MODE", "verify-full",
                "DB_SSL_ROOT_CERT", PG.serverCertificate().toString());
        assertTrue(PaymentDatabase.jdbcUrl(right).contains("sslmode=verify-full&"));
        assertTrue(PaymentDatabase.jdbcUrl(right).endsWith("&sslrootcert=" + PG.serverCertificate()));
        try (PaymentDatabase db = database(right, Fixtures.appCredentials())) {
            assertTrue(db.status(D).writable());
        }
        // The same wrong CA: require (encrypted, unauthenticated) connects, so it is the
        // verification that refuses the server below, in both verifying modes.
        try (PaymentDatabase db = database(config("DB_SSL_MODE", "require",
                "DB_SSL_ROOT_CERT", PG.otherCertificate().toString()), Fixtures.appCredentials())) {
            assertTrue(db.status(D).writable());
        }
        for (String mode : List.of("verify-ca", "verify-full")) {
            FunctionConfig wrong = config("DB_SSL_MODE", mode, "DB_SSL_ROOT_CERT", PG.otherCertificate().toString());
            try (PaymentDatabase db = database(wrong, Fixtures.appCredentials())) {
                DatabaseException e = assertThrows(DatabaseException.class, () -> db.status(D), mode);
                assertEquals(Failure.UNAVAILABLE, e.failure());
                assertTrue(e.getCause().getMessage().contains("SSL"), e.getCause().getMessage());
            }
        }
        // The vendored RDS bundle does not vouch for a test certificate either.
        try (PaymentDatabase db = database(config("DB_SSL_MODE", "verify-full",
                "DB_SSL_ROOT_CERT", RdsCaBundleTest.BUNDLE.toAbsolutePath().toString()), Fixtures.appCredentials())) {
            assertThrows(DatabaseException.class, () -> db.status(D));
        }
    }

    /**
     * Credentials that are read once and kept until invalidated, as an IAM token provider caches its
     * token: the source can change its answer (or fail), and counts its reads.
     */
    private static final class ChangingCredentials implements DbCredentials.Provider {
        volatile String password;
        volatile boolean failing;
        final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        private volatile DbCredentials cached;

        ChangingCredentials(String password) {
            this.password = password;
        }

        @Override
        public DbCredentials current() {
            DbCredentials value = cached;
            if (value == null) {
                reads.incrementAndGet();
                if (failing) {
                    throw new IllegalStateException("credentials source unreachable");
                }
                value = new DbCredentials(FunctionConfig.DEFAULT_DB_USER, password);
                cached = value;
            }
            return value;
        }

        @Override
        public void invalidate() {
            cached = null;
        }
    }

    @Test
    void refusedCredentialsAreReadAgainOnTheNextRequestNotRetriedAtOnce() throws Exception {
        ChangingCredentials credentials = new ChangingCredentials("old-password");
        try (PaymentDatabase db = database(config(), credentials)) {
            assertEquals(Failure.UNAVAILABLE,
                    assertThrows(DatabaseException.class, () -> db.status(D)).failure());
            assertEquals(1, credentials.reads.get(), "no second login inside one request");
            credentials.password = Fixtures.API_PASSWORD;
            assertTrue(db.status(D).writable());
        }
        assertEquals(2, credentials.reads.get());
    }

    @Test
    void wrongCredentialsOrAnUnreadableSecretMeanUnavailable() throws Exception {
        try (PaymentDatabase db = database(config(),
                Fixtures.fixedCredentials(FunctionConfig.DEFAULT_DB_USER, "wrong"))) {
            DatabaseException e = assertThrows(DatabaseException.class, () -> db.status(D));
            assertEquals(Failure.UNAVAILABLE, e.failure());
            assertEquals("database error 28P01", e.getMessage());
        }
        ChangingCredentials unreadable = new ChangingCredentials(Fixtures.API_PASSWORD);
        unreadable.failing = true;
        try (PaymentDatabase db = database(config(), unreadable)) {
            DatabaseException e = assertThrows(DatabaseException.class,
                    () -> db.insert(request("db-key-0003", "1.00"), "us-east-1", D));
            assertEquals(Failure.UNAVAILABLE, e.failure());
            assertEquals("database credentials unavailable", e.getMessage());
        }
    }

    @Test
    void aReadOnlyDatabaseIsReportedAndNeverWritten() throws Exception {
        PG.createDatabase("payments_db_ro");
        // a global secondary holds the replicated schema
        Fixtures.migrate(Fixtures.localConfig("unused-table", "payments_db_ro"));
        PG.makeReadOnly("payments_db_ro");
        MutableClock clock = new MutableClock(java.time.Instant.now());
        try (PaymentDatabase db = new PaymentDatabase(Fixtures.localConfig("unused-table", "payments_db_ro"),
                Fixtures.appCredentials(), clock)) {
            assertEquals(new Status(false, SchemaMigrator.LATEST_VERSION), db.status(D));
            assertFalse(db.writable(D));
            DatabaseException e = assertThrows(DatabaseException.class,
                    () -> db.insert(request("db-key-0004", "1.00"), "us-west-2", D));
            assertEquals(Failure.READ_ONLY, e.failure());
            assertFalse(db.writable(D), "asked again after the 25006, and cached");
            // Promotion is noticed once the cached answer has aged out.
            try (Connection c = PG.admin("postgres"); Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE payments_db_ro SET default_transaction_read_only = off");
            }
            assertFalse(db.writable(D), "cached");
            // a new session sees the database setting (as a promoted instance's new sessions do)
            db.close();
            clock.advance(PaymentDatabase.READ_ONLY_CACHE.minusMillis(1));
            assertFalse(db.writable(D), "a read-only answer is cached up to READ_ONLY_CACHE");
            clock.advance(java.time.Duration.ofMillis(1));
            assertTrue(db.writable(D), "promotion is noticed after READ_ONLY_CACHE, not WRITABLE_CACHE");
            // a writable answer is kept longer
            try (Connection c = PG.admin("postgres"); Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE payments_db_ro SET default_transaction_read_only = on");
            }
            db.close();
            clock.advance(PaymentDatabase.WRITABLE_CACHE.minusMillis(1));
            assertTrue(db.writable(D), "cached writable");
            clock.advance(java.time.Duration.ofMillis(1));
            assertFalse(db.writable(D));
        }
    }

    @Test
    void aDemotedWriterStopsClaimingAtOnceTheCachedAnswerIsDroppedOnReadOnlyOrLostSessions() throws Exception {
        String database = "payments_db_demote";
        PG.createDatabase(database);
        Fixtures.migrate(Fixtures.localConfig("unused-table", database));
        MutableClock clock = new MutableClock(java.time.Instant.now());
        try (PaymentDatabase db = new PaymentDatabase(Fixtures.localConfig("unused-table", database),
                Fixtures.appCredentials(), clock)) {
            assertTrue(db.writable(D));
            // Demoted (read-only from now on) while the answer is cached; the connection survives.
            try (Connection c = PG.admin("postgres"); Statement s = c.createStatement()) {
                s.execute("ALTER ROLE " + FunctionConfig.DEFAULT_DB_USER + " IN DATABASE " + database
                        + " SET default_transaction_read_only = on");
            }
            db.close();
            DatabaseException e = assertThrows(DatabaseException.class,
                    () -> db.insert(request("db-key-demoted", "1.00"), "us-east-1", D));
            assertEquals(Failure.READ_ONLY, e.failure(), "25006");
            assertFalse(db.writable(D), "asked again at once, not after the cache period");
            // Back to writable; then the server goes away (a failover) and comes back read-only:
            // the lost connection (class 08) drops the answer too.
            try (Connection c = PG.admin("postgres"); Statement s = c.createStatement()) {
                s.execute("ALTER ROLE " + FunctionConfig.DEFAULT_DB_USER + " IN DATABASE " + database
                        + " RESET default_transaction_read_only");
            }
            clock.advance(PaymentDatabase.WRITABLE_CACHE);
            db.close();
            assertTrue(db.writable(D));
            try (Connection c = PG.admin("postgres"); Statement s = c.createStatement()) {
                s.execute("ALTER ROLE " + FunctionConfig.DEFAULT_DB_USER + " IN DATABASE " + database
                        + " SET default_transaction_read_only = on");
                // the test server runs with synchronous_commit off: make the change survive the crash
                s.execute("CHECKPOINT");
            }
            PG.stop();
            DatabaseException lost;
            try {
                lost = assertThrows(DatabaseException.class,
                        () -> db.insert(request("db-key-cut", "1.00"), "us-east-1", D));
            } finally {
                PG.start();
            }
            assertTrue(lost.getMessage().matches("database error (57P|08).*"), lost.getMessage());
            assertFalse(db.writable(D), "the next request asks the new state, within the cache period");
        } finally {
            try (Connection c = PG.admin("postgres"); Statement s = c.createStatement()) {
                s.execute("ALTER ROLE " + FunctionConfig.DEFAULT_DB_USER + " IN DATABASE " + database
                        + " RESET default_transaction_read_only");
            }
        }
    }

    @Test
    void everyCallIsBoundedByItsOwnDeadlineAndNoConnectionStartsWithoutBudget() throws Exception {
        java.util.concurrent.atomic.AtomicInteger logins = new java.util.concurrent.atomic.AtomicInteger();
        DbCredentials.Provider counting = new DbCredentials.Provider() {
            @Override
            public DbCredentials current() {
                logins.incrementAndGet();
                return Fixtures.appCredentials().current();
            }

            @Override
            public void invalidate() {
                // Nothing cached.
            }
        };
        MutableClock clock = new MutableClock(java.time.Instant.now());
        try (PaymentDatabase db = new PaymentDatabase(config(), counting, clock)) {
            DatabaseException spent = assertThrows(DatabaseException.class, () -> db.writable(Deadline.after(Duration.ZERO)));
            assertEquals(Failure.UNAVAILABLE, spent.failure());
            assertEquals("time budget exhausted before the database connection", spent.getMessage());
            assertEquals(0, logins.get(), "no connection attempt without budget");
            // A long request leaves a long bound on the kept connection ...
            db.status(D);
            assertEquals(PaymentDatabase.STATEMENT_TIMEOUT.toMillis(), db.networkTimeoutMillis());
            // ... which the next request replaces with its own, before its first query.
            clock.advance(PaymentDatabase.WRITABLE_CACHE);
            assertTrue(db.writable(Deadline.after(Duration.ofMillis(1500))));
            assertTrue(db.networkTimeoutMillis() <= 1500, Integer.toString(db.networkTimeoutMillis()));
            db.insert(request("db-key-bound", "1.00"), "us-east-1", Deadline.after(Duration.ofMillis(2500)));
            assertTrue(db.networkTimeoutMillis() <= 2500, Integer.toString(db.networkTimeoutMillis()));
            assertEquals(1, logins.get(), "one connection for all of it");
        }
    }

    @Test
    void reconnectsAfterTheServerComesBack() throws Exception {
        try (PaymentDatabase db = database()) {
            assertTrue(db.status(D).writable());
            PG.stop();
            try {
                DatabaseException e = assertThrows(DatabaseException.class, () -> db.status(D));
                assertEquals(Failure.UNAVAILABLE, e.failure());
            } finally {
                PG.start();
            }
            assertTrue(db.status(D).writable());
        }
    }

    @Test
    void closingABrokenResourceIsLoggedNotThrown() throws Exception {
        String log = LogCapture.during(() -> {
            PaymentDatabase.closeQuietly(() -> {
                throw new SQLException("already gone");
            });
            return null;
        }).log();
        assertTrue(log.contains("\"event\":\"close_failed\""), log);
        assertFalse(log.contains("already gone"), log);
    }
}
