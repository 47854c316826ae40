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
 * are not sent back. Limit: a local write that lands in the last {@link #POLL_MILLIS} before a
 * replicated write of the same item, not yet seen on its stream, is overwritten by the older one.
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
        /** pk → images this replicator wrote there, to be recognised on its stream. */
        final Map<String, String> echoes = new ConcurrentHashMap<>();
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
    private final End primary;
    private final End dr;
    private final List<Thread> threads;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong seenOrder = new AtomicLong();
    private final AtomicLong superseded = new AtomicLong();
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    GlobalTableReplication(TestDynamo primaryEngine, Region primaryRegion, String primaryTable, String primaryStream,
            TestDynamo drEngine, Region drRegion, String drTable, String drStream, long delayMillis) {
        this.delayMillis = delayMillis;
        primary = new End("primary", primaryEngine, primaryRegion, primaryTable, primaryStream);
        dr = new End("dr", drEngine, drRegion, drTable, drStream);
        primary.other = dr;
        dr.other = primary;
        threads = List.of(thread(() -> read(primary)), thread(() -> read(dr)),
                thread(() -> apply(dr)), thread(() -> apply(primary)));
        threads.forEach(Thread::start);
    }

    private static Thread thread(Runnable body) {
        Thread t = new Thread(body, "global-table-replication");
        t.setDaemon(true);
        return t;
    }

    long delayMillis() {
        return delayMillis;
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

    private void read(End from) {
        while (running) {
            try {
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
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    failure = e;
                }
                return;
            }
        }
    }

    private void seen(End from, Record r, long seen) {
        String pk = r.dynamodb().keys().get("pk").s();
        Map<String, AttributeValue> image = r.eventName() == OperationType.REMOVE ? null : r.dynamodb().newImage();
        String fingerprint = fingerprint(image);
        if (from.echoes.remove(pk, fingerprint)) {
            return;
        }
        Pending write = new Pending(pk, image, seen, seenOrder.incrementAndGet(), seen + delayMillis);
        from.written.merge(pk, write.version(), (a, b) -> later(a, b) ? a : b);
        from.other.inbound.add(write);
    }

    private static boolean later(long[] a, long[] b) {
        return a[0] != b[0] ? a[0] > b[0] : a[1] > b[1];
    }

    private static String fingerprint(Map<String, AttributeValue> image) {
        return image == null ? "deleted" : new java.util.TreeMap<>(image).toString();
    }

    private void apply(End to) {
        while (running) {
            try {
                Pending p = to.inbound.poll(100, TimeUnit.MILLISECONDS);
                if (p == null) {
                    continue;
                }
                long[] current = to.written.get(p.pk());
                if (current != null && later(current, p.version())) {
                    superseded.incrementAndGet();
                    continue;
                }
                to.echoes.put(p.pk(), fingerprint(p.image()));
                to.written.put(p.pk(), p.version());
                if (p.image() == null) {
                    to.client.deleteItem(b -> b.tableName(to.table).key(Map.of("pk", AttributeValue.fromS(p.pk()))));
                } else {
                    to.client.putItem(b -> b.tableName(to.table).item(p.image()));
                }
                applied.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    failure = e;
                }
                return;
            }
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
