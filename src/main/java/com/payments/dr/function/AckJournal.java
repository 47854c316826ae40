package com.payments.dr.function;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.payments.dr.lambda.EmbeddedMetrics;
import com.payments.dr.lambda.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The acknowledgement record of every payment the function acknowledges, written before the answer
 * leaves, with everything needed to store the payment again: what lets an unplanned failover keep
 * an acknowledged payment that Aurora's asynchronous replication lost (its RPO is its lag), for
 * every payment whose record reached the DR region before its answer.
 *
 * <p><b>Where it is written.</b> With a mirror ({@code ACK_MIRROR_REGION} and {@code
 * ACK_MIRROR_ENDPOINT}: the primary region's functions, through the DR region's DynamoDB interface
 * endpoint over VPC peering) into the other region's replica of the global table, synchronously:
 * such a payment is durable in the DR region before its client hears of it, so a failover that
 * loses the primary's last commits keeps it ({@link Durability#MIRRORED}). Without a mirror (the DR
 * region serving after a failover) into this region's replica ({@link Durability#LOCAL}). When the
 * mirror fails (the DR region or the endpoint's one zone unreachable) the payment is still
 * acknowledged, its record written into this region's replica only, from where the global table
 * replicates it when the regions can reach each other: {@link Durability#DEGRADED}, logged as an
 * error and counted in the {@code AckMirrorFailed} metric, which alarms. Such a payment survives a
 * failover only if that replication delivered its record (or its row) before the fault; otherwise
 * it comes back when the primary region does. After {@link #FAILURES_TO_TRIP} failures in a row
 * the mirror is skipped for a while ({@link Timings#mirrorBreaker()}), so an unreachable DR region
 * costs each container a few timeouts, not one per payment. When no table takes the record
 * ({@link Durability#NONE}) the payment must not be acknowledged: the caller answers that its
 * outcome is unknown.
 *
 * <p><b>Items.</b> Partition key {@code ACK#<merchant>/<key>} in the idempotency table (the pipe
 * to the payment events takes only {@code IDEMPOTENCY#} items); written once: a record of the same
 * request already there stands (the first acknowledgement's evidence is kept, and an SDK retry
 * after a lost response is a success), a record of another request under the key is a {@link
 * Durability#CONFLICT} (nothing written); kept {@link #TTL}, so the reconciliation after a failover
 * can run for days.
 */
public final class AckJournal {

    static final String PREFIX = "ACK#";
    /** How long a record is kept: the reconciliation after an unplanned failover reads them. */
    static final Duration TTL = Duration.ofDays(7);
    /** One mirror write, retries included: the price an unreachable DR region adds to a payment. */
    static final Duration MIRROR_CALL_TIMEOUT = Duration.ofSeconds(1);
    /** Once the breaker trips, the mirror is skipped this long (then tried once more). */
    static final Duration MIRROR_BREAKER = Duration.ofSeconds(10);
    /**
     * Failed mirror writes in a row that trip the breaker. Every payment handled while the breaker
     * is open is acknowledged with its record in this region only, so one failed call (a lost
     * packet the SDK's retries did not cover, a slow first TLS handshake, a pause of this
     * container) must not send the next 10 s of payments there; three in a row within one
     * container is an outage, not noise, and costs at most three mirror timeouts per container
     * before the breaker opens. Once it has tripped, the one write tried after the pause trips it
     * again if it fails.
     */
    static final int FAILURES_TO_TRIP = 3;
    public static final String METRIC_NAMESPACE = PaymentHandler.METRIC_NAMESPACE;
    /** 1 for a payment whose record the mirror did not take (failed or skipped), 0 when it did. */
    public static final String FAILED_METRIC = "AckMirrorFailed";
    /** Milliseconds one mirror write took (only when it was attempted). */
    public static final String LATENCY_METRIC = "AckMirrorLatency";

    /** Where a payment's record was written before it was acknowledged. */
    public enum Durability {
        /** In the other region, synchronously: survives the loss of this region. */
        MIRRORED,
        /** In this region only, replicated asynchronously: this function has no mirror. */
        LOCAL,
        /** In this region only, because the mirror failed or its breaker is open: alarmed. */
        DEGRADED,
        /** Nowhere: neither the mirror nor this region's table took it; the payment is not acknowledged. */
        NONE,
        /** Not written: a record of another request body under this key is there; nothing is acknowledged. */
        CONFLICT;

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
    private final Duration mirrorCallTimeout;
    private Instant skipMirrorUntil = Instant.MIN;
    private int failuresInARow;

    /**
     * @param local   this region's table client
     * @param mirror  the other region's table client, if this function mirrors
     * @param timings the mirror's call timeout and breaker
     */
    public AckJournal(DynamoDbClient local, Optional<DynamoDbClient> mirror, String table, Clock clock,
                      Timings timings) {
        this.local = local;
        this.mirror = mirror;
        this.table = table;
        this.clock = clock;
        this.breaker = timings.mirrorBreaker();
        this.mirrorCallTimeout = timings.mirrorCallTimeout();
    }

    static String partitionKey(String scopedKey) {
        return PREFIX + scopedKey;
    }

    /**
     * Writes the record, mirrored if it can, and says where it went. Never throws: the payment is
     * stored whatever happens here; the caller acknowledges it only when a table took the record
     * ({@link Durability#NONE} and {@link Durability#CONFLICT} are not acknowledgements).
     */
    public synchronized Durability record(Ack ack, Deadline deadline) {
        long expiresAt = clock.instant().plus(TTL).getEpochSecond();
        if (mirror.isEmpty()) {
            return writeLocally(ack.withDurability(Durability.LOCAL), expiresAt, deadline);
        }
        Durability result;
        Long mirrorMillis = null;
        boolean mirrorFailed = true;
        if (clock.instant().isBefore(skipMirrorUntil)) {
            Log.error("ack_mirror_skipped", "payment_id", ack.paymentId(), "until", skipMirrorUntil.toString());
            result = writeLocally(ack.withDurability(Durability.DEGRADED), expiresAt, deadline);
        } else {
            long start = System.nanoTime();
            try {
                result = put(mirror.get(), ack.withDurability(Durability.MIRRORED), expiresAt,
                        o -> o.apiCallTimeout(deadline.cap(mirrorCallTimeout))) ? Durability.MIRRORED : Durability.CONFLICT;
                failuresInARow = 0;
                mirrorFailed = false;
            } catch (SdkException e) {
                failuresInARow++;
                if (failuresInARow >= FAILURES_TO_TRIP) {
                    skipMirrorUntil = clock.instant().plus(breaker);
                }
                Log.error("ack_mirror_failed", "payment_id", ack.paymentId(), "error", e.getClass().getSimpleName(),
                        "message", String.valueOf(e.getMessage()), "failures_in_a_row", Integer.toString(failuresInARow));
                result = writeLocally(ack.withDurability(Durability.DEGRADED), expiresAt, deadline);
            }
            mirrorMillis = (System.nanoTime() - start) / 1_000_000;
        }
        metricLine(ack, result, mirrorFailed, mirrorMillis);
        return result;
    }

    /** The record written in this region; {@link Durability#NONE} if even that failed. */
    private Durability writeLocally(Ack ack, long expiresAt, Deadline deadline) {
        try {
            return put(local, ack, expiresAt, o -> o.apiCallTimeout(deadline.cap(IdempotencyStore.CALL_TIMEOUT)))
                    ? Durability.valueOf(ack.durability().toUpperCase(java.util.Locale.ROOT)) : Durability.CONFLICT;
        } catch (SdkException e) {
            Log.error("ack_record_failed", "payment_id", ack.paymentId(), "error", e.getClass().getSimpleName());
            return Durability.NONE;
        }
    }

    /**
     * Writes the record unless one is there; true when the key's record is this request's (just
     * written, or already there: an earlier acknowledgement of the same payment, or this call's own
     * first attempt whose response was lost), false when it is another request body's.
     */
    private boolean put(DynamoDbClient client, Ack ack, long expiresAt,
                        Consumer<AwsRequestOverrideConfiguration.Builder> limits) {
        try {
            client.putItem(b -> b.tableName(table).overrideConfiguration(limits)
                    .item(ack.toItem(expiresAt))
                    .conditionExpression("attribute_not_exists(pk)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException recorded) {
            AttributeValue hash = recorded.hasItem() ? recorded.item().get("request_hash") : null;
            if (hash == null || ack.requestHash().equals(hash.s())) {
                return true;
            }
            Log.error("ack_record_conflict", "payment_id", ack.paymentId(), "recorded_payment_id",
                    recorded.item().get("payment_id") == null ? "?" : recorded.item().get("payment_id").s());
            return false;
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
     * One log line that is also a CloudWatch embedded-metric record: whether the mirror failed (or
     * was skipped) for this payment, so its record is not in the other region, and how long the
     * mirror write took.
     */
    private static void metricLine(Ack ack, Durability durability, boolean mirrorFailed, Long mirrorMillis) {
        JsonObject line = new JsonObject();
        line.addProperty("level", durability == Durability.MIRRORED ? "INFO" : "ERROR");
        line.addProperty("event", "ack_recorded");
        line.addProperty("payment_id", ack.paymentId());
        line.addProperty("durability", durability.label());
        line.addProperty(FAILED_METRIC, mirrorFailed ? 1 : 0);
        JsonArray metrics = new JsonArray();
        metrics.add(EmbeddedMetrics.metric(FAILED_METRIC, "Count"));
        if (mirrorMillis != null) {
            line.addProperty(LATENCY_METRIC, mirrorMillis);
            metrics.add(EmbeddedMetrics.metric(LATENCY_METRIC, "Milliseconds"));
        }
        // no dimension: one series per region (each region's functions publish in their own region)
        line.add("_aws", EmbeddedMetrics.directive(METRIC_NAMESPACE, List.of(), metrics, System.currentTimeMillis()));
        Log.line(line);
    }


    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
