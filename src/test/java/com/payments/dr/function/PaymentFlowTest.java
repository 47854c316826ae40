package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.payments.dr.lambda.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The whole function, event in and response out, against DynamoDB Local and a real PostgreSQL
 * server, through the function's own SDK client (its timeouts and retry policy) with faults
 * injected inside the SDK's execution: the behaviour API Gateway clients and the Route 53 health
 * check see.
 */
class PaymentFlowTest {

    private static final String TABLE = "payment-flow-test";
    private static final String DB = "payments_flow";
    private static final String DB_READ_ONLY = "payments_flow_ro";
    private static final String MERCHANT = "m-1";
    static final int CONCURRENT_CONTAINERS = 16;
    private static TestPostgres pg;
    private static TestDynamo dynamo;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final Faults faults = new Faults();
    private Containers containers;

    @BeforeAll
    static void engines() throws SQLException {
        pg = TestPostgres.shared();
        dynamo = TestDynamo.shared();
        dynamo.createTable(TABLE);
        pg.createDatabase(DB);
        pg.createDatabase(DB_READ_ONLY);
        Fixtures.prepareRoles(pg);
        Fixtures.migrate(Fixtures.localConfig(TABLE, DB));
        // The DR cluster holds the replicated schema but refuses writes, like an Aurora secondary.
        try (Connection c = pg.connect(DB_READ_ONLY, TestPostgres.APP_USER, TestPostgres.APP_PASSWORD)) {
            SchemaMigrator.migrate(c, SchemaMigrator.MIGRATIONS, FunctionConfig.DEFAULT_DB_USER);
        }
        pg.makeReadOnly(DB_READ_ONLY);
    }

    @BeforeEach
    void noContainers() {
        containers = new Containers(dynamo, clock);
    }

    @AfterEach
    void closeContainers() throws Exception {
        containers.close();
    }

    /** One Lambda container: its own connection and SDK client, sharing the table and the clock. */
    private PaymentHandler containerOn(String table, String database, String... env) {
        return containers.start(Fixtures.localConfig(table, database, env), faults);
    }

    private PaymentHandler container(String database, String... env) {
        return containerOn(TABLE, database, env);
    }

    private PaymentHandler primary() {
        return container(DB);
    }

    /** A primary container whose health check passed: its database connection is open before any fault. */
    private PaymentHandler connectedPrimary() {
        PaymentHandler handler = primary();
        assertEquals(200, health(handler).statusCode());
        return handler;
    }

    private static ApiResponse post(PaymentHandler handler, String key, String body) {
        return handler.handle(Fixtures.postPayment(key, body));
    }

    private static ApiResponse health(PaymentHandler handler) {
        return handler.handle(Fixtures.event("GET", "/health", Map.of(), null));
    }

    /** The readiness probe of the DR region's second health check ({@code ?probe=standby}). */
    private static ApiResponse standby(PaymentHandler handler) {
        com.google.gson.JsonObject event = com.google.gson.JsonParser.parseString(
                Fixtures.event("GET", "/health", Map.of(), null)).getAsJsonObject();
        com.google.gson.JsonObject query = new com.google.gson.JsonObject();
        query.addProperty(HealthService.PROBE, HealthService.STANDBY);
        event.add("queryStringParameters", query);
        return handler.handle(event.toString());
    }

    private static String key() {
        return "flow-" + UUID.randomUUID();
    }

    private static String scoped(String key) {
        return MERCHANT + "/" + key;
    }

    private static long rows(String database, String key) throws SQLException {
        try (Connection c = pg.admin(database); Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery(
                          "SELECT count(*) FROM payments WHERE idempotency_key = '" + scoped(key) + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long rows(String key) throws SQLException {
        return rows(DB, key);
    }

    private static Map<String, AttributeValue> record(String table, String key) {
        return dynamo.client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("IDEMPOTENCY#" + scoped(key))))).item();
    }

    private static Map<String, AttributeValue> record(String key) {
        return record(TABLE, key);
    }

    private static String error(ApiResponse response) {
        return Fixtures.body(response).get("error").getAsString();
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
        assertNull(response.headers().get("Idempotent-Replayed"));
        assertEquals(1, rows(key));
        Map<String, AttributeValue> record = record(key);
        assertEquals("COMPLETED", record.get("status").s());
        assertEquals("201", record.get("response_status").n());
        assertEquals(response.body(), record.get("response_body").s());
    }

    @Test
    void aReplayReturnsTheOriginalResult() throws Exception {
        String key = key();
        ApiResponse first = post(primary(), key, "{\"amount\":10.5,\"currency\":\"USD\","
                + "\"merchant_id\":\"m-1\"}");
        ApiResponse replay = post(primary(), key, "{ \"merchant_id\": \"m-1\", \"currency\": \"USD\","
                + " \"amount\": \"10.50\" }");
        assertEquals(201, replay.statusCode());
        assertEquals(first.body(), replay.body());
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
        assertEquals(1, rows(key));
    }

    @Test
    void theSameKeyWithADifferentBodyIsAConflictButAnotherMerchantsKeyIsItsOwn() throws Exception {
        String key = key();
        post(primary(), key, Fixtures.paymentBody("10.00", "USD", MERCHANT));
        ApiResponse conflict = post(primary(), key, Fixtures.paymentBody("10.01", "USD", MERCHANT));
        assertEquals(409, conflict.statusCode());
        assertEquals("idempotency_key_reused", error(conflict));
        assertEquals(1, rows(key));
        // Keys are scoped to the caller: another merchant choosing the same key makes its own payment.
        ApiResponse other = post(primary(), key, Fixtures.paymentBody("10.01", "USD", "m-2"));
        assertEquals(201, other.statusCode());
        assertNotEquals(Fixtures.body(other).get("payment_id"),
                Fixtures.body(post(primary(), key, Fixtures.paymentBody("10.00", "USD", MERCHANT)))
                        .get("payment_id"));
    }

    @Test
    void invalidRequestsAre400sOr415sAndTouchNothing() throws Exception {
        String[][] cases = {
                {"{\"amount\":1,\"merchant_id\":\"m-1\"}", "currency", "is required"},
                {Fixtures.paymentBody("0.001", "USD", "m-1"), "amount",
                        "must have at most two fraction digits"},
                {Fixtures.paymentBody("1000000.01", "USD", "m-1"), "amount", "must be at most 1000000.00"},
                {Fixtures.paymentBody("1", "JPY", "m-1"), "currency", "must be one of EUR,GBP,USD"},
                {"{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m-1\",\"x\":1}", "x",
                        "is not an allowed field"},
                {"{\"amount\":\"1.00\",\"currency\":\"USD\",\"merchant_id\":\"m-1\",\"amount\":\"999999.00\"}",
                        "amount", "must not appear more than once"},
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
        ApiResponse noKey = post(handler, null, Fixtures.paymentBody("1", "USD", "m-1"));
        assertEquals("Idempotency-Key", Fixtures.body(noKey).get("field").getAsString());
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
            Map<String, String> headers = new java.util.HashMap<>(Map.of("Idempotency-Key", key()));
            if (type != null) {
                headers.put("Content-Type", type);
            }
            ApiResponse unsupported = handler.handle(Fixtures.event("POST", "/payments", headers,
                    Fixtures.paymentBody("1", "USD", "m-1")));
            assertEquals(415, unsupported.statusCode(), type);
            assertEquals("unsupported_media_type", error(unsupported));
        }
        assertEquals(0, faults.calls.size(), "no refused request reaches the table");
        ApiResponse withCharset = handler.handle(Fixtures.event("POST", "/payments", Map.of(
                "Idempotency-Key", key(), "Content-Type", "Application/JSON; charset=utf-8"),
                Fixtures.paymentBody("1", "USD", "m-1")));
        assertEquals(201, withCharset.statusCode());
    }

    @Test
    void manyConcurrentRequestsWithOneKeyStoreExactlyOnePayment() throws Exception {
        String key = key();
        String body = Fixtures.paymentBody("99.99", "GBP", MERCHANT);
        int containers = CONCURRENT_CONTAINERS;
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
                    assertEquals("request_in_progress", error(response));
                    // The lease's remaining time (the test clock stands still): 60 s.
                    assertEquals(Long.toString(IdempotencyStore.LEASE.toSeconds()),
                            response.headers().get("Retry-After"));
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
    void aClaimTakenOverMeanwhileIsLeftToItsHolderAndTheLostLeaseIsLogged() throws Exception {
        String key = key();
        PaymentHandler handler = connectedPrimary();
        // After the claim, another request holds the record (this one's lease ran out), then the
        // database goes away: the release must not delete the other request's claim.
        Runnable takeOver = () -> {
            dynamo.client().updateItem(b -> b.tableName(TABLE)
                    .key(Map.of("pk", AttributeValue.fromS("IDEMPOTENCY#" + scoped(key))))
                    .updateExpression("SET lease_token = :other")
                    .expressionAttributeValues(Map.of(":other", AttributeValue.fromS("another-request"))));
            stopPostgres();
        };
        LogCapture.Captured<ApiResponse> down = withTheDatabaseRestartedAfter(h -> faults.afterPut = h, takeOver,
                () -> LogCapture.during(() -> post(handler, key, Fixtures.paymentBody("3.00", "USD", MERCHANT))));
        assertEquals("database_unavailable", error(down.value()));
        assertEquals("another-request", record(key).get("lease_token").s(), "the holder's claim stays");
        assertTrue(down.log().contains("idempotency_lease_lost_on_release"), down.log());
    }

    @Test
    void theDatabaseGoingDownMidRequestIsA503ThenTheRetrySucceedsOnce() throws Exception {
        String key = key();
        String body = Fixtures.paymentBody("42.00", "USD", MERCHANT);
        PaymentHandler handler = connectedPrimary();
        AtomicBoolean cut = new AtomicBoolean();
        // Right after the idempotency record is written, before the payment row: the database dies.
        ApiResponse down = withTheDatabaseRestartedAfter(h -> faults.afterPut = h, () -> {
            if (cut.compareAndSet(false, true)) {
                stopPostgres();
            }
        }, () -> post(handler, key, body));
        assertTrue(cut.get());
        assertEquals(503, down.statusCode());
        assertEquals("5", down.headers().get("Retry-After"));
        assertEquals("database_unavailable", error(down));
        assertTrue(Fixtures.body(down).get("message").getAsString().endsWith(PaymentService.NOT_PROCESSED));
        assertEquals(Fixtures.ORIGIN, down.headers().get("Access-Control-Allow-Origin"));
        assertTrue(record(key).isEmpty(), "no idempotency record may block the retry");
        assertEquals(0, rows(key));

        ApiResponse retry = post(handler, key, body);
        assertEquals(201, retry.statusCode());
        assertEquals(1, rows(key));
    }

    private static void stopPostgres() {
        try {
            pg.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRetriedClaimWhoseFirstResponseWasLostIsTheRequestsOwn() throws Exception {
        String key = key();
        // DynamoDB applies the first PutItem, its response is lost, the SDK retries the same
        // request: the condition fails on the request's own record.
        faults.lostPutResponses = 1;
        ApiResponse response = post(primary(), key, Fixtures.paymentBody("6.00", "USD", MERCHANT));
        assertEquals(0, faults.lostPutResponses, "the fault fired");
        // the claim twice, then the acknowledgement record once
        assertEquals(3, faults.attempts.stream().filter("PutItemRequest"::equals).count(),
                "the SDK's own retry sent the claim's put again");
        assertEquals(201, response.statusCode(), response.body());
        assertEquals("COMPLETED", record(key).get("status").s());
        assertEquals(1, rows(key));
    }

    @Test
    void aBlackHoledTableOrDatabaseIsA503WellWithinTheBudget() throws Exception {
        try (ServerSocket hole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(hole.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String endpoint = "http://127.0.0.1:" + hole.getLocalPort();
            PaymentHandler noTable = container(DB, "AWS_ENDPOINT_URL_DYNAMODB", endpoint);
            PaymentHandler noDatabase = container(DB, "DB_PORT", Integer.toString(hole.getLocalPort()));
            for (PaymentHandler handler : List.of(noTable, noDatabase)) {
                long start = System.nanoTime();
                ApiResponse response = handler.handle(Fixtures.postPayment(key(),
                        Fixtures.paymentBody("1.00", "USD", MERCHANT)), Fixtures.context(4_000));
                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertEquals(503, response.statusCode(), response.body());
                assertTrue(Set.of("idempotency_store_unavailable", "database_unavailable")
                        .contains(error(response)), response.body());
                assertTrue(response.headers().containsKey("Retry-After"));
                assertEquals(Fixtures.ORIGIN, response.headers().get("Access-Control-Allow-Origin"));
                // Lambda had 4 s left: the answer comes within them, not after 9 attempts of 5 s.
                assertTrue(elapsedMs < 4_000, elapsedMs + " ms");
            }
            assertTrue(faults.attempts.stream().filter("PutItemRequest"::equals).count() <= 3);
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void aStalledStatementIsA503WithinTheBudgetAndReleasesTheClaim() throws Exception {
        PaymentHandler handler = primary();
        assertEquals(201, post(handler, key(), Fixtures.paymentBody("1.00", "USD", MERCHANT)).statusCode());
        String key = key();
        try (Connection locker = pg.admin(DB); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE payments IN ACCESS EXCLUSIVE MODE");
            long start = System.nanoTime();
            ApiResponse response = handler.handle(Fixtures.postPayment(key,
                    Fixtures.paymentBody("2.00", "USD", MERCHANT)), Fixtures.context(10_000));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            locker.rollback();
            assertEquals(503, response.statusCode(), response.body());
            assertEquals("database_unavailable", error(response));
            assertEquals("5", response.headers().get("Retry-After"));
            // lock_timeout (2 s) ends the wait: the statement wrote nothing, the claim is released.
            assertTrue(elapsedMs >= PaymentDatabase.LOCK_TIMEOUT.toMillis() && elapsedMs < 5_000, elapsedMs + " ms");
            assertTrue(record(key).isEmpty());
        }
        assertEquals(201, post(handler, key, Fixtures.paymentBody("2.00", "USD", MERCHANT)).statusCode());
        assertEquals(1, rows(key));
    }

    /** Posts while the payments table is locked and cuts the function's connection as its INSERT waits. */
    private static ApiResponse postWithConnectionCutDuringInsert(PaymentHandler handler, String key, String body)
            throws Exception {
        try (Connection locker = pg.admin(DB); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE payments IN ACCESS EXCLUSIVE MODE");
            // While the INSERT waits for the lock, its connection is cut (a failover would do that).
            Thread cutter = new Thread(() -> {
                try (Connection admin = pg.admin(DB); Statement a = admin.createStatement()) {
                    for (int i = 0; i < 100; i++) {
                        try (ResultSet rs = a.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                + " WHERE application_name = 'payment-function' AND wait_event_type = 'Lock'")) {
                            if (rs.next()) {
                                return;
                            }
                        }
                        Thread.sleep(20);
                    }
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            cutter.start();
            ApiResponse response = post(handler, key, body);
            cutter.join();
            locker.rollback();
            return response;
        }
    }

    @Test
    void aConnectionLostAfterTheInsertWasSentIsAnUnknownOutcomeThatKeepsTheClaimBriefly() throws Exception {
        PaymentHandler handler = primary();
        assertEquals(201, post(handler, key(), Fixtures.paymentBody("1.00", "USD", MERCHANT)).statusCode());
        String key = key();
        String body = Fixtures.paymentBody("3.00", "USD", MERCHANT);
        ApiResponse response = postWithConnectionCutDuringInsert(handler, key, body);
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("payment_outcome_unknown", error(response));
        assertFalse(Fixtures.body(response).get("message").getAsString().contains("nothing was stored"));
        assertEquals("7", response.headers().get("Retry-After"));
        Map<String, AttributeValue> record = record(key);
        assertEquals("IN_PROGRESS", record.get("status").s(), "the claim is kept");
        assertEquals(Long.toString(clock.instant().getEpochSecond() + 6), record.get("lease_expires_at").n());
        ApiResponse early = post(handler, key, body);
        assertEquals(409, early.statusCode());
        assertEquals("6", early.headers().get("Retry-After"));
        clock.advance(Duration.ofSeconds(7));
        ApiResponse retry = post(handler, key, body);
        assertEquals(201, retry.statusCode(), retry.body());
        assertEquals(1, rows(key));

        // If even shortening the lease fails, the claim keeps its full lease: still no second payment.
        String other = key();
        faults.failUpdate = SdkClientException.create("network cut");
        try {
            assertEquals("payment_outcome_unknown", error(postWithConnectionCutDuringInsert(handler, other, body)));
        } finally {
            faults.failUpdate = null;
        }
        assertEquals(Long.toString(clock.instant().getEpochSecond() + IdempotencyStore.LEASE.toSeconds()),
                record(other).get("lease_expires_at").n());
    }

    /** What {@code call} returns while {@code hook} (one of {@link Faults}' hooks) runs {@code fault}; reset after. */
    private static <T> T with(Consumer<Runnable> hook, Runnable fault, Callable<T> call) throws Exception {
        hook.accept(fault);
        try {
            return call.call();
        } finally {
            hook.accept(() -> { });
        }
    }

    /** The same for a fault that stops the database: it is started again after. */
    private static <T> T withTheDatabaseRestartedAfter(Consumer<Runnable> hook, Runnable fault, Callable<T> call)
            throws Exception {
        try {
            return with(hook, fault, call);
        } finally {
            pg.start();
        }
    }

    /** Sleeps until {@code budgetMillis} after {@code startNanos}, less {@code leftMillis}. */
    private static Runnable spendBudget(long startNanos, long budgetMillis, long leftMillis) {
        return () -> {
            long until = startNanos + (budgetMillis - leftMillis) * 1_000_000;
            try {
                Thread.sleep(Math.max(0, (until - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void aRequestThatRunsOutOfTimeStopsBeforeTheNextStepAndLeavesNothingBehind() throws Exception {
        PaymentHandler handler = primary();
        String body = Fixtures.paymentBody("4.00", "USD", MERCHANT);
        // No time left at all: refused before the database or the table is touched.
        ApiResponse none = handler.handle(Fixtures.postPayment(key(), body), Fixtures.context(500));
        assertEquals(503, none.statusCode());
        assertEquals("time_budget_exceeded", error(none));
        assertEquals("2", none.headers().get("Retry-After"));
        assertEquals(Fixtures.ORIGIN, none.headers().get("Access-Control-Allow-Origin"));
        assertEquals(0, faults.calls.size());

        String done = key();
        assertEquals(201, post(handler, done, body).statusCode());
        // The claim uses up the budget (Lambda had 1.5 s: 0.5 s for the request): neither the
        // acknowledgement lookup nor the insert is started, and the claim is released.
        String key = key();
        ApiResponse late = with(h -> faults.afterPut = h, spendBudget(System.nanoTime(), 500, 40),
                () -> handler.handle(Fixtures.postPayment(key, body), Fixtures.context(1_500)));
        assertEquals("time_budget_exceeded", error(late), late.body());
        assertTrue(Fixtures.body(late).get("message").getAsString().contains("before the acknowledgement lookup"),
                late.body());
        assertTrue(record(key).isEmpty());
        assertEquals(0, rows(key));
        // A replay whose budget is spent reading the record does not reach the database.
        ApiResponse lateReplay = with(h -> faults.onGet = h, spendBudget(System.nanoTime(), 500, 40),
                () -> handler.handle(Fixtures.postPayment(done, body), Fixtures.context(1_500)));
        assertEquals("replay_unavailable", error(lateReplay), lateReplay.body());
        assertTrue(Fixtures.body(lateReplay).get("message").getAsString().contains("before the replay check"));
        assertTrue(Fixtures.body(lateReplay).get("message").getAsString().endsWith(PaymentService.NOT_PROCESSED));
    }

    @Test
    void aWriterDemotedMidFlightRefusesAsReadOnlyAndReleasesTheClaim() throws Exception {
        String database = "payments_flow_demoted";
        pg.createDatabase(database);
        Fixtures.migrate(Fixtures.localConfig(TABLE, database));
        PaymentHandler handler = container(database);
        assertEquals(201, post(handler, key(), Fixtures.paymentBody("1.00", "USD", MERCHANT)).statusCode());
        // Demoted while this container still believes (cached) that it can write; sessions are cut.
        try (Connection c = pg.admin("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " SET default_transaction_read_only = on");
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        }
        String key = key();
        ApiResponse refused = post(handler, key, Fixtures.paymentBody("2.00", "USD", MERCHANT));
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("region_read_only", error(refused));
        assertTrue(record(key).isEmpty(), "the claim was released");
    }

    @Test
    void aReplayWhileTheDatabaseIsDownIsA503NotAConfirmation() throws Exception {
        String key = key();
        String body = Fixtures.paymentBody("5.00", "USD", MERCHANT);
        PaymentHandler handler = primary();
        assertEquals(201, post(handler, key, body).statusCode());
        // The database goes away once the claim has found the completed record.
        ApiResponse replay = withTheDatabaseRestartedAfter(h -> faults.onGet = h, PaymentFlowTest::stopPostgres,
                () -> post(handler, key, body));
        assertEquals(503, replay.statusCode(), replay.body());
        assertEquals("replay_unavailable", error(replay), "distinct from a first attempt's failure");
        String message = Fixtures.body(replay).get("message").getAsString();
        assertTrue(message.contains("the payment database is unavailable"), message);
        assertTrue(message.contains("earlier attempts with this Idempotency-Key are unaffected"), message);
        assertFalse(message.contains("nothing was stored"), "the earlier attempt did store it");
        assertEquals(201, post(handler, key, body).statusCode());
    }

    @Test
    void healthIsCachedAndReportsTheSchemaTheMigratorMadeWhichPaymentsNeverMake() throws Exception {
        pg.createDatabase("payments_flow_fresh");
        PaymentHandler handler = container("payments_flow_fresh");
        ApiResponse health = health(handler);
        assertEquals(200, health.statusCode(), health.body());
        ApiResponse ready = standby(handler);
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("standby", Fixtures.body(ready).get("status").getAsString());
        assertEquals("writer", Fixtures.body(ready).get("database_role").getAsString());
        JsonObject body = Fixtures.body(health);
        assertEquals("ok", body.get("status").getAsString());
        assertEquals("primary", body.get("role").getAsString());
        assertEquals("writer", body.get("database_role").getAsString());
        assertEquals("us-east-1", body.get("region").getAsString());
        JsonObject checks = body.getAsJsonObject("checks");
        assertEquals("pass", checks.get("idempotency_table").getAsString());
        assertEquals("pass", checks.get("database_connection").getAsString());
        assertEquals("pass", checks.get("database_writable").getAsString());
        assertEquals("0", checks.get("schema_version").getAsString(), "health never migrates");
        assertEquals(Fixtures.ORIGIN, health.headers().get("Access-Control-Allow-Origin"));
        // Within the cache period the answer is reused: no further table read.
        int calls = faults.calls.size();
        assertEquals(health, health(handler));
        assertEquals(calls, faults.calls.size());
        // A payment never migrates: without the schema it is refused, and nothing changes.
        String key = key();
        ApiResponse refused = post(handler, key, Fixtures.paymentBody("1.00", "USD", MERCHANT));
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("database_unavailable", error(refused));
        clock.advance(HealthService.CACHE.plusSeconds(1));
        assertEquals("0", Fixtures.body(health(handler)).getAsJsonObject("checks").get("schema_version").getAsString());
        // The deployment's migrator run; the next health check after the cache period shows it.
        Fixtures.migrate(Fixtures.localConfig(TABLE, "payments_flow_fresh"));
        assertEquals(201, post(handler, key, Fixtures.paymentBody("1.00", "USD", MERCHANT)).statusCode());
        assertEquals("0", Fixtures.body(health(handler)).getAsJsonObject("checks").get("schema_version").getAsString());
        clock.advance(HealthService.CACHE.plusSeconds(1));
        assertEquals(Integer.toString(SchemaMigrator.LATEST_VERSION),
                Fixtures.body(health(handler)).getAsJsonObject("checks").get("schema_version").getAsString());
        assertTrue(faults.calls.size() > calls + 1);
    }

    @Test
    void aReadOnlyRegionRefusesPaymentsWithoutWritingTheGlobalTable() throws Exception {
        PaymentHandler dr = container(DB_READ_ONLY, "REGION_ROLE", "dr");
        ApiResponse health = health(dr);
        assertEquals(503, health.statusCode());
        JsonObject body = Fixtures.body(health);
        assertEquals("unavailable", body.get("status").getAsString());
        assertEquals("dr", body.get("role").getAsString());
        assertEquals("reader", body.get("database_role").getAsString());
        assertEquals("database_writable", body.get("failed_check").getAsString());
        assertEquals("fail", body.getAsJsonObject("checks").get("database_writable").getAsString());
        assertEquals("pass", body.getAsJsonObject("checks").get("database_connection").getAsString());
        // ready to take over once promoted: what the DR readiness check and its alarm follow
        ApiResponse ready = standby(dr);
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject readiness = Fixtures.body(ready);
        assertEquals("standby", readiness.get("status").getAsString());
        assertEquals("reader", readiness.get("database_role").getAsString());
        assertFalse(readiness.has("failed_check"));
        assertEquals("pass", readiness.getAsJsonObject("checks").get("database_reader").getAsString());
        assertFalse(readiness.getAsJsonObject("checks").has("database_writable"), "the writer is not its question");
        assertEquals(503, health(dr).statusCode(), "plain /health still refuses a reader");

        for (int i = 0; i < 3; i++) {
            String key = key();
            ApiResponse refused = post(dr, key, Fixtures.paymentBody("5.00", "USD", MERCHANT));
            assertEquals(503, refused.statusCode());
            assertEquals("5", refused.headers().get("Retry-After"));
            assertEquals("region_read_only", error(refused));
            assertTrue(Fixtures.body(refused).get("message").getAsString().contains("region role dr"));
            assertTrue(record(key).isEmpty());
        }
        assertEquals(0, faults.writes(), "a read-only region never writes the global table");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /**
     * A DR container as an Aurora global secondary presents itself: its cluster (writer) endpoint
     * does not answer, its reader endpoint does ({@code reader}).
     */
    private PaymentHandler secondary(FunctionConfig reader) throws IOException {
        FunctionConfig writer = Fixtures.localConfig(TABLE, DB_READ_ONLY, "REGION_ROLE", "dr",
                "DB_PORT", Integer.toString(closedPort()));
        return containers.start(writer, reader, faults);
    }

    @Test
    void theReadinessProbeAsksTheReaderEndpointBecauseASecondarysWriterEndpointIsInactive() throws Exception {
        PaymentHandler dr = secondary(Fixtures.localConfig(TABLE, DB_READ_ONLY, "REGION_ROLE", "dr"));
        ApiResponse health = health(dr);
        assertEquals(503, health.statusCode());
        assertEquals("database_connection", Fixtures.body(health).get("failed_check").getAsString());
        ApiResponse ready = standby(dr);
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject body = Fixtures.body(ready);
        assertEquals("standby", body.get("status").getAsString());
        assertEquals("reader", body.get("database_role").getAsString());
        assertEquals("pass", body.getAsJsonObject("checks").get("database_reader").getAsString());
        assertEquals(Integer.toString(SchemaMigrator.LATEST_VERSION),
                body.getAsJsonObject("checks").get("schema_version").getAsString());
        assertEquals(503, health(dr).statusCode(), "each question has its own cached answer");

        PaymentHandler dead = secondary(Fixtures.localConfig(TABLE, DB_READ_ONLY, "REGION_ROLE", "dr",
                "DB_PORT", Integer.toString(closedPort())));
        ApiResponse notReady = standby(dead);
        assertEquals(503, notReady.statusCode());
        JsonObject failed = Fixtures.body(notReady);
        assertEquals("unavailable", failed.get("status").getAsString());
        assertEquals("database_reader", failed.get("failed_check").getAsString());
        assertEquals("fail", failed.getAsJsonObject("checks").get("database_reader").getAsString());
        assertEquals("pass", failed.getAsJsonObject("checks").get("idempotency_table").getAsString());
        assertEquals("database reader endpoint unreachable", failed.get("message").getAsString());
        assertEquals(503, health(dead).statusCode());
    }

    @Test
    void healthNamesTheFailingDependency() throws Exception {
        PaymentHandler noTable = containerOn("no-such-table", DB);
        ApiResponse missing = health(noTable);
        assertEquals(503, missing.statusCode());
        assertEquals("idempotency_table", Fixtures.body(missing).get("failed_check").getAsString());
        // unauthenticated: a fixed message, never an exception's class or text
        assertEquals("idempotency table unreachable", Fixtures.body(missing).get("message").getAsString());
        // not ready to take over either: the probe passes only a read-only database
        assertEquals(missing, standby(noTable));

        PaymentHandler handler = primary();
        pg.stop();
        ApiResponse down;
        try {
            down = health(handler);
        } finally {
            pg.start();
        }
        assertEquals(503, down.statusCode());
        JsonObject body = Fixtures.body(down);
        assertEquals("database_connection", body.get("failed_check").getAsString());
        assertEquals("pass", body.getAsJsonObject("checks").get("idempotency_table").getAsString());
        assertFalse(body.has("database_role"));
        assertEquals("database unreachable", body.get("message").getAsString());
    }

    @Test
    void anUnreachableIdempotencyTableIsA503() {
        PaymentHandler handler = container(DB, "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9");
        ApiResponse response = post(handler, key(), Fixtures.paymentBody("1", "USD", MERCHANT));
        assertEquals(503, response.statusCode());
        assertEquals("2", response.headers().get("Retry-After"));
        assertEquals("idempotency_store_unavailable", error(response));
    }

    @Test
    void aLostCompletionIsAnsweredFromTheAcknowledgementRecordAndRecoveredAfterTheLease() throws Exception {
        String key = key();
        String body = Fixtures.paymentBody("7.00", "USD", MERCHANT);
        PaymentHandler handler = primary();
        faults.failUpdate = SdkClientException.create("network cut");
        ApiResponse first = post(handler, key, body);
        faults.failUpdate = null;
        assertEquals(201, first.statusCode());
        assertEquals("IN_PROGRESS", record(key).get("status").s());

        // the claim is still leased, but the payment was acknowledged (its record written before
        // the answer): the retry gets it at once instead of a 409 until the lease ends
        ApiResponse acknowledged = post(handler, key, body);
        assertEquals(201, acknowledged.statusCode(), acknowledged.body());
        assertEquals("true", acknowledged.headers().get("Idempotent-Replayed"));
        assertEquals(first.body(), acknowledged.body());
        assertEquals("IN_PROGRESS", record(key).get("status").s());

        clock.advance(IdempotencyStore.LEASE.plusSeconds(1));
        ApiResponse recovered = post(handler, key, body);
        assertEquals(201, recovered.statusCode());
        assertEquals(Fixtures.body(first).get("payment_id"), Fixtures.body(recovered).get("payment_id"));
        // The answer came from the row an earlier attempt stored: it says so.
        assertEquals("true", recovered.headers().get("Idempotent-Replayed"));
        assertEquals("COMPLETED", record(key).get("status").s());
        assertEquals(1, rows(key));
    }

    @Test
    void aLeaseLostBeforeCompletionStillAnswersFromTheStoredRow() throws Exception {
        String key = key();
        faults.failUpdate = ConditionalCheckFailedException.builder().message("lost").build();
        ApiResponse response = post(primary(), key, Fixtures.paymentBody("8.00", "USD", MERCHANT));
        faults.failUpdate = null;
        assertEquals(201, response.statusCode());
        assertEquals(1, rows(key));
    }

    @Test
    void aKeyStoredWithAnotherBodyAfterItsRecordExpiredIsStillAConflict() throws Exception {
        String key = key();
        PaymentHandler handler = primary();
        assertEquals(201, post(handler, key, Fixtures.paymentBody("3.00", "USD", MERCHANT)).statusCode());
        // The DynamoDB record lives 24 h; the payments table remembers the key for ever.
        clock.advance(IdempotencyStore.RECORD_TTL.plus(Duration.ofSeconds(1)));
        ApiResponse conflict = post(handler, key, Fixtures.paymentBody("4.00", "USD", MERCHANT));
        assertEquals(409, conflict.statusCode());
        assertEquals("idempotency_key_reused", error(conflict));
        assertTrue(record(key).isEmpty(), "the refused attempt released its claim");
        assertEquals(201, post(handler, key, Fixtures.paymentBody("3.00", "USD", MERCHANT)).statusCode());
        assertEquals(1, rows(key));
    }

    @Test
    void aFailedReleaseLeavesTheRecordUntilItsLeaseEnds() throws Exception {
        String key = key();
        String body = Fixtures.paymentBody("9.00", "USD", MERCHANT);
        PaymentHandler handler = connectedPrimary();
        faults.failDelete = SdkClientException.create("network cut");
        assertEquals(503, withTheDatabaseRestartedAfter(h -> faults.afterPut = h, PaymentFlowTest::stopPostgres,
                () -> post(handler, key, body)).statusCode());
        assertEquals("IN_PROGRESS", record(key).get("status").s());
        // The stranded record answers "in progress" until its lease ends...
        assertEquals(409, post(handler, key, body).statusCode());
        clock.advance(IdempotencyStore.LEASE.plusSeconds(1));
        // ...then a retry takes it over; this one's release loses a race and leaves it to its lease.
        faults.failDelete = ConditionalCheckFailedException.builder().message("taken").build();
        assertEquals(503, withTheDatabaseRestartedAfter(h -> faults.afterPut = h, PaymentFlowTest::stopPostgres,
                () -> post(handler, key, body)).statusCode());
        faults.failDelete = null;
        clock.advance(IdempotencyStore.LEASE.plusSeconds(1));
        assertEquals(201, post(primary(), key, body).statusCode());
        assertEquals(1, rows(key));
    }
}
