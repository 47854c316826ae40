package com.payments.dr.function;

import com.payments.dr.lambda.Log;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Versioned schema migrations, applied by the function as the schema owner on a write path (the
 * first write of a container whose schema is behind; never from the health check, never while the
 * database is read-only). All pending migrations run in one transaction under a
 * transaction-scoped advisory lock, so concurrent cold starts serialize, each sees the others'
 * work, and a failed migration leaves nothing behind (PostgreSQL DDL is transactional). The DR
 * cluster receives them through global-database replication.
 */
public final class SchemaMigrator {

    /**
     * One migration. Never edit an applied one: add a new version. {@code APP_USER} in the SQL
     * stands for the application role's quoted name.
     */
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
                    CREATE INDEX payments_merchant_created_idx ON payments (merchant_id, created_at)"""),
            // The application role: login (through IAM where rds_iam exists, as on Aurora), DML on
            // the payments table only, and server-side limits even if a session forgets its own.
            new Migration(3, "application role with DML rights only", """
                    DO $$
                    BEGIN
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'APP_NAME') THEN
                            CREATE ROLE APP_USER LOGIN;
                        END IF;
                        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN
                            GRANT rds_iam TO APP_USER;
                        END IF;
                    END $$;
                    GRANT SELECT, INSERT ON payments TO APP_USER;
                    GRANT SELECT ON schema_migrations TO APP_USER;
                    ALTER ROLE APP_USER SET statement_timeout = '5s';
                    ALTER ROLE APP_USER SET lock_timeout = '2s';
                    ALTER ROLE APP_USER SET idle_in_transaction_session_timeout = '10s'"""));

    /** The version this code needs; a database behind it is migrated on the next write. */
    public static final int LATEST_VERSION = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    private SchemaMigrator() {
    }

    /**
     * A digest of the migration list (versions, descriptions and SQL): the deployment re-runs the
     * migrator when it changes.
     */
    public static String digest(List<Migration> migrations) {
        StringBuilder all = new StringBuilder();
        for (Migration migration : migrations) {
            all.append(migration.version()).append('\n').append(migration.description()).append('\n')
                    .append(migration.sql()).append('\n');
        }
        return java.util.HexFormat.of().formatHex(PaymentRequest.sha256(all.toString()));
    }

    /**
     * Applies the pending migrations as the connection's user (the owner); returns how many this
     * call applied. {@code appUser} has passed the configuration's identifier rule.
     */
    public static int migrate(Connection connection, List<Migration> migrations, String appUser)
            throws SQLException {
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
                    statement.execute(migration.sql().replace("APP_NAME", appUser)
                            .replace("APP_USER", '"' + appUser + '"'));
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
