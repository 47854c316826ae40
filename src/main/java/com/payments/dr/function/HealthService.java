package com.payments.dr.function;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.function.FunctionConfig.RegionRole;
import com.payments.dr.function.PaymentDatabase.DatabaseException;
import com.payments.dr.function.PaymentDatabase.Status;
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
 * could this region take over once its database is promoted? 200 ({@code "status": "standby"}) as
 * well for a reachable read-only database, 503 only for an unreachable table or database. The DR
 * region answers it 200 every day, so its readiness can alarm, while plain {@code /health} (what
 * the failover record follows) stays 503 there until the promotion.
 */
public final class HealthService {

    static final Duration BUDGET = Duration.ofMillis(1500);
    static final Duration CACHE = Duration.ofSeconds(5);
    /** The query parameter (and its one value) that asks for readiness rather than writability. */
    public static final String PROBE = "probe";
    public static final String STANDBY = "standby";

    private final IdempotencyStore store;
    private final PaymentDatabase database;
    private final String region;
    private final RegionRole role;
    private final Clock clock;
    private ApiResponse cached;
    private ApiResponse cachedStandby;
    private Instant cachedUntil = Instant.MIN;

    public HealthService(IdempotencyStore store, PaymentDatabase database, String region,
            RegionRole role, Clock clock) {
        this.store = store;
        this.database = database;
        this.region = region;
        this.role = role;
        this.clock = clock;
    }

    /** {@code standby}: the readiness question ({@code ?probe=standby}); one cached evaluation answers both. */
    public synchronized ApiResponse check(Deadline deadline, boolean standby) {
        Instant now = clock.instant();
        if (!now.isBefore(cachedUntil)) {
            cached = evaluate(deadline.within(BUDGET));
            cachedStandby = standby(cached);
            cachedUntil = now.plus(CACHE);
        }
        return standby ? cachedStandby : cached;
    }

    /** Ready to take over: the writable answer, or the read-only one turned into a 200. */
    private static ApiResponse standby(ApiResponse strict) {
        JsonObject body = JsonParser.parseString(strict.body()).getAsJsonObject();
        if (strict.statusCode() != 503 || !"database_writable".equals(body.get("failed_check").getAsString())) {
            return strict;
        }
        body.addProperty("status", STANDBY);
        body.remove("failed_check");
        body.addProperty("message", "ready to take over once the database is promoted (it is read-only now)");
        return ApiResponse.json(200, body);
    }

    private ApiResponse evaluate(Deadline deadline) {
        JsonObject checks = new JsonObject();
        try {
            store.probe(deadline);
        } catch (SdkException e) {
            return failed(checks, "idempotency_table", "DynamoDB table unreachable: "
                    + e.getClass().getSimpleName(), null);
        }
        checks.addProperty("idempotency_table", "pass");
        Status status;
        try {
            status = database.status(deadline);
        } catch (DatabaseException e) {
            return failed(checks, "database_connection", "database unreachable: " + e.getMessage(), null);
        }
        checks.addProperty("database_connection", "pass");
        // Informational: the first write in a writable region brings the schema up to date.
        checks.addProperty("schema_version", Integer.toString(status.schemaVersion()));
        if (!status.writable()) {
            return failed(checks, "database_writable",
                    "database is read-only (an Aurora global secondary or a standby)", "reader");
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
