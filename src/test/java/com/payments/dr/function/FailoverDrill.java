package com.payments.dr.function;

import com.google.gson.GsonBuilder;
import com.payments.dr.function.DrillClient.Ack;
import com.payments.dr.function.DrillClient.Attempt;
import com.payments.dr.lambda.Log;
import com.payments.dr.report.DrillResults;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.regions.Region;

/**
 * The failover drill (docs/failover-drill.md): two regions on loopback, each with its payment
 * function, its PostgreSQL server and its DynamoDB engine; the DR server a streaming-replication
 * hot standby of the primary over a {@link DelayedLink}; the idempotency tables joined by
 * {@link GlobalTableReplication}; a {@link DrillClient} paying at a steady rate throughout.
 *
 * <p>The scenarios run in the order the infrastructure allows, each starting from where the last
 * one left it: unplanned failover (primary → DR), fail back (the old primary re-seeded as the
 * standby of the new one, then a planned switch back), planned switchover (the DR server re-seeded
 * as the primary's standby again, then primary → DR).
 */
final class FailoverDrill implements AutoCloseable {

    static final String DB = "payments";
    static final String PRIMARY_TABLE = "idempotency-primary-" + Long.toString(System.nanoTime(), 36);
    static final String DR_TABLE = "idempotency-dr";
    static final String PRIMARY_REGION = "us-east-1";
    static final String DR_REGION = "us-east-2";
    /** Beyond the link's delay, what may still separate an acknowledged commit from the standby. */
    static final long LOSS_WINDOW_SLACK_MILLIS = 250;
    /** Warm containers per region: enough that requests never queue for one at the drill's rates. */
    static final int CONTAINERS = 8;
    /** How long the tables may take to converge once writes pause. */
    static final Duration TABLES_EQUAL_LIMIT = Duration.ofSeconds(30);
    /** How long the drill waits for the first payment in the new writer region before failing. */
    static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

    /** What a run is: sending time before each fault and after recovery, rate, and the two lags. */
    record Settings(int durationSeconds, double ratePerSecond, long stateDelayMs, long dbDelayMs) {
    }

    /** One scenario's numbers, as docs/drill-results.json holds them. */
    record Result(String name, long rtoMs, int acknowledged, int lostPayments, long lostWindowMs,
            int duplicates, int clean503, int errors, int inProgress409, List<String> lost,
            Map<String, Integer> outcomes, int recreated, List<String> duplicateLines, int lostNotInOldHistory,
            int strandedKeyRequests, int unreachable) {
    }

    /** One stored payment, as the comparison of two histories sees it. */
    record Row(String paymentId, String region, String createdAt, String amount) {
    }

    /** What an unplanned scenario learns about the failed region after the fact. */
    private record Aftermath(Map<String, List<Row>> oldHistory, Set<String> strandedPks,
            Map<String, Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> primaryTable) {
    }

    private final Settings settings;
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private final PrintStream report;
    private PrintStream functionLog;
    private PrintStream logBefore = System.out;
    private TestPostgres primaryDb;
    private TestPostgres drDb;
    private DelayedLink link;
    private TestDynamo primaryDynamo;
    private TestDynamo drDynamo;
    private GlobalTableReplication replication;
    private DrillRegion primary;
    private DrillRegion dr;
    private DrillClient client;
    /** When the primary region's API went away and when it answered again. */
    private volatile long primaryKilledAt = Long.MAX_VALUE;
    private volatile long primaryBackAt = Long.MAX_VALUE;
    /** Acknowledged keys already reported lost by an earlier scenario (not counted again). */
    private final Set<String> reportedLost = new HashSet<>();
    /** Keys already reported as duplicates by an earlier scenario (not counted again). */
    private final Set<String> reportedDuplicates = new HashSet<>();

    FailoverDrill(Settings settings, PrintStream report) {
        this.settings = settings;
        this.report = report;
    }

    /** Builds both regions. Everything started is stopped by {@link #close()}, also after a failure here. */
    void start() throws Exception {
        long begun = System.currentTimeMillis();
        // the functions' log lines (one per request) go to a file next to the results, not the console
        Files.createDirectories(Path.of("target"));
        functionLog = new PrintStream(Files.newOutputStream(Path.of("target/drill-function.log")), true,
                StandardCharsets.UTF_8);
        logBefore = Log.redirect(functionLog);
        primaryDb = TestPostgres.startNewReplicated();
        closeLast.add(primaryDb);
        primaryDb.createDatabase(DB);
        Fixtures.prepareRoles(primaryDb);
        // as at deploy time: the migrator in the writer region; the DR region receives it by replication
        Fixtures.migrate(FunctionConfig.fromEnvironment(env("primary", PRIMARY_REGION, primaryDb, PRIMARY_TABLE,
                null)));
        report.printf("  primary database up in %d ms%n", System.currentTimeMillis() - begun);
        link = new DelayedLink(primaryDb.port(), 0);
        closeLast.add(link);
        drDb = TestPostgres.standbyOf(primaryDb, link.port(), "drill_dr");
        closeLast.add(drDb);
        link.delay(settings.dbDelayMs());
        report.printf("  standby up in %d ms%n", System.currentTimeMillis() - begun);
        // the primary region's tables live in the engine the other tests share (us-east-1), the DR
        // region's in an engine of its own
        primaryDynamo = TestDynamo.shared();
        drDynamo = TestDynamo.startNew();
        closeLast.add(drDynamo::stop);
        report.printf("  DynamoDB engines up in %d ms%n", System.currentTimeMillis() - begun);
        String primaryStream = primaryDynamo.createTableWithStream(PRIMARY_TABLE, Region.of(PRIMARY_REGION));
        String drStream = drDynamo.createTableWithStream(DR_TABLE, Region.of(DR_REGION));
        replication = new GlobalTableReplication(primaryDynamo, Region.of(PRIMARY_REGION), PRIMARY_TABLE, primaryStream,
                drDynamo, Region.of(DR_REGION), DR_TABLE, drStream, settings.stateDelayMs());
        closeLast.add(replication);
        primary = new DrillRegion("primary", env("primary", PRIMARY_REGION, primaryDb, PRIMARY_TABLE, primaryDynamo),
                CONTAINERS);
        closeLast.add(primary);
        dr = new DrillRegion("dr", env("dr", DR_REGION, drDb, DR_TABLE, drDynamo), CONTAINERS);
        closeLast.add(dr);
        client = new DrillClient(primary, dr);
        closeLast.add(client);
        report.printf("drill regions up in %d ms%n", System.currentTimeMillis() - begun);
    }

    /** The function's environment as the stack sets it, pointed at this region's engines. */
    private static Map<String, String> env(String role, String region, TestPostgres db, String table,
            TestDynamo dynamo) {
        Map<String, String> env = new HashMap<>();
        env.put("REGION_ROLE", role);
        env.put("AWS_REGION", region);
        env.put("IDEMPOTENCY_TABLE", table);
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", Integer.toString(db.port()));
        env.put("DB_NAME", DB);
        env.put("DB_SSL_MODE", "verify-full");
        env.put("DB_SSL_ROOT_CERT", db.serverCertificate().toString());
        env.put("ALLOWED_ORIGIN", "https://pay.example.test");
        env.put("MERCHANT_KEYS", Fixtures.merchantKeys());
        if (dynamo != null) {
            env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString());
        }
        return env;
    }

    /** The three scenarios, in the order they run. */
    List<Result> run() throws Exception {
        List<Result> results = new ArrayList<>();
        client.pointAt(0);
        client.startSending(settings.ratePerSecond());
        // the first payments meet cold containers (TLS, class loading): the drill starts when they are warm
        long warm = System.currentTimeMillis();
        awaitFirstPayment("primary", warm);
        report.printf("first payment in the primary region after %d ms%n", System.currentTimeMillis() - warm);
        results.add(unplanned());
        results.add(failBack());
        assertTablesEqual("after fail-back");
        client.startSending(settings.ratePerSecond());
        results.add(planned());
        assertTablesEqual("after the planned switchover");
        return results;
    }

    private void steady() throws InterruptedException {
        Thread.sleep(settings.durationSeconds() * 1000L);
    }

    /**
     * The primary region fails mid-stream: table replication both ways and the WAL link are cut
     * (what is in transit stays behind), the region's API goes away with the requests in flight,
     * its server is killed; the standby is promoted. Afterwards the old primary's data directory is
     * started on its own, as a snapshot of the failed region would be restored, and its rows read.
     */
    private Result unplanned() throws Exception {
        long start = System.currentTimeMillis();
        steady();
        awaitRecentAck("primary");
        long fault = System.currentTimeMillis();
        replication.cut();
        primaryKilledAt = System.currentTimeMillis();
        primary.kill();
        link.cut();
        primaryDb.stop();
        drDb.promote();
        report.printf("unplanned-failover: primary region cut off at +%d ms, standby promoted after %d ms%n",
                fault - start, System.currentTimeMillis() - fault);
        long rto = awaitFirstPayment("dr", fault);
        steady();
        // every answer in (resends included) before the aftermath is read: a re-creation answered
        // after this scenario's measurement would otherwise surface in the next scenario's
        client.stopSending(DrillClient.GIVE_UP.plusSeconds(5));
        // no standby.signal, no link: the failed primary's own history, crash-recovered
        primaryDb.start();
        Map<String, List<Row>> oldHistory = rows(primaryDb);
        primaryDb.stopFast();
        Aftermath aftermath = new Aftermath(oldHistory, replication.strandedPrimaryKeys(), replication.scan(true));
        return measure("unplanned-failover", start, fault, rto, drDb, null, drDynamo, DR_REGION, DR_TABLE, aftermath);
    }

    /**
     * The primary region is back: its stranded table writes are delivered (last writer wins), its
     * API answers again, its old server is re-seeded from the new writer; then a planned switch back.
     */
    private Result failBack() throws Exception {
        long start = System.currentTimeMillis();
        int held = replication.heal();
        report.printf("fail-back: %d held table writes delivered%n", held);
        assertTablesEqual("after the held writes were delivered");
        primary.restart();
        primaryBackAt = System.currentTimeMillis();
        client.startSending(settings.ratePerSecond());
        link.close();
        link = new DelayedLink(drDb.port(), 0);
        closeLast.add(link);
        primaryDb.seedFrom(drDb, link.port(), "drill_primary");
        link.delay(settings.dbDelayMs());
        report.printf("fail-back: old primary re-seeded as a standby of the DR server in %d ms%n",
                System.currentTimeMillis() - start);
        steady();
        long fault = System.currentTimeMillis();
        switchover(drDb, primaryDb, 0);
        long rto = awaitFirstPayment("primary", fault);
        steady();
        return measure("fail-back", start, fault, rto, primaryDb, drDb, primaryDynamo, PRIMARY_REGION,
                PRIMARY_TABLE, null);
    }

    /** With the DR server re-seeded as the primary's standby: stop writes, catch up, promote, repoint. */
    private Result planned() throws Exception {
        long start = System.currentTimeMillis();
        link.close();
        link = new DelayedLink(primaryDb.port(), 0);
        closeLast.add(link);
        drDb.seedFrom(primaryDb, link.port(), "drill_dr");
        link.delay(settings.dbDelayMs());
        report.printf("planned-switchover: DR server re-seeded as a standby of the primary in %d ms%n",
                System.currentTimeMillis() - start);
        steady();
        long fault = System.currentTimeMillis();
        switchover(primaryDb, drDb, 1);
        long rto = awaitFirstPayment("dr", fault);
        steady();
        return measure("planned-switchover", start, fault, rto, drDb, primaryDb, drDynamo, DR_REGION, DR_TABLE,
                null);
    }

    /**
     * The planned move: the writer stops taking writes (read-only for every session, as a
     * switchover demotes it), the standby replays up to the writer's last WAL position, is promoted,
     * and the clients' name is pointed at it.
     */
    private void switchover(TestPostgres from, TestPostgres to, int region) throws Exception {
        long t0 = System.currentTimeMillis();
        try (Connection c = from.admin("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET default_transaction_read_only = on");
            s.execute("SELECT pg_reload_conf()");
        }
        String target = quiescedLsn(from);
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try (Connection c = to.admin("postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    break;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the standby did not reach " + target + " within 30 s");
            }
            Thread.sleep(20);
        }
        long caughtUp = System.currentTimeMillis();
        to.promote();
        client.pointAt(region);
        report.printf("  writes stopped; standby caught up to %s in %d ms; promoted in %d ms%n", target,
                caughtUp - t0, System.currentTimeMillis() - caughtUp);
    }

    /**
     * The writer's last WAL position once no transaction can still write: sessions pick up the
     * read-only default at their next statement, and one already executing an INSERT may commit
     * after the reload. So: no backend holds a transaction id, twice, with the position unchanged.
     */
    private static String quiescedLsn(TestPostgres writer) throws Exception {
        String last = null;
        long deadline = System.currentTimeMillis() + 30_000;
        try (Connection c = writer.admin("postgres"); Statement s = c.createStatement()) {
            while (System.currentTimeMillis() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text, (SELECT count(*) FROM"
                        + " pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid())")) {
                    rs.next();
                    String lsn = rs.getString(1);
                    if (rs.getLong(2) == 0 && lsn.equals(last)) {
                        return lsn;
                    }
                    last = rs.getLong(2) == 0 ? lsn : null;
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("writes did not stop within 30 s");
    }

    /**
     * Mid-stream: waits (at most 5 s) until the primary has just acknowledged a payment its client
     * will send again ({@link DrillClient#REPLAY_EVERY}), so the fault finds commits on the link and
     * table writes in transit, and a request for such a key reaches DR afterwards.
     */
    private void awaitRecentAck(String region) throws InterruptedException {
        long limit = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < limit) {
            long now = System.currentTimeMillis();
            if (client.acks.stream().anyMatch(a -> a.region().equals(region) && a.atMillis() > now - 30
                    && !a.replayed() && DrillClient.resent(a.key()))) {
                return;
            }
            Thread.sleep(2);
        }
    }

    private long awaitFirstPayment(String region, long fault) throws InterruptedException {
        long limit = System.currentTimeMillis() + RECOVERY_LIMIT.toMillis();
        while (System.currentTimeMillis() < limit) {
            long first = client.acks.stream().filter(a -> a.region().equals(region) && a.atMillis() > fault)
                    .mapToLong(Ack::atMillis).min().orElse(-1);
            if (first > 0) {
                return first - fault;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no payment succeeded in " + region + " within " + RECOVERY_LIMIT);
    }

    /**
     * Counts the scenario's attempts, and checks every payment acknowledged so far against the new
     * writer's rows, the old writer's (a running old writer, or the failed primary's own history
     * restored on its own) and both idempotency tables.
     *
     * <p>Lost: acknowledged (first answer) but absent from the new writer. Duplicate, per key: stored
     * twice in one history; stored in both histories as different payments (region, time or
     * content); two answers that both created it (no {@code Idempotent-Replayed}) or name different
     * payments; COMPLETED in both tables with different responses. A duplicate is <i>re-created</i>
     * when the surviving history holds one payment, under the same id and amount, that a request
     * to DR stored again after the primary's copy (database row and table record) was lost with
     * the primary region: asynchronous replication's loss, made visible by the client's resend.
     */
    private Result measure(String name, long start, long fault, long rto, TestPostgres writer, TestPostgres old,
            TestDynamo engine, String region, String table, Aftermath aftermath) throws Exception {
        long end = System.currentTimeMillis();
        List<Ack> acks = List.copyOf(client.acks);
        Map<String, List<Row>> rows = rows(writer);
        Map<String, List<Row>> oldRows = aftermath != null ? aftermath.oldHistory() : old == null ? Map.of() : rows(old);
        Map<String, Set<String>> reasons = new java.util.TreeMap<>();
        for (Map.Entry<String, List<Row>> e : rows.entrySet()) {
            if (e.getValue().size() > 1) {
                reasons.computeIfAbsent(e.getKey(), k -> new java.util.LinkedHashSet<>())
                        .add("stored " + e.getValue().size() + " times in the writer: " + e.getValue());
            }
        }
        for (Map.Entry<String, List<Row>> e : oldRows.entrySet()) {
            List<Row> now = rows.get(e.getKey());
            if (now != null && !now.equals(e.getValue())) {
                reasons.computeIfAbsent(e.getKey(), k -> new java.util.LinkedHashSet<>())
                        .add("stored in both histories as different payments: old " + e.getValue() + ", new " + now);
            }
        }
        Map<String, List<Ack>> byKey = new java.util.LinkedHashMap<>();
        for (Ack a : acks) {
            byKey.computeIfAbsent(DrillClient.MERCHANT + "/" + a.key(), k -> new ArrayList<>()).add(a);
        }
        List<Ack> lost = new ArrayList<>();
        for (Map.Entry<String, List<Ack>> e : byKey.entrySet()) {
            String scoped = e.getKey();
            List<Ack> answers = e.getValue();
            long created = answers.stream().filter(a -> !a.replayed()).count();
            Set<String> payments = new HashSet<>();
            answers.forEach(a -> payments.add(a.paymentId() + "@" + a.bodyRegion()));
            if (created > 1 || payments.size() > 1) {
                reasons.computeIfAbsent(scoped, k -> new java.util.LinkedHashSet<>()).add(created
                        + " answers created it, naming " + payments);
            }
            List<Row> stored = rows.get(scoped);
            Ack first = answers.get(0);
            if (stored == null) {
                if (reportedLost.add(first.key())) {
                    lost.add(first);
                }
            } else if (stored.stream().noneMatch(r -> r.paymentId().equals(first.paymentId()))) {
                reasons.computeIfAbsent(scoped, k -> new java.util.LinkedHashSet<>())
                        .add("acknowledged as " + first.paymentId() + ", stored as " + stored);
            }
        }
        Map<String, Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> primaryTable =
                aftermath != null ? aftermath.primaryTable() : replication.scan(true);
        Map<String, Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> drTable =
                replication.scan(false);
        Map<String, String> scopedByPk = new HashMap<>();
        byKey.keySet().forEach(k -> scopedByPk.put(IdempotencyStore.partitionKey(k), k));
        for (Map.Entry<String, Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> e
                : primaryTable.entrySet()) {
            var other = drTable.get(e.getKey());
            if (other != null && completed(e.getValue()) && completed(other)
                    && !e.getValue().get("response_body").s().equals(other.get("response_body").s())) {
                // a key no answer of this scenario named is still the same key: strip the table's prefix
                String prefix = IdempotencyStore.partitionKey("");
                String scoped = scopedByPk.getOrDefault(e.getKey(), e.getKey().startsWith(prefix)
                        ? e.getKey().substring(prefix.length()) : e.getKey());
                reasons.computeIfAbsent(scoped,
                        k -> new java.util.LinkedHashSet<>()).add("COMPLETED in both tables with different responses: "
                        + e.getValue().get("response_body").s() + " / " + other.get("response_body").s());
            }
        }
        // a key found in an earlier scenario is not counted again (its acknowledgements stay on record)
        reasons.keySet().removeIf(key -> !reportedDuplicates.add(key));
        List<String> duplicateLines = new ArrayList<>();
        int recreated = 0;
        for (Map.Entry<String, Set<String>> e : reasons.entrySet()) {
            boolean again = recreatedInDr(rows.get(e.getKey()), oldRows.get(e.getKey()));
            recreated += again ? 1 : 0;
            duplicateLines.add(e.getKey() + (again ? " (re-created in DR after the primary's copy was lost)" : "")
                    + ": " + String.join("; ", e.getValue()));
        }
        int lostNotInOld = (int) lost.stream()
                .filter(a -> !oldRows.containsKey(DrillClient.MERCHANT + "/" + a.key())).count();
        // RPO in time: how far before the fault the oldest lost acknowledgement lies
        long window = lost.stream().mapToLong(a -> Math.max(0, fault - a.atMillis())).max().orElse(0);
        List<Attempt> attempts = client.attemptsBetween(start, end);
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        int clean = 0;
        int inProgress = 0;
        int errors = 0;
        int stranded = 0;
        int unreachable = 0;
        Map<String, Integer> strandedOutcomes = new java.util.TreeMap<>();
        for (Attempt a : attempts) {
            outcomes.merge(a.region() + " " + (a.ok() ? "2xx" : a.status() + " " + a.code()), 1, Integer::sum);
            if (aftermath != null && a.region().equals("dr") && a.atMillis() >= fault && aftermath.strandedPks()
                    .contains(IdempotencyStore.partitionKey(DrillClient.MERCHANT + "/" + a.key()))) {
                stranded++;
                strandedOutcomes.merge(a.ok() ? "2xx" : a.status() + " " + a.code(), 1, Integer::sum);
            }
            if (a.ok()) {
                continue;
            }
            if (a.status() == 0 && a.region().equals("primary") && a.atMillis() >= primaryKilledAt
                    && a.atMillis() < primaryBackAt) {
                // the failed region's API is gone: no answer at all, and the client moves on to DR
                unreachable++;
            } else if (a.clean503()) {
                clean++;
            } else if (a.inProgress409()) {
                inProgress++;
            } else {
                errors++;
            }
        }
        int acknowledged = (int) acks.stream()
                .filter(a -> !a.replayed() && a.atMillis() >= start && a.atMillis() < end).count();
        List<String> lostLines = new ArrayList<>();
        try (software.amazon.awssdk.services.dynamodb.DynamoDbClient writerTable =
                     TestDynamo.clientFor(engine.endpoint(), Region.of(region))) {
            for (Ack a : lost) {
                lostLines.add(a.key() + " acknowledged by " + a.region() + " "
                        + (a.atMillis() <= fault ? (fault - a.atMillis()) + " ms before the link was cut"
                                : (a.atMillis() - fault) + " ms after the link was cut (the server was still dying)")
                        + "; " + remembered(writerTable, table, a.key())
                        + (oldRows.containsKey(DrillClient.MERCHANT + "/" + a.key()) ? "; in the old primary's rows"
                                : "; NOT in the old primary's rows"));
            }
        }
        Result result = new Result(name, rto, acknowledged, lost.size(), window, reasons.size(), clean, errors,
                inProgress, lostLines, outcomes, recreated, duplicateLines, lostNotInOld, stranded, unreachable);
        report.printf("  %s: RTO %d ms, %d acknowledged, %d lost (window %d ms), %d duplicates (%d re-created in DR),"
                + " %d clean 503, %d other errors, %d request_in_progress 409, %d unanswered by the failed region%n",
                name, rto, acknowledged, lost.size(), window, reasons.size(), recreated, clean, errors, inProgress,
                unreachable);
        if (aftermath != null) {
            report.printf("    old primary's own history: %d payments; %d table items stranded in the primary;"
                    + " %d DR requests for their keys: %s%n", aftermath.oldHistory().size(),
                    aftermath.strandedPks().size(), stranded, strandedOutcomes);
        }
        for (String line : lostLines) {
            report.println("    LOST: " + line);
        }
        for (String line : duplicateLines) {
            report.println("    DUPLICATE: " + line);
        }
        report.println("    outcomes: " + outcomes);
        return result;
    }

    private static boolean completed(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        return IdempotencyStore.COMPLETED.equals(item.get("status").s()) && item.containsKey("response_body");
    }

    /**
     * One row in each history, the same payment id and amount, stored by the primary in the old
     * one and by DR in the surviving one: the primary's copy was lost, a later request re-created it.
     */
    private static boolean recreatedInDr(List<Row> now, List<Row> before) {
        if (now == null || before == null || now.size() != 1 || before.size() != 1) {
            return false;
        }
        Row n = now.get(0);
        Row b = before.get(0);
        return n.paymentId().equals(b.paymentId()) && n.amount().equals(b.amount())
                && b.region().equals(PRIMARY_REGION) && n.region().equals(DR_REGION);
    }

    /** Pauses the client, lets replication drain, and fails if the two tables differ. */
    private void assertTablesEqual(String when) throws Exception {
        client.stopSending(DrillClient.GIVE_UP.plusSeconds(5));
        List<String> differences = replication.awaitIdleAndCompare(TABLES_EQUAL_LIMIT);
        if (!differences.isEmpty()) {
            throw new IllegalStateException("the tables differ " + when + " in " + differences.size() + " items: "
                    + differences.subList(0, Math.min(5, differences.size())));
        }
        report.printf("  tables equal %s (%d replicated writes applied so far)%n", when, replication.applied());
    }

    /**
     * Whether the new writer region's idempotency table still knows the payment: its COMPLETED
     * record (replicated before the fault) holds the answer the client got, so a reconciliation of
     * the table against the database finds the loss, and a replay with the same key re-asserts it.
     */
    private static String remembered(software.amazon.awssdk.services.dynamodb.DynamoDbClient client, String table,
            String key) {
        var item = client.getItem(b -> b.tableName(table).consistentRead(true).key(java.util.Map.of("pk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        IdempotencyStore.partitionKey(DrillClient.MERCHANT + "/" + key))))).item();
        String status = item == null || item.isEmpty() ? null : item.get("status").s();
        return status == null ? "unknown to the region's idempotency table"
                : "the region's idempotency table holds it " + status;
    }

    /** Every stored payment of the drill's merchant: scoped key → its rows. */
    private static Map<String, List<Row>> rows(TestPostgres server) throws SQLException {
        Map<String, List<Row>> rows = new HashMap<>();
        try (Connection c = server.admin(DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT idempotency_key, payment_id, region, created_at::text,"
                     + " amount::text FROM payments WHERE merchant_id = '" + DrillClient.MERCHANT + "'")) {
            while (rs.next()) {
                rows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new Row(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        return rows;
    }

    /** Replicated writes applied to either table over the whole drill. */
    long replicated() {
        return replication.applied();
    }

    long stateDelayMs() {
        return settings.stateDelayMs();
    }

    List<String> abandoned() {
        return List.copyOf(client.abandoned);
    }

    /** The table the long command prints. */
    static String table(List<Result> results) {
        StringBuilder out = new StringBuilder(String.format("%-20s %8s %6s %6s %9s %5s %9s %8s %6s %8s %6s %9s%n",
                "scenario", "RTO ms", "acked", "lost", "window ms", "dups", "re-create", "503+RA", "errors", "409 busy",
                "no ans", "stranded"));
        for (Result r : results) {
            out.append(String.format("%-20s %8d %6d %6d %9d %5d %9d %8d %6d %8d %6d %9d%n", r.name(), r.rtoMs(),
                    r.acknowledged(), r.lostPayments(), r.lostWindowMs(), r.duplicates(), r.recreated(), r.clean503(),
                    r.errors(), r.inProgress409(), r.unreachable(), r.strandedKeyRequests()));
        }
        out.append("RTO: fault to the first payment acknowledged by the new writer region. Unplanned: promotion"
                + " (started at the fault) to first payment, detection (health checks) and decision excluded\n");
        return out.toString();
    }

    /** docs/drill-results.json's schema, scenarios in the fixed order. */
    static String json(Settings settings, String command, List<Result> results) {
        List<DrillResults.Scenario> scenarios = new ArrayList<>();
        for (String name : List.of("planned-switchover", "unplanned-failover", "fail-back")) {
            Result r = results.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            scenarios.add(new DrillResults.Scenario(r.name(), r.rtoMs(), r.acknowledged(), r.lostPayments(),
                    r.lostWindowMs(), r.duplicates(), r.clean503(), r.errors()));
        }
        DrillResults drill = new DrillResults(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), command,
                settings.durationSeconds(), settings.ratePerSecond(), settings.stateDelayMs(), settings.dbDelayMs(),
                scenarios);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(drill.toJson()) + "\n";
    }

    static void write(Path file, String json) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json);
    }

    /** Stops everything this drill started, the last first, whatever failed before. */
    @Override
    public void close() {
        for (int i = closeLast.size() - 1; i >= 0; i--) {
            try {
                closeLast.get(i).close();
            } catch (Exception e) {
                report.println("cleanup: " + e);
            }
        }
        Log.redirect(logBefore);
        if (functionLog != null) {
            functionLog.close();
        }
    }
}
