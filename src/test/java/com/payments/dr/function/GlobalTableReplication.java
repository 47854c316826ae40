package com.payments.dr.function;

import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A DynamoDB global table's asynchronous replication between two DynamoDB Local engines: each
 * region's stream (new and old images) is read every {@link #POLL_MILLIS} and every write is applied
 * to the other region {@code delayMillis} after it was seen, both ways at once.
 *
 * <p>Conflicts: <b>last writer wins on the write's time</b>, as global tables reconcile concurrent
 * writes to one item (the later write survives in every region). A write's time is when its stream
 * record was first seen, ties broken by the order seen (DynamoDB Local's ApproximateCreationDateTime
 * has whole seconds only); a replicated write is skipped when the target's copy of the item was
 * written later. The
 * replicator's own writes come back on the target's stream and are recognised (same image) so they
 * are not sent back (one queue of images per item: several replicated writes of an item can land
 * before its stream shows the first). A replicated write is conditional on the target item being
 * what replication last knew of it: a local write its stream has not shown yet is later, and wins.
 */
final class GlobalTableReplication implements AutoCloseable {

    static final long POLL_MILLIS = 10;

    /** One region's end: its table, its stream, what it holds as far as replication knows. */
    private static final class End {
        final String name;
        final DynamoDbClient client;
        final DynamoDbStreamsClient streams;
        final String table;
        final String streamArn;
        final DelayQueue<Pending> inbound = new DelayQueue<>();
        /** pk → version (time, order seen) of the write its current copy came from. */
        final Map<String, long[]> written = new ConcurrentHashMap<>();
        /**
         * pk → images this replicator wrote there, to be recognised on its stream: a queue per key,
         * since two replicated writes of one item can both land before the stream shows the first.
         */
        final Map<String, java.util.Queue<String>> echoes = new ConcurrentHashMap<>();
        /** pk → the item as the latest write seen on this end's stream or applied here left it. */
        final Map<String, Map<String, AttributeValue>> images = new ConcurrentHashMap<>();
        /** Writes from this end held back while the regions are cut off from each other. */
        final List<Pending> held = new java.util.ArrayList<>();
        final Map<String, String> iterators = new HashMap<>();
        final Set<String> finishedShards = new HashSet<>();
        List<Shard> shards = List.of();
        long shardsListedAt;
        End other;

        End(String name, TestDynamo engine, Region region, String table, String streamArn) {
            this.name = name;
            this.client = TestDynamo.clientFor(engine.endpoint(), region);
            this.table = table;
            this.streamArn = streamArn;
            this.streams = streamsClient(engine.endpoint(), region);
        }
    }

    /**
     * A write to apply. {@code order} breaks ties of {@code writtenAt}: the records of one poll share
     * a time, and a claim and its release applied the other way round would leave a stale claim.
     */
    private record Pending(String pk, Map<String, AttributeValue> image, long writtenAt, long order, long dueMillis)
            implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueMillis - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Pending that = (Pending) other;
            return dueMillis != that.dueMillis ? Long.compare(dueMillis, that.dueMillis) : Long.compare(order, that.order);
        }

        /** The write's version: its time, then the order it was seen in. */
        long[] version() {
            return new long[] {writtenAt, order};
        }
    }

    private final long delayMillis;
    /** Up to this much more per write (the lag varies; last writer wins keeps the order per item). */
    private volatile long jitterMillis;
    private final End primary;
    private final End dr;
    private final List<Thread> threads;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong seenOrder = new AtomicLong();
    private final AtomicLong superseded = new AtomicLong();
    /** Writes taken from an inbound queue and not yet applied or skipped. */
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean running = true;
    private boolean cut;
    private volatile RuntimeException failure;

    GlobalTableReplication(TestDynamo primaryEngine, Region primaryRegion, String primaryTable, String primaryStream,
            TestDynamo drEngine, Region drRegion, String drTable, String drStream, long delayMillis) {
        this.delayMillis = delayMillis;
        primary = new End("primary", primaryEngine, primaryRegion, primaryTable, primaryStream);
        dr = new End("dr", drEngine, drRegion, drTable, drStream);
        primary.other = dr;
        dr.other = primary;
        threads = List.of(worker(() -> read(primary)), worker(() -> read(dr)),
                worker(() -> apply(dr)), worker(() -> apply(primary)));
        threads.forEach(Thread::start);
    }

    /** One round of a worker's work. */
    private interface Round {
        void run() throws InterruptedException;
    }

    /**
     * A daemon thread repeating {@code round} while replication runs: interrupted, it ends; a
     * failure while still running is kept for the test to see, and ends it too.
     */
    private Thread worker(Round round) {
        Thread t = new Thread(() -> {
            while (running) {
                try {
                    round.run();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (running) {
                        failure = e;
                    }
                    return;
                }
            }
        }, "global-table-replication");
        t.setDaemon(true);
        return t;
    }

    long delayMillis() {
        return delayMillis;
    }

    /** Each write is delivered up to {@code millis} later than the base delay, drawn per write. */
    void jitter(long millis) {
        jitterMillis = millis;
    }

    long applied() {
        return applied.get();
    }

    /** Replicated writes skipped because the target held a later write of the item. */
    long superseded() {
        return superseded.get();
    }

    /** Whether nothing is waiting to be applied in either direction. */
    boolean idle() {
        return primary.inbound.isEmpty() && dr.inbound.isEmpty();
    }

    private static DynamoDbStreamsClient streamsClient(URI endpoint, Region region) {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** One round of reading {@code from}'s stream: every shard's new records, or a short wait. */
    private void read(End from) throws InterruptedException {
        boolean any = false;
        if (System.currentTimeMillis() - from.shardsListedAt > 1000) {
            from.shards = from.streams.describeStream(b -> b.streamArn(from.streamArn))
                    .streamDescription().shards();
            from.shardsListedAt = System.currentTimeMillis();
        }
        for (Shard shard : from.shards) {
            if (from.finishedShards.contains(shard.shardId())) {
                continue;
            }
            String iterator = from.iterators.computeIfAbsent(shard.shardId(), id -> from.streams
                    .getShardIterator(b -> b.streamArn(from.streamArn).shardId(id)
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
            var result = from.streams.getRecords(b -> b.shardIterator(iterator));
            long seen = System.currentTimeMillis();
            for (Record r : result.records()) {
                any = true;
                seen(from, r, seen);
            }
            if (result.nextShardIterator() == null) {
                from.finishedShards.add(shard.shardId());
                from.iterators.remove(shard.shardId());
            } else {
                from.iterators.put(shard.shardId(), result.nextShardIterator());
            }
        }
        if (!any) {
            Thread.sleep(POLL_MILLIS);
        }
    }

    private void seen(End from, Record r, long seen) {
        String pk = r.dynamodb().keys().get("pk").s();
        Map<String, AttributeValue> image = r.eventName() == OperationType.REMOVE ? null : r.dynamodb().newImage();
        String fingerprint = fingerprint(image);
        java.util.Queue<String> echoes = from.echoes.get(pk);
        if (echoes != null && echoes.remove(fingerprint)) {
            return;
        }
        long jitter = jitterMillis > 0 ? java.util.concurrent.ThreadLocalRandom.current().nextLong(jitterMillis + 1) : 0;
        Pending write = new Pending(pk, image, seen, seenOrder.incrementAndGet(), seen + delayMillis + jitter);
        // an idempotency record has a status and a region, an acknowledgement record a durability
        trace(pk, "seen at " + from.name + " " + seen + "/" + write.order() + " " + (image == null ? "deleted"
                : attribute(image, "status") + " " + attribute(image, "region") + " " + attribute(image, "durability")));
        from.written.merge(pk, write.version(), (a, b) -> later(a, b) ? a : b);
        if (image == null) {
            from.images.remove(pk);
        } else {
            from.images.put(pk, image);
        }
        synchronized (this) {
            if (cut) {
                from.held.add(write);
                return;
            }
        }
        from.other.inbound.add(write);
    }

    private static String attribute(Map<String, AttributeValue> image, String name) {
        AttributeValue value = image.get(name);
        return value == null ? "-" : value.s();
    }

    /**
     * The regions lose each other (a regional failure): nothing more is delivered either way, and
     * what was in transit is held with the writes that follow, as a global table keeps a replica's
     * unreplicated writes until the region is back.
     */
    synchronized void cut() {
        cut = true;
        hold(dr.inbound, primary.held);
        hold(primary.inbound, dr.held);
    }

    /** Moves every queued write, due or not (a DelayQueue's drainTo takes only the due ones). */
    private static void hold(DelayQueue<Pending> inbound, List<Pending> held) {
        for (Delayed d : inbound.toArray(new Delayed[0])) {
            if (inbound.remove(d)) {
                held.add((Pending) d);
            }
        }
    }

    /** The primary's item keys written there and not delivered to DR since the cut. */
    synchronized Set<String> strandedPrimaryKeys() {
        Set<String> keys = new HashSet<>();
        primary.held.forEach(p -> keys.add(p.pk()));
        return keys;
    }

    /**
     * The region is back: everything held is delivered now, each write keeping its own time, so
     * last writer wins decides between a stranded write and what the other region wrote since.
     * Returns how many writes were held.
     */
    synchronized int heal() {
        int count = primary.held.size() + dr.held.size();
        long now = System.currentTimeMillis();
        for (End from : List.of(primary, dr)) {
            for (Pending p : from.held) {
                from.other.inbound.add(new Pending(p.pk(), p.image(), p.writtenAt(), p.order(), now));
            }
            from.held.clear();
        }
        cut = false;
        return count;
    }

    /**
     * Waits until every write seen has been applied (or superseded) and both streams have nothing
     * new, then returns the items that differ between the two tables (empty when they are equal).
     */
    List<String> awaitIdleAndCompare(java.time.Duration limit) throws InterruptedException {
        long end = System.currentTimeMillis() + limit.toMillis();
        List<String> differences = List.of();
        while (System.currentTimeMillis() < end) {
            check();
            long before = seenOrder.get() + applied.get() + superseded.get();
            Thread.sleep(delayMillis + jitterMillis + 20 * POLL_MILLIS);
            if (idle() && pending.get() == 0 && before == seenOrder.get() + applied.get() + superseded.get()) {
                differences = differences();
                if (differences.isEmpty()) {
                    return differences;
                }
            }
        }
        return differences;
    }

    private List<String> differences() {
        Map<String, Map<String, AttributeValue>> left = scan(primary);
        Map<String, Map<String, AttributeValue>> right = scan(dr);
        List<String> out = new java.util.ArrayList<>();
        Set<String> keys = new java.util.TreeSet<>(left.keySet());
        keys.addAll(right.keySet());
        for (String pk : keys) {
            if (!java.util.Objects.equals(left.get(pk), right.get(pk))) {
                out.add(pk + ": primary " + left.get(pk) + " (version " + version(primary, pk) + ") / dr "
                        + right.get(pk) + " (version " + version(dr, pk) + "); replication's history of it: " + traces.get(pk));
            }
        }
        return out;
    }

    /** Every item of one end's table, by pk (a consistent scan). */
    Map<String, Map<String, AttributeValue>> scan(boolean primarySide) {
        return scan(primarySide ? primary : dr);
    }

    private static String version(End end, String pk) {
        long[] v = end.written.get(pk);
        return v == null ? "none" : v[0] + "/" + v[1];
    }

    private static Map<String, Map<String, AttributeValue>> scan(End end) {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        end.client.scanPaginator(b -> b.tableName(end.table).consistentRead(true)).items()
                .forEach(item -> items.put(item.get("pk").s(), item));
        return items;
    }

    /** pk → what replication did with each write of the item, for the message when the tables differ. */
    private final Map<String, java.util.Queue<String>> traces = new ConcurrentHashMap<>();

    private void trace(String pk, String line) {
        traces.computeIfAbsent(pk, k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(line);
    }

    private static boolean later(long[] a, long[] b) {
        return a[0] != b[0] ? a[0] > b[0] : a[1] > b[1];
    }

    private static String fingerprint(Map<String, AttributeValue> image) {
        return image == null ? "deleted" : new java.util.TreeMap<>(image).toString();
    }

    /** One round of applying at {@code to}: the next replicated write, if one comes within 100 ms. */
    private void apply(End to) throws InterruptedException {
        Pending p = to.inbound.poll(100, TimeUnit.MILLISECONDS);
        if (p == null) {
            return;
        }
        pending.incrementAndGet();
        long[] current = to.written.get(p.pk());
        if (current != null && later(current, p.version())) {
            trace(p.pk(), "superseded at " + to.name + " " + p.writtenAt() + "/" + p.order() + " by "
                    + current[0] + "/" + current[1]);
            superseded.incrementAndGet();
            pending.decrementAndGet();
            return;
        }
        String fingerprint = fingerprint(p.image());
        java.util.Queue<String> echoes = to.echoes.computeIfAbsent(p.pk(),
                k -> new java.util.concurrent.ConcurrentLinkedQueue<>());
        echoes.add(fingerprint);
        Map<String, AttributeValue> expected = to.images.get(p.pk());
        if (write(to, p, expected)) {
            // unless the stream has meanwhile shown a local write that followed this one
            to.written.merge(p.pk(), p.version(), (a, b) -> later(a, b) ? a : b);
            if (expected == null && p.image() != null) {
                to.images.putIfAbsent(p.pk(), p.image());
            } else if (expected != null && p.image() == null) {
                to.images.remove(p.pk(), expected);
            } else if (expected != null) {
                to.images.replace(p.pk(), expected, p.image());
            }
            trace(p.pk(), "applied at " + to.name + " " + p.writtenAt() + "/" + p.order());
            applied.incrementAndGet();
        } else {
            echoes.remove(fingerprint);
            trace(p.pk(), "overtaken at " + to.name + " " + p.writtenAt() + "/" + p.order());
            superseded.incrementAndGet();
        }
        pending.decrementAndGet();
    }

    /**
     * Applies a replicated write only if the target item is still what replication last knew of
     * it. Otherwise a local write has landed that its stream has not shown yet: it is later than
     * this replicated write (which was checked against everything seen), so it wins and the
     * replicated write is dropped, as a global table keeps the later write.
     */
    private static boolean write(End to, Pending p, Map<String, AttributeValue> expected) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String condition;
        if (expected == null) {
            names.put("#pk", "pk");
            condition = "attribute_not_exists(#pk)";
        } else {
            List<String> terms = new java.util.ArrayList<>();
            int i = 0;
            for (Map.Entry<String, AttributeValue> e : expected.entrySet()) {
                names.put("#a" + i, e.getKey());
                values.put(":v" + i, e.getValue());
                terms.add("#a" + i + " = :v" + i);
                i++;
            }
            condition = String.join(" AND ", terms);
        }
        Map<String, AttributeValue> conditionValues = values.isEmpty() ? null : values;
        try {
            if (p.image() == null) {
                to.client.deleteItem(b -> b.tableName(to.table).key(Map.of("pk", AttributeValue.fromS(p.pk())))
                        .conditionExpression(condition).expressionAttributeNames(names)
                        .expressionAttributeValues(conditionValues));
            } else {
                to.client.putItem(b -> b.tableName(to.table).item(p.image()).conditionExpression(condition)
                        .expressionAttributeNames(names).expressionAttributeValues(conditionValues));
            }
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException overtaken) {
            return false;
        }
    }

    /** Fails if a replication thread died (an engine error), so a broken replica never passes as lag. */
    void check() {
        if (failure != null) {
            throw new IllegalStateException("global table replication failed", failure);
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (End end : List.of(primary, dr)) {
            end.streams.close();
            end.client.close();
        }
    }
}
