package com.payments.dr.function;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Versioned schema migrations, applied by the function itself on its first write in a container.
 * All pending migrations run in one transaction under a transaction-scoped advisory lock, so
 * concurrent cold starts in both regions serialize, each sees the others' work, and a failed
 * migration leaves nothing behind (PostgreSQL DDL is transactional).
 */
public final class SchemaMigrator {

    /** One migration. Never edit an applied one: add a new version. */
    public record Migration(int version, String description, String sql) {
    }

    /** Arbitrary constant shared by every copy of the function: "payments" in ASCII. */
    static final long ADVISORY_LOCK_ID = 0x7061796d656e7473L;

    public static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "create payments table", """
                    CREATE TABLE payments (
                        payment_id      uuid PRIMARY KEY,
                        idempotency_key text NOT NULL,
                        request_hash    char(64) NOT NULL,
                        amount          numeric(14,2) NOT NULL CHECK (amount > 0),
                        currency        char(3) NOT NULL,
                        merchant_id     text NOT NULL,
                        description     text,
                        status          text NOT NULL,
                        region          text NOT NULL,
                        created_at      timestamptz NOT NULL DEFAULT now(),
                        CONSTRAINT payments_idempotency_key_key UNIQUE (idempotency_key)
                    )"""),
            new Migration(2, "index payments by merchant", """
                    CREATE INDEX payments_merchant_created_idx ON payments (merchant_id, created_at)"""));

    private SchemaMigrator() {
    }

    /** Applies the pending migrations; returns how many this call applied. */
    public static int migrate(Connection connection, List<Migration> migrations) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_ID + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    + "version integer PRIMARY KEY, description text NOT NULL,"
                    + " applied_at timestamptz NOT NULL DEFAULT now())");
            Set<Integer> applied = new HashSet<>();
            try (ResultSet rs = statement.executeQuery("SELECT version FROM schema_migrations")) {
                while (rs.next()) {
                    applied.add(rs.getInt(1));
                }
            }
            int count = 0;
            for (Migration migration : migrations) {
                if (applied.add(migration.version())) {
                    statement.execute(migration.sql());
                    try (var insert = connection.prepareStatement(
                            "INSERT INTO schema_migrations (version, description) VALUES (?, ?)")) {
                        insert.setInt(1, migration.version());
                        insert.setString(2, migration.description());
                        insert.executeUpdate();
                    }
                    Log.info("schema_migration_applied", "version", Integer.toString(migration.version()));
                    count++;
                }
            }
            connection.commit();
            connection.setAutoCommit(true);
            return count;
        } catch (SQLException e) {
            rollbackQuietly(connection, e);
            throw e;
        }
    }

    /** The highest applied version, 0 when no migration ever ran. */
    public static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(
                    "SELECT to_regclass('schema_migrations') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
            try (ResultSet rs = statement.executeQuery(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Keeps the migration's own error as the one reported, even if the connection is gone. */
    private static void rollbackQuietly(Connection connection, SQLException cause) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
