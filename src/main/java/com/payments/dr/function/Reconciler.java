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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The reconciliation after an unplanned failover, run by the surviving region's migrator (it has
 * the owner's credentials and the database's network): every acknowledged payment is in the
 * promoted database afterwards, and what the failed primary committed but never replicated is
 * compared with it, from the snapshot Aurora takes of the old primary's volume.
 *
 * <ol>
 *   <li><b>Acknowledgement records</b> ({@link AckJournal}, this region's replica): a payment
 *       acknowledged (mirrored into this region before its answer) whose row the promotion lost
 *       is stored again as it was acknowledged, its own id, time and region.</li>
 *   <li><b>The snapshot</b> (the old primary's volume restored as a temporary cluster, when given):
 *       its rows of the last {@code window} before its newest row that the writer lacks were
 *       committed and never replicated; they are stored too (the client that sent them was told
 *       the outcome was unknown or nothing, and a retry with the same key would get exactly this
 *       payment). A row the writer holds under the same id with other values (time, region) was
 *       stored again after the failover by a client's retry: one payment, merged by its id. The
 *       same id with another amount, currency or merchant is a conflict, reported, never
 *       overwritten.</li>
 *   <li><b>Payments the DR region created while it served</b> (acknowledgement records of role
 *       {@code dr}): flagged for the merge, each marked whether the old primary had committed the
 *       same payment (same id) before the failure.</li>
 * </ol>
 *
 * <p>Idempotent: a second run restores nothing; every insert is {@code ON CONFLICT DO NOTHING}.
 */
public final class Reconciler {

    /** How far before the snapshot's newest row its rows are compared: far beyond any replication lag. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

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
    }

    /**
     * What a run found and did, by payment id.
     *
     * @param acknowledged           acknowledgement records read
     * @param restoredFromAcks       acknowledged payments the writer lacked, stored again
     * @param restoredFromSnapshot   rows only the snapshot held (committed, never replicated), stored
     * @param mergedById             rows in both with other times or regions: stored again by a retry
     * @param conflicts              the same id with other payment values: left for a person
     * @param createdDuringFailover  payments the DR region created, and whether the snapshot held them
     * @param snapshotRows           rows of the snapshot's window compared ({@code -1} without a snapshot)
     */
    public record Result(int acknowledged, List<String> restoredFromAcks, List<String> restoredFromSnapshot,
                         List<String> mergedById, List<String> conflicts, Map<String, Boolean> createdDuringFailover,
                         int snapshotRows) {

        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("result", "reconciled");
            o.addProperty("acknowledgement_records", acknowledged);
            o.add("restored_from_acknowledgements", array(restoredFromAcks));
            o.add("restored_from_snapshot", array(restoredFromSnapshot));
            o.add("merged_by_payment_id", array(mergedById));
            o.add("conflicts", array(conflicts));
            JsonObject flagged = new JsonObject();
            createdDuringFailover.forEach((id, inSnapshot) -> flagged.addProperty(id,
                    inSnapshot ? "also committed by the old primary (one payment, same id)" : "new in the DR region"));
            o.add("created_during_failover", flagged);
            o.addProperty("snapshot_rows_compared", snapshotRows);
            return o;
        }

        private static JsonArray array(List<String> values) {
            JsonArray a = new JsonArray();
            values.forEach(a::add);
            return a;
        }
    }

    private final DynamoDbClient table;
    private final String tableName;

    public Reconciler(DynamoDbClient table, String tableName) {
        this.table = table;
        this.tableName = tableName;
    }

    /** As {@link #run(Connection, Optional, Duration, Optional)}, over every acknowledgement record. */
    public Result run(Connection writer, Optional<Connection> snapshot, Duration window) throws SQLException {
        return run(writer, snapshot, window, Optional.empty());
    }

    /**
     * @param writer   the promoted cluster, as the schema owner
     * @param snapshot the old primary's volume restored, as the schema owner; empty before it exists
     * @param window   how far before the snapshot's newest row its rows are compared
     * @param since    only acknowledgement records of payments stored from then on (a big table's
     *                 week of records need not be read when the failover was an hour ago)
     */
    public Result run(Connection writer, Optional<Connection> snapshot, Duration window, Optional<Instant> since)
            throws SQLException {
        List<AckJournal.Ack> acks = acknowledgements(since);
        Map<String, Row> held = rows(writer, acks.stream().map(AckJournal.Ack::paymentId).toList());
        List<String> fromAcks = new ArrayList<>();
        for (AckJournal.Ack ack : acks) {
            if (!held.containsKey(ack.paymentId()) && insert(writer, new Row(ack.paymentId(), ack.scopedKey(),
                    ack.requestHash(), ack.amount(), ack.currency(), ack.merchantId(), ack.description(),
                    ack.paymentStatus(), ack.storedRegion(), ack.createdAt()))) {
                fromAcks.add(ack.paymentId());
                Log.warn("payment_restored", "payment_id", ack.paymentId(), "source", "acknowledgement_record");
            }
        }
        List<String> fromSnapshot = new ArrayList<>();
        List<String> merged = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        Map<String, Row> old = Map.of();
        if (snapshot.isPresent()) {
            old = recentRows(snapshot.get(), window);
            Map<String, Row> now = rows(writer, List.copyOf(old.keySet()));
            for (Row row : old.values()) {
                Row current = now.get(row.paymentId());
                if (current == null) {
                    if (insert(writer, row)) {
                        fromSnapshot.add(row.paymentId());
                        Log.warn("payment_restored", "payment_id", row.paymentId(), "source", "snapshot");
                    }
                } else if (!current.samePayment(row)) {
                    conflicts.add(row.paymentId() + ": snapshot " + row + ", writer " + current);
                    Log.error("payment_conflict", "payment_id", row.paymentId());
                } else if (!current.equals(row)) {
                    merged.add(row.paymentId());
                }
            }
        }
        Map<String, Boolean> flagged = new TreeMap<>();
        for (AckJournal.Ack ack : acks) {
            if (FunctionConfig.RegionRole.DR.label().equals(ack.ackedRole())) {
                flagged.put(ack.paymentId(), old.containsKey(ack.paymentId()));
            }
        }
        Result result = new Result(acks.size(), fromAcks, fromSnapshot, merged, conflicts, flagged,
                snapshot.isPresent() ? old.size() : -1);
        Log.info("reconciliation_done", "acknowledgement_records", Integer.toString(acks.size()),
                "restored_from_acknowledgements", Integer.toString(fromAcks.size()),
                "restored_from_snapshot", Integer.toString(fromSnapshot.size()),
                "conflicts", Integer.toString(conflicts.size()));
        return result;
    }

    /**
     * The acknowledgement records in this region's replica (a consistent scan), of payments stored
     * from {@code since} on when given (ISO-8601 times in UTC compare as text, to the second).
     */
    List<AckJournal.Ack> acknowledgements(Optional<Instant> since) {
        List<AckJournal.Ack> acks = new ArrayList<>();
        Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(":ack", AttributeValue.fromS(AckJournal.PREFIX)));
        since.ifPresent(t -> values.put(":since", AttributeValue.fromS(t.toString())));
        table.scanPaginator(b -> b.tableName(tableName).consistentRead(true)
                        .filterExpression("begins_with(pk, :ack)" + (since.isPresent() ? " AND created_at >= :since" : ""))
                        .expressionAttributeValues(values))
                .items().forEach(item -> acks.add(AckJournal.Ack.fromItem(item)));
        return acks;
    }

    /** Rows looked up by payment id, a thousand ids a query. */
    static final int BATCH = 1000;

    private static Map<String, Row> rows(Connection c, List<String> paymentIds) throws SQLException {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int from = 0; from < paymentIds.size(); from += BATCH) {
            List<String> batch = paymentIds.subList(from, Math.min(paymentIds.size(), from + BATCH));
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM payments"
                    + " WHERE payment_id = ANY (?::uuid[])")) {
                Array ids = c.createArrayOf("text", batch.toArray());
                select.setArray(1, ids);
                rows.putAll(read(select));
            }
        }
        return rows;
    }

    /** The snapshot's rows of the last {@code window} before its newest one. */
    private static Map<String, Row> recentRows(Connection c, Duration window) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM payments WHERE created_at"
                + " >= (SELECT max(created_at) FROM payments) - ? * interval '1 second'")) {
            select.setLong(1, window.toSeconds());
            return read(select);
        }
    }

    private static Map<String, Row> read(PreparedStatement select) throws SQLException {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                Row row = new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getBigDecimal(4).setScale(2).toPlainString(), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getString(9), PaymentDatabase.instant(rs, 10));
                rows.put(row.paymentId(), row);
            }
        }
        return rows;
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
