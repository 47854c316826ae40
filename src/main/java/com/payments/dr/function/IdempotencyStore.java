package com.payments.dr.function;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Idempotency records in the DynamoDB global table.
 *
 * <p>Key schema: partition key {@code pk} (S), no sort key; TTL attribute {@code expires_at}
 * (epoch seconds). Items: {@code IDEMPOTENCY#<merchant>/<key>} per payment request and
 * {@code HEALTH#probe}, which is only ever read. A record is claimed with a conditional put
 * ({@code IN_PROGRESS} with a lease token made once per request), then either completed with the
 * stored response or deleted, both conditioned on the lease token so a request whose lease was
 * taken over can never overwrite its successor.
 *
 * <p>The SDK retries a put whose response was lost after the write applied; the retry then fails
 * its condition on the request's own record. The token tells the two apart: a record carrying this
 * request's token is this request's claim.
 *
 * <p>Conditional writes are atomic within one region only; a near-simultaneous duplicate in the
 * other region is still caught by the unique idempotency key on the payments table.
 */
public final class IdempotencyStore {

    static final Duration RECORD_TTL = Duration.ofHours(24);
    static final Duration LEASE = Duration.ofSeconds(60);
    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String COMPLETED = "COMPLETED";
    /** One DynamoDB call, retries included, never takes longer than this (or the request's budget). */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    private static final int CLAIM_ATTEMPTS = 3;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration lease;

    public IdempotencyStore(DynamoDbClient dynamo, String table, Clock clock) {
        this(dynamo, table, clock, LEASE);
    }

    /** @param lease how long a claim holds its key ({@link #LEASE} when deployed) */
    IdempotencyStore(DynamoDbClient dynamo, String table, Clock clock, Duration lease) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.lease = lease;
    }

    /** What claiming a key found. */
    public sealed interface Claim {
        /** This request owns the key until the lease ends. */
        record Acquired(String leaseToken) implements Claim {
        }

        /** The key was completed before: answer with the stored response. */
        record Completed(int statusCode, String body) implements Claim {
        }

        /** Another request with the same key and body holds a lease for this many more seconds. */
        record InProgress(long retryAfterSeconds) implements Claim {
        }

        /** The key was used with a different request body. */
        record Mismatch() implements Claim {
        }
    }

    static String partitionKey(String scopedKey) {
        return "IDEMPOTENCY#" + scopedKey;
    }

    /**
     * Claims the key for a request. An expired record (TTL passed but not yet swept) or an
     * IN_PROGRESS record whose lease ended (its Lambda died) with the same request hash is taken over.
     */
    public Claim claim(String scopedKey, String requestHash, String region, Deadline deadline) {
        String pk = partitionKey(scopedKey);
        String token = UUID.randomUUID().toString();
        for (int attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
            long now = clock.instant().getEpochSecond();
            try {
                dynamo.putItem(b -> b.tableName(table)
                        .overrideConfiguration(within(deadline))
                        .item(Map.of(
                                "pk", s(pk),
                                "status", s(IN_PROGRESS),
                                "request_hash", s(requestHash),
                                "lease_token", s(token),
                                "lease_expires_at", n(now + lease.toSeconds()),
                                "expires_at", n(now + RECORD_TTL.toSeconds()),
                                "region", s(region)))
                        .conditionExpression("attribute_not_exists(pk) OR expires_at < :now"
                                + " OR (#status = :in_progress AND lease_expires_at < :now AND request_hash = :hash)")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(
                                ":now", n(now), ":in_progress", s(IN_PROGRESS), ":hash", s(requestHash))));
                return new Claim.Acquired(token);
            } catch (ConditionalCheckFailedException e) {
                GetItemResponse existing = dynamo.getItem(b -> b.tableName(table)
                        .overrideConfiguration(within(deadline))
                        .key(Map.of("pk", s(pk))).consistentRead(true));
                if (existing.hasItem()) {
                    return classify(existing.item(), requestHash, token, now);
                }
                // Deleted between our put and get (a failed attempt released it): claim again.
            }
        }
        return new Claim.InProgress(1);
    }

    private static Claim classify(Map<String, AttributeValue> item, String requestHash, String token,
            long now) {
        AttributeValue holder = item.get("lease_token");
        if (holder != null && token.equals(holder.s())) {
            return new Claim.Acquired(token);
        }
        if (!requestHash.equals(item.get("request_hash").s())) {
            return new Claim.Mismatch();
        }
        if (COMPLETED.equals(item.get("status").s())) {
            return new Claim.Completed(Integer.parseInt(item.get("response_status").n()),
                    item.get("response_body").s());
        }
        long leaseEnds = Long.parseLong(item.get("lease_expires_at").n());
        return new Claim.InProgress(Math.max(1, leaseEnds - now));
    }

    /**
     * Stores the response. Returns false if the lease was lost (the payment row is still correct).
     * The item as it was is returned with a failed condition: when the SDK retried a call whose
     * first attempt had applied (the response was lost), the item already holds exactly this
     * response, and that is success, not a lost lease.
     */
    public boolean complete(String scopedKey, String leaseToken, int statusCode, String body,
            Deadline deadline) {
        long now = clock.instant().getEpochSecond();
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .overrideConfiguration(within(deadline))
                    .key(Map.of("pk", s(partitionKey(scopedKey))))
                    .updateExpression("SET #status = :completed, response_status = :code,"
                            + " response_body = :body, expires_at = :expires REMOVE lease_token, lease_expires_at")
                    .conditionExpression("lease_token = :token")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":completed", s(COMPLETED), ":code", n(statusCode), ":body", s(body),
                            ":expires", n(now + RECORD_TTL.toSeconds()), ":token", s(leaseToken)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = e.hasItem() ? e.item() : Map.of();
            return COMPLETED.equals(text(item, "status"))
                    && Integer.toString(statusCode).equals(number(item, "response_status"))
                    && body.equals(text(item, "response_body"));
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static String number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.n();
    }

    /**
     * Deletes this request's IN_PROGRESS record so the client's retry is not blocked. Returns false
     * if the lease had already been taken over. A failed condition on an item that no longer
     * exists is a delete the SDK retried after its first attempt applied: released.
     */
    public boolean release(String scopedKey, String leaseToken, Deadline deadline) {
        try {
            dynamo.deleteItem(b -> b.tableName(table)
                    .overrideConfiguration(within(deadline))
                    .key(Map.of("pk", s(partitionKey(scopedKey))))
                    .conditionExpression("lease_token = :token AND #status = :in_progress")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":token", s(leaseToken), ":in_progress", s(IN_PROGRESS)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return !e.hasItem() || e.item().isEmpty();
        }
    }

    /**
     * Keeps the claim but lets it end {@code after} from now, so the client's retry takes it over
     * once anything still in flight for this request has finished. Returns false if it was lost.
     */
    public boolean shortenLease(String scopedKey, String leaseToken, Duration after, Deadline deadline) {
        long until = clock.instant().getEpochSecond() + after.toSeconds();
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .overrideConfiguration(within(deadline))
                    .key(Map.of("pk", s(partitionKey(scopedKey))))
                    .updateExpression("SET lease_expires_at = :until")
                    .conditionExpression("lease_token = :token")
                    .expressionAttributeValues(Map.of(":until", n(until), ":token", s(leaseToken))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** A read of a fixed item: proves the table is reachable with the function's permissions. */
    public void probe(Deadline deadline) {
        dynamo.getItem(b -> b.tableName(table).overrideConfiguration(within(deadline))
                .key(Map.of("pk", s("HEALTH#probe"))));
    }

    private static Consumer<AwsRequestOverrideConfiguration.Builder> within(Deadline deadline) {
        return o -> o.apiCallTimeout(deadline.cap(CALL_TIMEOUT));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
