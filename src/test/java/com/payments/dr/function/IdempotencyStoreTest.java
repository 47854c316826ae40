package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.function.IdempotencyStore.Claim;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** The idempotency records against DynamoDB Local. */
class IdempotencyStoreTest {

    private static final String TABLE = "idempotency-store-test";
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    private static final Deadline D = Deadline.after(java.time.Duration.ofHours(1));
    private static TestDynamo dynamo;

    @BeforeAll
    static void createTable() {
        dynamo = TestDynamo.shared();
        dynamo.createTable(TABLE);
    }

    private static IdempotencyStore storeAt(Instant now) {
        return new IdempotencyStore(dynamo.client(), TABLE, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String key() {
        return "key-" + UUID.randomUUID();
    }

    private static Map<String, AttributeValue> item(String key) {
        return dynamo.client().getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(IdempotencyStore.partitionKey(key))))).item();
    }

    @Test
    void claimWritesAnInProgressRecordWithALeaseAndTtl() {
        String key = key();
        Claim claim = storeAt(T0).claim(key, "hash-a", "us-east-1", D);
        Claim.Acquired acquired = assertInstanceOf(Claim.Acquired.class, claim);
        Map<String, AttributeValue> item = item(key);
        assertEquals("IDEMPOTENCY#" + key, item.get("pk").s());
        assertEquals("IN_PROGRESS", item.get("status").s());
        assertEquals("hash-a", item.get("request_hash").s());
        assertEquals(acquired.leaseToken(), item.get("lease_token").s());
        assertEquals(Long.toString(T0.getEpochSecond() + 60), item.get("lease_expires_at").n());
        assertEquals(Long.toString(T0.getEpochSecond() + 86400), item.get("expires_at").n());
        assertEquals("us-east-1", item.get("region").s());
    }

    @Test
    void aSecondClaimSeesInProgressThenMismatchForAnotherBody() {
        String key = key();
        IdempotencyStore store = storeAt(T0);
        assertInstanceOf(Claim.Acquired.class, store.claim(key, "hash-a", "us-east-1", D));
        assertEquals(new Claim.InProgress(60), store.claim(key, "hash-a", "us-west-2", D));
        assertEquals(new Claim.InProgress(15), storeAt(T0.plusSeconds(45)).claim(key, "hash-a", "us-west-2", D));
        assertInstanceOf(Claim.Mismatch.class, store.claim(key, "hash-b", "us-east-1", D));
    }

    @Test
    void completedRecordsReturnTheStoredResponse() {
        String key = key();
        IdempotencyStore store = storeAt(T0);
        Claim.Acquired acquired = (Claim.Acquired) store.claim(key, "hash-a", "us-east-1", D);
        assertTrue(store.complete(key, acquired.leaseToken(), 201, "{\"payment_id\":\"p\"}", D));
        Map<String, AttributeValue> item = item(key);
        assertEquals("COMPLETED", item.get("status").s());
        assertFalse(item.containsKey("lease_token"));
        Claim replay = storeAt(T0.plusSeconds(3600)).claim(key, "hash-a", "us-west-2", D);
        assertEquals(new Claim.Completed(201, "{\"payment_id\":\"p\"}"), replay);
        assertInstanceOf(Claim.Mismatch.class, store.claim(key, "hash-b", "us-east-1", D));
    }

    @Test
    void anExpiredLeaseIsTakenOverOnlyBySameRequest() {
        String key = key();
        Claim.Acquired first = (Claim.Acquired) storeAt(T0).claim(key, "hash-a", "us-east-1", D);
        IdempotencyStore later = storeAt(T0.plusSeconds(61));
        assertInstanceOf(Claim.Mismatch.class, later.claim(key, "hash-b", "us-east-1", D));
        Claim.Acquired second = (Claim.Acquired) later.claim(key, "hash-a", "us-west-2", D);
        assertNotEquals(first.leaseToken(), second.leaseToken());
        // The crashed first attempt can neither complete nor delete its successor's record.
        assertFalse(later.complete(key, first.leaseToken(), 201, "{}", D));
        assertFalse(later.release(key, first.leaseToken(), D));
        assertEquals(second.leaseToken(), item(key).get("lease_token").s());
    }

    @Test
    void aRecordPastItsTtlCountsAsAbsentEvenBeforeDynamoDbSweepsIt() {
        String key = key();
        IdempotencyStore store = storeAt(T0);
        Claim.Acquired acquired = (Claim.Acquired) store.claim(key, "hash-a", "us-east-1", D);
        store.complete(key, acquired.leaseToken(), 201, "{}", D);
        Claim fresh = storeAt(T0.plusSeconds(86401)).claim(key, "hash-b", "us-east-1", D);
        assertInstanceOf(Claim.Acquired.class, fresh);
    }

    @Test
    void releaseDeletesOnlyTheOwnInProgressRecord() {
        String key = key();
        IdempotencyStore store = storeAt(T0);
        Claim.Acquired acquired = (Claim.Acquired) store.claim(key, "hash-a", "us-east-1", D);
        assertFalse(store.release(key, "someone-else", D));
        assertTrue(store.release(key, acquired.leaseToken(), D));
        assertTrue(item(key).isEmpty());
        assertInstanceOf(Claim.Acquired.class, store.claim(key, "hash-b", "us-east-1", D));
    }

    @Test
    void aRecordThatKeepsVanishingBetweenPutAndGetIsReportedBusy() {
        String key = key();
        storeAt(T0).claim(key, "hash-a", "us-east-1", D);
        Faults faults = new Faults();
        faults.getFindsNothing = true;
        try (var client = dynamo.functionClient(Fixtures.config("AWS_ENDPOINT_URL_DYNAMODB",
                dynamo.endpoint().toString()), faults)) {
            IdempotencyStore store = new IdempotencyStore(client, TABLE, Clock.fixed(T0, ZoneOffset.UTC));
            assertEquals(new Claim.InProgress(1), store.claim(key, "hash-a", "us-east-1", D));
        }
    }

    @Test
    void aClaimRetriedBySdkAfterALostResponseIsAcquiredWithTheSameToken() {
        String key = key();
        Faults faults = new Faults();
        faults.lostPutResponses = 1;
        try (var client = dynamo.functionClient(Fixtures.config("AWS_ENDPOINT_URL_DYNAMODB",
                dynamo.endpoint().toString()), faults)) {
            IdempotencyStore store = new IdempotencyStore(client, TABLE, Clock.fixed(T0, ZoneOffset.UTC));
            Claim.Acquired acquired = assertInstanceOf(Claim.Acquired.class,
                    store.claim(key, "hash-a", "us-east-1", D));
            // The SDK sent the put again (a slow machine may time an attempt out too), then one read.
            assertEquals("GetItemRequest", faults.attempts.get(faults.attempts.size() - 1));
            assertTrue(faults.attempts.stream().filter("PutItemRequest"::equals).count() >= 2, faults.attempts::toString);
            assertEquals(acquired.leaseToken(), item(key).get("lease_token").s());
            // Another request with the same body still sees it as in progress.
            assertInstanceOf(Claim.InProgress.class, storeAt(T0).claim(key, "hash-a", "us-east-1", D));
            assertTrue(store.shortenLease(key, acquired.leaseToken(), java.time.Duration.ofSeconds(6), D));
            assertEquals(Long.toString(T0.getEpochSecond() + 6), item(key).get("lease_expires_at").n());
            assertFalse(store.shortenLease(key, "someone-else", java.time.Duration.ofSeconds(6), D));
        }
    }

    @Test
    void aCompleteOrReleaseRetriedBySdkAfterItAppliedIsSuccessNotALostLease() {
        Faults faults = new Faults();
        try (var client = dynamo.functionClient(Fixtures.config("AWS_ENDPOINT_URL_DYNAMODB",
                dynamo.endpoint().toString()), faults)) {
            IdempotencyStore store = new IdempotencyStore(client, TABLE, Clock.fixed(T0, ZoneOffset.UTC));
            String done = key();
            Claim.Acquired first = assertInstanceOf(Claim.Acquired.class, store.claim(done, "hash-a", "us-east-1", D));
            faults.lostUpdateResponses = 1;
            assertTrue(store.complete(done, first.leaseToken(), 201, "{\"payment_id\":\"p-1\"}", D),
                    "the retry found its own response: not a lost lease");
            assertTrue(faults.attempts.stream().filter("UpdateItemRequest"::equals).count() >= 2, faults.attempts::toString);
            assertEquals("COMPLETED", item(done).get("status").s());
            // Another response, or a record another request completed, is a lost lease.
            assertFalse(store.complete(done, first.leaseToken(), 201, "{\"payment_id\":\"p-2\"}", D));
            assertFalse(store.complete(done, first.leaseToken(), 200, "{\"payment_id\":\"p-1\"}", D));
            String taken = key();
            assertInstanceOf(Claim.Acquired.class, store.claim(taken, "hash-a", "us-east-1", D));
            assertFalse(store.complete(taken, "someone-else", 201, "{}", D), "still IN_PROGRESS under another lease");

            String released = key();
            Claim.Acquired lease = assertInstanceOf(Claim.Acquired.class,
                    store.claim(released, "hash-a", "us-east-1", D));
            faults.lostDeleteResponses = 1;
            assertTrue(store.release(released, lease.leaseToken(), D), "the retry found the record gone");
            assertTrue(faults.attempts.stream().filter("DeleteItemRequest"::equals).count() >= 2, faults.attempts::toString);
            assertTrue(item(released).isEmpty());
            assertFalse(store.release(taken, "someone-else", D), "held under another lease: not released");
            assertFalse(store.release(done, first.leaseToken(), D), "completed: never deleted");
        }
    }

    @Test
    void probeReadsTheTableAndFailsWhenItIsMissing() {
        storeAt(T0).probe(D);
        IdempotencyStore missing = new IdempotencyStore(dynamo.client(), "no-such-table", Clock.systemUTC());
        assertThrows(ResourceNotFoundException.class, () -> missing.probe(D));
    }
}
