package com.payments.dr.function;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.payments.dr.lambda.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The acknowledgement record of every payment the function acknowledges, written before the answer
 * leaves, with everything needed to store the payment again: the zero-loss part of an unplanned
 * failover, which Aurora's asynchronous replication alone cannot give (its RPO is its lag).
 *
 * <p><b>Where it is written.</b> With a mirror ({@code ACK_MIRROR_REGION} and {@code
 * ACK_MIRROR_ENDPOINT}: the primary region's functions, through the DR region's DynamoDB interface
 * endpoint over VPC peering) into the other region's replica of the global table, synchronously:
 * a payment is durable in the DR region before its client hears of it, so a failover that loses
 * the primary's last commits loses no acknowledged payment ({@link Durability#MIRRORED}). Without a
 * mirror (the DR region serving after a failover) into this region's replica ({@link
 * Durability#LOCAL}). When the mirror fails (the DR region unreachable) the payment is still
 * acknowledged, its record written into this region's replica, from where the global table
 * replicates it (within about a second when the regions can reach each other): {@link
 * Durability#DEGRADED}, logged as an error and counted in the {@code AckMirrorFailed} metric,
 * which alarms. After a failure the mirror is skipped for a short while ({@link Timings#mirrorBreaker()}),
 * so an unreachable DR region costs a payment its timeout once per container, not every time.
 *
 * <p><b>Items.</b> Partition key {@code ACK#<merchant>/<key>} in the idempotency table (the pipe
 * to the payment events takes only {@code IDEMPOTENCY#} items); written once (a record already there
 * stands: the first acknowledgement's evidence is kept, and an SDK retry after a lost response is
 * a success); kept {@link #TTL}, so the reconciliation after a failover can run for days.
 */
public final class AckJournal {

    static final String PREFIX = "ACK#";
    /** How long a record is kept: the reconciliation after an unplanned failover reads them. */
    static final Duration TTL = Duration.ofDays(7);
    /** One mirror write, retries included: the price an unreachable DR region adds to a payment. */
    static final Duration MIRROR_CALL_TIMEOUT = Duration.ofSeconds(1);
    /** After a failed mirror write, the mirror is skipped this long (then tried again). */
    static final Duration MIRROR_BREAKER = Duration.ofSeconds(10);
    public static final String METRIC_NAMESPACE = PaymentHandler.METRIC_NAMESPACE;
    /** 1 for a payment acknowledged without its record in the DR region, 0 when it was mirrored. */
    public static final String FAILED_METRIC = "AckMirrorFailed";
    /** Milliseconds one mirror write took (only when it was attempted). */
    public static final String LATENCY_METRIC = "AckMirrorLatency";

    /** Where a payment's record was written before it was acknowledged. */
    public enum Durability {
        /** In the other region, synchronously: survives the loss of this region. */
        MIRRORED,
        /** In this region only, replicated asynchronously: this function has no mirror. */
        LOCAL,
        /** In this region only, because the mirror failed: alarmed. */
        DEGRADED,
        /** Nowhere: neither the mirror nor this region's table took it (logged; the payment stands). */
        NONE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An acknowledged payment as its record holds it. {@code description} may be null. */
    public record Ack(String scopedKey, String paymentId, String requestHash, String amount, String currency,
                      String merchantId, String description, String paymentStatus, String storedRegion,
                      String createdAt, int responseStatus, String responseBody, String ackedRegion,
                      String ackedRole, String durability) {

        Map<String, AttributeValue> toItem(long expiresAt) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", s(partitionKey(scopedKey)));
            item.put("idempotency_key", s(scopedKey));
            item.put("payment_id", s(paymentId));
            item.put("request_hash", s(requestHash));
            item.put("amount", s(amount));
            item.put("currency", s(currency));
            item.put("merchant_id", s(merchantId));
            if (description != null) {
                item.put("description", s(description));
            }
            item.put("payment_status", s(paymentStatus));
            item.put("stored_region", s(storedRegion));
            item.put("created_at", s(createdAt));
            item.put("response_status", AttributeValue.fromN(Integer.toString(responseStatus)));
            item.put("response_body", s(responseBody));
            item.put("acked_region", s(ackedRegion));
            item.put("acked_role", s(ackedRole));
            item.put("durability", s(durability));
            item.put("expires_at", AttributeValue.fromN(Long.toString(expiresAt)));
            return item;
        }

        static Ack fromItem(Map<String, AttributeValue> item) {
            AttributeValue description = item.get("description");
            return new Ack(item.get("idempotency_key").s(), item.get("payment_id").s(), item.get("request_hash").s(),
                    item.get("amount").s(), item.get("currency").s(), item.get("merchant_id").s(),
                    description == null ? null : description.s(), item.get("payment_status").s(),
                    item.get("stored_region").s(), item.get("created_at").s(),
                    Integer.parseInt(item.get("response_status").n()), item.get("response_body").s(),
                    item.get("acked_region").s(), item.get("acked_role").s(), item.get("durability").s());
        }

        Ack withDurability(Durability d) {
            return new Ack(scopedKey, paymentId, requestHash, amount, currency, merchantId, description,
                    paymentStatus, storedRegion, createdAt, responseStatus, responseBody, ackedRegion, ackedRole,
                    d.label());
        }
    }

    private final DynamoDbClient local;
    private final Optional<DynamoDbClient> mirror;
    private final String table;
    private final Clock clock;
    private final Duration breaker;
    private Instant skipMirrorUntil = Instant.MIN;

    /**
     * @param local  this region's table client
     * @param mirror the other region's table client, if this function mirrors
     */
    public AckJournal(DynamoDbClient local, Optional<DynamoDbClient> mirror, String table, Clock clock,
                      Duration breaker) {
        this.local = local;
        this.mirror = mirror;
        this.table = table;
        this.clock = clock;
        this.breaker = breaker;
    }

    static String partitionKey(String scopedKey) {
        return PREFIX + scopedKey;
    }

    /**
     * Writes the record, mirrored if it can, and says where it went. Never throws: the payment is
     * stored whatever happens here, and its acknowledgement must not turn into an error.
     */
    public synchronized Durability record(Ack ack, Deadline deadline) {
        long expiresAt = clock.instant().plus(TTL).getEpochSecond();
        Durability result;
        Long mirrorMillis = null;
        if (mirror.isPresent() && clock.instant().isBefore(skipMirrorUntil)) {
            Log.error("ack_mirror_skipped", "payment_id", ack.paymentId(), "until", skipMirrorUntil.toString());
            result = writeLocally(ack.withDurability(Durability.DEGRADED), expiresAt, deadline);
        } else if (mirror.isPresent()) {
            long start = System.nanoTime();
            try {
                put(mirror.get(), ack.withDurability(Durability.MIRRORED), expiresAt,
                        o -> o.apiCallTimeout(deadline.cap(MIRROR_CALL_TIMEOUT)));
                result = Durability.MIRRORED;
            } catch (SdkException e) {
                skipMirrorUntil = clock.instant().plus(breaker);
                Log.error("ack_mirror_failed", "payment_id", ack.paymentId(), "error", e.getClass().getSimpleName(),
                        "message", String.valueOf(e.getMessage()));
                result = writeLocally(ack.withDurability(Durability.DEGRADED), expiresAt, deadline);
            }
            mirrorMillis = (System.nanoTime() - start) / 1_000_000;
        } else {
            result = writeLocally(ack.withDurability(Durability.LOCAL), expiresAt, deadline);
        }
        if (mirror.isPresent()) {
            metricLine(ack, result, mirrorMillis);
        }
        return result;
    }

    /** The record written in this region; {@link Durability#NONE} if even that failed. */
    private Durability writeLocally(Ack ack, long expiresAt, Deadline deadline) {
        try {
            put(local, ack, expiresAt, o -> o.apiCallTimeout(deadline.cap(IdempotencyStore.CALL_TIMEOUT)));
            return Durability.valueOf(ack.durability().toUpperCase(java.util.Locale.ROOT));
        } catch (SdkException e) {
            Log.error("ack_record_failed", "payment_id", ack.paymentId(), "error", e.getClass().getSimpleName());
            return Durability.NONE;
        }
    }

    private void put(DynamoDbClient client, Ack ack, long expiresAt,
                     Consumer<AwsRequestOverrideConfiguration.Builder> limits) {
        try {
            client.putItem(b -> b.tableName(table).overrideConfiguration(limits)
                    .item(ack.toItem(expiresAt))
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException recorded) {
            // an earlier acknowledgement of this payment (or this call's own first attempt, whose
            // response was lost) recorded it: the record is there, which is all that is asked
        }
    }

    /** This region's record of {@code scopedKey}, if the payment was acknowledged (here or mirrored here). */
    public Optional<Ack> find(String scopedKey, Deadline deadline) {
        Map<String, AttributeValue> item = local.getItem(b -> b.tableName(table)
                .overrideConfiguration(o -> o.apiCallTimeout(deadline.cap(IdempotencyStore.CALL_TIMEOUT)))
                .key(Map.of("pk", s(partitionKey(scopedKey)))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Ack.fromItem(item));
    }

    /**
     * One log line that is also a CloudWatch embedded-metric record: whether the acknowledgement
     * went out without its record in the other region, and how long the mirror write took.
     */
    private static void metricLine(Ack ack, Durability durability, Long mirrorMillis) {
        JsonObject line = new JsonObject();
        line.addProperty("level", durability == Durability.MIRRORED ? "INFO" : "ERROR");
        line.addProperty("event", "ack_recorded");
        line.addProperty("payment_id", ack.paymentId());
        line.addProperty("durability", durability.label());
        line.addProperty(FAILED_METRIC, durability == Durability.MIRRORED ? 0 : 1);
        JsonArray metrics = new JsonArray();
        metrics.add(metric(FAILED_METRIC, "Count"));
        if (mirrorMillis != null) {
            line.addProperty(LATENCY_METRIC, mirrorMillis);
            metrics.add(metric(LATENCY_METRIC, "Milliseconds"));
        }
        JsonObject directive = new JsonObject();
        directive.addProperty("Namespace", METRIC_NAMESPACE);
        JsonArray dimensions = new JsonArray();
        // no dimension: one series per region (each region's functions publish in their own region)
        dimensions.add(new JsonArray());
        directive.add("Dimensions", dimensions);
        directive.add("Metrics", metrics);
        JsonArray directives = new JsonArray();
        directives.add(directive);
        JsonObject aws = new JsonObject();
        aws.addProperty("Timestamp", System.currentTimeMillis());
        aws.add("CloudWatchMetrics", directives);
        line.add("_aws", aws);
        Log.line(line);
    }

    private static JsonObject metric(String name, String unit) {
        JsonObject metric = new JsonObject();
        metric.addProperty("Name", name);
        metric.addProperty("Unit", unit);
        return metric;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
