package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.function.SchemaMigrator.Migration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Migrations against a real PostgreSQL server. */
class SchemaMigratorTest {

    private static final TestPostgres PG = TestPostgres.shared();
    private static final String API = FunctionConfig.DEFAULT_DB_USER;

    @org.junit.jupiter.api.BeforeAll
    static void roles() {
        Fixtures.prepareRoles(PG);
    }

    private static Connection app(String database) throws SQLException {
        return PG.connect(database, TestPostgres.APP_USER, TestPostgres.APP_PASSWORD);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void appliesEveryMigrationOnceAndIsIdempotent() throws Exception {
        PG.createDatabase("migr_once");
        try (Connection c = app("migr_once")) {
            assertEquals(0, SchemaMigrator.currentVersion(c));
            assertEquals(3, SchemaMigrator.migrate(c, SchemaMigrator.MIGRATIONS, API));
            assertEquals(3, SchemaMigrator.currentVersion(c));
            assertEquals(SchemaMigrator.LATEST_VERSION, SchemaMigrator.currentVersion(c));
            assertEquals(0, SchemaMigrator.migrate(c, SchemaMigrator.MIGRATIONS, API));
            assertTrue(c.getAutoCommit());
            assertEquals(3, count(c, "SELECT count(*) FROM schema_migrations"));
            assertEquals(1, count(c, "SELECT count(*) FROM pg_indexes"
                    + " WHERE indexname = 'payments_merchant_created_idx'"));
        }
    }

    @Test
    void concurrentColdStartsApplyEachMigrationExactlyOnce() throws Exception {
        PG.createDatabase("migr_race");
        int starts = 8;
        ExecutorService pool = Executors.newFixedThreadPool(starts);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int i = 0; i < starts; i++) {
                results.add(pool.submit(() -> {
                    try (Connection c = app("migr_race")) {
                        go.await();
                        return SchemaMigrator.migrate(c, SchemaMigrator.MIGRATIONS, API);
                    }
                }));
            }
            go.countDown();
            int applied = 0;
            for (Future<Integer> result : results) {
                applied += result.get();
            }
            assertEquals(3, applied);
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = app("migr_race")) {
            assertEquals(3, count(c, "SELECT count(*) FROM schema_migrations"));
        }
    }

    @Test
    void aFailingMigrationLeavesNothingBehind() throws Exception {
        PG.createDatabase("migr_fail");
        List<Migration> broken = List.of(SchemaMigrator.MIGRATIONS.get(0),
                new Migration(2, "broken", "CREATE INDEX nope ON no_such_table (x)"));
        try (Connection c = app("migr_fail")) {
            SQLException e = assertThrows(SQLException.class, () -> SchemaMigrator.migrate(c, broken, API));
            assertEquals("42P01", e.getSQLState());
            assertTrue(c.getAutoCommit());
            assertEquals(0, SchemaMigrator.currentVersion(c));
            assertEquals(0, count(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'payments'"));
            assertEquals(3, SchemaMigrator.migrate(c, SchemaMigrator.MIGRATIONS, API));
        }
    }

    @Test
    void aConnectionLostDuringMigrationFailsCleanly() throws Exception {
        PG.createDatabase("migr_lost");
        List<Migration> killer = List.of(
                new Migration(1, "lose the connection", "SELECT pg_terminate_backend(pg_backend_pid())"));
        try (Connection c = app("migr_lost")) {
            SQLException e = assertThrows(SQLException.class, () -> SchemaMigrator.migrate(c, killer, API));
            assertFalse(c.isValid(1));
            // The migration's own error is reported; the failed rollback is attached, not substituted.
            assertEquals("57P01", e.getSQLState());
            assertEquals(1, e.getSuppressed().length);
        }
        try (Connection c = app("migr_lost")) {
            assertEquals(0, SchemaMigrator.currentVersion(c));
        }
    }
}
