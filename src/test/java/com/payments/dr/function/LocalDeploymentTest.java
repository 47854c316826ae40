package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.payments.dr.events.TestS3Server;
import com.payments.dr.ops.DeploymentOutputs;
import com.payments.dr.postdeploy.AwsClients;
import com.payments.dr.postdeploy.PostDeployChecks;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The post-deploy suite's checks against a local stand-in of a deployment, through the same SDK
 * calls and HTTP requests as against AWS: both regions' payment functions (the real handler, each
 * on its own database of the test PostgreSQL server, the DR one read-only like a secondary cluster)
 * behind a loopback server that does what API Gateway does for them (the stage path; on POST
 * /payments the API key, looked up by its value among the region's keys, refused when unknown, its
 * id passed on in {@code requestContext.identity.apiKeyId}; GetApiKey with includeValue), the
 * idempotency table in two DynamoDB Local regions, and two buckets on S3Proxy. As the stack builds
 * it, every merchant key has one value in both regions and a key id of its own in each. The test
 * replicates table records and objects itself, so it can also stop doing so: each check must fail
 * on the broken deployment, not only pass on the working one.
 */
class LocalDeploymentTest {

    private static final String TABLE = "dynamodb-payment-state-local";
    private static final String PRIMARY_BUCKET = "s3-payments-123456789012-primary-local";
    private static final String DR_BUCKET = "s3-payments-123456789012-dr-local";
    /** Each merchant key's one value (MerchantKeySecrets), the same in both regions. */
    private static final Map<String, String> VALUES = Map.of(
            "smoke-test", "SmokeTestKeyValue0000000000000000000001",
            "acme", "AcmeKeyValue000000000000000000000000001",
            "globex", "GlobexKeyValue0000000000000000000000001");
    /** The key ids API Gateway made in each region (MerchantApiKeys): different per region. */
    private static final Map<String, Map<String, String>> KEY_IDS = Map.of(
            "primary", Map.of("smoke-test", "prkey12345", "acme", "prkeyacme1", "globex", "prkeyglob1"),
            "dr", Map.of("smoke-test", "drkey12345", "acme", "drkeyacme1", "globex", "drkeyglob1"));

    private static TestS3Server s3Server;
    private static HttpServer gateway;
    private static AwsClients aws;
    private static PaymentHandler primary;
    private static PaymentHandler dr;
    private static PaymentHandler drPromoted;
    private static final List<AutoCloseable> OPENED = new java.util.ArrayList<>();
    /** What the loopback gateway routes each region's stage to (a test may misroute it). */
    private static final Map<String, PaymentHandler> ROUTES = new HashMap<>();
    private static final AtomicBoolean DROP_IDEMPOTENCY_KEY = new AtomicBoolean();
    /** A DR region whose keys got values of their own (API Gateway generating them): what the stack prevents. */
    private static final AtomicBoolean OWN_DR_VALUES = new AtomicBoolean();

    private final AtomicBoolean replicating = new AtomicBoolean(true);
    private Thread replicator;

    @TempDir
    Path dir;

    @BeforeAll
    static void deployment() throws Exception {
        TestPostgres pg = TestPostgres.shared();
        pg.createDatabase("postdeploy_primary");
        pg.createDatabase("postdeploy_dr");
        pg.createDatabase("postdeploy_dr_promoted");
        FunctionConfig primaryConfig = Fixtures.localConfig(TABLE, "postdeploy_primary",
                "MERCHANT_KEYS", merchantKeys("primary"));
        FunctionConfig drConfig = drConfig("postdeploy_dr");
        Fixtures.migrate(primaryConfig);
        Fixtures.migrate(drConfig);
        pg.makeReadOnly("postdeploy_dr");
        // the DR region after its promotion: its database takes writes
        FunctionConfig promotedConfig = drConfig("postdeploy_dr_promoted");
        Fixtures.migrate(promotedConfig);

        s3Server = new TestS3Server();
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/", LocalDeploymentTest::serve);
        gateway.start();
        URI gatewayUri = URI.create("http://127.0.0.1:" + gateway.getAddress().getPort());
        aws = clients(gatewayUri);
        // DynamoDB Local keeps a database per credentials and region: the global table's two replicas
        for (String region : List.of("us-east-1", "us-east-2")) {
            try (DynamoDbClient dynamo = aws.dynamo(region)) {
                dynamo.createTable(b -> b.tableName(TABLE).billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                        .keySchema(k -> k.attributeName("pk").keyType("HASH")));
            }
        }
        try (S3Client s3 = s3()) {
            s3.createBucket(b -> b.bucket(PRIMARY_BUCKET));
            s3.createBucket(b -> b.bucket(DR_BUCKET));
        }
        primary = handler(primaryConfig);
        dr = handler(drConfig);
        drPromoted = handler(promotedConfig);
        // warm, as a deployed function is after its first request: the first SDK call of a JVM
        // loads and initializes the client, which on a busy machine alone can spend a request's budget
        for (PaymentHandler handler : List.of(primary, dr, drPromoted)) {
            handler.handle(Fixtures.event("GET", "/health", Map.of(), null));
        }
    }

    /** The DR region's function on {@code database}, with the DR region's key ids. */
    private static FunctionConfig drConfig(String database) {
        return Fixtures.localConfig(TABLE, database, "REGION_ROLE", "dr", "AWS_REGION", "us-east-2",
                "MERCHANT_KEYS", merchantKeys("dr"));
    }

    /** MERCHANT_KEYS as the stack sets it in {@code region}: that region's key ids. */
    private static String merchantKeys(String region) {
        JsonObject keys = new JsonObject();
        KEY_IDS.get(region).forEach((merchant, id) -> keys.addProperty(id, merchant));
        return keys.toString();
    }

    private static PaymentHandler handler(FunctionConfig config) {
        DynamoDbClient client = TestDynamo.shared().functionClient(config);
        PaymentHandler handler = new PaymentHandler(new FunctionRuntime(config, client, Fixtures.appCredentials(),
                java.time.Clock.systemUTC()));
        OPENED.add(handler);
        OPENED.add(client);
        return handler;
    }

    /**
     * The local servers: DynamoDB Local under the function's credentials (it keeps one database per
     * access key and region), S3Proxy under its own (it checks signatures), the loopback gateway.
     */
    private static AwsClients clients(URI gatewayUri) {
        AwsCredentialsProvider local = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        return AwsClients.local(Map.of(
                "dynamodb", new AwsClients.Endpoint(TestDynamo.shared().endpoint(), local),
                "s3", new AwsClients.Endpoint(s3Server.endpoint(), StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestS3Server.ACCESS_KEY, TestS3Server.SECRET_KEY))),
                "apigateway", new AwsClients.Endpoint(gatewayUri, local)));
    }

    private static S3Client s3() {
        return aws.s3("us-east-1");
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.stop(0);
        s3Server.close();
        for (AutoCloseable resource : OPENED) {
            resource.close();
        }
    }

    @BeforeEach
    void routesAndReplication() {
        ROUTES.put("primary", primary);
        ROUTES.put("dr", dr);
        DROP_IDEMPOTENCY_KEY.set(false);
        OWN_DR_VALUES.set(false);
        replicator = new Thread(this::replicate, "local-replication");
        replicator.setDaemon(true);
        replicator.start();
    }

    @AfterEach
    void stopReplication() throws InterruptedException {
        replicator.interrupt();
        replicator.join();
    }

    /** Held for each replication pass: {@link #pauseReplication} waits for the one in flight. */
    private final Object replicationPass = new Object();

    /**
     * Stops replicating, once the pass in flight (if any) is over: a pass that had read an item
     * before the pause must not write it into the DR region after the test removed it there.
     */
    private void pauseReplication() {
        replicating.set(false);
        synchronized (replicationPass) {
            // nothing: entering means no pass is running, and later passes see the flag
        }
    }

    /** What the global table and the bucket replication do, every 200 ms while {@link #replicating}. */
    private void replicate() {
        try (DynamoDbClient from = aws.dynamo("us-east-1"); DynamoDbClient to = aws.dynamo("us-east-2"); S3Client s3 = s3()) {
            while (!Thread.currentThread().isInterrupted()) {
                synchronized (replicationPass) {
                    if (replicating.get()) {
                        from.scan(b -> b.tableName(TABLE)).items().forEach(item -> to.putItem(b -> b.tableName(TABLE).item(item)));
                        for (S3Object object : s3.listObjectsV2(b -> b.bucket(PRIMARY_BUCKET)).contents()) {
                            s3.copyObject(b -> b.sourceBucket(PRIMARY_BUCKET).sourceKey(object.key())
                                    .destinationBucket(DR_BUCKET).destinationKey(object.key()));
                        }
                    }
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException | software.amazon.awssdk.core.exception.AbortedException e) {
            // the test is over: an SDK call interrupted mid-flight ends the same way
            Thread.currentThread().interrupt();
        }
    }

    /** API Gateway's part: stage path, API key on POST /payments, the proxy event, GetApiKey. */
    private static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.split("/", 4);
        int status;
        String body;
        Map<String, String> headers = new HashMap<>();
        if (parts.length == 3 && parts[1].equals("apikeys") && exchange.getRequestMethod().equals("GET")) {
            String merchant = merchantOfKeyId(parts[2]);
            JsonObject key = new JsonObject();
            key.addProperty("id", parts[2]);
            key.addProperty("enabled", true);
            if (merchant != null && "includeValue=true".equals(exchange.getRequestURI().getQuery())) {
                boolean dr = KEY_IDS.get("dr").containsValue(parts[2]);
                key.addProperty("value", dr && OWN_DR_VALUES.get() ? "DrOwnValue" + VALUES.get(merchant) : VALUES.get(merchant));
            }
            status = merchant != null ? 200 : 404;
            body = key.toString();
        } else if (parts.length == 4 && ROUTES.containsKey(parts[1]) && parts[2].equals("v1-local")) {
            String resource = "/" + parts[3];
            // API Gateway finds the key by its value among this region's keys and passes on its id
            String apiKeyId = keyIdOfValue(parts[1], exchange.getRequestHeaders().getFirst("x-api-key"));
            if (resource.equals("/payments") && apiKeyId == null) {
                status = 403;
                body = "{\"error\": \"invalid_api_key\", \"message\": \"Forbidden\"}";
            } else {
                Map<String, String> eventHeaders = new HashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> eventHeaders.put(name, values.get(0)));
                if (DROP_IDEMPOTENCY_KEY.get()) {
                    eventHeaders.remove("Idempotency-key");
                }
                String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                JsonObject event = com.google.gson.JsonParser.parseString(Fixtures.event(exchange.getRequestMethod(),
                        resource, eventHeaders, requestBody.isEmpty() ? null : requestBody,
                        resource.equals("/payments") ? apiKeyId : null)).getAsJsonObject();
                // the proxy event's queryStringParameters: one value per name (the last), absent without a query
                String query = exchange.getRequestURI().getQuery();
                if (query != null) {
                    JsonObject parameters = new JsonObject();
                    for (String pair : query.split("&")) {
                        String[] nameValue = pair.split("=", 2);
                        parameters.addProperty(nameValue[0], nameValue.length == 2 ? nameValue[1] : "");
                    }
                    event.add("queryStringParameters", parameters);
                }
                ApiResponse response = ROUTES.get(parts[1]).handle(event.toString());
                status = response.statusCode();
                body = response.body();
                headers.putAll(response.headers());
            }
        } else {
            status = 404;
            body = "{\"message\":\"Not Found\"}";
        }
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The merchant whose key has this id in either region, or {@code null}. */
    private static String merchantOfKeyId(String id) {
        for (Map<String, String> ids : KEY_IDS.values()) {
            for (Map.Entry<String, String> e : ids.entrySet()) {
                if (e.getValue().equals(id)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /** The id of the key with this value in {@code region} (the gateway's own keys), or {@code null}. */
    private static String keyIdOfValue(String region, String value) {
        for (Map.Entry<String, String> e : VALUES.entrySet()) {
            if (e.getValue().equals(value)) {
                return KEY_IDS.get(region).get(e.getKey());
            }
        }
        return null;
    }

    private PostDeployChecks checks(Duration bound) throws IOException {
        String base = "http://127.0.0.1:" + gateway.getAddress().getPort();
        JsonObject stack = new JsonObject();
        Map<String, String> values = Map.ofEntries(
                Map.entry("primary_api_invoke_url", base + "/primary/v1-local"),
                Map.entry("dr_api_invoke_url", base + "/dr/v1-local"),
                Map.entry("primary_api_health_url", base + "/primary/v1-local/health"),
                Map.entry("dr_api_health_url", base + "/dr/v1-local/health"),
                Map.entry("merchant_api_keys", merchantApiKeysOutput()),
                Map.entry("state_table_name", TABLE),
                Map.entry("primary_bucket_name", PRIMARY_BUCKET),
                Map.entry("dr_bucket_name", DR_BUCKET),
                Map.entry("primary_alerts_topic_arn", "arn:aws:sns:us-east-1:123456789012:sns-alerts-local"),
                Map.entry("dr_alerts_topic_arn", "arn:aws:sns:us-east-2:123456789012:sns-alerts-local"));
        values.forEach(stack::addProperty);
        JsonObject file = new JsonObject();
        file.add("payments-dr", stack);
        Path outputs = dir.resolve("outputs.json");
        Files.writeString(outputs, file.toString());
        return new PostDeployChecks(DeploymentOutputs.read(outputs), aws, bound, bound, bound, Duration.ofMillis(100));
    }

    /** Output merchant_api_keys as the stack writes it (DrStack): each key's ids, never its value. */
    private static String merchantApiKeysOutput() {
        JsonObject keys = new JsonObject();
        for (String merchant : VALUES.keySet()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("merchant", merchant);
            entry.addProperty("generation", 1);
            entry.addProperty("secret_arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:secret-merchant-key-"
                    + merchant + "-1-local-AbCdEf");
            entry.addProperty("primary_key_id", KEY_IDS.get("primary").get(merchant));
            entry.addProperty("dr_key_id", KEY_IDS.get("dr").get(merchant));
            keys.add(merchant + ":1", entry);
        }
        return keys.toString();
    }

    private static java.net.http.HttpResponse<String> post(String region, String apiKey, String idempotencyKey,
                                                           String body) throws IOException, InterruptedException {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + gateway.getAddress().getPort() + "/" + region + "/v1-local/payments"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return HTTP.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private static long rows(String database, String merchant, String idempotencyKey) throws java.sql.SQLException {
        try (java.sql.Connection c = TestPostgres.shared().admin(database);
                java.sql.PreparedStatement s = c.prepareStatement("SELECT count(*) FROM payments WHERE idempotency_key = ?")) {
            s.setString(1, merchant + "/" + idempotencyKey);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * A merchant's one key, as its server holds it, is accepted in the primary region (201), in the
     * passive DR region (503 region_read_only: accepted, only not writable, never 403) and in the
     * DR region once promoted (201): each region's API Gateway knows the key under an id of its
     * own, and each region's function maps that id to the merchant, which the payment is for.
     */
    @Test
    void oneClientKeyIsAcceptedInBothRegionsForItsMerchant() throws Exception {
        String key = VALUES.get("acme");
        String body = "{\"amount\": \"4.20\", \"currency\": \"USD\"}";
        java.net.http.HttpResponse<String> primaryAnswer = post("primary", key, "local-both-1", body);
        assertEquals(201, primaryAnswer.statusCode(), primaryAnswer.body());
        JsonObject created = com.google.gson.JsonParser.parseString(primaryAnswer.body()).getAsJsonObject();
        assertEquals("acme", created.get("merchant_id").getAsString());
        assertEquals("us-east-1", created.get("region").getAsString());

        java.net.http.HttpResponse<String> passive = post("dr", key, "local-both-2", body);
        assertEquals(503, passive.statusCode(), passive.body());
        assertEquals("region_read_only", com.google.gson.JsonParser.parseString(passive.body()).getAsJsonObject()
                .get("error").getAsString());

        ROUTES.put("dr", drPromoted);
        java.net.http.HttpResponse<String> promoted = post("dr", key, "local-both-3", body);
        assertEquals(201, promoted.statusCode(), promoted.body());
        JsonObject drCreated = com.google.gson.JsonParser.parseString(promoted.body()).getAsJsonObject();
        assertEquals("acme", drCreated.get("merchant_id").getAsString());
        assertEquals("us-east-2", drCreated.get("region").getAsString());
        assertEquals(1, rows("postdeploy_primary", "acme", "local-both-1"));
        assertEquals(1, rows("postdeploy_dr_promoted", "acme", "local-both-3"));

        // the suite's own check: one value per key in both regions' API Gateway, ids of their own
        assertEquals(VALUES.size(), checks(Duration.ofSeconds(1)).everyMerchantKeyHasOneValueInBothRegions());
    }

    @Test
    void keysWithAnotherValueInTheDrRegionFailTheKeyCheckWithoutPrintingAValue() throws IOException {
        OWN_DR_VALUES.set(true);
        AssertionError e = assertThrows(AssertionError.class, () -> checks(Duration.ofSeconds(1))
                .everyMerchantKeyHasOneValueInBothRegions());
        assertTrue(e.getMessage().contains("has another value in us-east-2 than in us-east-1"), e.getMessage());
        VALUES.values().forEach(value -> assertFalse(e.getMessage().contains(value), "a key's value in a failure"));
    }

    /**
     * Merchant A's key cannot pay for merchant B, in either region: a body naming B is refused with
     * 403 merchant_mismatch and nothing is stored for either; an unknown key is refused by the
     * gateway; a body naming the key's own merchant (or none) pays for it.
     */
    @Test
    void aKeyOfOneMerchantCannotCreateAPaymentForAnother() throws Exception {
        ROUTES.put("dr", drPromoted);
        for (String region : List.of("primary", "dr")) {
            String database = region.equals("primary") ? "postdeploy_primary" : "postdeploy_dr_promoted";
            String idempotencyKey = "local-other-" + region;
            java.net.http.HttpResponse<String> refused = post(region, VALUES.get("acme"), idempotencyKey,
                    "{\"amount\": \"9.99\", \"currency\": \"USD\", \"merchant_id\": \"globex\"}");
            assertEquals(403, refused.statusCode(), refused.body());
            JsonObject error = com.google.gson.JsonParser.parseString(refused.body()).getAsJsonObject();
            assertEquals("merchant_mismatch", error.get("error").getAsString());
            assertTrue(error.get("message").getAsString().contains("acts for merchant acme"), refused.body());
            assertEquals(0, rows(database, "globex", idempotencyKey));
            assertEquals(0, rows(database, "acme", idempotencyKey));
            java.net.http.HttpResponse<String> unknown = post(region, "NotAKeyOfThisApi00000000000001", idempotencyKey,
                    "{\"amount\": \"9.99\", \"currency\": \"USD\"}");
            assertEquals(403, unknown.statusCode(), unknown.body());
            assertEquals(403, post(region, null, idempotencyKey, "{\"amount\": \"9.99\", \"currency\": \"USD\"}")
                    .statusCode());
            // globex's own key pays for globex
            java.net.http.HttpResponse<String> own = post(region, VALUES.get("globex"), idempotencyKey,
                    "{\"amount\": \"9.99\", \"currency\": \"USD\", \"merchant_id\": \"globex\"}");
            assertEquals(201, own.statusCode(), own.body());
            assertEquals(1, rows(database, "globex", idempotencyKey));
        }
    }

    @Test
    void aWorkingDeploymentPassesThePaymentAndReplicaChecks() throws IOException {
        PostDeployChecks checks = checks(Duration.ofSeconds(20));
        PostDeployChecks.Payment payment = checks.primaryTakesAPaymentOnceAndReplaysIt();
        assertTrue(payment.partitionKey().startsWith("IDEMPOTENCY#smoke-test/post-deploy-"), payment.toString());
        assertTrue(checks.recordReachesTheDrReplica(payment).compareTo(Duration.ofSeconds(20)) < 0);
    }

    @Test
    void aRecordThatNeverReachesTheReplicaFailsWithinTheBound() throws IOException {
        PostDeployChecks checks = checks(Duration.ofSeconds(1));
        PostDeployChecks.Payment payment = checks.primaryTakesAPaymentOnceAndReplaysIt();
        pauseReplication();
        try (DynamoDbClient drTable = aws.dynamo("us-east-2")) {
            // as a replica that has not caught up: the record is gone from the DR region's copy
            drTable.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(payment.partitionKey()))));
        }
        long start = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> checks.recordReachesTheDrReplica(payment));
        assertTrue(e.getMessage().contains("completed in the DR replica (us-east-2) not there within 1 s"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void anApiThatLosesTheIdempotencyKeyFailsThePaymentCheck() throws IOException {
        DROP_IDEMPOTENCY_KEY.set(true);
        AssertionError e = assertThrows(AssertionError.class, () -> checks(Duration.ofSeconds(1))
                .primaryTakesAPaymentOnceAndReplaysIt());
        assertTrue(e.getMessage().startsWith("primary POST /payments: "), e.getMessage());
    }

    @Test
    void anObjectReachesTheDrBucketAndBothCopiesAreRemoved() throws Exception {
        assertTrue(checks(Duration.ofSeconds(20)).objectReachesTheDrBucket().compareTo(Duration.ofSeconds(20)) < 0);
        pauseReplication();
        try (S3Client s3 = s3()) {
            assertEquals(List.of(), s3.listObjectsV2(b -> b.bucket(PRIMARY_BUCKET)).contents());
            assertEquals(List.of(), s3.listObjectsV2(b -> b.bucket(DR_BUCKET)).contents());
        }
    }

    @Test
    void anObjectThatIsNotReplicatedFailsTheBucketCheckAndIsRemoved() throws IOException {
        pauseReplication();
        AssertionError e = assertThrows(AssertionError.class, () -> checks(Duration.ofSeconds(1)).objectReachesTheDrBucket());
        assertTrue(e.getMessage().contains("in the DR bucket " + DR_BUCKET + " not there within 1 s"), e.getMessage());
        try (S3Client s3 = s3()) {
            assertEquals(List.of(), s3.listObjectsV2(b -> b.bucket(PRIMARY_BUCKET)).contents());
        }
    }

    @Test
    void theReadOnlyDrRegionRefusesPaymentsAndThePrimaryIsHealthy() throws IOException {
        checks(Duration.ofSeconds(1)).drRefusesPaymentsWhileNotWritable();
    }

    @Test
    void aDrStageThatTakesPaymentsFailsTheDrCheck() throws IOException {
        ROUTES.put("dr", primary);
        AssertionError e = assertThrows(AssertionError.class, () -> checks(Duration.ofSeconds(1))
                .drRefusesPaymentsWhileNotWritable());
        assertTrue(e.getMessage().startsWith("DR POST /payments: "), e.getMessage());
    }

    @Test
    void aPrimaryStageServedByTheReadOnlyRegionFailsThePaymentCheck() throws IOException {
        ROUTES.put("primary", dr);
        AssertionError e = assertThrows(AssertionError.class, () -> checks(Duration.ofSeconds(1))
                .primaryTakesAPaymentOnceAndReplaysIt());
        // the DR region's function knows its own region's key ids only: the primary's is no key of its
        assertTrue(e.getMessage().contains("unknown_api_key"), e.getMessage());
    }
}
