package com.payments.dr.function;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.HashMap;
import java.util.Map;

/** Environments, events and parsed responses shared by the function tests. */
final class Fixtures {

    static final String ORIGIN = "https://pay.example.test";
    static final String SECRET_ARN =
            "arn:aws:secretsmanager:us-west-2:123456789012:secret:payments/db-AbCdEf";

    private Fixtures() {
    }

    /** A complete, valid environment as the stack sets it. */
    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("REGION_ROLE", "primary");
        env.put("AWS_REGION", "us-east-1");
        env.put("IDEMPOTENCY_TABLE", "payments-idempotency");
        env.put("DB_SECRET_ARN", SECRET_ARN);
        env.put("DB_HOST", "payments.cluster-abc.us-east-1.rds.amazonaws.com");
        env.put("DB_NAME", "payments");
        env.put("ALLOWED_ORIGIN", ORIGIN);
        return env;
    }

    static Map<String, String> env(String... overrides) {
        Map<String, String> env = env();
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                env.remove(overrides[i]);
            } else {
                env.put(overrides[i], overrides[i + 1]);
            }
        }
        return env;
    }

    static FunctionConfig config(String... overrides) {
        return FunctionConfig.fromEnvironment(env(overrides));
    }

    /** Configuration pointing at the shared test PostgreSQL server. */
    static FunctionConfig localConfig(String table, String database, String... overrides) {
        Map<String, String> env = env("IDEMPOTENCY_TABLE", table, "DB_HOST", "127.0.0.1",
                "DB_PORT", Integer.toString(TestPostgres.shared().port()), "DB_NAME", database);
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return FunctionConfig.fromEnvironment(env);
    }

    static DbCredentials.Provider appCredentials() {
        return fixedCredentials(TestPostgres.APP_USER, TestPostgres.APP_PASSWORD);
    }

    static DbCredentials.Provider fixedCredentials(String user, String password) {
        return new DbCredentials.Provider() {
            @Override
            public DbCredentials current() {
                return new DbCredentials(user, password);
            }

            @Override
            public void invalidate() {
                // Fixed credentials: nothing cached.
            }
        };
    }

    static String paymentBody(String amount, String currency, String merchant) {
        return "{\"amount\":" + amount + ",\"currency\":\"" + currency + "\",\"merchant_id\":\""
                + merchant + "\"}";
    }

    /** A REST proxy event as API Gateway sends it. */
    static String event(String method, String path, Map<String, String> headers, String body) {
        JsonObject event = new JsonObject();
        event.addProperty("resource", path);
        event.addProperty("path", path);
        event.addProperty("httpMethod", method);
        JsonObject h = new JsonObject();
        headers.forEach(h::addProperty);
        event.add("headers", h);
        event.addProperty("body", body);
        event.addProperty("isBase64Encoded", false);
        JsonObject context = new JsonObject();
        context.addProperty("stage", "prod");
        event.add("requestContext", context);
        return event.toString();
    }

    static String postPayment(String key, String body) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        return event("POST", "/payments", headers, body);
    }

    static JsonObject body(ApiResponse response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }
}
