package com.payments.dr.function;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Environments, events and parsed responses shared by the function tests. */
final class Fixtures {

    static final String ORIGIN = "https://pay.example.test";
    /** The merchants the tests pay as, each with an API key id of its own (MERCHANT_KEYS). */
    static final List<String> MERCHANTS = List.of("m", "m-1", "m-2", "n", "m-drill", "m-ack", "m-rec", "acme",
            "globex");
    /** Who pays when a body names no merchant. */
    static final String DEFAULT_MERCHANT = "m-1";

    private Fixtures() {
    }

    /** A complete, valid environment as the stack sets it. */
    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("REGION_ROLE", "primary");
        env.put("AWS_REGION", "us-east-1");
        env.put("IDEMPOTENCY_TABLE", "payments-idempotency");
        env.put("DB_HOST", "payments.cluster-abc.us-east-1.rds.amazonaws.com");
        env.put("DB_NAME", "payments");
        env.put("ALLOWED_ORIGIN", ORIGIN);
        env.put("MERCHANT_KEYS", merchantKeys());
        return env;
    }

    /**
     * The API key id API Gateway would pass for {@code merchant}'s key in these tests: made from the
     * name (letters and digits, as API Gateway's ids are).
     */
    static String keyIdOf(String merchant) {
        return "k" + java.util.HexFormat.of().formatHex(merchant.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** MERCHANT_KEYS for {@link #MERCHANTS}, each with {@link #keyIdOf}. */
    static String merchantKeys() {
        JsonObject keys = new JsonObject();
        MERCHANTS.forEach(merchant -> keys.addProperty(keyIdOf(merchant), merchant));
        return keys.toString();
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

    /** The application role's password in tests (in AWS it logs in with an IAM token). */
    static final String API_PASSWORD = "test-api-password";
    private static final Set<Integer> PREPARED = new HashSet<>();

    /** Configuration pointing at the shared test PostgreSQL server and DynamoDB Local. */
    static FunctionConfig localConfig(String table, String database, String... overrides) {
        return localConfig(TestPostgres.shared(), table, database, overrides);
    }

    /** Configuration pointing at {@code pg} and DynamoDB Local. */
    static FunctionConfig localConfig(TestPostgres pg, String table, String database, String... overrides) {
        prepareRoles(pg);
        Map<String, String> env = env("IDEMPOTENCY_TABLE", table, "DB_HOST", "127.0.0.1",
                "DB_PORT", Integer.toString(pg.port()), "DB_NAME", database,
                "AWS_ENDPOINT_URL_DYNAMODB", TestDynamo.shared().endpoint().toString());
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return FunctionConfig.fromEnvironment(env);
    }

    /**
     * The roles Aurora has and the function expects, once per server: {@code rds_iam}; the owner
     * (the test server's database owner, standing in for the master user) may create roles and grant
     * rds_iam; the application role exists with a password, since a local server cannot check IAM
     * tokens. Migration 3 then grants it exactly what it gets in AWS.
     */
    static synchronized void prepareRoles(TestPostgres pg) {
        if (!PREPARED.add(pg.port())) {
            return;
        }
        String api = FunctionConfig.DEFAULT_DB_USER;
        try (Connection c = pg.admin("postgres"); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN"
                    + " CREATE ROLE rds_iam; END IF; END $$");
            s.execute("ALTER ROLE " + TestPostgres.APP_USER + " CREATEROLE");
            s.execute("GRANT rds_iam TO " + TestPostgres.APP_USER + " WITH ADMIN OPTION");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + api + "') THEN"
                    + " CREATE ROLE " + api + " LOGIN PASSWORD '" + API_PASSWORD + "'; END IF; END $$");
            s.execute("GRANT " + api + " TO " + TestPostgres.APP_USER + " WITH ADMIN OPTION");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The application role (DML only), as the function logs in for payments. */
    static DbCredentials.Provider appCredentials() {
        return fixedCredentials(FunctionConfig.DEFAULT_DB_USER, API_PASSWORD);
    }

    /** Migrates {@code config}'s database as the deployment does: through the migrator, as the owner. */
    static com.google.gson.JsonObject migrate(FunctionConfig config) {
        return new MigrationHandler(config, ownerCredentials(), SchemaMigrator.MIGRATIONS).migrate();
    }

    /** The schema owner, as the migrator logs in. */
    static DbCredentials.Provider ownerCredentials() {
        return fixedCredentials(TestPostgres.APP_USER, TestPostgres.APP_PASSWORD);
    }

    /**
     * A migrator invocation's payload: {@code fields} plus the schema owner's credentials under
     * {@code owner}, as its invoker reads them from the master secret (the RDS secret format).
     */
    static String ownerPayload(com.google.gson.JsonObject fields) {
        com.google.gson.JsonObject owner = new com.google.gson.JsonObject();
        owner.addProperty("username", TestPostgres.APP_USER);
        owner.addProperty("password", TestPostgres.APP_PASSWORD);
        com.google.gson.JsonObject payload = fields.deepCopy();
        payload.add("owner", owner);
        return payload.toString();
    }

    /** A Lambda context with this much time left, as the runtime passes it. */
    static Context context(long remainingMillis) {
        return new Context() {
            public String getAwsRequestId() {
                return "lambda-request-1";
            }

            public String getLogGroupName() {
                return null;
            }

            public String getLogStreamName() {
                return null;
            }

            public String getFunctionName() {
                return "lambda-payment-test";
            }

            public String getFunctionVersion() {
                return "1";
            }

            public String getInvokedFunctionArn() {
                return null;
            }

            public CognitoIdentity getIdentity() {
                return null;
            }

            public ClientContext getClientContext() {
                return null;
            }

            public int getRemainingTimeInMillis() {
                return (int) remainingMillis;
            }

            public int getMemoryLimitInMB() {
                return 1024;
            }

            public LambdaLogger getLogger() {
                return null;
            }
        };
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

    /**
     * A REST proxy event as API Gateway sends it. A POST /payments carries the API key id of the
     * merchant its body names ({@link #DEFAULT_MERCHANT} when it names none): a client paying with
     * its own key. Tests of another key pass the id themselves.
     */
    static String event(String method, String path, Map<String, String> headers, String body) {
        return event(method, path, headers, body,
                "POST".equals(method) && "/payments".equals(path) ? keyIdOf(namedMerchant(body)) : null);
    }

    /** The merchant a body names, or {@link #DEFAULT_MERCHANT}. */
    static String namedMerchant(String body) {
        try {
            JsonObject json = JsonParser.parseString(body).getAsJsonObject();
            return json.has("merchant_id") && json.get("merchant_id").isJsonPrimitive()
                    ? json.get("merchant_id").getAsString() : DEFAULT_MERCHANT;
        } catch (RuntimeException e) {
            return DEFAULT_MERCHANT;
        }
    }

    /** A REST proxy event authenticated with the API key {@code apiKeyId} ({@code null}: none). */
    static String event(String method, String path, Map<String, String> headers, String body, String apiKeyId) {
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
        context.addProperty("requestId", "api-request-1");
        if (apiKeyId != null) {
            JsonObject identity = new JsonObject();
            identity.addProperty("apiKeyId", apiKeyId);
            context.add("identity", identity);
        }
        event.add("requestContext", context);
        return event.toString();
    }

    static String postPayment(String key, String body) {
        return postPayment(key, body, keyIdOf(namedMerchant(body)));
    }

    /** A POST /payments authenticated with the API key {@code apiKeyId}, whatever the body names. */
    static String postPayment(String key, String body, String apiKeyId) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        return event("POST", "/payments", headers, body, apiKeyId);
    }

    static JsonObject body(ApiResponse response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }
}
