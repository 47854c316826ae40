package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.lambda.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The acknowledgement record (AckJournal) through the whole function: two regions' replicas of the
 * table (DynamoDB Local keeps one namespace per region, so one engine holds both, unreplicated
 * here), the primary's function writing into the DR replica through its own mirror client,
 * faults where AWS would cause them (a DR endpoint that refuses connections, inside the SDK's
 * retries).
 */
class AckMirrorTest {

    private static final String TABLE = "ack-mirror-test";
    private static final String DB = "payments_ack";
    private static final String MERCHANT = "m-ack";
    private static TestPostgres pg;
    private static TestDynamo dynamo;
    private static DynamoDbClient primaryTable;
    private static DynamoDbClient drTable;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final Faults mirrorFaults = new Faults();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void engines() throws SQLException {
        pg = TestPostgres.shared();
        dynamo = TestDynamo.shared();
        primaryTable = TestDynamo.clientFor(dynamo.endpoint(), Region.US_EAST_1);
        drTable = TestDynamo.clientFor(dynamo.endpoint(), Region.US_EAST_2);
        dynamo.createTable(TABLE);
        drTable.createTable(b -> b.tableName(TABLE).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH")));
        pg.createDatabase(DB);
        Fixtures.prepareRoles(pg);
        Fixtures.migrate(Fixtures.localConfig(TABLE, DB));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    /** A container of the primary region's function, mirroring into the DR replica at {@code mirrorEndpoint}. */
    private PaymentHandler primary(URI mirrorEndpoint) {
        FunctionConfig config = Fixtures.localConfig(TABLE, DB, "ACK_MIRROR_REGION", "us-east-2",
                "ACK_MIRROR_ENDPOINT", mirrorEndpoint.toString());
        DynamoDbClient local = dynamo.functionClient(config);
        DynamoDbClient mirror = FunctionRuntime.mirrorClient(config.ackMirror().orElseThrow(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")), List.of(mirrorFaults));
        PaymentHandler handler = new PaymentHandler(new FunctionRuntime(config, local, Optional.of(mirror),
                Fixtures.appCredentials(), clock, Timings.DEPLOYED));
        opened.add(handler);
        opened.add(local);
        opened.add(mirror);
        return handler;
    }

    /**
     * Fails, inside the SDK's execution, the calls of {@code operation} ("GetItemRequest",
     * "PutItemRequest") on acknowledgement records only.
     */
    private static software.amazon.awssdk.core.interceptor.ExecutionInterceptor failingOnAcks(String operation) {
        return new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                    software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                Object request = context.request();
                Map<String, AttributeValue> key = request instanceof software.amazon.awssdk.services.dynamodb.model
                        .GetItemRequest get ? get.key() : request instanceof software.amazon.awssdk.services.dynamodb
                        .model.PutItemRequest put ? put.item() : Map.of();
                if (request.getClass().getSimpleName().equals(operation) && key.containsKey("pk")
                        && key.get("pk").s().startsWith(AckJournal.PREFIX)) {
                    throw software.amazon.awssdk.core.exception.SdkClientException.create("the table is unreachable");
                }
            }
        };
    }

    /** A container of the DR region's function after a failover: no mirror, its own replica. */
    private PaymentHandler drWriter(software.amazon.awssdk.core.interceptor.ExecutionInterceptor... faults) {
        FunctionConfig config = Fixtures.localConfig(TABLE, DB, "REGION_ROLE", "dr", "AWS_REGION", "us-east-2");
        DynamoDbClient local = dynamo.functionClient(config, faults);
        PaymentHandler handler = new PaymentHandler(new FunctionRuntime(config, local, Optional.empty(),
                Fixtures.appCredentials(), clock, Timings.DEPLOYED));
        opened.add(handler);
        opened.add(local);
        return handler;
    }

    private static String key() {
        return "ack-" + UUID.randomUUID();
    }

    private static String body(String amount) {
        return Fixtures.paymentBody(amount, "USD", MERCHANT);
    }

    private static Map<String, AttributeValue> ack(DynamoDbClient table, String key) {
        return table.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(AckJournal.partitionKey(MERCHANT + "/" + key))))).item();
    }

    private static List<JsonObject> ackLines(String log) {
        return log.lines().filter(l -> l.contains("\"event\":\"ack_recorded\""))
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void anAcknowledgedPaymentIsRecordedInTheDrReplicaBeforeItsAnswerWithWhatRecreatesIt() throws Exception {
        PaymentHandler handler = primary(dynamo.endpoint());
        String key = key();
        LogCapture.Captured<ApiResponse> sent = LogCapture.during(() -> handler.handle(Fixtures.postPayment(key,
                "{\"amount\":\"42.10\",\"currency\":\"USD\",\"merchant_id\":\"" + MERCHANT
                        + "\",\"description\":\"order 7\"}")));
        assertEquals(201, sent.value().statusCode(), sent.value().body());
        Map<String, AttributeValue> record = ack(drTable, key);
        JsonObject answer = Fixtures.body(sent.value());
        assertEquals(answer.get("payment_id").getAsString(), record.get("payment_id").s());
        assertEquals("mirrored", record.get("durability").s());
        assertEquals("42.10", record.get("amount").s());
        assertEquals("USD", record.get("currency").s());
        assertEquals("order 7", record.get("description").s());
        assertEquals("us-east-1", record.get("stored_region").s());
        assertEquals("us-east-1", record.get("acked_region").s());
        assertEquals("primary", record.get("acked_role").s());
        assertEquals(sent.value().body(), record.get("response_body").s());
        assertEquals("201", record.get("response_status").n());
        // the row's own time and a week's TTL
        try (Connection c = pg.admin(DB); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT created_at, request_hash FROM payments WHERE payment_id = '" + record.get("payment_id").s() + "'")) {
            rs.next();
            assertEquals(rs.getObject(1, java.time.OffsetDateTime.class).toInstant().toString(),
                    record.get("created_at").s());
            assertEquals(rs.getString(2), record.get("request_hash").s());
        }
        assertEquals(clock.instant().plus(AckJournal.TTL).getEpochSecond(), Long.parseLong(record.get("expires_at").n()));
        // in the DR replica, not (unreplicated here) in the primary's
        assertTrue(ack(primaryTable, key).isEmpty());
        // one metric line: mirrored, with the mirror's latency
        List<JsonObject> lines = ackLines(sent.log());
        assertEquals(1, lines.size(), sent.log());
        assertEquals(0, lines.get(0).get(AckJournal.FAILED_METRIC).getAsInt());
        assertTrue(lines.get(0).has(AckJournal.LATENCY_METRIC));
        assertEquals("[[]]", lines.get(0).getAsJsonObject("_aws").getAsJsonArray("CloudWatchMetrics").get(0)
                .getAsJsonObject().get("Dimensions").toString());
        // a replay is not recorded again: the first acknowledgement's record stands
        LogCapture.Captured<ApiResponse> again = LogCapture.during(() -> handler.handle(Fixtures.postPayment(key,
                "{\"amount\":\"42.10\",\"currency\":\"USD\",\"merchant_id\":\"" + MERCHANT
                        + "\",\"description\":\"order 7\"}")));
        assertEquals("true", again.value().headers().get("Idempotent-Replayed"));
        assertEquals(List.of(), ackLines(again.log()));
    }

    @Test
    void anUnreachableDrRegionDegradesToALocalRecordThatAlarmsAndIsSkippedForTheBreakersTime() throws Exception {
        PaymentHandler handler = primary(URI.create("http://127.0.0.1:" + closedPort()));
        String first = key();
        LogCapture.Captured<ApiResponse> sent = LogCapture.during(() -> handler.handle(
                Fixtures.postPayment(first, body("3.00"))));
        // the payment is stored and acknowledged: losing the DR region must not stop the primary
        assertEquals(201, sent.value().statusCode(), sent.value().body());
        assertEquals("degraded", ack(primaryTable, first).get("durability").s());
        assertTrue(ack(drTable, first).isEmpty());
        List<JsonObject> lines = ackLines(sent.log());
        assertEquals(1, lines.get(0).get(AckJournal.FAILED_METRIC).getAsInt(), sent.log());
        assertEquals("ERROR", lines.get(0).get("level").getAsString());
        assertTrue(sent.log().contains("\"event\":\"ack_mirror_failed\""), sent.log());
        // the SDK tried the DR endpoint (its retries included) within the mirror's one-second budget
        long mirrorMillis = lines.get(0).get(AckJournal.LATENCY_METRIC).getAsLong();
        assertTrue(mirrorMillis <= AckJournal.MIRROR_CALL_TIMEOUT.toMillis() + 500, Long.toString(mirrorMillis));
        int attempts = mirrorFaults.attempts.size();
        assertTrue(attempts >= 1, mirrorFaults.attempts.toString());

        // within the breaker: not tried at all, still counted
        String second = key();
        LogCapture.Captured<ApiResponse> skipped = LogCapture.during(() -> handler.handle(
                Fixtures.postPayment(second, body("4.00"))));
        assertEquals(201, skipped.value().statusCode());
        assertEquals(attempts, mirrorFaults.attempts.size());
        assertEquals("degraded", ack(primaryTable, second).get("durability").s());
        assertEquals(1, ackLines(skipped.log()).get(0).get(AckJournal.FAILED_METRIC).getAsInt());
        assertFalse(ackLines(skipped.log()).get(0).has(AckJournal.LATENCY_METRIC));

        // after it: tried again
        clock.advance(AckJournal.MIRROR_BREAKER.plusSeconds(1));
        LogCapture.during(() -> handler.handle(Fixtures.postPayment(key(), body("5.00"))));
        assertTrue(mirrorFaults.attempts.size() > attempts);
    }

    @Test
    void aRecordNoTableTakesIsLoggedAndThePaymentStillAcknowledged() throws Exception {
        PaymentHandler handler = drWriter(failingOnAcks("PutItemRequest"));
        String key = key();
        LogCapture.Captured<ApiResponse> sent = LogCapture.during(() -> handler.handle(
                Fixtures.postPayment(key, body("6.50"))));
        // the payment is stored: its acknowledgement must not turn into an error
        assertEquals(201, sent.value().statusCode(), sent.value().body());
        assertTrue(ack(drTable, key).isEmpty());
        assertTrue(sent.log().contains("\"event\":\"ack_record_failed\""), sent.log());
        assertTrue(sent.log().contains("\"durability\":\"none\""), sent.log());
    }

    @Test
    void withoutAMirrorTheRecordIsLocalAndNoMetricIsPublished() throws Exception {
        PaymentHandler handler = drWriter();
        String key = key();
        LogCapture.Captured<ApiResponse> sent = LogCapture.during(() -> handler.handle(
                Fixtures.postPayment(key, body("6.00"))));
        assertEquals(201, sent.value().statusCode(), sent.value().body());
        Map<String, AttributeValue> record = ack(drTable, key);
        assertEquals("local", record.get("durability").s());
        assertEquals("dr", record.get("acked_role").s());
        assertEquals(List.of(), ackLines(sent.log()));
    }

    /**
     * After an unplanned failover: the primary claimed the key and acknowledged the payment (its
     * record mirrored into DR) but its completion and its row never reached the DR region. The
     * client's retry in DR is answered with the payment at once, the row written again, instead
     * of a 409 until the stranded claim's lease ends.
     */
    @Test
    void aRetryMeetingAClaimStrandedByTheFailedRegionIsAnsweredFromTheAcknowledgementRecord() throws Exception {
        String key = key();
        String scoped = MERCHANT + "/" + key;
        PaymentRequest request = new PaymentRequest(key, new java.math.BigDecimal("7.00"), "USD", MERCHANT,
                Optional.empty());
        // the primary's claim, replicated into DR before the fault
        IdempotencyStore drStore = new IdempotencyStore(drTable, TABLE, clock);
        assertTrue(drStore.claim(scoped, request.requestHash(), "us-east-1", Deadline.after(Duration.ofSeconds(5)))
                instanceof IdempotencyStore.Claim.Acquired);
        String original = "{\"payment_id\":\"" + request.paymentId() + "\",\"status\":\"ACCEPTED\",\"amount\":\"7.00\","
                + "\"currency\":\"USD\",\"merchant_id\":\"" + MERCHANT + "\",\"region\":\"us-east-1\"}";
        new AckJournal(primaryTable, Optional.of(drTable), TABLE, clock, AckJournal.MIRROR_BREAKER).record(
                new AckJournal.Ack(scoped, request.paymentId().toString(), request.requestHash(), "7.00", "USD",
                        MERCHANT, null, "ACCEPTED", "us-east-1", Instant.now().toString(), 201, original,
                        "us-east-1", "primary", null), Deadline.after(Duration.ofSeconds(5)));

        PaymentHandler dr = drWriter();
        ApiResponse retry = dr.handle(Fixtures.postPayment(key, body("7.00")));
        assertEquals(201, retry.statusCode(), retry.body());
        assertEquals("true", retry.headers().get("Idempotent-Replayed"));
        assertEquals(original, retry.body());
        try (Connection c = pg.admin(DB); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM payments WHERE payment_id = '" + request.paymentId() + "'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
        // the same key with another body is still refused
        ApiResponse reused = dr.handle(Fixtures.postPayment(key, body("8.00")));
        assertEquals(409, reused.statusCode());
        assertEquals("idempotency_key_reused", Fixtures.body(reused).get("error").getAsString());
        // the record cannot be read: the claim is still held, so the answer is still a 409
        PaymentHandler blind = drWriter(failingOnAcks("GetItemRequest"));
        String unreadable = key();
        drStore.claim(MERCHANT + "/" + unreadable, new PaymentRequest(unreadable, new java.math.BigDecimal("7.50"),
                "USD", MERCHANT, Optional.empty()).requestHash(), "us-east-1", Deadline.after(Duration.ofSeconds(5)));
        LogCapture.Captured<ApiResponse> blindAnswer = LogCapture.during(() -> blind.handle(
                Fixtures.postPayment(unreadable, body("7.50"))));
        assertEquals(409, blindAnswer.value().statusCode());
        assertTrue(blindAnswer.log().contains("\"event\":\"ack_lookup_failed\""), blindAnswer.log());
        // a key reused with another body after its idempotency record expired: the claim is the new
        // body's, the acknowledgement record the first one's
        String reusedKey = key();
        PaymentRequest first = new PaymentRequest(reusedKey, new java.math.BigDecimal("1.00"), "USD", MERCHANT,
                Optional.empty());
        new AckJournal(drTable, Optional.empty(), TABLE, clock, AckJournal.MIRROR_BREAKER).record(
                new AckJournal.Ack(MERCHANT + "/" + reusedKey, first.paymentId().toString(), first.requestHash(), "1.00",
                        "USD", MERCHANT, null, "ACCEPTED", "us-east-1", Instant.now().toString(), 201, "{}",
                        "us-east-1", "primary", null), Deadline.after(Duration.ofSeconds(5)));
        drStore.claim(MERCHANT + "/" + reusedKey, new PaymentRequest(reusedKey, new java.math.BigDecimal("2.00"), "USD",
                MERCHANT, Optional.empty()).requestHash(), "us-east-1", Deadline.after(Duration.ofSeconds(5)));
        ApiResponse other = dr.handle(Fixtures.postPayment(reusedKey, body("2.00")));
        assertEquals(409, other.statusCode());
        assertEquals("idempotency_key_reused", Fixtures.body(other).get("error").getAsString());
        // a claim held elsewhere without any acknowledgement is still in progress
        String pending = key();
        drStore.claim(MERCHANT + "/" + pending, new PaymentRequest(pending, new java.math.BigDecimal("9.00"), "USD",
                MERCHANT, Optional.empty()).requestHash(), "us-east-1", Deadline.after(Duration.ofSeconds(5)));
        ApiResponse busy = dr.handle(Fixtures.postPayment(pending, body("9.00")));
        assertEquals(409, busy.statusCode());
        assertEquals("request_in_progress", Fixtures.body(busy).get("error").getAsString());
    }
}
