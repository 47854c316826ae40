package com.payments.dr.function;

import com.payments.dr.lambda.Log;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The region's Aurora PostgreSQL cluster, through one connection per container (a Lambda container
 * serves one request at a time). A connection that failed is dropped and reopened on the next call,
 * so a database that comes back is used again without a cold start.
 *
 * <p>Payments run as the application role (DML on the payments table only, IAM authentication
 * in AWS). This class never migrates and never holds the owner's password: the migrator
 * ({@link MigrationHandler}) does that at deploy time. A login failure of the application role
 * (the role not created yet, a token refused) is reported as {@link Failure#UNAVAILABLE} at once,
 * without a second login attempt, so a failover's reconnect storm is not doubled.
 *
 * <p>Every session has server-side limits ({@link #STATEMENT_TIMEOUT}, {@link #LOCK_TIMEOUT}) and
 * every network wait is bounded by the request's {@link Deadline}.
 */
public final class PaymentDatabase implements AutoCloseable {

    /** Why the database could not take the write. */
    public enum Failure {
        /** The region's database refuses writes (a global secondary); nothing was written. */
        READ_ONLY,
        /** Failed before the write was sent, or the statement was refused: nothing was written. */
        UNAVAILABLE,
        /** The connection failed after the write was sent: it may or may not have committed. */
        OUTCOME_UNKNOWN
    }

    /** The database could not serve the request; {@link #failure()} says whether anything was written. */
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

    /**
     * A stored payment as the API reports it; {@code existing} when an earlier attempt stored it;
     * {@code createdAt} the row's time (ISO-8601, UTC), as the acknowledgement record keeps it.
     */
    public record StoredPayment(String paymentId, String status, String region, boolean existing, String createdAt) {
    }

    /** What the health endpoint reports about the database: its current role and schema level. */
    public record Status(boolean writable, int schemaVersion) {
    }

    static final String READ_ONLY_STATE = "25006";
    private static final String[] AUTH_FAILURE_STATES = {"28P01", "28000"};
    /** Server-side limits of the application role's sessions (also set on the role by migration 3). */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long a "writable" answer is reused: one query per period while the region takes writes. */
    public static final Duration WRITABLE_CACHE = Duration.ofSeconds(5);
    /**
     * How long a "read-only" answer is reused: promotion is noticed within this. Shorter than
     * {@link #WRITABLE_CACHE}, since during a failover it is most of the time a promoted region
     * still refuses payments (the drill measured about 5 s of a 5 s planned RTO with 5 s here).
     */
    public static final Duration READ_ONLY_CACHE = Duration.ofSeconds(1);
    /** The liveness check of a kept connection (the driver's unit is seconds). */
    private static final int VALIDATION_TIMEOUT_SECONDS = 1;

    private final String url;
    private final DbCredentials.Provider app;
    private final Clock clock;
    private final org.postgresql.Driver driver = new org.postgresql.Driver();
    private Connection connection;
    private Boolean writable;
    private Instant writableUntil = Instant.MIN;

    /** @param app the application role's credentials (an IAM token in AWS) */
    public PaymentDatabase(FunctionConfig config, DbCredentials.Provider app, Clock clock) {
        this.url = jdbcUrl(config);
        this.app = app;
        this.clock = clock;
    }

    static String jdbcUrl(FunctionConfig config) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://")
                .append(config.dbHost()).append(':').append(config.dbPort()).append('/')
                .append(config.dbName())
                .append("?sslmode=").append(config.dbSslMode().value())
                .append("&tcpKeepAlive=true&ApplicationName=payment-function");
        config.dbSslRootCert().ifPresent(path -> url.append("&sslrootcert=").append(path));
        return url.toString();
    }

    /**
     * Whether this region's database takes writes now, checked before anything is claimed so a
     * read-only region never writes the global table. The answer is reused for {@link #WRITABLE_CACHE}
     * ("writable") or {@link #READ_ONLY_CACHE} ("read-only").
     */
    public synchronized boolean writable(Deadline deadline) throws DatabaseException {
        Instant now = clock.instant();
        if (now.isBefore(writableUntil)) {
            return writable;
        }
        try {
            Connection c = connection(deadline, STATEMENT_TIMEOUT);
            writable = isWritable(c);
            writableUntil = now.plus(writable ? WRITABLE_CACHE : READ_ONLY_CACHE);
            return writable;
        } catch (SQLException e) {
            throw failure(e, false);
        }
    }

    /**
     * Stores the payment, or finds the one already stored for its key (a retry after a response was
     * lost, a replay after failover). One statement in autocommit: either the row exists afterwards
     * or nothing was written, unless the connection fails after the statement was sent
     * ({@link Failure#OUTCOME_UNKNOWN}).
     */
    public synchronized StoredPayment insert(PaymentRequest request, String region, Deadline deadline)
            throws DatabaseException, KeyReusedException {
        boolean sent = false;
        try {
            Connection c = connection(deadline, STATEMENT_TIMEOUT.plusSeconds(1));
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO payments (payment_id, idempotency_key, request_hash, amount, currency,"
                            + " merchant_id, description, status, region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT DO NOTHING RETURNING payment_id, status, region, created_at")) {
                insert.setObject(1, request.paymentId());
                insert.setString(2, request.scopedKey());
                insert.setString(3, request.requestHash());
                insert.setBigDecimal(4, request.amount());
                insert.setString(5, request.currency());
                insert.setString(6, request.merchantId());
                insert.setString(7, request.description().orElse(null));
                insert.setString(8, "ACCEPTED");
                insert.setString(9, region);
                sent = true;
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        return new StoredPayment(rs.getString(1), rs.getString(2), rs.getString(3), false, instant(rs, 4));
                    }
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT payment_id, status, region,"
                    + " request_hash, created_at FROM payments WHERE idempotency_key = ?")) {
                select.setString(1, request.scopedKey());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    if (!request.requestHash().equals(rs.getString(4))) {
                        throw new KeyReusedException();
                    }
                    return new StoredPayment(rs.getString(1), rs.getString(2), rs.getString(3), true, instant(rs, 5));
                }
            }
        } catch (SQLException e) {
            throw failure(e, sent);
        }
    }

    /** A timestamptz column as ISO-8601 in UTC, whatever the session's time zone. */
    static String instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, java.time.OffsetDateTime.class).toInstant().toString();
    }

    /** For the health check: connects as the application role, reports the role and schema level. */
    public synchronized Status status(Deadline deadline) throws DatabaseException {
        try {
            Connection c = connection(deadline, STATEMENT_TIMEOUT);
            return new Status(isWritable(c), SchemaMigrator.currentVersion(c));
        } catch (SQLException e) {
            throw failure(e, false);
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

    /**
     * This container's connection, every wait on it bounded by this request's deadline (at most
     * {@code max}) before anything is sent: a kept connection otherwise carries the timeout of the
     * request that last used it. No connection attempt starts once the budget is spent.
     */
    private Connection connection(Deadline deadline, Duration max) throws SQLException, DatabaseException {
        if (connection != null) {
            // only a connection this class closed is ever refused here, and it is never kept
            bound(connection, deadline, max);
            if (connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                return connection;
            }
            closeQuietly();
        }
        if (deadline.remainingMillis() < Deadline.MIN_STEP_MILLIS) {
            throw new DatabaseException(Failure.UNAVAILABLE, "time budget exhausted before the database connection",
                    null);
        }
        try {
            connection = connect(app.current(), deadline);
            bound(connection, deadline, max);
        } catch (SdkException | IllegalStateException e) {
            throw new DatabaseException(Failure.UNAVAILABLE, "database credentials unavailable", e);
        } catch (SQLException e) {
            if (isAuthFailure(e)) {
                // a fresh token next time (it may have been refused as expired), never a second try now
                app.invalidate();
                Log.warn("app_role_login_failed", "state", e.getSQLState());
            }
            throw e;
        }
        return connection;
    }

    private static void bound(Connection c, Deadline deadline, Duration max) throws SQLException {
        c.setNetworkTimeout(Runnable::run, (int) deadline.cap(max).toMillis());
    }

    /** The current bound on this container's connection, for tests; 0 without a connection. */
    synchronized int networkTimeoutMillis() throws SQLException {
        return connection == null ? 0 : connection.getNetworkTimeout();
    }

    private static String appOptions() {
        return "-c statement_timeout=" + STATEMENT_TIMEOUT.toMillis()
                + " -c lock_timeout=" + LOCK_TIMEOUT.toMillis()
                + " -c idle_in_transaction_session_timeout=10000";
    }

    private Connection connect(DbCredentials credentials, Deadline deadline) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", credentials.username());
        properties.setProperty("password", credentials.password());
        String seconds = Integer.toString(deadline.capSeconds(CONNECT_TIMEOUT));
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", seconds);
        properties.setProperty("options", appOptions());
        return driver.connect(url, properties);
    }

    private static boolean isAuthFailure(SQLException e) {
        for (String state : AUTH_FAILURE_STATES) {
            if (state.equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A statement the server refused (timeout, lock timeout, read-only) wrote nothing; a lost
     * connection (SQLSTATE class 08) or a session the server ended (57P01-57P03: shutdown,
     * crash, failover) after the write was sent leaves its outcome unknown.
     */
    private DatabaseException failure(SQLException e, boolean sent) {
        closeQuietly();
        String state = String.valueOf(e.getSQLState());
        if (READ_ONLY_STATE.equals(state) || state.startsWith("08") || state.startsWith("57P")) {
            // demoted, failed over or cut off: ask again on the next request instead of claiming
            // in the global table for up to WRITABLE_CACHE on the strength of an old answer
            writable = null;
            writableUntil = Instant.MIN;
        }
        Failure kind = READ_ONLY_STATE.equals(state) ? Failure.READ_ONLY
                : sent && (state.startsWith("08") || state.startsWith("57P")) ? Failure.OUTCOME_UNKNOWN
                : Failure.UNAVAILABLE;
        return new DatabaseException(kind, "database error " + state, e);
    }

    private void closeQuietly() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
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
