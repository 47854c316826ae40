package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The reconciliation after an unplanned failover, on real engines: the promoted writer, the old
 * primary's snapshot (another database standing in for the restored cluster), the surviving
 * region's replica of the table with its acknowledgement records.
 */
class ReconcilerTest {

    private String table;
    private static final String WRITER = "payments_reconcile_writer";
    private static final String SNAPSHOT = "payments_reconcile_snapshot";
    private static final String MERCHANT = "m-rec";
    private static TestPostgres pg;
    private static DynamoDbClient drTable;

    @BeforeAll
    static void engines() {
        pg = TestPostgres.shared();
        drTable = TestDynamo.clientFor(TestDynamo.shared().endpoint(), Region.US_EAST_2);
    }

    /** Each test its own writer, snapshot and table: what one test stores is not another's finding. */
    @BeforeEach
    void fresh() throws SQLException {
        table = "reconciler-test-" + UUID.randomUUID();
        drTable.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH")));
        for (String db : List.of(WRITER, SNAPSHOT)) {
            pg.createDatabase(db);
            Fixtures.migrate(Fixtures.localConfig(table, db));
        }
    }

    private static PaymentRequest request(String amount) {
        return new PaymentRequest("rec-" + UUID.randomUUID(), new BigDecimal(amount), "USD", MERCHANT,
                Optional.of("invoice " + amount));
    }

    /** A row as the primary stored it, at {@code at}. */
    private static void store(String db, PaymentRequest r, String region, Instant at) throws SQLException {
        try (Connection c = pg.admin(db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO payments (payment_id, idempotency_key, request_hash, amount, currency, merchant_id,"
                    + " description, status, region, created_at) VALUES ('" + r.paymentId() + "', '" + r.scopedKey()
                    + "', '" + r.requestHash() + "', " + r.amount() + ", 'USD', '" + MERCHANT + "', '"
                    + r.description().orElseThrow() + "', 'ACCEPTED', '" + region + "', '" + at + "')");
        }
    }

    /** The acknowledgement record the primary mirrored into the DR replica before answering. */
    private void acknowledge(PaymentRequest r, String role, Instant at) {
        new AckJournal(drTable, Optional.empty(), table, java.time.Clock.systemUTC(), Timings.DEPLOYED)
                .record(new AckJournal.Ack(r.scopedKey(), r.paymentId().toString(), r.requestHash(),
                        r.amount().setScale(2).toPlainString(), "USD", MERCHANT, r.description().orElse(null),
                        "ACCEPTED", role.equals("primary") ? "us-east-1" : "us-east-2", at.toString(), 201, "{}",
                        role.equals("primary") ? "us-east-1" : "us-east-2", role, null),
                        Deadline.after(Duration.ofSeconds(5)));
    }

    private static Map<String, String> row(String db, PaymentRequest r) throws SQLException {
        try (Connection c = pg.admin(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT amount::text, region, created_at, description, count(*) OVER (), status FROM payments WHERE"
                        + " payment_id = '" + r.paymentId() + "'")) {
            if (!rs.next()) {
                return Map.of();
            }
            return Map.of("amount", rs.getString(1), "region", rs.getString(2),
                    "created_at", rs.getObject(3, java.time.OffsetDateTime.class).toInstant().toString(),
                    "description", rs.getString(4), "copies", rs.getString(5), "status", rs.getString(6));
        }
    }

    private static Optional<Instant> since(Instant at) {
        return Optional.of(at);
    }

    @Test
    void everyAcknowledgedPaymentAndEveryUnreplicatedCommitIsStoredAgainAndOnlyOnce() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(30);
        // replicated before the fault: in both
        PaymentRequest replicated = request("10.00");
        store(SNAPSHOT, replicated, "us-east-1", t);
        store(WRITER, replicated, "us-east-1", t);
        acknowledge(replicated, "primary", t);
        // acknowledged, then lost with the primary's last commits: only its record and the snapshot hold it
        PaymentRequest acknowledgedLost = request("11.00");
        store(SNAPSHOT, acknowledgedLost, "us-east-1", t.plusSeconds(1));
        acknowledge(acknowledgedLost, "primary", t.plusSeconds(1));
        // committed, never acknowledged (the region died before the answer): only the snapshot
        PaymentRequest unanswered = request("12.00");
        store(SNAPSHOT, unanswered, "us-east-1", t.plusSeconds(2));
        // committed, unanswered, then stored again by the client's retry in DR: one payment, two copies
        PaymentRequest retried = request("13.00");
        store(SNAPSHOT, retried, "us-east-1", t.plusSeconds(3));
        store(WRITER, retried, "us-east-2", t.plusSeconds(20));
        acknowledge(retried, "dr", t.plusSeconds(20));
        // created in DR while it served, never seen by the old primary
        PaymentRequest newInDr = request("14.00");
        store(WRITER, newInDr, "us-east-2", t.plusSeconds(21));
        acknowledge(newInDr, "dr", t.plusSeconds(21));
        // an old row outside the window: not compared
        PaymentRequest ancient = request("15.00");
        store(SNAPSHOT, ancient, "us-east-1", t.minus(Duration.ofHours(3)));

        Reconciler.Result result;
        try (Connection writer = pg.admin(WRITER); Connection snapshot = pg.admin(SNAPSHOT)) {
            // an hour before the fault, as the runbook derives it
            result = new Reconciler(drTable, table).run(writer, Optional.of(snapshot), since(t.minus(Duration.ofHours(1))));
        }
        assertEquals(List.of(acknowledgedLost.paymentId().toString()), result.restoredFromAcks().listed());
        assertEquals(List.of(unanswered.paymentId().toString()), result.restoredFromSnapshot().listed());
        assertEquals(List.of(retried.paymentId().toString()), result.mergedById().listed());
        assertEquals(List.of(), result.conflicts().listed());
        assertEquals(java.util.Set.of(retried.paymentId() + ": also committed by the old primary (one payment, same id)",
                newInDr.paymentId() + ": new in the DR region"), java.util.Set.copyOf(result.createdDuringFailover().listed()));
        assertEquals(4, result.acknowledged());
        assertEquals(4, result.snapshotRows());
        // stored as acknowledged: its own time, region, description and status
        assertEquals(Map.of("amount", "11.00", "region", "us-east-1", "created_at", t.plusSeconds(1).toString(),
                "description", "invoice 11.00", "copies", "1", "status", "ACCEPTED"), row(WRITER, acknowledgedLost));
        // committed and never acknowledged: marked as restored, not as an acknowledged payment
        assertEquals("us-east-1", row(WRITER, unanswered).get("region"));
        assertEquals(Reconciler.RESTORED, row(WRITER, unanswered).get("status"));
        assertEquals(Map.of(), row(WRITER, ancient));
        // the retried payment keeps the copy the client was answered with
        assertEquals("us-east-2", row(WRITER, retried).get("region"));
        JsonObject answer = result.toJson();
        assertEquals("given", answer.get("since_source").getAsString());
        assertEquals(1, answer.getAsJsonObject("counts").get("restored_from_snapshot").getAsInt());

        // records of payments stored before "since" are not read (a big table's week of records)
        try (Connection writer = pg.admin(WRITER)) {
            Reconciler.Result recent = new Reconciler(drTable, table).run(writer, Optional.empty(), since(t.plusSeconds(10)));
            assertEquals(2, recent.acknowledged());
            assertEquals(-1, recent.snapshotRows());
        }
        // without one, the last day's: the answer says so
        try (Connection writer = pg.admin(WRITER)) {
            Reconciler.Result lastDay = new Reconciler(drTable, table, java.time.Clock.fixed(t.plus(Duration.ofHours(25)),
                    java.time.ZoneOffset.UTC)).run(writer, Optional.empty());
            assertEquals(t.plus(Duration.ofHours(1)), lastDay.since());
            assertEquals(0, lastDay.acknowledged());
            assertEquals("default: 24 hours before the run", lastDay.toJson().get("since_source").getAsString());
        }
        // a second run finds everything in place
        try (Connection writer = pg.admin(WRITER); Connection snapshot = pg.admin(SNAPSHOT)) {
            Reconciler.Result again = new Reconciler(drTable, table).run(writer, Optional.of(snapshot),
                    since(t.minus(Duration.ofHours(1))));
            assertEquals(0, again.restoredFromAcks().count());
            assertEquals(0, again.restoredFromSnapshot().count());
        }
    }

    /**
     * A row the writer holds under an acknowledged payment's id with another request (the key
     * stored again with another body after the failover) is reported, never overwritten; a
     * snapshot-only row an acknowledgement record vouches for keeps its status.
     */
    @Test
    void aHeldRowOfAnotherRequestThanItsRecordIsAConflict() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(30);
        PaymentRequest acknowledged = request("40.00");
        acknowledge(acknowledged, "primary", t);
        PaymentRequest other = new PaymentRequest(acknowledged.idempotencyKey(), new BigDecimal("41.00"), "USD", MERCHANT,
                acknowledged.description());
        store(WRITER, other, "us-east-2", t.plusSeconds(5));
        // acknowledged and lost, its record outside the records' pass (another time in it): the
        // snapshot's pass reads the record and keeps the row's own status
        PaymentRequest late = request("42.00");
        store(SNAPSHOT, late, "us-east-1", t);
        try (Connection writer = pg.admin(WRITER); Connection snapshot = pg.admin(SNAPSHOT)) {
            Reconciler reconciler = new Reconciler(drTable, table);
            Reconciler.Result first = reconciler.run(writer, Optional.empty(), since(t.minusSeconds(60)));
            assertEquals(1, first.conflicts().count(), first.toJson().toString());
            assertTrue(first.conflicts().listed().get(0).startsWith(acknowledged.paymentId()
                    + ": acknowledgement record of request " + acknowledged.requestHash()), first.conflicts().listed().get(0));
            acknowledge(late, "primary", t.minus(Duration.ofHours(2)));
            Reconciler.Result withSnapshot = reconciler.run(writer, Optional.of(snapshot), since(t.minusSeconds(60)));
            assertEquals(List.of(late.paymentId().toString()), withSnapshot.restoredFromSnapshot().listed());
        }
        assertEquals("41.00", row(WRITER, other).get("amount"));
        assertEquals("ACCEPTED", row(WRITER, late).get("status"));
    }

    @Test
    void theSameIdWithAnotherAmountIsAConflictLeftAsItIs() throws Exception {
        PaymentRequest original = request("20.00");
        PaymentRequest other = new PaymentRequest(original.idempotencyKey(), new BigDecimal("21.00"), "USD", MERCHANT,
                original.description());
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
        store(SNAPSHOT, original, "us-east-1", t);
        store(WRITER, other, "us-east-2", t.plusSeconds(5));
        try (Connection writer = pg.admin(WRITER); Connection snapshot = pg.admin(SNAPSHOT)) {
            Reconciler.Result result = new Reconciler(drTable, table).run(writer, Optional.of(snapshot),
                    since(t.minusSeconds(60)));
            assertEquals(1, result.conflicts().count(), result.toJson().toString());
            assertTrue(result.conflicts().listed().get(0).startsWith(original.paymentId() + ": snapshot "));
        }
        assertEquals("21.00", row(WRITER, other).get("amount"));
    }

    @Test
    void theMigratorReconcilesOnRequestOnlyInTheWriterRegion() throws Exception {
        PaymentRequest lost = request("30.00");
        acknowledge(lost, "primary", Instant.now().truncatedTo(ChronoUnit.MICROS));
        FunctionConfig writer = Fixtures.localConfig(table, WRITER, "AWS_REGION", "us-east-2");
        MigrationHandler handler = new MigrationHandler(writer, Fixtures.ownerCredentials(), SchemaMigrator.MIGRATIONS,
                drTable);
        // the owner's credentials come with the invocation, as for a migration: a handler that knows
        // no valid ones reconciles with the payload's, and refuses a payload without them
        MigrationHandler invoked = new MigrationHandler(writer, Fixtures.fixedCredentials(TestPostgres.APP_USER,
                "wrong"), SchemaMigrator.MIGRATIONS, drTable);
        JsonObject reconcile = new JsonObject();
        reconcile.addProperty("action", "reconcile");
        IllegalArgumentException noOwner = assertThrows(IllegalArgumentException.class, () -> invoked.handleRequest(
                new ByteArrayInputStream(reconcile.toString().getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null));
        assertTrue(noOwner.getMessage().startsWith("invoke the migrator with the schema owner's credentials"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        invoked.handleRequest(new ByteArrayInputStream(Fixtures.ownerPayload(reconcile).getBytes(StandardCharsets.UTF_8)),
                out, null);
        JsonObject answer = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("reconciled", answer.get("result").getAsString());
        assertTrue(answer.getAsJsonArray("restored_from_acknowledgements").toString()
                .contains(lost.paymentId().toString()), answer.toString());
        assertEquals(-1, answer.get("snapshot_rows_compared").getAsInt());
        assertEquals("1", row(WRITER, lost).get("copies"));
        // idempotent: run again, it finds the payment stored and restores nothing
        JsonObject again = handler.reconcile(new JsonObject());
        assertEquals(0, again.getAsJsonArray("restored_from_acknowledgements").size(), again.toString());
        assertEquals("1", row(WRITER, lost).get("copies"));

        JsonObject badHostEvent = reconcile.deepCopy();
        badHostEvent.addProperty("snapshot_host", "a b");
        IllegalArgumentException badHost = assertThrows(IllegalArgumentException.class, () -> handler.handleRequest(
                new ByteArrayInputStream(Fixtures.ownerPayload(badHostEvent).getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null));
        assertEquals("snapshot_host 'a b' is not a host name", badHost.getMessage());
        JsonObject badSince = new JsonObject();
        badSince.addProperty("since", "yesterday");
        IllegalArgumentException notATime = assertThrows(IllegalArgumentException.class, () -> handler.reconcile(badSince));
        assertEquals("since 'yesterday' is not an ISO-8601 time in UTC, e.g. 2026-01-31T09:00:00Z", notATime.getMessage());
        JsonObject given = new JsonObject();
        given.addProperty("since", "2026-01-31T09:00:00Z");
        assertEquals("given", handler.reconcile(given).get("since_source").getAsString());
        JsonObject drop = new JsonObject();
        drop.addProperty("action", "drop");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> handler.handleRequest(
                new ByteArrayInputStream(Fixtures.ownerPayload(drop).getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null));
        assertTrue(unknown.getMessage().startsWith("unknown action \"drop\""), unknown.getMessage());

        // a snapshot that cannot be reached is a failed reconciliation, with the database's state
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        JsonObject unreachable = new JsonObject();
        unreachable.addProperty("snapshot_host", "127.0.0.1");
        unreachable.addProperty("snapshot_port", closed);
        IllegalStateException down = assertThrows(IllegalStateException.class, () -> handler.reconcile(unreachable));
        assertEquals("reconciliation failed: database error 08001", down.getMessage());
        // deployed, the table's client is built from the configuration with Lambda's credentials
        // (none here: the SDK's own error, nothing stored)
        MigrationHandler deployed = new MigrationHandler(writer, Fixtures.ownerCredentials(), SchemaMigrator.MIGRATIONS);
        assertThrows(software.amazon.awssdk.core.exception.SdkException.class,
                () -> deployed.reconcile(new JsonObject()));

        // a reader (the old primary once demoted) refuses: only the writer region can store what was lost
        String readOnly = "payments_reconcile_ro";
        pg.createDatabase(readOnly);
        Fixtures.migrate(Fixtures.localConfig(table, readOnly));
        pg.makeReadOnly(readOnly);
        MigrationHandler reader = new MigrationHandler(Fixtures.localConfig(table, readOnly),
                Fixtures.ownerCredentials(), SchemaMigrator.MIGRATIONS, drTable);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> reader.reconcile(new JsonObject()));
        assertTrue(refused.getMessage().startsWith("reconciliation refused: this region's database is a reader"));
    }

    /**
     * Records in the volume test. 20,000 in the build (DynamoDB Local takes them in about 9 s on a
     * loaded 2-core machine); {@code -Dreconciler.volume=100000} loaded 100,000 in 43 s and reconciled
     * them in 12 s there, holding at most 556 at once.
     */
    static final int VOLUME = Integer.getInteger("reconciler.volume", 20_000);
    /** Every this-many-th record's row is missing in the writer (the promotion lost it). */
    static final int LOST_EVERY = 2_000;

    /**
     * A large table (at 1 payment/s a week is about 605,000 records): the reconciliation holds one
     * Scan page (or snapshot batch) at a time, whatever the table holds, and still restores every
     * lost row of its window. Half the records are older than {@code since}: filtered, not held.
     */
    @Test
    void aLargeTableIsReconciledOnePageAtATime() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant since = now.minus(Duration.ofHours(24));
        long started = System.nanoTime();
        List<String> lostInWindow = new java.util.ArrayList<>();
        StringBuilder csv = new StringBuilder();
        List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> batch = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> written = new java.util.ArrayList<>();
        for (int i = 0; i < VOLUME; i++) {
            // the first half within the last day, the second half older
            Instant at = i < VOLUME / 2 ? now.minusSeconds(i + 1) : since.minusSeconds(i + 1);
            PaymentRequest r = new PaymentRequest("vol-" + i + "-" + table, new BigDecimal("1.00"), "USD", MERCHANT,
                    Optional.empty());
            String id = r.paymentId().toString();
            AckJournal.Ack ack = new AckJournal.Ack(r.scopedKey(), id, r.requestHash(), "1.00", "USD", MERCHANT, null,
                    "ACCEPTED", "us-east-1", at.toString(), 201, "{}", "us-east-1", "primary", "mirrored");
            batch.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(
                    ack.toItem(now.plus(AckJournal.TTL).getEpochSecond()))).build());
            if (batch.size() == 25) {
                List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> items = List.copyOf(batch);
                written.add(writers.submit(() -> writeAll(items)));
                batch.clear();
            }
            if (i % LOST_EVERY == 0) {
                if (at.isAfter(since)) {
                    lostInWindow.add(id);
                }
                continue;
            }
            csv.append(id).append(',').append(r.scopedKey()).append(',').append(r.requestHash())
                    .append(",1.00,USD,").append(MERCHANT).append(",,ACCEPTED,us-east-1,").append(at).append('\n');
        }
        if (!batch.isEmpty()) {
            writeAll(List.copyOf(batch));
        }
        for (java.util.concurrent.Future<?> f : written) {
            f.get();
        }
        writers.shutdown();
        // the writer and the snapshot hold the same rows: every lost one is missing in both
        for (String db : List.of(WRITER, SNAPSHOT)) {
            try (Connection c = pg.admin(db)) {
                c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn("COPY payments (payment_id,"
                        + " idempotency_key, request_hash, amount, currency, merchant_id, description, status, region,"
                        + " created_at) FROM STDIN WITH (FORMAT csv)", new java.io.StringReader(csv.toString()));
            }
        }
        long loaded = System.nanoTime();

        Reconciler.Result result;
        try (Connection writer = pg.admin(WRITER); Connection snapshot = pg.admin(SNAPSHOT)) {
            result = new Reconciler(drTable, table).run(writer, Optional.of(snapshot), since(since));
        }
        long reconciled = System.nanoTime();
        System.out.printf("reconciler volume: %d records loaded in %d ms, reconciled in %d ms (%d read since, %d"
                + " snapshot rows compared, at most %d held at once)%n", VOLUME, (loaded - started) / 1_000_000,
                (reconciled - loaded) / 1_000_000, result.acknowledged(), result.snapshotRows(), result.mostHeld());
        assertEquals(VOLUME / 2, result.acknowledged());
        assertEquals(java.util.Set.copyOf(lostInWindow), java.util.Set.copyOf(result.restoredFromAcks().listed()));
        assertTrue(result.mostHeld() > 0 && result.mostHeld() <= Reconciler.PAGE, "held at once: " + result.mostHeld());
        // the snapshot's rows of the window, a batch at a time, all in place
        assertEquals(VOLUME / 2 - lostInWindow.size(), result.snapshotRows());
        assertEquals(0, result.restoredFromSnapshot().count() + result.conflicts().count() + result.mergedById().count());
    }

    /** One BatchWriteItem and its unprocessed items, until all are written. */
    private void writeAll(List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> items) {
        Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> pending = Map.of(table, items);
        while (!pending.isEmpty()) {
            Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> request = pending;
            pending = drTable.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
        }
    }
}
