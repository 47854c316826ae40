package com.payments.dr.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.lambda.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes a receipt for each {@code payment.completed} event (EventBridge, from the state table's
 * stream through the region's pipe) to the region's bucket, as
 * {@code receipts/<yyyy>/<mm>/<dd>/<payment_id>.json}. The key is derived from the payment, so a
 * redelivered event overwrites the same object instead of writing a second receipt.
 *
 * <p>What it reads from the event's detail (a DynamoDB stream record of the idempotency item):
 * {@code dynamodb.NewImage.response_body.S}, the stored 201 response with {@code payment_id},
 * {@code amount}, {@code currency}, {@code merchant_id} and {@code region}.
 */
public final class ReceiptHandler implements RequestStreamHandler {

    static final String DETAIL_TYPE = "payment.completed";
    static final String SOURCE = "payments.dr";
    private static final Pattern PAYMENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final S3Client s3;
    private final String bucket;

    /** The Lambda runtime's constructor: the bucket and region come from the environment. */
    public ReceiptHandler() {
        this(System.getenv());
    }

    ReceiptHandler(Map<String, String> environment) {
        this(S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(required(environment, "AWS_REGION")))
                .build(), required(environment, "RECEIPT_BUCKET"));
    }

    ReceiptHandler(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    static String required(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is required");
        }
        return value;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String eventId = "unknown";
        try {
            JsonObject event = Events.parse(input);
            eventId = Events.optionalString(event, "id", eventId);
            write(event, eventId);
        } catch (MalformedEventException e) {
            Log.error("receipt_event_rejected", "event_id", eventId, "reason", e.getMessage());
            throw e;
        }
    }

    private static OffsetDateTime committedAt(JsonObject event) {
        JsonElement seconds = Events.element(event, "detail.dynamodb.ApproximateCreationDateTime");
        if (!seconds.isJsonPrimitive() || !seconds.getAsJsonPrimitive().isNumber()) {
            throw new MalformedEventException("detail.dynamodb.ApproximateCreationDateTime is not epoch seconds");
        }
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds.getAsLong()), ZoneOffset.UTC);
    }

    private void write(JsonObject event, String eventId) {
        if (!DETAIL_TYPE.equals(Events.string(event, "detail-type")) || !SOURCE.equals(Events.string(event, "source"))) {
            throw new MalformedEventException("not a " + SOURCE + " " + DETAIL_TYPE + " event");
        }
        // The stream record's own time, not the event's: the pipe stamps `time` when it calls
        // PutEvents, so a retry across midnight would file the same payment under another date.
        OffsetDateTime time = committedAt(event);
        JsonObject payment;
        try {
            payment = JsonParser.parseString(Events.string(event, "detail.dynamodb.NewImage.response_body.S"))
                    .getAsJsonObject();
        } catch (IllegalStateException | com.google.gson.JsonParseException e) {
            throw new MalformedEventException("detail.dynamodb.NewImage.response_body.S is not a JSON object");
        }
        String paymentId = Events.string(payment, "payment_id");
        if (!PAYMENT_ID.matcher(paymentId).matches()) {
            throw new MalformedEventException("payment_id is not a payment id");
        }
        JsonObject receipt = new JsonObject();
        receipt.addProperty("payment_id", paymentId);
        for (String field : new String[] {"amount", "currency", "merchant_id", "region"}) {
            receipt.addProperty(field, Events.string(payment, field));
        }
        receipt.addProperty("completed_at", time.toString());
        receipt.addProperty("event_id", eventId);
        String key = String.format("receipts/%04d/%02d/%02d/%s.json", time.getYear(), time.getMonthValue(),
                time.getDayOfMonth(), paymentId);
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromString(receipt.toString()));
        Log.info("receipt_written", "event_id", eventId, "payment_id", paymentId, "key", key);
    }
}
