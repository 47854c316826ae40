package com.payments.dr.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill's committed results: absent, as the drill writes them, not the drill's schema, and
 * whether the code that counted them is the checkout's.
 */
class DrillResultsTest {

    static final Path FIXTURE = Path.of("src/test/resources/report/drill-results.json");

    @TempDir
    Path dir;

    @Test
    void noFileIsNoDrill() {
        assertEquals(Optional.empty(), DrillResults.read(dir.resolve("docs/drill-results.json")));
        assertEquals(Path.of("docs/drill-results.json"), DrillResults.PATH);
    }

    @Test
    void readsTheDrillsSchemaAndWritesItBackTheSame() throws IOException {
        DrillResults d = DrillResults.read(FIXTURE).orElseThrow();
        assertEquals("2026-11-23T12:00:00Z", d.measuredAt());
        assertEquals("0123456789ab", d.commit());
        assertEquals(new DrillResults.Machine(2, 3.5, 4.25), d.machine());
        assertEquals("1000 + 0..1000", d.settings().get("walDelayMs"));
        assertEquals(List.of("unplanned-failover", "fail-back"),
                d.scenarios().stream().map(DrillResults.Scenario::name).toList());
        DrillResults.Scenario unplanned = d.scenario("unplanned-failover").orElseThrow();
        assertEquals(new DrillResults.Percentiles(40, 3900, 4800), unplanned.timeToAckMs());
        assertEquals(List.of(21L, 5L, 14L, 2L, 0L), List.of(unplanned.lostAtPromotion(), unplanned.recoveredByRetry(),
                unplanned.recoveredByReconciliation(), unplanned.waitedForPrimaryRegion(), unplanned.lostForGood()));
        assertEquals(List.of(60L, 4L, 0L, 30L, 0L), List.of(unplanned.unanswered(), unplanned.status409(),
                unplanned.status429(), unplanned.status503(), unplanned.otherErrors()));
        assertEquals(List.of("lag spike: WAL held", "fault: primary region lost", "primary unhealthy (health checks)",
                DrillResults.PROMOTED_STAGE, DrillResults.READY_STAGE, "first payment acknowledged by dr"),
                List.copyOf(unplanned.timeline().keySet()));
        assertEquals(-900L, unplanned.timeline().get("lag spike: WAL held"));
        // the function's readiness after the promotion, without the drill's scaled DNS in it
        assertEquals(Optional.of(70L), DrillResults.promotionToReadyMs(unplanned));
        assertEquals(Optional.empty(), DrillResults.promotionToReadyMs(new DrillResults.Scenario("x", 0, 0, 0,
                unplanned.timeToAckMs(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of())));
        assertEquals(new DrillResults.Mirror(2400, 12, new DrillResults.Percentiles(3, 11, 40)), d.mirror());
        assertEquals(Optional.empty(), d.scenario("chaos"));
        // what the drill writes is what the report reads
        Path again = dir.resolve("again.json");
        Files.writeString(again, new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(d.toJson()) + "\n");
        assertEquals(Files.readString(FIXTURE), Files.readString(again));
    }

    @Test
    void aFileThatIsNotTheSchemaIsRefusedNamingIt() throws IOException {
        Path file = dir.resolve("drill-results.json");
        for (String bad : List.of("[]", "{\"measuredAt\": \"x\"}", "not json {",
                Files.readString(FIXTURE).replace("\"faultToFirstAckMs\": 3400", "\"faultToFirstAckMs\": \"soon\""),
                Files.readString(FIXTURE).replace("\"command\": \"mvn", "\"command\": null, \"x\": \"mvn"),
                Files.readString(FIXTURE).replace("\"lostForGood\": 0", "\"lostForEver\": 0"))) {
            Files.writeString(file, bad);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> DrillResults.read(file), bad);
            assertTrue(e.getMessage().startsWith(file + " is not a drill result ("), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        // the schema before the wait for the primary region was counted: refused, with what to do
        Files.writeString(file, Files.readString(FIXTURE).replace("\"schema\": 3", "\"schema\": 2"));
        IllegalStateException old = assertThrows(IllegalStateException.class, () -> DrillResults.read(file));
        assertTrue(old.getMessage().contains("schema 2, expected 3 (rerun the long drill)"), old.getMessage());
        Files.write(file, new byte[] {'{', (byte) 0xC3, '}'});
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> DrillResults.read(file));
        assertTrue(io.getMessage().startsWith("cannot read " + file + ": "), io.getMessage());
    }

    @Test
    void resultsAreCurrentOnlyForTheCountingCodeThatProducedThem() throws IOException {
        for (Path file : DrillResults.COUNTING_CODE) {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.writeString(dir.resolve(file), "class " + file.getFileName() + " {}\n");
        }
        String digest = DrillResults.countingCodeDigest(dir).orElseThrow();
        assertEquals(16, digest.length());
        DrillResults d = DrillResults.read(FIXTURE).orElseThrow();
        DrillResults current = new DrillResults(d.schema(), d.measuredAt(), d.command(), d.commit(), digest, true,
                d.emulation(), d.machine(), d.settings(), d.scenarios(), d.mirror());
        assertEquals(DrillResults.Freshness.CURRENT, current.freshness(dir));
        // a line ending changed by a checkout is the same code; a changed count is not
        Path ledger = dir.resolve(DrillResults.COUNTING_CODE.get(0));
        Files.writeString(ledger, Files.readString(ledger).replace("\n", "\r\n"));
        assertEquals(DrillResults.Freshness.CURRENT, current.freshness(dir));
        Files.writeString(ledger, "class DrillLedger { int lost; }\n");
        assertEquals(DrillResults.Freshness.STALE, current.freshness(dir));
        // unreadable (not UTF-8): an error naming the file, never a silent "unknown"
        Files.write(ledger, new byte[] {'{', (byte) 0xC3, '}'});
        UncheckedIOException unreadable = assertThrows(UncheckedIOException.class, () -> current.freshness(dir));
        assertTrue(unreadable.getMessage().startsWith("cannot read " + ledger + ": "), unreadable.getMessage());
        Files.delete(ledger);
        assertEquals(DrillResults.Freshness.UNKNOWN, current.freshness(dir));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", DrillResults.digest("SHA-256", "abc"));
        IllegalStateException broken = assertThrows(IllegalStateException.class, () -> DrillResults.digest("NO-SUCH", ""));
        assertEquals("NO-SUCH is not available", broken.getMessage());
    }

    @Test
    void percentilesAreNearestRank() {
        assertEquals(new DrillResults.Percentiles(0, 0, 0), DrillResults.Percentiles.of(List.of()));
        List<Long> hundred = new java.util.ArrayList<>();
        for (long i = 100; i >= 1; i--) {
            hundred.add(i);
        }
        assertEquals(new DrillResults.Percentiles(50, 99, 100), DrillResults.Percentiles.of(hundred));
        assertEquals(new DrillResults.Percentiles(7, 7, 7), DrillResults.Percentiles.of(List.of(7L)));
    }
}
