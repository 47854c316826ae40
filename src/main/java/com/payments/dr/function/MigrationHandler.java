package com.payments.dr.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.lambda.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The migrator: a Lambda of its own (the payment package, this handler), in the VPC with the
 * database, invoked by the deployment and by operators, never by the API. It logs in as the schema
 * owner with the credentials its invoker hands it, {@code {"owner": <the master secret's
 * SecretString>}} (the invoker reads the secret; nothing in the VPC does), and applies the pending
 * migrations when its region's database takes writes; a reader (a global secondary) is skipped,
 * since it receives the schema through replication. Invoked by an operator with {@code {"action":
 * "reconcile", "owner": …}} after an unplanned failover, it runs the {@link Reconciler} in the
 * region that took over, with the same credentials. Any failure is thrown, so Lambda reports a
 * {@code FunctionError} and the deployment (or the operator) that invoked it sees it. The payload
 * is never logged nor echoed, not even in an error.
 * <p>
 * It also carries out the database's part of the master secret's rotation (the rotation function,
 * outside the VPC, invokes it): {@code {"owner": <current>, "rotate_to": <pending>}} logs in with
 * the current credentials and sets the pending password, sent as a SCRAM verifier computed here so
 * that neither the statement log ({@code log_statement = ddl}) nor the server ever sees the
 * password itself; {@code {"owner": <pending>, "check": true}} only logs in.
 */
public final class MigrationHandler implements RequestStreamHandler {

    /** What a read-only database answers: the writer region's migrator does the work. */
    static final String SKIPPED = "skipped: reader";
    /** Server-side bounds on the migration transaction, so a stuck lock fails the deployment. */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, String> env;
    private FunctionConfig config;
    private DbCredentials.Provider owner;
    private List<SchemaMigrator.Migration> migrations;
    private DynamoDbClient table;

    /**
     * Used by Lambda: configuration from the environment, read by the first invocation (a bad
     * deployment then fails the deploy's invoke with the configuration's message); the owner's
     * credentials from each invocation's payload.
     */
    public MigrationHandler() {
        this(System.getenv());
    }

    MigrationHandler(Map<String, String> env) {
        this.env = env;
    }

    MigrationHandler(FunctionConfig config, DbCredentials.Provider owner, List<SchemaMigrator.Migration> migrations) {
        this(config, owner, migrations, null);
    }

    /** @param table the idempotency table's client for the reconciliation (built on first use when null) */
    MigrationHandler(FunctionConfig config, DbCredentials.Provider owner, List<SchemaMigrator.Migration> migrations,
            DynamoDbClient table) {
        this.env = Map.of();
        this.config = config;
        this.owner = owner;
        this.migrations = migrations;
        this.table = table;
    }

    /** Reads the configuration once; no network call. */
    synchronized MigrationHandler wire() {
        if (config == null) {
            config = FunctionConfig.fromEnvironment(env);
            migrations = SchemaMigrator.MIGRATIONS;
        }
        return this;
    }

    /**
     * The owner's credentials from an invocation's payload: {@code {"owner": {"username": …,
     * "password": …, …}}}, the master secret's SecretString (the RDS secret format) under
     * {@code owner}. A payload without them fails with what to send, never with what was sent.
     */
    static DbCredentials ownerCredentials(String payload) {
        try {
            JsonObject owner = JsonParser.parseString(payload).getAsJsonObject().getAsJsonObject("owner");
            String username = owner.getAsJsonPrimitive("username").getAsString();
            String password = owner.getAsJsonPrimitive("password").getAsString();
            if (!username.isEmpty() && !password.isEmpty()) {
                return new DbCredentials(username, password);
            }
        } catch (RuntimeException e) {
            // reported below, without the payload
        }
        throw new IllegalArgumentException("invoke the migrator with the schema owner's credentials:"
                + " {\"owner\": <SecretString of the master secret in this region>} (docs/runbook.md)");
    }

    /**
     * Every invocation carries the owner's credentials ({@link #ownerCredentials}). Without an
     * action (the deployment's invoke) it migrates. {@code "action": "reconcile"} reconciles after
     * an unplanned failover ({@link Reconciler}), with {@code "snapshot_host"} (the old primary's
     * volume restored as a temporary cluster: same database and owner; {@code "snapshot_port"} if it
     * is not the writer's) once it exists, and {@code "since"} (an ISO-8601 time: only records and
     * snapshot rows of payments stored from then on; {@link Reconciler#DEFAULT_SINCE} before now
     * without it, which the answer says).
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        // a broken deployment is reported before a missing payload: it is the bigger news
        MigrationHandler wired = wire();
        String payload = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        DbCredentials credentials = ownerCredentials(payload);
        // a JSON object with the owner's credentials, or ownerCredentials has refused it
        JsonObject request = JsonParser.parseString(payload).getAsJsonObject();
        JsonObject result;
        if (request.has("action") && "reconcile".equals(request.get("action").getAsString())) {
            result = wired.reconcile(request, credentials);
        } else if (request.has("action")) {
            throw new IllegalArgumentException("unknown action " + request.get("action") + ": none (migrate) or"
                    + " \"reconcile\"");
        } else if (request.has("rotate_to")) {
            result = wired.setPassword(credentials, credentials(request, "rotate_to"));
        } else if (request.has("check")) {
            result = wired.check(credentials);
        } else {
            result = wired.migrate(credentials);
        }
        output.write(result.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #reconcile(JsonObject, DbCredentials)} as the owner this handler was built with (tests). */
    JsonObject reconcile(JsonObject event) {
        return reconcile(event, owner.current());
    }

    /**
     * Reconciles this region's writer with the acknowledgement records in this region's replica
     * and, when {@code snapshot_host} is given, with the old primary's restored snapshot, both as
     * the schema owner whose credentials came with the invocation (the restored snapshot keeps the
     * old primary's owner). Refuses a reader: only the writer region can store what was lost.
     */
    private JsonObject reconcile(JsonObject event, DbCredentials credentials) {
        Optional<String> snapshotHost = event.has("snapshot_host")
                ? Optional.of(event.get("snapshot_host").getAsString()) : Optional.empty();
        snapshotHost.filter(h -> !HOST.matcher(h).matches()).ifPresent(h -> {
            throw new IllegalArgumentException("snapshot_host '" + h + "' is not a host name");
        });
        Optional<java.time.Instant> since = Optional.empty();
        if (event.has("since")) {
            String value = event.get("since").getAsString();
            try {
                since = Optional.of(java.time.Instant.parse(value));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("since '" + value + "' is not an ISO-8601 time in UTC, e.g."
                        + " 2026-01-31T09:00:00Z");
            }
        }
        try (Connection writer = connect(config, credentials);
             Connection snapshot = snapshotHost.isPresent() ? connect(config.withDbEndpoint(snapshotHost.get(),
                     event.has("snapshot_port") ? event.get("snapshot_port").getAsInt() : config.dbPort()),
                     credentials) : null) {
            if (!PaymentDatabase.isWritable(writer)) {
                throw new IllegalStateException("reconciliation refused: this region's database is a reader;"
                        + " run it in the region that took over");
            }
            return new Reconciler(table(), config.idempotencyTable())
                    .run(writer, Optional.ofNullable(snapshot), since).toJson();
        } catch (SQLException e) {
            Log.error("reconciliation_failed", "state", String.valueOf(e.getSQLState()));
            throw new IllegalStateException("reconciliation failed: database error " + e.getSQLState(), e);
        }
    }

    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?");

    /** This region's replica of the idempotency table, read only by the reconciliation. */
    private synchronized DynamoDbClient table() {
        if (table == null) {
            table = FunctionRuntime.dynamoClient(config, FunctionRuntime.lambdaCredentials(), List.of());
        }
        return table;
    }

    /** The credentials under {@code key}, in the secret's format; a bad entry fails without its content. */
    static DbCredentials credentials(JsonObject request, String key) {
        JsonObject renamed = new JsonObject();
        renamed.add("owner", request.get(key));
        try {
            return ownerCredentials(renamed.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a rotation step sends the pending credentials under " + key
                    + ", in the master secret's format");
        }
    }

    /** The password of PostgreSQL's authentication failure: the login was refused. */
    static final String INVALID_PASSWORD = "28P01";

    /**
     * The rotation's setSecret step: the owner's password becomes {@code pending}'s. Repeating it is
     * harmless (Secrets Manager retries a step): when the current password is refused and the
     * pending one is accepted, the step is already done.
     */
    JsonObject setPassword(DbCredentials current, DbCredentials pending) {
        if (!pending.username().equals(current.username())) {
            throw new IllegalArgumentException("a rotation changes the owner's password, not the owner");
        }
        JsonObject result = new JsonObject();
        try (Connection c = connect(config, current)) {
            c.unwrap(org.postgresql.PGConnection.class).alterUserPassword(current.username(),
                    pending.password().toCharArray(), "scram-sha-256");
            result.addProperty("result", "password_set");
        } catch (SQLException e) {
            if (!INVALID_PASSWORD.equals(e.getSQLState())) {
                Log.error("rotation_failed", "step", "set", "state", String.valueOf(e.getSQLState()));
                throw new IllegalStateException("password change failed: database error " + e.getSQLState(), e);
            }
            check(pending);
            result.addProperty("result", "password_already_set");
        }
        Log.info("rotation_step", "step", "set", "result", result.get("result").getAsString());
        return result;
    }

    /** The rotation's testSecret step: {@code credentials} log in. */
    JsonObject check(DbCredentials credentials) {
        try (Connection c = connect(config, credentials); java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            JsonObject result = new JsonObject();
            result.addProperty("result", "login_ok");
            Log.info("rotation_step", "step", "test", "result", "login_ok");
            return result;
        } catch (SQLException e) {
            Log.error("rotation_failed", "step", "test", "state", String.valueOf(e.getSQLState()));
            throw new IllegalStateException("login failed: database error " + e.getSQLState(), e);
        }
    }

    /**
     * Migrates a writable database and reports {@code {"result": "migrated", "applied": n,
     * "schema_version": v}}, or {@code {"result": "skipped: reader", ...}} on a read-only one.
     *
     * @throws IllegalStateException when the database or the secret cannot be reached or a
     *                               migration fails (nothing of a failed migration is kept)
     */
    JsonObject migrate() {
        return migrate(owner.current());
    }

    /** One invocation, one login with {@code credentials}. */
    private JsonObject migrate(DbCredentials credentials) {
        JsonObject result = new JsonObject();
        try (Connection c = connect(config, credentials)) {
            if (!PaymentDatabase.isWritable(c)) {
                result.addProperty("result", SKIPPED);
                result.addProperty("schema_version", SchemaMigrator.currentVersion(c));
                Log.info("migration_skipped", "reason", "reader");
                return result;
            }
            int applied = SchemaMigrator.migrate(c, migrations, config.dbUser());
            result.addProperty("result", "migrated");
            result.addProperty("applied", applied);
            result.addProperty("schema_version", SchemaMigrator.currentVersion(c));
            Log.info("migration_done", "applied", Integer.toString(applied));
            return result;
        } catch (SQLException e) {
            Log.error("migration_failed", "state", String.valueOf(e.getSQLState()));
            throw new IllegalStateException("migration failed: database error " + e.getSQLState(), e);
        }
    }

    private Connection connect(FunctionConfig target, DbCredentials credentials) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", credentials.username());
        properties.setProperty("password", credentials.password());
        String seconds = Long.toString(CONNECT_TIMEOUT.toSeconds());
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", Long.toString(STATEMENT_TIMEOUT.plusSeconds(5).toSeconds()));
        properties.setProperty("options", "-c statement_timeout=" + STATEMENT_TIMEOUT.toMillis()
                + " -c lock_timeout=" + STATEMENT_TIMEOUT.toMillis());
        return new org.postgresql.Driver().connect(PaymentDatabase.jdbcUrl(target)
                .replace("ApplicationName=payment-function", "ApplicationName=payment-migrator"), properties);
    }
}
