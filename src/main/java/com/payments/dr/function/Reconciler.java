package com.payments.dr.function;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.payments.dr.lambda.Log;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The reconciliation after an unplanned failover, run by the surviving region's migrator (it has
 * the owner's credentials and the database's network): every acknowledged payment whose record is
 * in this region's replica is in the promoted database afterwards, and what the failed primary
 * committed but never replicated is compared with it, from the snapshot Aurora takes of the old
 * primary's volume.
 *
 * <ol>
 *   <li><b>Acknowledgement records</b> ({@link AckJournal}, this region's replica): a payment
 *       acknowledged whose row the promotion lost is stored again as it was acknowledged, its own
 *       id, time and region. A record whose payment id the writer holds with another request hash
 *       is a conflict (the key stored again with another body), reported, never overwritten.
 *       Records of payments acknowledged while the mirror failed ({@code degraded}) are here only
 *       once the global table has delivered them from the primary's replica: run it again when
 *       the primary region is back.</li>
 *   <li><b>The snapshot</b> (the old primary's volume restored as a temporary cluster, when given):
 *       its rows from {@code since} on that the writer lacks were committed and never replicated;
 *       they are stored too, with their own status when an acknowledgement record vouches for
 *       them, else as {@link #RESTORED} (committed, never acknowledged: the client that sent them
 *       was told the outcome was unknown or nothing; a retry with the same key would get exactly
 *       this payment). A row the writer holds under the same id with other values (time, region)
 *       was stored again after the failover by a client's retry: one payment, merged by its id.
 *       The same id with another request hash, amount, currency or merchant is a conflict.</li>
 *   <li><b>Payments the DR region created while it served</b> (acknowledgement records of role
 *       {@code dr}): flagged for the merge, each marked whether the old primary had committed the
 *       same payment (same id) before the failure.</li>
 * </ol>
 *
 * <p>Bounded memory: the records are read a Scan page at a time ({@link #PAGE} items at most) and
 * the snapshot's rows a batch at a time, each page reconciled before the next is read; the answer
 * lists at most {@link #LISTED} ids per finding (with the counts; every id is in the log). A Scan
 * reads the whole table whatever the filter, so {@code since} bounds what is held and compared,
 * not what is read: at 1 payment/s the table holds about 605,000 records (7 days), read in about
 * 600 pages of 1 MB. Idempotent: a second run restores nothing; every insert is {@code ON
 * CONFLICT DO NOTHING}.
 */
public final class Reconciler {

    /** Without a given {@code since}: records (and snapshot rows) of payments stored in the last day. */
    public static final Duration DEFAULT_SINCE = Duration.ofHours(24);
    /** Items one Scan page evaluates at most (a page is also at most 1 MB): all that is held at once. */
    static final int PAGE = 1000;
    /** Ids listed per finding in the answer (a Lambda response is at most 6 MB); all are counted and logged. */
    static final int LISTED = 1000;
    /** The status of a row restored from the snapshot that no acknowledgement record vouches for. */
    public static final String RESTORED = "RESTORED";

    private static final String COLUMNS = "payment_id, idempotency_key, request_hash, amount, currency, merchant_id,"
            + " description, status, region, created_at";

    /** A payments row as the comparison sees it. */
    public record Row(String paymentId, String idempotencyKey, String requestHash, String amount, String currency,
                      String merchantId, String description, String status, String region, String createdAt) {

        /** What the client asked for: the same in every copy of one payment. */
        boolean samePayment(Row other) {
            return requestHash.equals(other.requestHash) && amount.equals(other.amount)
                    && currency.equals(other.currency) && merchantId.equals(other.merchantId);
        }

        Row withStatus(String value) {
            return new Row(paymentId, idempotencyKey, requestHash, amount, currency, merchantId, description, value,
                    region, createdAt);
        }
    }

    /** One finding: how many, and the first {@link #LISTED} of them. */
    public static final class Finding {
        private final List<String> listed = new ArrayList<>();
        private int count;

        void add(String entry) {
            count++;
            if (listed.size() < LISTED) {
                listed.add(entry);
            }
        }

        public int count() {
            return count;
        }

        public List<String> listed() {
            return List.copyOf(listed);
        }
    }

    /**
     * What a run found and did, by payment id.
     *
     * @param since                  the records and snapshot rows compared: payments stored from then on
     * @param sinceGiven             whether the invocation gave it (otherwise {@link #DEFAULT_SINCE} before the run)
     * @param acknowledged           acknowledgement records read (of payments stored since then)
     * @param restoredFromAcks       acknowledged payments the writer lacked, stored again
     * @param restoredFromSnapshot   rows only the snapshot held (committed, never replicated), stored
     * @param mergedById             rows in both with other times or regions: stored again by a retry
     * @param conflicts              the same id with another request: left for a person
     * @param createdDuringFailover  payments the DR region created ("id: new in the DR region" or "id:
     *                               also committed by the old primary")
     * @param snapshotRows           snapshot rows compared ({@code -1} without a snapshot)
     * @param mostHeld               the most records or rows held at once (one page or batch)
     */
    public record Result(Instant since, boolean sinceGiven, int acknowledged, Finding restoredFromAcks,
                         Finding restoredFromSnapshot, Finding mergedById, Finding conflicts,
                         Finding createdDuringFailover, int snapshotRows, int mostHeld) {

        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("result", "reconciled");
            o.addProperty("since", since.toString());
            o.addProperty("since_source", sinceGiven ? "given" : "default: " + DEFAULT_SINCE.toHours()
                    + " hours before the run");
            o.addProperty("acknowledgement_records", acknowledged);
            JsonObject counts = new JsonObject();
            Map<String, Finding> findings = new LinkedHashMap<>();
            findings.put("restored_from_acknowledgements", restoredFromAcks);
            findings.put("restored_from_snapshot", restoredFromSnapshot);
            findings.put("merged_by_payment_id", mergedById);
            findings.put("conflicts", conflicts);
            findings.put("created_during_failover", createdDuringFailover);
            findings.forEach((name, finding) -> {
                JsonArray a = new JsonArray();
                finding.listed().forEach(a::add);
                o.add(name, a);
                counts.addProperty(name, finding.count());
            });
            o.add("counts", counts);
            o.addProperty("listed_at_most", LISTED);
            o.addProperty("snapshot_rows_compared", snapshotRows);
            return o;
        }
    }

    private final DynamoDbClient table;
    private final String tableName;
    private final java.time.Clock clock;

    public Reconciler(DynamoDbClient table, String tableName) {
        this(table, tableName, java.time.Clock.systemUTC());
    }

    Reconciler(DynamoDbClient table, String tableName, java.time.Clock clock) {
        this.table = table;
        this.tableName = tableName;
        this.clock = clock;
    }

    /** As {@link #run(Connection, Optional, Optional)} with the default {@code since}. */
    public Result run(Connection writer, Optional<Connection> snapshot) throws SQLException {
        return run(writer, snapshot, Optional.empty());
    }

    /**
     * @param writer   the promoted cluster, as the schema owner
     * @param snapshot the old primary's volume restored, as the schema owner; empty before it exists
     * @param since    only records and snapshot rows of payments stored from then on: before the
     *                 fault by more than the replication lag then (the runbook derives it from the
     *                 DR region's alarm history); {@link #DEFAULT_SINCE} before now when empty
     */
    public Result run(Connection writer, Optional<Connection> snapshot, Optional<Instant> since) throws SQLException {
        Instant from = since.orElseGet(() -> clock.instant().minus(DEFAULT_SINCE));
        Run run = new Run(writer, snapshot, from);
        run.acknowledgements();
        int snapshotRows = snapshot.isPresent() ? run.snapshotRows() : -1;
        Result result = new Result(from, since.isPresent(), run.acknowledged, run.fromAcks, run.fromSnapshot,
                run.merged, run.conflicts, run.flagged, snapshotRows, run.mostHeld);
        Log.info("reconciliation_done", "since", from.toString(), "acknowledgement_records",
                Integer.toString(run.acknowledged), "restored_from_acknowledgements", Integer.toString(run.fromAcks.count()),
                "restored_from_snapshot", Integer.toString(run.fromSnapshot.count()),
                "conflicts", Integer.toString(run.conflicts.count()));
        return result;
    }

    /** One run's state: the findings so far, nothing else kept between pages. */
    private final class Run {
        final Connection writer;
        final Optional<Connection> snapshot;
        final Instant since;
        int acknowledged;
        int mostHeld;
        final Finding fromAcks = new Finding();
        final Finding fromSnapshot = new Finding();
        final Finding merged = new Finding();
        final Finding conflicts = new Finding();
        final Finding flagged = new Finding();

        Run(Connection writer, Optional<Connection> snapshot, Instant since) {
            this.writer = writer;
            this.snapshot = snapshot;
            this.since = since;
        }

        /** The records in this region's replica, page by page (a consistent scan). */
        void acknowledgements() throws SQLException {
            // ISO-8601 times in UTC compare as text to the second: a second earlier, so none of since's is left out
            Map<String, AttributeValue> values = Map.of(":ack", AttributeValue.fromS(AckJournal.PREFIX),
                    ":since", AttributeValue.fromS(since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            .minusSeconds(1).toString()));
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse page = table.scan(b -> b.tableName(tableName).consistentRead(true).limit(PAGE)
                        .filterExpression("begins_with(pk, :ack) AND created_at >= :since")
                        .expressionAttributeValues(values).exclusiveStartKey(from));
                List<AckJournal.Ack> acks = page.items().stream().map(AckJournal.Ack::fromItem).toList();
                mostHeld = Math.max(mostHeld, acks.size());
                reconcile(acks);
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }

        private void reconcile(List<AckJournal.Ack> acks) throws SQLException {
            acknowledged += acks.size();
            List<String> ids = acks.stream().map(AckJournal.Ack::paymentId).toList();
            Map<String, Row> held = rows(writer, ids);
            for (AckJournal.Ack ack : acks) {
                Row current = held.get(ack.paymentId());
                if (current == null) {
                    if (insert(writer, fromRecord(ack))) {
                        fromAcks.add(ack.paymentId());
                        Log.warn("payment_restored", "payment_id", ack.paymentId(), "source", "acknowledgement_record");
                    }
                } else if (!current.requestHash().equals(ack.requestHash())) {
                    conflicts.add(ack.paymentId() + ": acknowledgement record of request " + ack.requestHash()
                            + " (" + ack.amount() + " " + ack.currency() + ", acknowledged in " + ack.ackedRegion()
                            + "), writer " + current);
                    Log.error("payment_conflict", "payment_id", ack.paymentId(), "source", "acknowledgement_record");
                }
            }
            List<String> drCreated = acks.stream().filter(a -> FunctionConfig.RegionRole.DR.label().equals(a.ackedRole()))
                    .map(AckJournal.Ack::paymentId).toList();
            if (!drCreated.isEmpty()) {
                Map<String, Row> old = snapshot.isPresent() ? rows(snapshot.get(), drCreated) : Map.of();
                for (String id : drCreated) {
                    flagged.add(id + ": " + (old.containsKey(id) ? "also committed by the old primary (one payment,"
                            + " same id)" : "new in the DR region"));
                    Log.info("payment_created_during_failover", "payment_id", id);
                }
            }
        }

        /**
         * The snapshot's rows from {@code since} on, a batch at a time through a cursor (the driver
         * streams only inside a transaction); the number compared.
         */
        int snapshotRows() throws SQLException {
            Connection c = snapshot.orElseThrow();
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            int compared = 0;
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM payments WHERE created_at"
                    + " >= ? ORDER BY created_at")) {
                select.setFetchSize(PAGE);
                select.setObject(1, java.time.OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC));
                try (ResultSet rs = select.executeQuery()) {
                    List<Row> batch = new ArrayList<>(PAGE);
                    while (rs.next()) {
                        batch.add(row(rs));
                        if (batch.size() == PAGE) {
                            compared += compare(batch);
                            batch.clear();
                        }
                    }
                    compared += compare(batch);
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
            return compared;
        }

        private int compare(List<Row> batch) throws SQLException {
            mostHeld = Math.max(mostHeld, batch.size());
            Map<String, Row> now = rows(writer, batch.stream().map(Row::paymentId).toList());
            for (Row row : batch) {
                Row current = now.get(row.paymentId());
                if (current == null) {
                    Row restored = vouched(row);
                    if (insert(writer, restored)) {
                        fromSnapshot.add(row.paymentId());
                        Log.warn("payment_restored", "payment_id", row.paymentId(), "source", "snapshot",
                                "status", restored.status());
                    }
                } else if (!current.samePayment(row)) {
                    conflicts.add(row.paymentId() + ": snapshot " + row + ", writer " + current);
                    Log.error("payment_conflict", "payment_id", row.paymentId(), "source", "snapshot");
                } else if (!current.equals(row)) {
                    merged.add(row.paymentId());
                }
            }
            return batch.size();
        }

        /**
         * A snapshot row with its own status when this region's replica holds the acknowledgement
         * record of the same request (acknowledged, its record arrived after the first pass), else
         * {@link #RESTORED}.
         */
        private Row vouched(Row row) {
            Map<String, AttributeValue> item = table.getItem(b -> b.tableName(tableName).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS(AckJournal.partitionKey(row.idempotencyKey()))))).item();
            boolean acknowledged = item != null && !item.isEmpty()
                    && row.requestHash().equals(AckJournal.Ack.fromItem(item).requestHash());
            return acknowledged ? row : row.withStatus(RESTORED);
        }
    }

    private static Row fromRecord(AckJournal.Ack ack) {
        return new Row(ack.paymentId(), ack.scopedKey(), ack.requestHash(), ack.amount(), ack.currency(),
                ack.merchantId(), ack.description(), ack.paymentStatus(), ack.storedRegion(), ack.createdAt());
    }

    /** Rows looked up by payment id, one query per page of ids. */
    private static Map<String, Row> rows(Connection c, List<String> paymentIds) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        if (paymentIds.isEmpty()) {
            return rows;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM payments"
                + " WHERE payment_id = ANY (?::uuid[])")) {
            Array ids = c.createArrayOf("text", paymentIds.toArray());
            select.setArray(1, ids);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Row row = row(rs);
                    rows.put(row.paymentId(), row);
                }
            }
        }
        return rows;
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getBigDecimal(4).setScale(2).toPlainString(), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getString(9), PaymentDatabase.instant(rs, 10));
    }

    /** Stores {@code row} as it was; false when a row for its id or key is already there. */
    private static boolean insert(Connection c, Row row) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO payments (" + COLUMNS + ") VALUES"
                + " (?::uuid, ?, ?, ?::numeric, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, row.paymentId());
            insert.setString(2, row.idempotencyKey());
            insert.setString(3, row.requestHash());
            insert.setString(4, row.amount());
            insert.setString(5, row.currency());
            insert.setString(6, row.merchantId());
            insert.setString(7, row.description());
            insert.setString(8, row.status());
            insert.setString(9, row.region());
            insert.setObject(10, java.time.OffsetDateTime.ofInstant(Instant.parse(row.createdAt()), java.time.ZoneOffset.UTC));
            return insert.executeUpdate() == 1;
        }
    }
}
