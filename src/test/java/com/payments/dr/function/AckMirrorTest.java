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
     * Fails the HTTP attempts of {@code operation} ("GetItemRequest", "PutItemRequest") on
     * acknowledgement records only, as a refused connection would: inside the SDK's retry path,
     * so its retries see each failure ({@link #attempts} counts them).
     */
    private static final class FailingOnAcks implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor {
        private final String operation;
        final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

        FailingOnAcks(String operation) {
            this.operation = operation;
        }

        @Override
        public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
                software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            Object request = context.request();
            Map<String, AttributeValue> key = request instanceof software.amazon.awssdk.services.dynamodb.model
                    .GetItemRequest get ? get.key() : request instanceof software.amazon.awssdk.services.dynamodb
                    .model.PutItemRequest put ? put.item() : Map.of();
            if (request.getClass().getSimpleName().equals(operation) && key.containsKey("pk")
                    && key.get("pk").s().startsWith(AckJournal.PREFIX)) {
                attempts.incrementAndGet();
                throw Faults.refused();
            }
        }
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
    void anUnreachableDrRegionDegradesToALocalRecordThatAlarms() throws Exception {
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
        assertTrue(mirrorMillis <= Timings.DEPLOYED.mirrorCallTimeout().toMillis() + 500, Long.toString(mirrorMillis));
        assertTrue(mirrorFaults.attempts.size() > 1, "the refusal is retried: " + mirrorFaults.attempts);
    }

    /**
     * The breaker trips after {@link AckJournal#FAILURES_TO_TRIP} failed mirror writes in a row (a
     * success in between starts the count again), skips the mirror for its time, then tries once:
     * a failure trips it again at once.
     */
    @Test
    void theMirrorIsSkippedOnlyAfterFailuresInARowAndTriedAgainAfterTheBreakersTime() throws Exception {
        PaymentHandler handler = primary(dynamo.endpoint());
        mirrorFaults.unreachable = true;
        for (int i = 1; i < AckJournal.FAILURES_TO_TRIP; i++) {
            assertEquals("degraded", durabilityOf(handler, "5.0" + i, true));
        }
        // one success in between: the count starts again
        mirrorFaults.unreachable = false;
        assertEquals("mirrored", durabilityOf(handler, "6.00", true));
        mirrorFaults.unreachable = true;
        for (int i = 1; i <= AckJournal.FAILURES_TO_TRIP; i++) {
            assertEquals("degraded", durabilityOf(handler, "7.0" + i, true), "failure " + i + " is tried");
        }
        // tripped: not tried at all, still degraded and counted
        assertEquals("degraded", durabilityOf(handler, "8.00", false));
        // after the breaker's time: tried once; failing, it trips again at once
        clock.advance(Timings.DEPLOYED.mirrorBreaker().plusSeconds(1));
        assertEquals("degraded", durabilityOf(handler, "9.00", true));
        assertEquals("degraded", durabilityOf(handler, "9.01", false));
        // and once the DR region answers again, the next attempt after the pause mirrors
        mirrorFaults.unreachable = false;
        clock.advance(Timings.DEPLOYED.mirrorBreaker().plusSeconds(1));
        assertEquals("mirrored", durabilityOf(handler, "9.02", true));
    }

    /**
     * Sends a payment and returns where its record went, checking whether the mirror was tried
     * ({@code tried}) and that the payment was acknowledged and counted in the metric.
     */
    private String durabilityOf(PaymentHandler handler, String amount, boolean tried) throws Exception {
        int before = mirrorFaults.calls.size();
        LogCapture.Captured<ApiResponse> sent = LogCapture.during(() -> handler.handle(
                Fixtures.postPayment(key(), body(amount))));
        assertEquals(201, sent.value().statusCode(), sent.value().body());
        assertEquals(tried, mirrorFaults.calls.size() > before, amount + ": " + sent.log());
        JsonObject line = ackLines(sent.log()).get(0);
        assertEquals(line.get("durability").getAsString().equals("mirrored") ? 0 : 1,
                line.get(AckJournal.FAILED_METRIC).getAsInt(), sent.log());
        assertEquals(tried, line.has(AckJournal.LATENCY_METRIC), sent.log());
        return line.get("durability").getAsString();
    }

    /**
     * A payment stored whose record no table takes is not acknowledged: the answer says its outcome
     * is unknown, and the retry (the table back) records it and answers with the same payment.
     */
    @Test
    void aPaymentWhoseRecordNoTableTakesIsNotAcknowledgedAndItsRetryIs() throws Exception {
        FailingOnAcks unreachable = new FailingOnAcks("PutItemRequest");
        PaymentHandler handler = drWriter(unreachable);
        String key = key();
        LogCapture.Captured<ApiResponse> sent = LogCapture.during(() -> handler.handle(
                Fixtures.postPayment(key, body("6.50"))));
        assertEquals(503, sent.value().statusCode(), sent.value().body());
        assertEquals("payment_outcome_unknown", Fixtures.body(sent.value()).get("error").getAsString());
        assertEquals("2", sent.value().headers().get("Retry-After"));
        assertTrue(ack(drTable, key).isEmpty());
        assertTrue(sent.log().contains("\"event\":\"ack_record_failed\""), sent.log());
        // refused inside the SDK's retry path: every attempt was made
        assertEquals(FunctionRuntime.SDK_RETRIES + 1, unreachable.attempts.get());
        // the row is there, the claim released: the retry finds the row, records it, answers it
        PaymentHandler recovered = drWriter();
        ApiResponse retry = recovered.handle(Fixtures.postPayment(key, body("6.50")));
        assertEquals(201, retry.statusCode(), retry.body());
        assertEquals("true", retry.headers().get("Idempotent-Replayed"));
        assertEquals(Fixtures.body(retry).get("payment_id").getAsString(), ack(drTable, key).get("payment_id").s());
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
        new AckJournal(primaryTable, Optional.of(drTable), TABLE, clock, Timings.DEPLOYED).record(
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
        PaymentHandler blind = drWriter(new FailingOnAcks("GetItemRequest"));
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
        new AckJournal(drTable, Optional.empty(), TABLE, clock, Timings.DEPLOYED).record(
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

    private static int rows(String paymentId, String requestHash) throws SQLException {
        try (Connection c = pg.admin(DB); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM payments WHERE payment_id = '" + paymentId + "'"
                        + (requestHash == null ? "" : " AND request_hash = '" + requestHash + "'"))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * After an unplanned failover with table lag: the primary acknowledged a payment (its record
     * mirrored into the DR replica before the answer), but neither its claim nor its completion
     * reached the DR replica, and the promotion lost its row. In the DR region the same key with
     * another body is refused, never stored under the first payment's id; the same body gets the
     * first answer, its row stored again.
     */
    @Test
    void afterAFailoverAKeyReusedWithAnotherBodyIsRefusedAndTheSameBodyGetsTheFirstAnswer() throws Exception {
        PaymentHandler primary = primary(dynamo.endpoint());
        String key = key();
        ApiResponse first = primary.handle(Fixtures.postPayment(key, body("10.00")));
        assertEquals(201, first.statusCode(), first.body());
        String paymentId = Fixtures.body(first).get("payment_id").getAsString();
        String firstHash = ack(drTable, key).get("request_hash").s();
        // the replicas are not joined here: the DR replica has the record, not the claim; the
        // promotion lost the row
        assertTrue(drTable.getItem(b -> b.tableName(TABLE).consistentRead(true).key(Map.of("pk", AttributeValue.fromS(
                IdempotencyStore.partitionKey(MERCHANT + "/" + key))))).item().isEmpty());
        try (Connection c = pg.admin(DB); Statement s = c.createStatement()) {
            s.execute("DELETE FROM payments WHERE payment_id = '" + paymentId + "'");
        }

        PaymentHandler dr = drWriter();
        LogCapture.Captured<ApiResponse> other = LogCapture.during(() -> dr.handle(
                Fixtures.postPayment(key, body("99.00"))));
        assertEquals(409, other.value().statusCode(), other.value().body());
        assertEquals("idempotency_key_reused", Fixtures.body(other.value()).get("error").getAsString());
        assertEquals(0, rows(paymentId, null), "nothing stored under the acknowledged payment's id");
        assertTrue(other.log().contains("\"event\":\"idempotency_key_reused_after_ack\""), other.log());

        // its claim released: the first body gets the first answer at once, the row stored again
        ApiResponse same = dr.handle(Fixtures.postPayment(key, body("10.00")));
        assertEquals(201, same.statusCode(), same.body());
        assertEquals(first.body(), same.body());
        assertEquals("true", same.headers().get("Idempotent-Replayed"));
        assertEquals(1, rows(paymentId, firstHash));
        // and the claim it completed answers the next replay, the other body still refused
        ApiResponse replay = dr.handle(Fixtures.postPayment(key, body("10.00")));
        assertEquals(first.body(), replay.body());
        assertEquals(409, dr.handle(Fixtures.postPayment(key, body("99.00"))).statusCode());
    }

    /**
     * The record of another body reaches the table between the lookup and the write (here: the
     * lookup misses it): the record stands, the request is refused as a reused key, and the row it
     * stored is left for the reconciliation to report.
     */
    @Test
    void aRecordOfAnotherBodyThatTheLookupMissedIsAConflictNotAnAcknowledgement() throws Exception {
        String key = key();
        String scoped = MERCHANT + "/" + key;
        PaymentRequest original = new PaymentRequest(key, new java.math.BigDecimal("11.00"), "USD", MERCHANT,
                Optional.empty());
        new AckJournal(drTable, Optional.empty(), TABLE, clock, Timings.DEPLOYED).record(
                new AckJournal.Ack(scoped, original.paymentId().toString(), original.requestHash(), "11.00", "USD",
                        MERCHANT, null, "ACCEPTED", "us-east-1", Instant.now().toString(), 201, "{}", "us-east-1",
                        "primary", null), Deadline.after(Duration.ofSeconds(5)));
        Faults lookupMisses = new Faults();
        lookupMisses.getFindsNothing = true;
        PaymentHandler dr = drWriter(lookupMisses);
        LogCapture.Captured<ApiResponse> sent = LogCapture.during(() -> dr.handle(
                Fixtures.postPayment(key, body("12.00"))));
        assertEquals(409, sent.value().statusCode(), sent.value().body());
        assertEquals("idempotency_key_reused", Fixtures.body(sent.value()).get("error").getAsString());
        assertTrue(sent.log().contains("\"event\":\"ack_record_conflict\""), sent.log());
        assertTrue(sent.log().contains("\"event\":\"payment_conflicts_with_ack\""), sent.log());
        // the first body's record stands
        assertEquals(original.requestHash(), ack(drTable, key).get("request_hash").s());
    }

    /** A hook that sleeps until 40 ms of a 500 ms budget started at {@code startNanos} are left. */
    private static Runnable spendBudget(long startNanos) {
        return () -> {
            long until = startNanos + 460 * 1_000_000L;
            try {
                Thread.sleep(Math.max(0, (until - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static void deleteRow(String paymentId) throws SQLException {
        try (Connection c = pg.admin(DB); Statement s = c.createStatement()) {
            s.execute("DELETE FROM payments WHERE payment_id = '" + paymentId + "'");
        }
    }

    /**
     * Around the record's lookup on an acquired claim: a journal that cannot be read refuses
     * (nothing stored, the claim released); a replay from the record that cannot be confirmed, or
     * a lookup that used up the budget, releases the claim too, so the retry goes on at once.
     */
    @Test
    void whatTheLookupCannotDecideIsRefusedAndTheClaimReleased() throws Exception {
        // the journal unreadable: 503, nothing stored, the retry stores the payment
        String unreadable = key();
        LogCapture.Captured<ApiResponse> blind = LogCapture.during(() -> drWriter(new FailingOnAcks("GetItemRequest"))
                .handle(Fixtures.postPayment(unreadable, body("13.00"))));
        assertEquals(503, blind.value().statusCode(), blind.value().body());
        assertEquals("idempotency_store_unavailable", Fixtures.body(blind.value()).get("error").getAsString());
        assertTrue(blind.log().contains("\"event\":\"ack_lookup_failed\""), blind.log());
        PaymentRequest request = new PaymentRequest(unreadable, new java.math.BigDecimal("13.00"), "USD", MERCHANT,
                Optional.empty());
        assertEquals(0, rows(request.paymentId().toString(), null));
        PaymentHandler dr = drWriter();
        assertEquals(201, dr.handle(Fixtures.postPayment(unreadable, body("13.00"))).statusCode());

        // an acknowledged payment whose row and claim the DR region lacks, its replay out of time
        String key = key();
        ApiResponse first = primary(dynamo.endpoint()).handle(Fixtures.postPayment(key, body("14.00")));
        String paymentId = Fixtures.body(first).get("payment_id").getAsString();
        deleteRow(paymentId);
        Faults slow = new Faults();
        PaymentHandler late = drWriter(slow);
        slow.onGet = spendBudget(System.nanoTime());
        ApiResponse unconfirmed = late.handle(Fixtures.postPayment(key, body("14.00")), Fixtures.context(1_500));
        slow.onGet = () -> { };
        assertEquals("replay_unavailable", Fixtures.body(unconfirmed).get("error").getAsString(), unconfirmed.body());
        assertTrue(Fixtures.body(unconfirmed).get("message").getAsString().contains("before the replay check"));
        assertEquals(0, rows(paymentId, null));
        ApiResponse replayed = dr.handle(Fixtures.postPayment(key, body("14.00")));
        assertEquals(first.body(), replayed.body());

        // a fresh key whose lookup used up the budget: the insert is not started
        String fresh = key();
        slow.onGet = spendBudget(System.nanoTime());
        ApiResponse outOfTime = late.handle(Fixtures.postPayment(fresh, body("15.00")), Fixtures.context(1_500));
        slow.onGet = () -> { };
        assertEquals("time_budget_exceeded", Fixtures.body(outOfTime).get("error").getAsString(), outOfTime.body());
        assertTrue(Fixtures.body(outOfTime).get("message").getAsString().contains("before the insert"));
        assertEquals(201, dr.handle(Fixtures.postPayment(fresh, body("15.00"))).statusCode());
    }

    /**
     * The record gone (kept 7 days; the row for ever) and no claim: the row's own request hash
     * still refuses another body under the key.
     */
    @Test
    void withoutARecordTheRowStillRefusesAnotherBody() throws Exception {
        String key = key();
        ApiResponse first = primary(dynamo.endpoint()).handle(Fixtures.postPayment(key, body("16.00")));
        assertEquals(201, first.statusCode(), first.body());
        drTable.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(
                AckJournal.partitionKey(MERCHANT + "/" + key)))));
        ApiResponse other = drWriter().handle(Fixtures.postPayment(key, body("17.00")));
        assertEquals(409, other.statusCode(), other.body());
        assertEquals("idempotency_key_reused", Fixtures.body(other).get("error").getAsString());
    }

    /** The mirror's answer lost after the write applied: the SDK's retry meets its own record, a success. */
    @Test
    void aMirrorWriteWhoseAnswerWasLostIsMirrored() throws Exception {
        PaymentHandler handler = primary(dynamo.endpoint());
        mirrorFaults.lostPutResponses = 1;
        String key = key();
        ApiResponse sent = handler.handle(Fixtures.postPayment(key, body("18.00")));
        assertEquals(201, sent.statusCode(), sent.body());
        assertEquals(0, mirrorFaults.lostPutResponses);
        assertTrue(mirrorFaults.attempts.size() >= 2, mirrorFaults.attempts.toString());
        assertEquals("mirrored", ack(drTable, key).get("durability").s());
    }
}
