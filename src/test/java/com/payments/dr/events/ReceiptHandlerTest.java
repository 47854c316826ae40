package com.payments.dr.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The receipt function against a real S3 API server (S3Proxy, its own process, loopback port). */
class ReceiptHandlerTest {

    private static final String BUCKET = "s3-payments-123456789012-primary-dev";
    private static TestS3Server server;
    private static S3Client s3;

    @BeforeAll
    static void startS3() throws Exception {
        server = new TestS3Server();
        s3 = server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
        server.close();
    }

    private static List<String> keys() {
        return s3.listObjectsV2(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
    }

    @Test
    void writesOneReceiptPerPaymentAndARedeliveryOverwritesIt() throws Exception {
        ReceiptHandler handler = new ReceiptHandler(s3, BUCKET);
        String log = SampleEvents.logOf(() -> {
            handler.handleRequest(SampleEvents.stream(SampleEvents.text("payment-completed.json")), null, null);
            handler.handleRequest(SampleEvents.stream(SampleEvents.text("payment-completed.json")), null, null);
        });
        String key = "receipts/2026/11/23/pay_3f9a1c2e.json";
        assertEquals(1, keys().stream().filter(key::equals).count(), keys().toString());
        JsonObject receipt = JsonParser.parseString(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String())
                .getAsJsonObject();
        assertEquals("pay_3f9a1c2e", receipt.get("payment_id").getAsString());
        assertEquals("12.34", receipt.get("amount").getAsString());
        assertEquals("USD", receipt.get("currency").getAsString());
        assertEquals("m-1", receipt.get("merchant_id").getAsString());
        assertEquals("us-east-1", receipt.get("region").getAsString());
        assertEquals("2026-11-23T09:30Z", receipt.get("completed_at").getAsString());
        assertEquals("6a7e8feb-b491-4cf7-a9f1-bf3703467718", receipt.get("event_id").getAsString());
        assertEquals("application/json", s3.headObject(b -> b.bucket(BUCKET).key(key)).contentType());
        assertTrue(log.contains("\"event\":\"receipt_written\""), log);
    }

    @Test
    void theReceiptIsFiledUnderTheCommitTimeNotTheTimeThePipeDeliveredIt() throws Exception {
        // a pipe retry after midnight: the event's own time is the next day, the stream record's is not
        JsonObject late = SampleEvents.json("payment-completed.json");
        late.addProperty("time", "2026-11-24T00:00:05Z");
        new ReceiptHandler(s3, BUCKET).handleRequest(SampleEvents.stream(late.toString()), null, null);
        assertTrue(keys().contains("receipts/2026/11/23/pay_3f9a1c2e.json"), keys().toString());
        assertFalse(keys().stream().anyMatch(k -> k.startsWith("receipts/2026/11/24/")), keys().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[1, 2]",
        "{\"id\": \"e-1\", \"detail-type\": \"payment.failed\", \"source\": \"payments.dr\"}",
        "{\"id\": \"e-1\", \"detail-type\": 7, \"source\": \"payments.dr\"}",
        "{\"id\": \"e-1\", \"detail-type\": \"payment.completed\", \"source\": \"payments.dr\", \"time\": \"yesterday\"}",
        "{\"id\": \"e-1\", \"detail-type\": \"payment.completed\", \"source\": \"payments.dr\", \"time\": \"2026-11-23T09:30:00Z\","
                + " \"detail\": {}}",
        "{\"id\": \"e-1\", \"detail-type\": \"payment.completed\", \"source\": \"payments.dr\", \"time\": \"2026-11-23T09:30:00Z\","
                + " \"detail\": {\"dynamodb\": {\"ApproximateCreationDateTime\": \"today\"}}}",
        "{\"id\": \"e-1\", \"detail-type\": \"payment.completed\", \"source\": \"payments.dr\", \"time\": \"2026-11-23T09:30:00Z\","
                + " \"detail\": {\"dynamodb\": {\"ApproximateCreationDateTime\": 1795426200, \"NewImage\": {\"response_body\": {\"S\": \"[not an object\"}}}}}",
        "{\"id\": \"e-1\", \"detail-type\": \"payment.completed\", \"source\": \"payments.dr\", \"time\": \"2026-11-23T09:30:00Z\","
                + " \"detail\": {\"dynamodb\": {\"ApproximateCreationDateTime\": 1795426200, \"NewImage\": {\"response_body\": {\"S\": \"{\\\"payment_id\\\": \\\"../x\\\"}\"}}}}}",
        "{\"id\": \"e-1\", \"detail-type\": \"payment.completed\", \"source\": \"payments.dr\", \"time\": \"2026-11-23T09:30:00Z\","
                + " \"detail\": {\"dynamodb\": {\"ApproximateCreationDateTime\": 1795426200, \"NewImage\": {\"response_body\": {\"S\": \"{\\\"payment_id\\\": \\\"p1\\\"}\"}}}}}",
    })
    void aMalformedEventFailsTheInvocationWithOneClearLogLineAndWritesNothing(String event) throws Exception {
        ReceiptHandler handler = new ReceiptHandler(s3, BUCKET);
        List<String> before = keys();
        String log = SampleEvents.logOf(() -> assertThrows(MalformedEventException.class,
                () -> handler.handleRequest(SampleEvents.stream(event), null, null)));
        assertEquals(before, keys());
        assertEquals(1, log.lines().count(), log);
        JsonObject line = JsonParser.parseString(log).getAsJsonObject();
        assertEquals("ERROR", line.get("level").getAsString());
        assertEquals("receipt_event_rejected", line.get("event").getAsString());
        assertEquals(event.startsWith("{") ? "e-1" : "unknown", line.get("event_id").getAsString());
        assertTrue(line.get("reason").getAsString().length() > 5);
    }

    @Test
    void anS3FailureFailsTheInvocationSoItIsRetried() {
        ReceiptHandler handler = new ReceiptHandler(s3, "no-such-bucket-anywhere");
        assertThrows(SdkException.class, () -> SampleEvents.logOf(() ->
                handler.handleRequest(SampleEvents.stream(SampleEvents.text("payment-completed.json")), null, null)));
    }

    @Test
    void theRuntimeConstructorReadsItsEnvironment() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ReceiptHandler(java.util.Map.of("AWS_REGION", "us-east-1", "RECEIPT_BUCKET", " ")));
        assertEquals("environment variable RECEIPT_BUCKET is required", e.getMessage());
        assertThrows(IllegalStateException.class, () -> new ReceiptHandler(java.util.Map.of()));
        new ReceiptHandler(java.util.Map.of("AWS_REGION", "us-east-1", "RECEIPT_BUCKET", BUCKET));
        // the test JVM has no ALERTS_TOPIC_ARN or RECEIPT_BUCKET, whatever its AWS_REGION
        assertThrows(IllegalStateException.class, ReceiptHandler::new);
    }
}
