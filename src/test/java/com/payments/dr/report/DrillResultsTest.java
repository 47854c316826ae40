package com.payments.dr.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drill's committed results: absent, as the drill writes them, or not the drill's schema. */
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
    void readsTheDrillsSchema() {
        DrillResults d = DrillResults.read(FIXTURE).orElseThrow();
        assertEquals("2026-11-23T12:00:00Z", d.measuredAt());
        assertEquals(30.5, d.durationSeconds());
        assertEquals(20, d.ratePerSecond());
        assertEquals(200, d.stateReplicationDelayMs());
        assertEquals(150, d.databaseApplyDelayMs());
        assertEquals(List.of("planned-switchover", "unplanned-failover", "fail-back"),
                d.scenarios().stream().map(DrillResults.Scenario::name).toList());
        assertEquals(new DrillResults.Scenario("unplanned-failover", 3400, 380, 3, 140, 0, 30, 1),
                d.scenario("unplanned-failover").orElseThrow());
        assertEquals(Optional.empty(), d.scenario("chaos"));
    }

    @Test
    void aFileThatIsNotTheSchemaIsRefusedNamingIt() throws IOException {
        Path file = dir.resolve("drill-results.json");
        for (String bad : List.of("[]", "{\"measuredAt\": \"x\"}", "not json {",
                Files.readString(FIXTURE).replace("\"rtoMs\": 2100", "\"rtoMs\": \"soon\""),
                Files.readString(FIXTURE).replace("\"command\": \"mvn", "\"command\": null, \"x\": \"mvn"))) {
            Files.writeString(file, bad);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> DrillResults.read(file), bad);
            assertTrue(e.getMessage().startsWith(file + " is not a drill result ("), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        Files.write(file, new byte[] {'{', (byte) 0xC3, '}'});
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> DrillResults.read(file));
        assertTrue(io.getMessage().startsWith("cannot read " + file + ": "), io.getMessage());
    }
}
