package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The whole function, event in and response out, against DynamoDB Local and a real PostgreSQL
 * server: the behaviour API Gateway clients and the Route 53 health check see.
 */
class PaymentFlowTest {

    private static final String TABLE = "payment-flow-test";
    private static final String DB = "payments_flow";
    private static final String DB_READ_ONLY = "payments_flow_ro";
    private static TestPostgres pg;
    private static TestDynamo dynamo;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final FaultyDynamo faultyDynamo = new FaultyDynamo(TestDynamo.shared().client());

    @BeforeAll
    static void engines() throws SQLException {
        pg = TestPostgres.shared();
        dynamo = TestDynamo.shared();
        dynamo.createTable(TABLE);
        pg.createDatabase(DB);
        pg.createDatabase(DB_READ_ONLY);
        // The DR cluster holds the replicated schema but refuses writes, like an Aurora secondary.
        try (Connection c = pg.connect(DB_READ_ONLY, TestPostgres.APP_USER, TestPostgres.APP_PASSWORD)) {
            SchemaMigrator.migrate(c, SchemaMigrator.MIGRATIONS);
        }
        pg.makeReadOnly(DB_READ_ONLY);
    }

    /** One Lambda container: its own database connection, sharing the table and the clock. */
    private PaymentHandler container(String database, String... env) {
        return new PaymentHandler(new FunctionRuntime(Fixtures.localConfig(TABLE, database, env),
                faultyDynamo, Fixtures.appCredentials(), clock));
    }

    private PaymentHandler primary() {
        return container(DB);
    }

    private static ApiResponse post(PaymentHandler handler, String key, String body) {
        return handler.handle(Fixtures.postPayment(key, body));
    }

    private static String key() {
        return "flow-" + UUID.randomUUID();
    }

    private static long rows(String key) throws SQLException {
        try (Connection c = pg.admin(DB); Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery(
                          "SELECT count(*) FROM payments WHERE idempotency_key = '" + key + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, AttributeValue> record(String key) {
        return dynamo.client().getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("IDEMPOTENCY#" + key)))).item();
    }

    @Test
    void acceptsAPaymentStoresItOnceAndRecordsTheResponse() throws Exception {
        String key = key();
        ApiResponse response = post(primary(), key,
                "{\"amount\":\"12.34\",\"currency\":\"EUR\",\"merchant_id\":\"m-1\",\"description\":\"x\"}");
        assertEquals(201, response.statusCode());
        JsonObject body = Fixtures.body(response);
        assertEquals(UUID.fromString(body.get("payment_id").getAsString()).toString(),
                body.get("payment_id").getAsString());
        assertEquals("ACCEPTED", body.get("status").getAsString());
        assertEquals("us-east-1", body.get("region").getAsString());
        assertEquals("12.34", body.get("amount").getAsString());
        assertEquals(Fixtures.ORIGIN, response.headers().get("Access-Control-Allow-Origin"));
        assertEquals(1, rows(key));
        Map<String, AttributeValue> record = record(key);
        assertEquals("COMPLETED", record.get("status").s());
        assertEquals("201", record.get("response_status").n());
        assertEquals(response.body(), record.get("response_body").s());
    }

    @Test
    void aReplayReturnsTheOriginalResultEvenFromTheOtherRegion() throws Exception {
        String key = key();
        ApiResponse first = post(primary(), key, "{\"amount\":10.5,\"currency\":\"USD\","
                + "\"merchant_id\":\"m-1\"}");
        // After failover the client retries in the DR region; the global table deduplicates it.
        PaymentHandler dr = container(DB, "REGION_ROLE", "dr", "AWS_REGION", "us-west-2");
        ApiResponse replay = post(dr, key, "{ \"merchant_id\": \"m-1\", \"currency\": \"USD\","
                + " \"amount\": \"10.50\" }");
        assertEquals(201, replay.statusCode());
        assertEquals(first.body(), replay.body());
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
        assertNull(first.headers().get("Idempotent-Replayed"));
        assertEquals(1, rows(key));
    }

    @Test
    void theSameKeyWithADifferentBodyIsAConflict() throws Exception {
        String key = key();
        post(primary(), key, Fixtures.paymentBody("10.00", "USD", "m-1"));
        ApiResponse conflict = post(primary(), key, Fixtures.paymentBody("10.01", "USD", "m-1"));
        assertEquals(409, conflict.statusCode());
        assertEquals("idempotency_key_reused", Fixtures.body(conflict).get("error").getAsString());
        assertEquals(1, rows(key));
    }

    @Test
    void invalidRequestsAre400sNamingFieldAndRuleAndWriteNothing() throws Exception {
        String[][] cases = {
                {"{\"amount\":1,\"currency\":\"USD\"}", "merchant_id", "is required"},
                {Fixtures.paymentBody("0.001", "USD", "m"), "amount",
                        "must have at most two fraction digits"},
                {Fixtures.paymentBody("1000000.01", "USD", "m"), "amount", "must be at most 1000000.00"},
                {Fixtures.paymentBody("1", "JPY", "m"), "currency", "must be one of EUR,GBP,USD"},
                {"{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\",\"x\":1}", "x",
                        "is not an allowed field"},
                {"nope", "body", "must be valid JSON"}};
        PaymentHandler handler = primary();
        for (String[] c : cases) {
            String key = key();
            ApiResponse response = post(handler, key, c[0]);
            assertEquals(400, response.statusCode(), c[0]);
            JsonObject body = Fixtures.body(response);
            assertEquals("validation_failed", body.get("error").getAsString());
            assertEquals(c[1], body.get("field").getAsString(), c[0]);
            assertEquals(c[2], body.get("rule").getAsString(), c[0]);
            assertFalse(response.body().contains("Exception"));
            assertTrue(record(key).isEmpty());
            assertEquals(0, rows(key));
        }
        ApiResponse noKey = post(handler, null, Fixtures.paymentBody("1", "USD", "m"));
        assertEquals("Idempotency-Key", Fixtures.body(noKey).get("field").getAsString());
    }

    @Test
    void manyConcurrentRequestsWithOneKeyStoreExactlyOnePayment() throws Exception {
        String key = key();
        String body = Fixtures.paymentBody("99.99", "GBP", "m-race");
        int containers = 16;
        List<PaymentHandler> handlers = new ArrayList<>();
        for (int i = 0; i < containers; i++) {
            handlers.add(primary());
        }
        ExecutorService pool = Executors.newFixedThreadPool(containers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApiResponse>> futures = new ArrayList<>();
        try {
            for (PaymentHandler handler : handlers) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return post(handler, key, body);
                }));
            }
            go.countDown();
            String paymentId = null;
            int created = 0;
            for (Future<ApiResponse> future : futures) {
                ApiResponse response = future.get();
                if (response.statusCode() == 201) {
                    created++;
                    String id = Fixtures.body(response).get("payment_id").getAsString();
                    assertTrue(paymentId == null || paymentId.equals(id));
                    paymentId = id;
                } else {
                    assertEquals(409, response.statusCode(), response.body());
                    assertEquals("request_in_progress", Fixtures.body(response).get("error").getAsString());
                    assertEquals("1", response.headers().get("Retry-After"));
                }
            }
            assertTrue(created >= 1);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, rows(key));
        assertEquals(201, post(primary(), key, body).statusCode());
        assertEquals(1, rows(key));
    }

    @Test
    void theDatabaseGoingDownMidRequestIsA503ThenTheRetrySucceedsOnce() throws Exception {
        String key = key();
        String body = Fixtures.paymentBody("42.00", "USD", "m-1");
        PaymentHandler handler = primary();
        assertEquals(200, handler.handle(Fixtures.event("GET", "/health", Map.of(), null))
                .statusCode());
        AtomicBoolean cut = new AtomicBoolean();
        // Right after the idempotency record is written, before the payment row: the database dies.
        faultyDynamo.afterPut = () -> {
            if (cut.compareAndSet(false, true)) {
                try {
                    pg.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        ApiResponse down;
        try {
            down = post(handler, key, body);
        } finally {
            faultyDynamo.afterPut = () -> { };
            pg.start();
        }
        assertTrue(cut.get());
        assertEquals(503, down.statusCode());
        assertEquals("5", down.headers().get("Retry-After"));
        assertEquals("database_unavailable", Fixtures.body(down).get("error").getAsString());
        assertEquals(Fixtures.ORIGIN, down.headers().get("Access-Control-Allow-Origin"));
        assertTrue(record(key).isEmpty(), "no idempotency record may block the retry");
        assertEquals(0, rows(key));

        ApiResponse retry = post(handler, key, body);
        assertEquals(201, retry.statusCode());
        assertEquals(1, rows(key));
    }

    @Test
    void healthIs200WithTheRoleAndPassedChecksInAWritableRegion() {
        ApiResponse health = primary().handle(Fixtures.event("GET", "/health", Map.of(), null));
        assertEquals(200, health.statusCode());
        JsonObject body = Fixtures.body(health);
        assertEquals("ok", body.get("status").getAsString());
        assertEquals("primary", body.get("role").getAsString());
        assertEquals("us-east-1", body.get("region").getAsString());
        JsonObject checks = body.getAsJsonObject("checks");
        assertEquals("pass", checks.get("idempotency_table").getAsString());
        assertEquals("pass", checks.get("database_connection").getAsString());
        assertEquals("pass", checks.get("database_writable").getAsString());
        assertEquals("2", checks.get("schema_version").getAsString());
        assertEquals(Fixtures.ORIGIN, health.headers().get("Access-Control-Allow-Origin"));
    }

    @Test
    void aReadOnlyRegionFailsHealthAndRefusesPaymentsWithoutLeavingARecord() throws Exception {
        PaymentHandler dr = container(DB_READ_ONLY, "REGION_ROLE", "dr", "AWS_REGION", "us-west-2");
        ApiResponse health = dr.handle(Fixtures.event("GET", "/health", Map.of(), null));
        assertEquals(503, health.statusCode());
        JsonObject body = Fixtures.body(health);
        assertEquals("unavailable", body.get("status").getAsString());
        assertEquals("dr", body.get("role").getAsString());
        assertEquals("database_writable", body.get("failed_check").getAsString());
        assertEquals("fail", body.getAsJsonObject("checks").get("database_writable").getAsString());
        assertEquals("pass", body.getAsJsonObject("checks").get("database_connection").getAsString());

        String key = key();
        ApiResponse refused = post(dr, key, Fixtures.paymentBody("5.00", "USD", "m-1"));
        assertEquals(503, refused.statusCode());
        assertEquals("5", refused.headers().get("Retry-After"));
        assertEquals("region_read_only", Fixtures.body(refused).get("error").getAsString());
        assertTrue(Fixtures.body(refused).get("message").getAsString().contains("region role dr"));
        assertTrue(record(key).isEmpty());
    }

    @Test
    void healthNamesTheFailingDependency() throws Exception {
        PaymentHandler noTable = new PaymentHandler(new FunctionRuntime(
                Fixtures.localConfig("no-such-table", DB), dynamo.client(), Fixtures.appCredentials(),
                clock));
        ApiResponse missing = noTable.handle(Fixtures.event("GET", "/health", Map.of(), null));
        assertEquals(503, missing.statusCode());
        assertEquals("idempotency_table", Fixtures.body(missing).get("failed_check").getAsString());

        PaymentHandler handler = primary();
        pg.stop();
        ApiResponse down;
        try {
            down = handler.handle(Fixtures.event("GET", "/health", Map.of(), null));
        } finally {
            pg.start();
        }
        assertEquals(503, down.statusCode());
        JsonObject body = Fixtures.body(down);
        assertEquals("database_connection", body.get("failed_check").getAsString());
        assertEquals("pass", body.getAsJsonObject("checks").get("idempotency_table").getAsString());
    }

    @Test
    void anUnreachableIdempotencyTableIsA503() {
        PaymentHandler handler = new PaymentHandler(new FunctionRuntime(
                Fixtures.localConfig(TABLE, DB), TestDynamo.clientFor(URI.create("http://127.0.0.1:9")),
                Fixtures.appCredentials(), clock));
        ApiResponse response = post(handler, key(), Fixtures.paymentBody("1", "USD", "m-1"));
        assertEquals(503, response.statusCode());
        assertEquals("2", response.headers().get("Retry-After"));
        assertEquals("idempotency_store_unavailable",
                Fixtures.body(response).get("error").getAsString());
    }

    @Test
    void aLostCompletionIsRecoveredAfterTheLeaseWithTheSamePayment() throws Exception {
        String key = key();
        String body = Fixtures.paymentBody("7.00", "USD", "m-1");
        PaymentHandler handler = primary();
        faultyDynamo.failUpdate = SdkClientException.create("network cut");
        ApiResponse first = post(handler, key, body);
        faultyDynamo.failUpdate = null;
        assertEquals(201, first.statusCode());
        assertEquals("IN_PROGRESS", record(key).get("status").s());

        ApiResponse busy = post(handler, key, body);
        assertEquals(409, busy.statusCode());
        assertEquals("request_in_progress", Fixtures.body(busy).get("error").getAsString());

        clock.advance(IdempotencyStore.LEASE.plusSeconds(1));
        ApiResponse recovered = post(handler, key, body);
        assertEquals(201, recovered.statusCode());
        assertEquals(Fixtures.body(first).get("payment_id"), Fixtures.body(recovered).get("payment_id"));
        assertEquals("COMPLETED", record(key).get("status").s());
        assertEquals(1, rows(key));
    }

    @Test
    void aLeaseLostBeforeCompletionStillAnswersFromTheStoredRow() throws Exception {
        String key = key();
        faultyDynamo.failUpdate = ConditionalCheckFailedException.builder().message("lost").build();
        ApiResponse response = post(primary(), key, Fixtures.paymentBody("8.00", "USD", "m-1"));
        faultyDynamo.failUpdate = null;
        assertEquals(201, response.statusCode());
        assertEquals(1, rows(key));
    }

    @Test
    void aKeyStoredWithAnotherBodyAfterItsRecordExpiredIsStillAConflict() throws Exception {
        String key = key();
        PaymentHandler handler = primary();
        assertEquals(201, post(handler, key, Fixtures.paymentBody("3.00", "USD", "m-1")).statusCode());
        // The DynamoDB record lives 24 h; the payments table remembers the key for ever.
        clock.advance(IdempotencyStore.RECORD_TTL.plus(Duration.ofSeconds(1)));
        ApiResponse conflict = post(handler, key, Fixtures.paymentBody("4.00", "USD", "m-1"));
        assertEquals(409, conflict.statusCode());
        assertEquals("idempotency_key_reused", Fixtures.body(conflict).get("error").getAsString());
        assertTrue(record(key).isEmpty(), "the refused attempt released its claim");
        assertEquals(201, post(handler, key, Fixtures.paymentBody("3.00", "USD", "m-1")).statusCode());
        assertEquals(1, rows(key));
    }

    @Test
    void aFailedReleaseLeavesTheRecordUntilItsLeaseEnds() throws Exception {
        String key = key();
        String body = Fixtures.paymentBody("9.00", "USD", "m-1");
        PaymentHandler dr = container(DB_READ_ONLY, "REGION_ROLE", "dr");
        faultyDynamo.failDelete = SdkClientException.create("network cut");
        assertEquals(503, post(dr, key, body).statusCode());
        assertEquals("IN_PROGRESS", record(key).get("status").s());
        // The stranded record answers "in progress" until its lease ends...
        assertEquals(409, post(dr, key, body).statusCode());
        clock.advance(IdempotencyStore.LEASE.plusSeconds(1));
        // ...then a retry takes it over; this one's release loses a race and leaves it to its lease.
        faultyDynamo.failDelete = ConditionalCheckFailedException.builder().message("taken").build();
        assertEquals(503, post(dr, key, body).statusCode());
        faultyDynamo.failDelete = null;
        clock.advance(IdempotencyStore.LEASE.plusSeconds(1));
        assertEquals(201, post(primary(), key, body).statusCode());
        assertEquals(1, rows(key));
    }
}
