package com.payments.dr.function;

import com.google.gson.JsonObject;
import com.payments.dr.function.FunctionConfig.RegionRole;
import com.payments.dr.function.PaymentDatabase.DatabaseException;
import com.payments.dr.function.PaymentDatabase.Status;
import com.payments.dr.lambda.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * GET /health, called by the Route 53 health check from every checker region: 200 only when this
 * region can take a payment (idempotency table reachable, database reachable and writable). It
 * answers within {@link #BUDGET} (Route 53 waits about 2 s), reuses its answer for {@link #CACHE}
 * per container (a dozen checkers would otherwise each cost a table read and a query), never runs
 * migrations (it is an unauthenticated GET), and reports the database's current role (writer or
 * reader) next to the configured region role, so a promoted DR region shows as writer.
 *
 * <p>{@code GET /health?probe=standby} asks another question, for the alarms rather than for DNS:
 * could this region take over once its database is promoted? It connects to the cluster's
 * <em>reader</em> endpoint, not the writer's: an Aurora global secondary's cluster (writer)
 * endpoint is inactive until promotion, so a probe through it would fail every day. 200
 * ({@code "status": "standby"}) when the table and the reader endpoint answer, whatever the
 * writer does; 503 when either does not. The DR region answers it 200 every day, so its readiness
 * can alarm, while plain {@code /health} (what the failover record follows) stays 503 there until
 * the promotion.
 *
 * <p>The endpoint is unauthenticated: answers carry fixed messages and the machine-readable
 * {@code failed_check}; what went wrong in detail goes to the function's log only.
 */
public final class HealthService {

    static final Duration BUDGET = Duration.ofMillis(1500);
    static final Duration CACHE = Duration.ofSeconds(5);
    /** The query parameter (and its one value) that asks for readiness rather than writability. */
    public static final String PROBE = "probe";
    public static final String STANDBY = "standby";

    private final IdempotencyStore store;
    private final PaymentDatabase database;
    private final PaymentDatabase reader;
    private final String region;
    private final RegionRole role;
    private final Clock clock;
    private final Duration cache;
    private final Cached strict = new Cached();
    private final Cached standby = new Cached();

    /** One question's answer and until when it is reused. */
    private static final class Cached {
        private ApiResponse answer;
        private Instant until = Instant.MIN;
    }

    /**
     * @param database the writer endpoint's connection (payments use the same)
     * @param reader   the reader endpoint's connection, for the readiness probe
     * @param cache    how long an answer is reused ({@link #CACHE} when deployed)
     */
    public HealthService(IdempotencyStore store, PaymentDatabase database, PaymentDatabase reader, String region,
            RegionRole role, Clock clock, Duration cache) {
        this.cache = cache;
        this.store = store;
        this.database = database;
        this.reader = reader;
        this.region = region;
        this.role = role;
        this.clock = clock;
    }

    /** {@code standby}: the readiness question ({@code ?probe=standby}), answered and cached on its own. */
    public synchronized ApiResponse check(Deadline deadline, boolean standby) {
        Cached cached = standby ? this.standby : strict;
        Instant now = clock.instant();
        if (!now.isBefore(cached.until)) {
            Deadline bounded = deadline.within(BUDGET);
            cached.answer = standby ? evaluateStandby(bounded) : evaluate(bounded);
            cached.until = now.plus(cache);
        }
        return cached.answer;
    }

    /** Whether the idempotency table answers; records the check's result in {@code checks}. */
    private boolean tableReachable(JsonObject checks, Deadline deadline) {
        try {
            store.probe(deadline);
        } catch (SdkException e) {
            Log.warn("health_check_failed", "check", "idempotency_table", "error", e.getClass().getName());
            return false;
        }
        checks.addProperty("idempotency_table", "pass");
        return true;
    }

    private ApiResponse evaluateStandby(Deadline deadline) {
        JsonObject checks = new JsonObject();
        if (!tableReachable(checks, deadline)) {
            return failed(checks, "idempotency_table", "idempotency table unreachable", null);
        }
        Status status;
        try {
            status = reader.status(deadline);
        } catch (DatabaseException e) {
            Log.warn("health_check_failed", "check", "database_reader", "error", e.getMessage());
            return failed(checks, "database_reader", "database reader endpoint unreachable", null);
        }
        checks.addProperty("database_reader", "pass");
        checks.addProperty("schema_version", Integer.toString(status.schemaVersion()));
        JsonObject body = base(STANDBY, status.writable() ? "writer" : "reader");
        body.add("checks", checks);
        body.addProperty("message", "ready to take over once the database is promoted");
        return ApiResponse.json(200, body);
    }

    private ApiResponse evaluate(Deadline deadline) {
        JsonObject checks = new JsonObject();
        if (!tableReachable(checks, deadline)) {
            return failed(checks, "idempotency_table", "idempotency table unreachable", null);
        }
        Status status;
        try {
            status = database.status(deadline);
        } catch (DatabaseException e) {
            Log.warn("health_check_failed", "check", "database_connection", "error", e.getMessage());
            return failed(checks, "database_connection", "database unreachable", null);
        }
        checks.addProperty("database_connection", "pass");
        // Informational: the first write in a writable region brings the schema up to date.
        checks.addProperty("schema_version", Integer.toString(status.schemaVersion()));
        if (!status.writable()) {
            return failed(checks, "database_writable", "database is read-only", "reader");
        }
        checks.addProperty("database_writable", "pass");
        JsonObject body = base("ok", "writer");
        body.add("checks", checks);
        return ApiResponse.json(200, body);
    }

    private ApiResponse failed(JsonObject passed, String check, String message, String databaseRole) {
        JsonObject body = base("unavailable", databaseRole);
        passed.addProperty(check, "fail");
        body.add("checks", passed);
        body.addProperty("failed_check", check);
        body.addProperty("message", message);
        return ApiResponse.json(503, body);
    }

    private JsonObject base(String status, String databaseRole) {
        JsonObject body = new JsonObject();
        body.addProperty("status", status);
        body.addProperty("region", region);
        body.addProperty("role", role.label());
        if (databaseRole != null) {
            body.addProperty("database_role", databaseRole);
        }
        return body;
    }
}
