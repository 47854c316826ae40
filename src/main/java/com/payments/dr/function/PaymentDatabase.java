package com.payments.dr.function;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The region's Aurora PostgreSQL cluster, through one connection per container (a Lambda container
 * serves one request at a time). A connection that failed is dropped and reopened on the next call,
 * so a database that comes back is used again without a cold start.
 */
public final class PaymentDatabase implements AutoCloseable {

    /** Why the database could not take the write. */
    public enum Failure { READ_ONLY, UNAVAILABLE }

    /** The database could not serve the request; nothing was written. */
    public static final class DatabaseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Failure failure;

        DatabaseException(Failure failure, String message, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    /** The idempotency key is already stored with a different request. */
    public static final class KeyReusedException extends Exception {
        private static final long serialVersionUID = 1L;

        KeyReusedException() {
            super("idempotency key already used for a different payment", null, false, false);
        }
    }

    /** A stored payment as the API reports it. */
    public record StoredPayment(String paymentId, String status, String region) {
    }

    /** What the health endpoint reports about the database. */
    public record Status(boolean writable, int schemaVersion) {
    }

    static final String READ_ONLY_STATE = "25006";
    private static final String[] AUTH_FAILURE_STATES = {"28P01", "28000"};

    private final String url;
    private final DbCredentials.Provider credentials;
    private final org.postgresql.Driver driver = new org.postgresql.Driver();
    private Connection connection;
    private boolean schemaCurrent;

    public PaymentDatabase(FunctionConfig config, DbCredentials.Provider credentials) {
        this.url = jdbcUrl(config);
        this.credentials = credentials;
    }

    static String jdbcUrl(FunctionConfig config) {
        // Short timeouts: a database that does not answer must become a 503 well within the Lambda
        // timeout and the idempotency lease, not a hung invocation.
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(config.dbHost()).append(':').append(config.dbPort()).append('/')
                .append(config.dbName())
                .append("?sslmode=").append(config.dbSslMode().value())
                .append("&connectTimeout=5&socketTimeout=10&loginTimeout=5&tcpKeepAlive=true")
                .append("&ApplicationName=payment-function");
        config.dbSslRootCert().ifPresent(path -> url.append("&sslrootcert=").append(path));
        return url.toString();
    }

    /**
     * Stores the payment, or finds the one already stored for its idempotency key (a retry after a
     * response was lost). One statement in autocommit: either the row exists afterwards or nothing
     * was written.
     */
    public synchronized StoredPayment insert(PaymentRequest request, String region)
            throws DatabaseException, KeyReusedException {
        try {
            Connection c = writableConnection();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO payments (payment_id, idempotency_key, request_hash, amount, currency,"
                            + " merchant_id, description, status, region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING RETURNING payment_id, status, region")) {
                insert.setObject(1, request.paymentId());
                insert.setString(2, request.idempotencyKey());
                insert.setString(3, request.requestHash());
                insert.setBigDecimal(4, request.amount());
                insert.setString(5, request.currency());
                insert.setString(6, request.merchantId());
                insert.setString(7, request.description().orElse(null));
                insert.setString(8, "ACCEPTED");
                insert.setString(9, region);
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        return new StoredPayment(rs.getString(1), rs.getString(2), rs.getString(3));
                    }
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT payment_id, status, region,"
                    + " request_hash FROM payments WHERE idempotency_key = ?")) {
                select.setString(1, request.idempotencyKey());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    if (!request.requestHash().equals(rs.getString(4))) {
                        throw new KeyReusedException();
                    }
                    return new StoredPayment(rs.getString(1), rs.getString(2), rs.getString(3));
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Connects, reports writability, and brings the schema up to date when writable. */
    public synchronized Status status() throws DatabaseException {
        try {
            Connection c = connection();
            boolean writable = isWritable(c);
            if (writable) {
                ensureSchema(c);
            }
            return new Status(writable, SchemaMigrator.currentVersion(c));
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private Connection writableConnection() throws SQLException, DatabaseException {
        Connection c = connection();
        if (!schemaCurrent) {
            if (!isWritable(c)) {
                throw new DatabaseException(Failure.READ_ONLY, "database is read-only", null);
            }
            ensureSchema(c);
        }
        return c;
    }

    private void ensureSchema(Connection c) throws SQLException {
        if (!schemaCurrent) {
            SchemaMigrator.migrate(c, SchemaMigrator.MIGRATIONS);
            schemaCurrent = true;
        }
    }

    /**
     * Read-only covers both a physical standby and an Aurora global secondary, whose instances
     * report transaction_read_only = on.
     */
    static boolean isWritable(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery(
                          "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private Connection connection() throws SQLException, DatabaseException {
        if (connection != null && connection.isValid(2)) {
            return connection;
        }
        closeQuietly();
        connection = open();
        return connection;
    }

    private Connection open() throws SQLException, DatabaseException {
        try {
            try {
                return driver.connect(url, properties(credentials.current()));
            } catch (SQLException e) {
                if (!isAuthFailure(e)) {
                    throw e;
                }
                // The password may have been rotated since we cached it: read the secret again, once.
                credentials.invalidate();
                return driver.connect(url, properties(credentials.current()));
            }
        } catch (SdkException | IllegalStateException e) {
            throw new DatabaseException(Failure.UNAVAILABLE, "database credentials unavailable", e);
        }
    }

    private static boolean isAuthFailure(SQLException e) {
        for (String state : AUTH_FAILURE_STATES) {
            if (state.equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static Properties properties(DbCredentials credentials) {
        Properties properties = new Properties();
        properties.setProperty("user", credentials.username());
        properties.setProperty("password", credentials.password());
        return properties;
    }

    private DatabaseException failure(SQLException e) {
        closeQuietly();
        Failure kind = READ_ONLY_STATE.equals(e.getSQLState()) ? Failure.READ_ONLY : Failure.UNAVAILABLE;
        return new DatabaseException(kind, "database error " + e.getSQLState(), e);
    }

    private void closeQuietly() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
            schemaCurrent = false;
        }
    }

    /** Closing a connection that already failed may fail too; a fresh one is opened next time. */
    static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            Log.warn("close_failed", "error", e.getClass().getName());
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
