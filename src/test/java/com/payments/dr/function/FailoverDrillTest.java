package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.payments.dr.function.FailoverDrill.Outcome;
import com.payments.dr.function.FailoverDrill.Settings;
import com.payments.dr.report.DrillResults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failover drill (docs/failover-drill.md). {@code mvn -B verify} runs the short version
 * (unplanned failover and fail back, about a second of steady traffic per phase) and writes
 * target/drill-results.json; the long one ({@code -Ddrill.mode=long}, {@link #LONG_COMMAND}) adds
 * the DR region unreachable for a while and a planned switchover, and writes
 * docs/drill-results.json. Results are written only after every assertion passed.
 *
 * <p>No assertion depends on timing: the loss is forced (payments committed during a lag spike are
 * acknowledged before the fault, two with mirrored records, one with a degraded record once the DR
 * region is unreachable; the drill picks them by what the databases and the log show), the lost
 * payment sent again is sent by the drill after the name moved, the dropped INSERT is waited for
 * on the server, every wait is for an event with a bound far above what a loaded machine needs,
 * and no assertion counts how many records a slow machine degraded (the drill's mirror timeout is
 * longer than deployed; the checks on the degraded ones hold whatever their number).
 */
class FailoverDrillTest {

    static final String LONG_COMMAND = "mvn -B -o test -Dtest=FailoverDrillTest -Djacoco.skip=true -Ddrill.mode=long";
    static final List<String> OVERRIDES = List.of("drill.durationSeconds", "drill.ratePerSecond",
            "drill.stateDelayMs", "drill.dbDelayMs");
    static final String EMULATION = "local emulation, not AWS: embedded PostgreSQL 16, the primary streaming to a hot"
            + " standby through a TCP link with a varying delay, emulated Aurora writer endpoints (inactive on a"
            + " secondary); DynamoDB Local with one namespace per region and an emulated global-table replication"
            + " (last writer wins); the payment function in-process behind a loopback HTTP server; emulated Route 53"
            + " health checks, failover record and resolver TTL on the drill's scaled settings";

    /** The command that ran, as docs/drill-results.json records it: the long command and any override. */
    static String command() {
        StringBuilder command = new StringBuilder(LONG_COMMAND);
        for (String name : OVERRIDES) {
            if (System.getProperty(name) != null) {
                command.append(" -D").append(name).append('=').append(System.getProperty(name));
            }
        }
        return command.toString();
    }

    static Settings settings() {
        boolean isLong = "long".equals(System.getProperty("drill.mode"));
        // the waits that only pace clients and caches, shortened (the code paths are the deployed ones);
        // the mirror's call timeout longer than deployed: on a loaded build machine a loopback write
        // may take over a second, and only the drill's black hole is meant to degrade a record
        Timings timings = new Timings(Duration.ofSeconds(3), Duration.ofSeconds(1), 1, Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofSeconds(3));
        return new Settings(
                Integer.getInteger("drill.durationSeconds", isLong ? 20 : 1),
                Double.parseDouble(System.getProperty("drill.ratePerSecond", "20")),
                Long.getLong("drill.stateDelayMs", isLong ? 500 : 200), isLong ? 500 : 200,
                Long.getLong("drill.dbDelayMs", isLong ? 1000 : 300), isLong ? 1000 : 300,
                isLong ? new DrillDns.Settings(200, 3, 1000) : new DrillDns.Settings(100, 3, 300),
                timings, isLong ? 8 : 4, isLong);
    }

    /**
     * The short run costs about 15 s of drill on a quiet 2-core machine (more under load), the long
     * one a few minutes; a hung engine or server must not hold the build for ever.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void noAcknowledgedPaymentIsLostForGoodAndEveryStageIsCounted() throws Exception {
        Settings settings = settings();
        double loadBefore = loadAverage();
        Outcome outcome;
        long started = System.nanoTime();
        try (FailoverDrill drill = new FailoverDrill(settings, System.out)) {
            drill.start();
            outcome = drill.run();
            assertEquals(List.of(), drill.abandoned(), "every payment was acknowledged, every refusal said when to"
                    + " retry");
            assertTrue(drill.replicated() > 0, "the tables replicated writes to each other");
        }
        double loadAfter = loadAverage();
        long elapsed = (System.nanoTime() - started) / 1_000_000;

        for (DrillLedger.Counted c : outcome.scenarios()) {
            DrillResults.Scenario s = c.scenario();
            assertEquals(0, s.lostForGood(), s.name() + ": acknowledged and missing at the end: " + c.lostForGood());
            assertEquals(0, s.duplicates(), s.name() + ": " + c.duplicates());
            assertEquals(0, s.otherErrors(), s.name() + ": every refusal is a 409, 429 or 503 (or no answer): "
                    + c.outcomes());
            assertTrue(s.acknowledged() > 0 && s.faultToFirstAckMs() > 0, s.name());
            // the payments in the new region come after its promotion
            assertTrue(s.promotionToFirstAckMs() >= 0, s.name() + " " + s.timeline());
        }

        DrillLedger.Counted counted = outcome.scenario("unplanned-failover");
        DrillResults.Scenario unplanned = counted.scenario();
        // the lag spike forces the loss: payments committed during it and acknowledged, two with
        // mirrored records and one with a degraded record
        assertTrue(unplanned.lostAtPromotion() >= 3, unplanned.toString());
        assertTrue(unplanned.recoveredByRetry() >= 1, "a lost payment sent again is stored again by that retry: "
                + unplanned);
        assertTrue(unplanned.recoveredByReconciliation() >= 1, "a payment nobody resent is restored from its"
                + " mirrored acknowledgement record: " + unplanned);
        assertEquals(unplanned.lostAtPromotion(), unplanned.recoveredByRetry() + unplanned.recoveredByReconciliation()
                + unplanned.waitedForPrimaryRegion(), unplanned.toString());
        // acknowledged while the mirror was black-holed and the table's replication held: only the
        // failed region's replica had its record, so it is missing until that region returns, and
        // it is the only kind that waits
        assertTrue(counted.waitedForPrimaryRegion().contains(outcome.strandedKey()),
                outcome.strandedKey() + " " + counted.waitedForPrimaryRegion());
        assertTrue(outcome.degraded().containsAll(counted.waitedForPrimaryRegion()), "every payment that waited had"
                + " a degraded record: " + counted.waitedForPrimaryRegion() + " " + outcome.degraded());
        // stored once the DR region was unreachable, so their mirror writes began in the black hole
        // (a write sent just before it may have been applied in DR, its answer lost)
        java.util.Set<String> strandedLost = new java.util.TreeSet<>(counted.lostAtPromotion());
        strandedLost.retainAll(outcome.degradedUnreachable());
        counted.recoveredByRetry().forEach(strandedLost::remove);
        assertTrue(counted.waitedForPrimaryRegion().containsAll(strandedLost), "every payment lost with a degraded"
                + " record, stored once the DR region was unreachable and not sent again, waited for the primary"
                + " region: " + strandedLost + " " + counted.waitedForPrimaryRegion());
        assertRefused(outcome.probes().get("dr before promotion"));
        assertOrdered(unplanned.timeline(), "lag spike: WAL held",
                "DR region unreachable from the primary: mirror black-holed, table replication held",
                "fault: primary region lost", "primary unhealthy (health checks)", "failover started",
                DrillResults.PROMOTED_STAGE, "dr healthy (health checks)");
        assertOrdered(unplanned.timeline(), DrillResults.PROMOTED_STAGE, "name answers dr",
                "a lost payment sent again, acknowledged by dr");
        assertOrdered(unplanned.timeline(), DrillResults.PROMOTED_STAGE, DrillResults.READY_STAGE);
        JsonObject fromAcks = outcome.reconciliations().get("unplanned: acknowledgement records");
        assertEquals(unplanned.recoveredByReconciliation(), count(fromAcks, "restored_from_acknowledgements"),
                fromAcks.toString());
        assertEquals("given", fromAcks.get("since_source").getAsString());
        JsonObject primaryBack = outcome.reconciliations().get("unplanned: acknowledgement records, the primary region back");
        assertEquals(unplanned.waitedForPrimaryRegion(), count(primaryBack, "restored_from_acknowledgements"),
                primaryBack.toString());
        JsonObject withSnapshot = outcome.reconciliations().get("unplanned: with the old primary's snapshot");
        assertEquals(0, count(withSnapshot, "conflicts"), withSnapshot.toString());
        assertTrue(withSnapshot.get("snapshot_rows_compared").getAsInt() > 0, withSnapshot.toString());

        List<String> switchovers = new ArrayList<>(List.of("fail-back"));
        if (settings.longRun()) {
            switchovers.add("planned-switchover");
        }
        for (String name : switchovers) {
            DrillLedger.Counted c = outcome.scenario(name);
            assertEquals(0, c.scenario().lostAtPromotion(), name + ": a switchover loses nothing: " + c.lostAtPromotion());
            // the INSERT whose connection the switchover dropped: its client was told the outcome is unknown
            assertTrue(c.outcomes().keySet().stream().anyMatch(k -> k.endsWith(" 503 payment_outcome_unknown")),
                    name + ": " + c.outcomes());
            assertEquals(0, count(outcome.reconciliations().get(name), "restored_from_acknowledgements"));
        }
        assertRefused(outcome.probes().get("fail-back: primary before promotion"));
        // the mirror took records (their latency measured) and degraded the ones the drill forced
        assertTrue(outcome.mirror().writes() > outcome.mirror().degraded() && outcome.mirror().latencyMs().max() > 0,
                outcome.mirror().toString());
        assertTrue(outcome.mirror().degraded() >= outcome.degraded().size() && outcome.degraded().size()
                >= outcome.degradedDuringOutage() + outcome.degradedUnreachable().size(), outcome.mirror().toString());
        if (settings.longRun()) {
            assertRefused(outcome.probes().get("planned-switchover: dr before promotion"));
            assertTrue(outcome.degradedDuringOutage() >= 1);
        }

        // only now, every assertion passed: the evidence
        DrillResults results = new DrillResults(DrillResults.SCHEMA,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                settings.longRun() ? command() : "mvn -B verify", commit(),
                DrillResults.countingCodeDigest(Path.of("")).orElseThrow(), true, EMULATION,
                new DrillResults.Machine(Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter),
                settings.asMap(), outcome.scenarios().stream().map(DrillLedger.Counted::scenario).toList(),
                outcome.mirror());
        Path file = Path.of(settings.longRun() ? "docs/drill-results.json" : "target/drill-results.json");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(results.toJson()) + "\n");
        System.out.printf("failover drill (%s) in %d ms, load %.2f -> %.2f; mirror: %d records, %d degraded, latency"
                        + " p50 %d / p99 %d / max %d ms; written to %s%n", settings.asMap(), elapsed, loadBefore,
                loadAfter, outcome.mirror().writes(), outcome.mirror().degraded(), outcome.mirror().latencyMs().p50(),
                outcome.mirror().latencyMs().p99(), outcome.mirror().latencyMs().max(), file);
    }

    /** A reconciliation's count of one finding. */
    private static int count(JsonObject reconciliation, String finding) {
        return reconciliation.getAsJsonObject("counts").get(finding).getAsInt();
    }

    /** A region whose writer endpoint is inactive answers 503 database_unavailable with Retry-After. */
    private static void assertRefused(DrillClient.Attempt probe) {
        assertTrue(probe != null && probe.status() == 503 && "database_unavailable".equals(probe.code())
                && probe.retryAfter().isPresent(), String.valueOf(probe));
    }

    private static void assertOrdered(Map<String, Long> timeline, String... stages) {
        for (String stage : stages) {
            assertTrue(timeline.containsKey(stage), stage + ": " + timeline);
        }
        for (int i = 1; i < stages.length; i++) {
            assertTrue(timeline.get(stages[i - 1]) <= timeline.get(stages[i]), stages[i - 1] + " before " + stages[i]
                    + ": " + timeline);
        }
    }

    /** The one-minute load average, or -1 where the system does not publish it. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The checkout's commit, with "-dirty" when it has uncommitted changes; "unknown" without git. */
    static String commit() {
        try {
            Process p = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=12")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && !out.isEmpty() ? out : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }
}
