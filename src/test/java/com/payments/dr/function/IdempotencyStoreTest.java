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
        Claim claim = storeAt(T0).claim(key, "hash-a", "us-east-1");
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
        assertInstanceOf(Claim.Acquired.class, store.claim(key, "hash-a", "us-east-1"));
        assertInstanceOf(Claim.InProgress.class, store.claim(key, "hash-a", "us-west-2"));
        assertInstanceOf(Claim.Mismatch.class, store.claim(key, "hash-b", "us-east-1"));
    }

    @Test
    void completedRecordsReturnTheStoredResponse() {
        String key = key();
        IdempotencyStore store = storeAt(T0);
        Claim.Acquired acquired = (Claim.Acquired) store.claim(key, "hash-a", "us-east-1");
        assertTrue(store.complete(key, acquired.leaseToken(), 201, "{\"payment_id\":\"p\"}"));
        Map<String, AttributeValue> item = item(key);
        assertEquals("COMPLETED", item.get("status").s());
        assertFalse(item.containsKey("lease_token"));
        Claim replay = storeAt(T0.plusSeconds(3600)).claim(key, "hash-a", "us-west-2");
        assertEquals(new Claim.Completed(201, "{\"payment_id\":\"p\"}"), replay);
        assertInstanceOf(Claim.Mismatch.class, store.claim(key, "hash-b", "us-east-1"));
    }

    @Test
    void anExpiredLeaseIsTakenOverOnlyBySameRequest() {
        String key = key();
        Claim.Acquired first = (Claim.Acquired) storeAt(T0).claim(key, "hash-a", "us-east-1");
        IdempotencyStore later = storeAt(T0.plusSeconds(61));
        assertInstanceOf(Claim.Mismatch.class, later.claim(key, "hash-b", "us-east-1"));
        Claim.Acquired second = (Claim.Acquired) later.claim(key, "hash-a", "us-west-2");
        assertNotEquals(first.leaseToken(), second.leaseToken());
        // The crashed first attempt can neither complete nor delete its successor's record.
        assertFalse(later.complete(key, first.leaseToken(), 201, "{}"));
        assertFalse(later.release(key, first.leaseToken()));
        assertEquals(second.leaseToken(), item(key).get("lease_token").s());
    }

    @Test
    void aRecordPastItsTtlCountsAsAbsentEvenBeforeDynamoDbSweepsIt() {
        String key = key();
        IdempotencyStore store = storeAt(T0);
        Claim.Acquired acquired = (Claim.Acquired) store.claim(key, "hash-a", "us-east-1");
        store.complete(key, acquired.leaseToken(), 201, "{}");
        Claim fresh = storeAt(T0.plusSeconds(86401)).claim(key, "hash-b", "us-east-1");
        assertInstanceOf(Claim.Acquired.class, fresh);
    }

    @Test
    void releaseDeletesOnlyTheOwnInProgressRecord() {
        String key = key();
        IdempotencyStore store = storeAt(T0);
        Claim.Acquired acquired = (Claim.Acquired) store.claim(key, "hash-a", "us-east-1");
        assertFalse(store.release(key, "someone-else"));
        assertTrue(store.release(key, acquired.leaseToken()));
        assertTrue(item(key).isEmpty());
        assertInstanceOf(Claim.Acquired.class, store.claim(key, "hash-b", "us-east-1"));
    }

    @Test
    void aRecordThatKeepsVanishingBetweenPutAndGetIsReportedBusy() {
        String key = key();
        storeAt(T0).claim(key, "hash-a", "us-east-1");
        FaultyDynamo faulty = new FaultyDynamo(dynamo.client());
        faulty.getFindsNothing = true;
        IdempotencyStore store = new IdempotencyStore(faulty, TABLE, Clock.fixed(T0, ZoneOffset.UTC));
        assertInstanceOf(Claim.InProgress.class, store.claim(key, "hash-a", "us-east-1"));
    }

    @Test
    void probeReadsTheTableAndFailsWhenItIsMissing() {
        storeAt(T0).probe();
        IdempotencyStore missing = new IdempotencyStore(dynamo.client(), "no-such-table", Clock.systemUTC());
        assertThrows(ResourceNotFoundException.class, missing::probe);
    }
}
