package com.payments.dr.function;

import com.google.gson.JsonObject;
import com.payments.dr.function.FunctionConfig.RegionRole;
import com.payments.dr.function.PaymentDatabase.DatabaseException;
import com.payments.dr.function.PaymentDatabase.Status;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * GET /health, called by the Route 53 health check: 200 only when this region can take a payment
 * end to end (idempotency table reachable, database reachable and writable, schema migrated).
 */
public final class HealthService {

    private final IdempotencyStore store;
    private final PaymentDatabase database;
    private final String region;
    private final RegionRole role;

    public HealthService(IdempotencyStore store, PaymentDatabase database, String region,
            RegionRole role) {
        this.store = store;
        this.database = database;
        this.region = region;
        this.role = role;
    }

    public ApiResponse check() {
        JsonObject checks = new JsonObject();
        try {
            store.probe();
        } catch (SdkException e) {
            return failed(checks, "idempotency_table", "DynamoDB table unreachable: "
                    + e.getClass().getSimpleName());
        }
        checks.addProperty("idempotency_table", "pass");
        Status status;
        try {
            status = database.status();
        } catch (DatabaseException e) {
            return failed(checks, "database_connection", "database unreachable: " + e.getMessage());
        }
        checks.addProperty("database_connection", "pass");
        if (!status.writable()) {
            return failed(checks, "database_writable",
                    "database is read-only (an Aurora global secondary or a standby)");
        }
        checks.addProperty("database_writable", "pass");
        // Informational: a writable database has just been migrated to at least this function's level.
        checks.addProperty("schema_version", Integer.toString(status.schemaVersion()));
        JsonObject body = base("ok");
        body.add("checks", checks);
        return ApiResponse.json(200, body);
    }

    private ApiResponse failed(JsonObject passed, String check, String message) {
        JsonObject body = base("unavailable");
        passed.addProperty(check, "fail");
        body.add("checks", passed);
        body.addProperty("failed_check", check);
        body.addProperty("message", message);
        return ApiResponse.json(503, body);
    }

    private JsonObject base(String status) {
        JsonObject body = new JsonObject();
        body.addProperty("status", status);
        body.addProperty("region", region);
        body.addProperty("role", role.label());
        return body;
    }
}
