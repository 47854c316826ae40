package com.payments.dr.function;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.function.DrillClient.Ack;
import com.payments.dr.lambda.Log;
import com.payments.dr.report.DrillResults;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The failover drill (docs/failover-drill.md; a local emulation of the two regions): each region
 * has its payment function (warm containers behind a loopback HTTP server standing in for API
 * Gateway), its PostgreSQL server behind an emulated Aurora writer endpoint ({@link
 * WriterEndpoint}: inactive while the cluster is a secondary) and its replica of the idempotency
 * table (one DynamoDB Local engine, one namespace per region); the DR server is a streaming hot
 * standby of the primary's over a {@link DelayedLink} whose lag varies; the replicas are joined by
 * {@link GlobalTableReplication}; the primary's function mirrors its acknowledgement records into
 * the DR replica through a link that can be cut. Clients follow the failover name ({@link
 * DrillDns}: emulated Route 53 health checks, record and TTL on a scaled clock) and honour
 * Retry-After.
 *
 * <p>Scenarios, each from where the last one left things: <b>unplanned failover</b> (a lag spike,
 * the DR region unreachable from the primary, then the primary region lost; detection, promotion,
 * the name moving, the reconciliation from the acknowledgement records, the primary region's
 * return, and the reconciliation from its held records and its volume), <b>fail back</b> (the old
 * primary rebuilt as a secondary, then a switchover that drops connections mid-INSERT), and in the
 * long run a <b>planned switchover</b> from the primary again; the long run's unplanned failover
 * comes after a spell with the DR region unreachable while the table still replicates.
 */
final class FailoverDrill implements AutoCloseable {

    static final String DB = "payments";
    /** One name in both regions, as a global table has. */
    static final String TABLE = "idempotency-" + Long.toString(System.nanoTime(), 36);
    static final String PRIMARY_REGION = "us-east-1";
    static final String DR_REGION = "us-east-2";
    /** How long the tables may take to converge once writes pause. */
    static final Duration TABLES_EQUAL_LIMIT = Duration.ofSeconds(30);
    /** Bound on any one wait for a stage (the machine may be loaded; a hung engine must not hang the build). */
    static final Duration STAGE_LIMIT = Duration.ofSeconds(60);
    /** A payment is retried this long before the drill counts it abandoned. */
    static final Duration GIVE_UP = Duration.ofSeconds(60);

    /**
     * What a run is: steady sending time per phase, rate, the two replication lags (base and
     * variation), the emulated Route 53 settings, the function's waits and the warm containers per
     * region (requests queue for a free one, where Lambda would start another).
     */
    record Settings(int durationSeconds, double ratePerSecond, long stateDelayMs, long stateJitterMs, long dbDelayMs,
                    long dbJitterMs, DrillDns.Settings dns, Timings timings, int containers, boolean longRun) {

        /** As docs/drill-results.json records them. */
        Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("mode", longRun ? "long" : "short");
            m.put("steadySecondsPerPhase", Integer.toString(durationSeconds));
            m.put("paymentsPerSecond", trim(ratePerSecond));
            m.put("tableReplicationDelayMs", stateDelayMs + " + 0.." + stateJitterMs);
            m.put("walDelayMs", dbDelayMs + " + 0.." + dbJitterMs);
            m.put("healthCheckIntervalMs", Long.toString(dns.intervalMillis()));
            m.put("healthCheckThreshold", Integer.toString(dns.threshold()));
            m.put("dnsTtlMs", Long.toString(dns.ttlMillis()));
            m.put("leaseMs", Long.toString(timings.lease().toMillis()));
            m.put("unknownOutcomeLeaseMs", Long.toString(timings.unknownOutcomeLease().toMillis()));
            m.put("databaseRetryAfterSeconds", Integer.toString(timings.dbRetryAfterSeconds()));
            m.put("healthCacheMs", Long.toString(timings.healthCache().toMillis()));
            m.put("mirrorBreakerMs", Long.toString(timings.mirrorBreaker().toMillis()));
            m.put("mirrorCallTimeoutMs", Long.toString(timings.mirrorCallTimeout().toMillis()));
            m.put("containersPerRegion", Integer.toString(containers));
            m.put("ackMirror", "primary -> dr");
            return m;
        }

        private static String trim(double value) {
            return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }

    /** What the whole drill found: the counted scenarios, the reconciliations' answers, the mirror. */
    record Outcome(List<DrillLedger.Counted> scenarios, Map<String, JsonObject> reconciliations,
                   Map<String, DrillClient.Attempt> probes, DrillResults.Mirror mirror, long degradedDuringOutage,
                   java.util.Set<String> degradedUnreachable, java.util.Set<String> degraded, String strandedKey) {

        DrillLedger.Counted scenario(String name) {
            return scenarios.stream().filter(c -> c.scenario().name().equals(name)).findFirst().orElseThrow();
        }
    }

    private final Settings settings;
    private final PrintStream report;
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private final Path functionLogFile = Path.of("target", "drill-function.log");
    private PrintStream functionLog;
    private PrintStream logBefore = System.out;
    private java.util.logging.Level postgresLogLevel;
    private TestPostgres primaryDb;
    private TestPostgres drDb;
    private WriterEndpoint primaryWriter;
    private WriterEndpoint drWriter;
    private DelayedLink link;
    private DelayedLink mirrorLink;
    private GlobalTableReplication replication;
    private DrillRegion primary;
    private DrillRegion dr;
    private DrillDns dns;
    private DrillClient client;
    private MigrationHandler primaryMigrator;
    private MigrationHandler drMigrator;
    private final Map<String, JsonObject> reconciliations = new LinkedHashMap<>();
    private final Map<String, DrillClient.Attempt> probes = new LinkedHashMap<>();
    private long degradedDuringOutage;
    /**
     * The payments acknowledged with degraded records that the primary stored once the DR region
     * was unreachable in the unplanned failover (their mirror writes all began in the black hole),
     * by scoped key.
     */
    private java.util.Set<String> degradedUnreachable = java.util.Set.of();
    /** The degraded payment the unplanned failover waited for before the fault. */
    private String strandedKey;

    FailoverDrill(Settings settings, PrintStream report) {
        this.settings = settings;
        this.report = report;
    }

    /** Builds both regions. Everything started is stopped by {@link #close()}, also after a failure here. */
    void start() throws Exception {
        long begun = System.currentTimeMillis();
        // the functions' log lines (one per request) go to a file next to the results, not the console
        Files.createDirectories(functionLogFile.getParent());
        functionLog = new PrintStream(Files.newOutputStream(functionLogFile), true, StandardCharsets.UTF_8);
        logBefore = Log.redirect(functionLog);
        // the JDBC driver reports on the console each connection the drill's endpoints refuse or reset
        postgresLogLevel = java.util.logging.Logger.getLogger("org.postgresql").getLevel();
        java.util.logging.Logger.getLogger("org.postgresql").setLevel(java.util.logging.Level.SEVERE);
        primaryDb = TestPostgres.startNewReplicated();
        closeLast.add(primaryDb);
        primaryDb.createDatabase(DB);
        Fixtures.prepareRoles(primaryDb);
        report.printf("  primary database up in %d ms%n", System.currentTimeMillis() - begun);
        link = new DelayedLink(primaryDb.port(), 0);
        closeLast.add(link);
        drDb = TestPostgres.standbyOf(primaryDb, link.port(), "drill_dr");
        closeLast.add(drDb);
        link.delay(settings.dbDelayMs());
        link.jitter(settings.dbJitterMs());
        // one bundle for both servers' certificates, as the RDS CA bundle serves every cluster
        Path bundle = Path.of("target", "drill-ca.pem");
        Files.writeString(bundle, Files.readString(primaryDb.serverCertificate())
                + Files.readString(drDb.serverCertificate()));
        primaryWriter = new WriterEndpoint(primaryDb.port());
        closeLast.add(primaryWriter);
        primaryWriter.activate();
        drWriter = new WriterEndpoint(drDb.port());
        closeLast.add(drWriter);
        report.printf("  databases up in %d ms%n", System.currentTimeMillis() - begun);

        TestDynamo engine = TestDynamo.shared();
        String primaryStream = engine.createTableWithStream(TABLE, Region.of(PRIMARY_REGION));
        String drStream = engine.createTableWithStream(TABLE, Region.of(DR_REGION));
        replication = new GlobalTableReplication(engine, Region.of(PRIMARY_REGION), TABLE, primaryStream,
                engine, Region.of(DR_REGION), TABLE, drStream, settings.stateDelayMs());
        replication.jitter(settings.stateJitterMs());
        closeLast.add(replication);
        // the primary's path to the DR replica (peering and interface endpoint in AWS)
        mirrorLink = new DelayedLink(engine.endpoint().getPort(), 0);
        closeLast.add(mirrorLink);

        Map<String, String> primaryEnv = env("primary", PRIMARY_REGION, primaryDb, bundle, engine);
        primaryEnv.put("ACK_MIRROR_REGION", DR_REGION);
        primaryEnv.put("ACK_MIRROR_ENDPOINT", "http://127.0.0.1:" + mirrorLink.port());
        Map<String, String> drEnv = env("dr", DR_REGION, drDb, bundle, engine);
        // as at deploy time: the primary's migrator migrates, the DR region receives it by replication
        report.printf("  tables and replication up in %d ms%n", System.currentTimeMillis() - begun);
        primaryMigrator = migrator(primaryEnv, engine, PRIMARY_REGION);
        primaryMigrator.migrate();
        report.printf("  schema migrated in %d ms%n", System.currentTimeMillis() - begun);
        drMigrator = migrator(drEnv, engine, DR_REGION);
        primary = new DrillRegion("primary", primaryEnv, settings.containers(), settings.timings());
        closeLast.add(primary);
        dr = new DrillRegion("dr", drEnv, settings.containers(), settings.timings());
        closeLast.add(dr);
        dns = new DrillDns(primary, dr, settings.dns());
        closeLast.add(dns);
        client = new DrillClient(primary, dr, dns, GIVE_UP);
        closeLast.add(client);
        report.printf("drill regions up in %d ms%n", System.currentTimeMillis() - begun);
    }

    /** The function's environment as the stack sets it, pointed at this region's engines. */
    private static Map<String, String> env(String role, String region, TestPostgres db, Path bundle, TestDynamo dynamo) {
        Map<String, String> env = new HashMap<>();
        env.put("REGION_ROLE", role);
        env.put("AWS_REGION", region);
        env.put("IDEMPOTENCY_TABLE", TABLE);
        // the cluster (writer) endpoint, inactive while the cluster is a secondary; the reader endpoint
        env.put("DB_HOST", WriterEndpoint.HOST);
        env.put("DB_READER_HOST", "127.0.0.1");
        env.put("DB_PORT", Integer.toString(db.port()));
        env.put("DB_NAME", DB);
        env.put("DB_SSL_MODE", "verify-full");
        env.put("DB_SSL_ROOT_CERT", bundle.toAbsolutePath().toString());
        env.put("ALLOWED_ORIGIN", "https://pay.example.test");
        env.put("MERCHANT_KEYS", Fixtures.merchantKeys());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString());
        return env;
    }

    /** A region's migrator: the owner's credentials, this region's table (the reconciliation reads it). */
    private MigrationHandler migrator(Map<String, String> env, TestDynamo engine, String region) {
        DynamoDbClient table = TestDynamo.clientFor(engine.endpoint(), Region.of(region));
        closeLast.add(table);
        return new MigrationHandler(FunctionConfig.fromEnvironment(env), Fixtures.ownerCredentials(),
                SchemaMigrator.MIGRATIONS, table);
    }

    /** The scenarios, in the order they run. */
    Outcome run() throws Exception {
        List<DrillLedger.Counted> counted = new ArrayList<>();
        client.startSending(settings.ratePerSecond());
        // the first payments meet cold containers (TLS, class loading): the drill starts when they are warm
        long warm = System.currentTimeMillis();
        awaitAck("primary", warm);
        report.printf("first payment in the primary region after %d ms%n", System.currentTimeMillis() - warm);
        counted.add(unplanned());
        counted.add(failBack());
        if (settings.longRun()) {
            counted.add(planned());
        }
        assertTablesEqual("at the end");
        return new Outcome(counted, reconciliations, probes, mirror(), degradedDuringOutage, degradedUnreachable,
                degradedKeys(0), strandedKey);
    }

    private void steady() throws InterruptedException {
        Thread.sleep(settings.durationSeconds() * 1000L);
    }

    /**
     * The primary region is lost mid-stream, after a lag spike: the WAL link holds everything from
     * some moment on, and payments committed after that moment are acknowledged before the fault,
     * so their rows cannot be in the standby: the loss at promotion is certain, not a matter of
     * timing. First two whose records were mirrored into the DR replica; then the DR region
     * becomes unreachable from the primary as a failing region is, its mirror path black-holed
     * (the mirror's timeout is met) and the table's replication held, and the drill waits for a
     * payment stored after that and acknowledged with a {@code degraded} record, which only the
     * primary's replica holds (one whose mirror write went out just before the black hole may have
     * reached the DR replica, its answer lost: degraded, yet restored there).
     * Then the WAL link and the API are cut and the server killed; the emulated health checks
     * notice; the drill's operator fails over at once (a person would take longer: the readiness
     * report does not bound that step); the name moves; one client sends a lost payment again;
     * the reconciliation runs from the DR replica's records. Then the primary region returns: its
     * held table writes are delivered (the degraded records among them), the reconciliation runs
     * again, and once more with the old primary's volume started on its own (the snapshot Aurora
     * takes of it). The payments acknowledged while the mirror failed are missing until then.
     */
    private DrillLedger.Counted unplanned() throws Exception {
        long start = System.currentTimeMillis();
        Map<String, Long> stages = new LinkedHashMap<>();
        steady();
        if (settings.longRun()) {
            drUnreachable();
        }
        // held first, then the server's time: a row committed after it cannot have crossed
        link.hold();
        long hold = System.currentTimeMillis();
        String heldFrom = serverNow(primaryDb);
        stages.put("lag spike: WAL held", hold);
        Ack retried = awaitHeldAck(heldFrom, "mirrored", null);
        Ack restored = awaitHeldAck(heldFrom, "mirrored", retried.key());
        long logFrom = Files.size(functionLogFile);
        replication.cut();
        mirrorLink.blackHole();
        stages.put("DR region unreachable from the primary: mirror black-holed, table replication held",
                System.currentTimeMillis());
        // a payment stored after this began its mirror write in the black hole: nothing of it can
        // have reached the DR replica (a write sent just before could have, its answer lost)
        String unreachableFrom = serverNow(primaryDb);
        Ack stranded = awaitHeldAck(unreachableFrom, "degraded", null);
        long fault = System.currentTimeMillis();
        stages.put("fault: primary region lost", fault);
        primary.kill();
        link.cut();
        primaryWriter.deactivate();
        java.util.Set<String> storedUnreachable = storedSince(unreachableFrom);
        primaryDb.stop();
        degradedUnreachable = degradedKeys(logFrom);
        degradedUnreachable.retainAll(storedUnreachable);
        report.printf("unplanned-failover: held acknowledged payments %s (to be sent again), %s (mirrored), %s"
                + " (degraded)%n", retried.key(), restored.key(), stranded.key());
        stages.put("primary unhealthy (health checks)", dns.awaitHealth(0, false, fault, STAGE_LIMIT));
        // the DR cluster is a secondary: its writer endpoint refuses, the function says unavailable
        probes.put("dr before promotion", client.probe(1, "probe-dr-" + fault, "1.00"));
        long promoting = System.currentTimeMillis();
        stages.put("failover started", promoting);
        drDb.promote();
        long promoted = System.currentTimeMillis();
        // before the writer endpoint opens: nothing the DR region writes is in it yet
        Map<String, List<String>> atPromotion = rows(drDb);
        drWriter.activate();
        stages.put(DrillResults.PROMOTED_STAGE, promoted);
        stages.put(DrillResults.READY_STAGE, awaitDirectPayment(1, promoted));
        stages.put("dr healthy (health checks)", dns.awaitHealth(1, true, promoted, STAGE_LIMIT));
        stages.put("name answers dr", dns.awaitAnswer(1, fault, STAGE_LIMIT));
        stages.put("first payment acknowledged by dr", awaitAck("dr", fault));
        report.printf("unplanned-failover: primary lost at +%d ms; promoted %d ms after the fault%n", fault - start,
                promoted - fault);
        // a client whose own timeout fired sends an acknowledged, lost payment again, now to DR
        if (!client.resend(retried.key(), retried.amount())) {
            throw new IllegalStateException("the resend of " + retried.key() + " was not acknowledged");
        }
        stages.put("a lost payment sent again, acknowledged by dr", System.currentTimeMillis());
        steady();
        // every answer in before the databases are read
        client.stopSending(GIVE_UP.plusSeconds(5));
        long end = System.currentTimeMillis();
        // the runbook's since: an hour before the fault
        JsonObject since = new JsonObject();
        since.addProperty("since", java.time.Instant.ofEpochMilli(fault).minus(Duration.ofHours(1)).toString());
        Map<String, List<String>> beforeReconciliation = rows(drDb);
        reconciliations.put("unplanned: acknowledgement records", reconcile(drMigrator, since));
        Map<String, List<String>> afterReconciliation = rows(drDb);
        // the primary region returns: what its replica held reaches the DR replica, the mirror's path works
        int held = replication.heal();
        mirrorLink.restore();
        report.printf("unplanned-failover: the primary region returns, %d held table writes delivered%n", held);
        assertTablesEqual("after the held writes were delivered");
        reconciliations.put("unplanned: acknowledgement records, the primary region back", reconcile(drMigrator, since));
        // the old primary's volume, crash-recovered on its own: the snapshot's content
        primaryDb.start();
        JsonObject event = since.deepCopy();
        event.addProperty("snapshot_host", "127.0.0.1");
        event.addProperty("snapshot_port", primaryDb.port());
        reconciliations.put("unplanned: with the old primary's snapshot", reconcile(drMigrator, event));
        primaryDb.stopFast();
        Map<String, List<String>> atEnd = rows(drDb);
        strandedKey = DrillClient.MERCHANT + "/" + stranded.key();
        return counted(DrillLedger.count("unplanned-failover", start, end, fault, promoted, "dr",
                List.copyOf(client.attempts), List.copyOf(client.acks),
                new DrillLedger.Rows(atPromotion, beforeReconciliation, afterReconciliation, atEnd), stages));
    }

    /**
     * Long run only: the DR region becomes unreachable from the primary's functions (the mirror's
     * path black-holed, so each write waits out the mirror's timeout, until the breaker opens)
     * while the table's replication still works, until at least one payment has been acknowledged
     * without its record in DR; then the path is back, and the drill waits until the table's
     * replication has delivered those records into the DR replica and the database's has
     * delivered their rows: what a degraded record is worth when the regions can still reach each
     * other.
     */
    private void drUnreachable() throws Exception {
        long from = Files.size(functionLogFile);
        mirrorLink.blackHole();
        long end = System.currentTimeMillis() + STAGE_LIMIT.toMillis();
        while (degradedKeys(from).isEmpty()) {
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("no payment was acknowledged while the DR region was unreachable");
            }
            Thread.sleep(20);
        }
        Thread.sleep(settings.durationSeconds() * 500L);
        mirrorLink.restore();
        degradedDuringOutage = degradedKeys(from).size();
        report.printf("  DR unreachable from the primary: %d payments acknowledged with a degraded record%n",
                degradedDuringOutage);
        // the breaker lets the mirror be tried again; then everything replicated: the degraded
        // records (written in the primary's replica) and the rows
        Thread.sleep(settings.timings().mirrorBreaker().toMillis());
        awaitDegradedRecordsInDr(degradedDuringOutage);
        awaitReplayed(drDb, currentLsn(primaryDb));
    }

    /** Waits (bounded) until the DR replica holds {@code count} degraded acknowledgement records. */
    private void awaitDegradedRecordsInDr(long count) throws InterruptedException {
        long end = System.currentTimeMillis() + STAGE_LIMIT.toMillis();
        try (DynamoDbClient table = TestDynamo.clientFor(TestDynamo.shared().endpoint(), Region.of(DR_REGION))) {
            while (System.currentTimeMillis() < end) {
                long there = table.scanPaginator(b -> b.tableName(TABLE).consistentRead(true)
                                .filterExpression("begins_with(pk, :ack) AND durability = :degraded")
                                .expressionAttributeValues(Map.of(
                                        ":ack", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ACK#"),
                                        ":degraded", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                                "degraded"))))
                        .items().stream().count();
                if (there >= count) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the degraded acknowledgement records did not replicate within " + STAGE_LIMIT);
    }

    /**
     * The scoped keys of the payments whose record the primary's functions logged as {@code
     * degraded} since {@code offset} (their log lines name the payment id; the client's
     * acknowledgements name its key).
     */
    private java.util.Set<String> degradedKeys(long offset) throws java.io.IOException {
        java.util.Set<String> ids = new java.util.HashSet<>();
        byte[] all = Files.readAllBytes(functionLogFile);
        new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"event\":\"ack_recorded\"") && l.contains("\"durability\":\"degraded\""))
                .forEach(l -> ids.add(JsonParser.parseString(l).getAsJsonObject().get("payment_id").getAsString()));
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (Ack a : client.acks) {
            if (ids.contains(a.paymentId())) {
                keys.add(DrillClient.MERCHANT + "/" + a.key());
            }
        }
        return keys;
    }

    /** The scoped keys of the drill's payments the primary stored after {@code serverTime}. */
    private java.util.Set<String> storedSince(String serverTime) throws SQLException {
        java.util.Set<String> keys = new java.util.HashSet<>();
        try (Connection c = primaryDb.admin(DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT idempotency_key FROM payments WHERE merchant_id = '"
                     + DrillClient.MERCHANT + "' AND created_at > '" + serverTime + "'::timestamptz")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    /**
     * Waits (bounded) until the primary has acknowledged a payment whose row was committed after
     * {@code serverTime} (so it is held on the link), whose record the primary's function logged
     * with {@code durability}, and whose client will not send it again on its own; not {@code
     * except}. The drill chooses by what happened, never by how long it waited.
     */
    private Ack awaitHeldAck(String serverTime, String durability, String except) throws Exception {
        long end = System.currentTimeMillis() + STAGE_LIMIT.toMillis();
        while (System.currentTimeMillis() < end) {
            java.util.Set<String> held = new java.util.HashSet<>();
            try (Connection c = primaryDb.admin(DB); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT payment_id FROM payments WHERE merchant_id = '"
                         + DrillClient.MERCHANT + "' AND created_at > '" + serverTime + "'::timestamptz")) {
                while (rs.next()) {
                    held.add(rs.getString(1));
                }
            }
            java.util.Set<String> recorded = new java.util.HashSet<>();
            for (String line : Files.readAllLines(functionLogFile)) {
                if (line.contains("\"event\":\"ack_recorded\"") && line.contains("\"durability\":\"" + durability + "\"")) {
                    recorded.add(JsonParser.parseString(line).getAsJsonObject().get("payment_id").getAsString());
                }
            }
            for (Ack a : client.acks) {
                if (a.region().equals("primary") && !a.resend() && !DrillClient.resent(a.key()) && !a.key().equals(except)
                        && held.contains(a.paymentId()) && recorded.contains(a.paymentId())) {
                    return a;
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the primary acknowledged no payment committed after the lag spike with a "
                + durability + " record within " + STAGE_LIMIT);
    }

    /**
     * The old primary is back: its stranded table writes are delivered (last writer wins), its API
     * answers again, and its server is rebuilt as a secondary of the new writer (its writer
     * endpoint inactive), as Aurora re-adds it; then a switchover back.
     */
    private DrillLedger.Counted failBack() throws Exception {
        long start = System.currentTimeMillis();
        primary.restart();
        link.close();
        link = new DelayedLink(drDb.port(), 0);
        closeLast.add(link);
        primaryDb.seedFrom(drDb, link.port(), "drill_primary");
        link.delay(settings.dbDelayMs());
        link.jitter(settings.dbJitterMs());
        report.printf("fail-back: old primary rebuilt as a secondary of the DR server in %d ms%n",
                System.currentTimeMillis() - start);
        client.startSending(settings.ratePerSecond());
        steady();
        return switchover("fail-back", start, drDb, drWriter, primaryDb, primaryWriter, 0, primaryMigrator);
    }

    /** Long run only: the DR server rebuilt as the primary's secondary, then a switchover primary to DR. */
    private DrillLedger.Counted planned() throws Exception {
        long start = System.currentTimeMillis();
        client.startSending(settings.ratePerSecond());
        link.close();
        link = new DelayedLink(primaryDb.port(), 0);
        closeLast.add(link);
        drDb.seedFrom(primaryDb, link.port(), "drill_dr");
        link.delay(settings.dbDelayMs());
        link.jitter(settings.dbJitterMs());
        report.printf("planned-switchover: DR server rebuilt as a secondary of the primary in %d ms%n",
                System.currentTimeMillis() - start);
        steady();
        return switchover("planned-switchover", start, primaryDb, primaryWriter, drDb, drWriter, 1, drMigrator);
    }

    /**
     * The planned move, as a global switchover does it, with INSERTs in flight when the writer is
     * demoted: the drill holds a lock that INSERTs wait for, and acts only on what the server shows
     * waiting (so nothing here is a matter of timing). The server ends waiting sessions, one at a
     * time, until a new payment's function has logged its outcome unknown (57P01, the INSERT rolled
     * back); then the writer endpoint goes inactive and resets the other connections while a fresh
     * INSERT waits (08006: the INSERTs commit when the lock is released, their answers lost). The
     * writer turns read-only, the secondary replays up to its last WAL position and is promoted,
     * and its endpoint activates.
     */
    private DrillLedger.Counted switchover(String name, long start, TestPostgres from, WriterEndpoint fromEndpoint,
                                           TestPostgres to, WriterEndpoint toEndpoint, int target,
                                           MigrationHandler targetMigrator) throws Exception {
        Map<String, Long> stages = new LinkedHashMap<>();
        String targetName = target == 0 ? "primary" : "dr";
        long fault = System.currentTimeMillis();
        stages.put("switchover started", fault);
        probes.put(name + ": " + targetName + " before promotion", client.probe(target, "probe-" + targetName + "-"
                + fault, "1.00"));
        long logFrom = Files.size(functionLogFile);
        try (Connection lock = from.admin(DB); Statement l = lock.createStatement()) {
            lock.setAutoCommit(false);
            l.execute("LOCK TABLE payments IN SHARE ROW EXCLUSIVE MODE");
            // a waiting INSERT may be a new payment's or a replay's (a resend re-asserting its row,
            // which answers replay_unavailable): sessions are ended one at a time until a new
            // payment's client has been told its outcome is unknown
            int terminated = -1;
            while (logged(logFrom, OUTCOME_UNKNOWN, "57P01") == 0) {
                long before = logged(logFrom, "57P01");
                terminated = awaitWaitingInsert(from, terminated);
                try (Connection c = from.admin("postgres"); Statement s = c.createStatement()) {
                    s.execute("SELECT pg_terminate_backend(" + terminated + ")");
                }
                awaitLogged(logFrom, before, "57P01");
            }
            // another INSERT that began waiting a moment ago, far from its lock timeout: reset now
            awaitWaitingInsert(from, terminated);
            fromEndpoint.deactivate();
            stages.put("old writer endpoint inactive, connections dropped mid-INSERT", System.currentTimeMillis());
            try (Connection c = from.admin("postgres"); Statement s = c.createStatement()) {
                s.execute("ALTER SYSTEM SET default_transaction_read_only = on");
                s.execute("SELECT pg_reload_conf()");
            }
            lock.commit();
        }
        awaitLogged(logFrom, 0, "08006");
        awaitReplayed(to, quiescedLsn(from));
        stages.put("secondary caught up", System.currentTimeMillis());
        to.promote();
        long promoted = System.currentTimeMillis();
        Map<String, List<String>> atPromotion = rows(to);
        toEndpoint.activate();
        stages.put(DrillResults.PROMOTED_STAGE, promoted);
        stages.put(DrillResults.READY_STAGE, awaitDirectPayment(target, promoted));
        stages.put(targetName + " healthy (health checks)", dns.awaitHealth(target, true, promoted, STAGE_LIMIT));
        stages.put("name answers " + targetName, dns.awaitAnswer(target, fault, STAGE_LIMIT));
        stages.put("first payment acknowledged by " + targetName, awaitAck(targetName, fault));
        report.printf("%s: promoted %d ms after the switchover began%n", name, promoted - fault);
        steady();
        client.stopSending(GIVE_UP.plusSeconds(5));
        long end = System.currentTimeMillis();
        Map<String, List<String>> before = rows(to);
        // nothing to reconcile after a switchover: the run proves it restores nothing
        reconciliations.put(name, reconcile(targetMigrator, null));
        Map<String, List<String>> after = rows(to);
        return counted(DrillLedger.count(name, start, end, fault, promoted, targetName,
                List.copyOf(client.attempts), List.copyOf(client.acks),
                new DrillLedger.Rows(atPromotion, before, after), stages));
    }

    /**
     * Waits (bounded) until an application session other than {@code except} waits on the drill's
     * lock with an INSERT into payments that began less than {@link #FRESH_WAIT_MILLIS} ago (so
     * well within the application role's 2 s lock timeout); its process id.
     */
    private static int awaitWaitingInsert(TestPostgres writer, int except) throws Exception {
        long end = System.currentTimeMillis() + STAGE_LIMIT.toMillis();
        try (Connection c = writer.admin("postgres"); Statement s = c.createStatement()) {
            while (System.currentTimeMillis() < end) {
                try (ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE usename = '"
                        + FunctionConfig.DEFAULT_DB_USER + "' AND wait_event_type = 'Lock'"
                        + " AND query LIKE 'INSERT INTO payments%' AND pid <> " + except
                        + " AND query_start > clock_timestamp() - interval '" + FRESH_WAIT_MILLIS + " milliseconds'"
                        + " ORDER BY query_start DESC LIMIT 1")) {
                    if (rs.next()) {
                        return rs.getInt(1);
                    }
                }
                Thread.sleep(5);
            }
        }
        throw new IllegalStateException("no INSERT reached the old writer within " + STAGE_LIMIT);
    }

    /** How recent a waiting INSERT must be for the drill to act on it (the lock timeout is 2 s). */
    static final long FRESH_WAIT_MILLIS = 300;

    static final String OUTCOME_UNKNOWN = "\"event\":\"payment_outcome_unknown\"";

    /** Lines of the function log since {@code offset} that contain every one of {@code texts}. */
    private long logged(long offset, String... texts) throws java.io.IOException {
        byte[] all = Files.readAllBytes(functionLogFile);
        String since = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
        return since.lines().filter(l -> java.util.Arrays.stream(texts).allMatch(l::contains)).count();
    }

    /** Waits (bounded) until more than {@code count} lines since {@code offset} contain {@code text}. */
    private void awaitLogged(long offset, long count, String text) throws Exception {
        long end = System.currentTimeMillis() + STAGE_LIMIT.toMillis();
        while (System.currentTimeMillis() < end) {
            if (logged(offset, text) > count) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the functions did not log " + text + " within " + STAGE_LIMIT);
    }

    private static String serverNow(TestPostgres server) throws SQLException {
        try (Connection c = server.admin("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT now()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String currentLsn(TestPostgres server) throws SQLException {
        try (Connection c = server.admin("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Waits (bounded) until the secondary has replayed up to {@code lsn}. */
    private static void awaitReplayed(TestPostgres secondary, String lsn) throws Exception {
        long deadline = System.currentTimeMillis() + STAGE_LIMIT.toMillis();
        while (true) {
            try (Connection c = secondary.admin("postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the secondary did not reach " + lsn + " within " + STAGE_LIMIT);
            }
            Thread.sleep(20);
        }
    }

    /**
     * The writer's last WAL position once no transaction can still write: sessions pick up the
     * read-only default at their next statement, and one already executing an INSERT may commit
     * after the reload. So: no backend holds a transaction id, twice, with the position unchanged.
     */
    private static String quiescedLsn(TestPostgres writer) throws Exception {
        String last = null;
        long deadline = System.currentTimeMillis() + STAGE_LIMIT.toMillis();
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
        throw new IllegalStateException("writes did not stop within " + STAGE_LIMIT);
    }

    /**
     * Sends payments straight to {@code region} (probes, not a client's: outside the name, not
     * counted) until one is stored; when it was. The function's readiness after its promotion.
     */
    private long awaitDirectPayment(int region, long from) throws InterruptedException {
        long end = System.currentTimeMillis() + STAGE_LIMIT.toMillis();
        for (int n = 0; System.currentTimeMillis() < end; n++) {
            DrillClient.Attempt a = client.probe(region, "probe-ready-" + from + "-" + n, "1.00");
            if (a.ok()) {
                return a.atMillis();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the region took no payment within " + STAGE_LIMIT + " of its promotion");
    }

    /** The first payment {@code region} acknowledged after {@code from} (waiting for it, bounded); its time. */
    private long awaitAck(String region, long from) throws InterruptedException {
        long limit = System.currentTimeMillis() + STAGE_LIMIT.toMillis();
        while (System.currentTimeMillis() < limit) {
            long first = client.acks.stream().filter(a -> a.region().equals(region) && a.atMillis() >= from)
                    .mapToLong(Ack::atMillis).min().orElse(-1);
            if (first > 0) {
                return first;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no payment succeeded in " + region + " within " + STAGE_LIMIT);
    }

    private JsonObject reconcile(MigrationHandler migrator, JsonObject extra) throws Exception {
        JsonObject event = extra == null ? new JsonObject() : extra.deepCopy();
        event.addProperty("action", "reconcile");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        // the owner's credentials in the payload, as the runbook's command hands them over
        migrator.handleRequest(new java.io.ByteArrayInputStream(Fixtures.ownerPayload(event)
                .getBytes(StandardCharsets.UTF_8)), out, null);
        return JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private DrillLedger.Counted counted(DrillLedger.Counted c) {
        DrillResults.Scenario s = c.scenario();
        report.printf("  %s: first payment %d ms after the fault (%d after the promotion), errors seen for %d ms;"
                        + " %d payments, time to acknowledgement p50 %d / p99 %d / max %d ms; attempts %d (no answer %d,"
                        + " 409 %d, 429 %d, 503 %d, other %d); lost at promotion %d, recovered by retry %d, by"
                        + " reconciliation %d, waited for the primary region %d, lost for good %d; duplicates %d%n",
                s.name(), s.faultToFirstAckMs(), s.promotionToFirstAckMs(), s.errorWindowMs(), s.payments(),
                s.timeToAckMs().p50(), s.timeToAckMs().p99(), s.timeToAckMs().max(), s.attempts(), s.unanswered(),
                s.status409(), s.status429(), s.status503(), s.otherErrors(), s.lostAtPromotion(), s.recoveredByRetry(),
                s.recoveredByReconciliation(), s.waitedForPrimaryRegion(), s.lostForGood(), s.duplicates());
        report.println("    timeline (ms after the fault): " + s.timeline());
        List<String> late = client.attempts.stream().filter(a -> !a.ok()).sorted(java.util.Comparator.comparingLong(
                DrillClient.Attempt::atMillis).reversed()).limit(3).map(a -> a.region() + " " + a.status() + " "
                + a.code() + " at " + a.atMillis()).toList();
        report.println("    last refusals: " + late);
        report.println("    outcomes: " + c.outcomes());
        c.waitedForPrimaryRegion().forEach(k -> report.println("    waited for the primary region: " + k));
        c.lostForGood().forEach(k -> report.println("    LOST FOR GOOD: " + k));
        c.duplicates().forEach(k -> report.println("    DUPLICATE: " + k));
        return c;
    }

    /** Pauses the client, lets replication drain, and fails if the two tables differ. */
    private void assertTablesEqual(String when) throws Exception {
        client.stopSending(GIVE_UP.plusSeconds(5));
        List<String> differences = replication.awaitIdleAndCompare(TABLES_EQUAL_LIMIT);
        if (!differences.isEmpty()) {
            throw new IllegalStateException("the tables differ " + when + " in " + differences.size() + " items: "
                    + differences.subList(0, Math.min(5, differences.size())));
        }
        report.printf("  tables equal %s (%d replicated writes applied so far)%n", when, replication.applied());
    }

    /** Every stored payment of the drill's merchant: scoped key to its payment ids (read on the server itself). */
    private static Map<String, List<String>> rows(TestPostgres server) throws SQLException {
        Map<String, List<String>> rows = new HashMap<>();
        try (Connection c = server.admin(DB); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT idempotency_key, payment_id FROM payments WHERE merchant_id = '"
                     + DrillClient.MERCHANT + "'")) {
            while (rs.next()) {
                rows.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return rows;
    }

    /** The mirror as the primary's functions logged it (their acknowledgement records' metric lines). */
    private DrillResults.Mirror mirror() throws java.io.IOException {
        List<Long> latencies = new ArrayList<>();
        long writes = 0;
        long degraded = 0;
        for (String line : Files.readAllLines(functionLogFile)) {
            if (!line.contains("\"event\":\"ack_recorded\"")) {
                continue;
            }
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            writes++;
            degraded += json.get(AckJournal.FAILED_METRIC).getAsLong();
            if (json.has(AckJournal.LATENCY_METRIC) && json.get(AckJournal.FAILED_METRIC).getAsLong() == 0) {
                latencies.add(json.get(AckJournal.LATENCY_METRIC).getAsLong());
            }
        }
        return new DrillResults.Mirror(writes, degraded, DrillResults.Percentiles.of(latencies));
    }

    List<String> abandoned() {
        return List.copyOf(client.abandoned);
    }

    long replicated() {
        return replication.applied();
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
        java.util.logging.Logger.getLogger("org.postgresql").setLevel(postgresLogLevel);
        if (functionLog != null) {
            functionLog.close();
        }
    }

}
