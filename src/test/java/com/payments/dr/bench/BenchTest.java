package com.payments.dr.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.bench.BenchReport.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTest {

    @TempDir
    Path dir;

    @Test
    void medianOfOddAndEvenSamples() {
        assertEquals(5.0, BenchReport.median(new long[] {9, 1, 5}));
        assertEquals(4.0, BenchReport.median(new long[] {6, 2, 3, 5}));
    }

    /** A run of {@code total} ms whose phases last 100, 200, ... ms, ending with exit. */
    private static Sample sample(long total, long cpu, long jvmMib, long nodeMib) {
        long start = 1_000_000;
        Map<String, Long> marks = Map.of("start", start, "jvm", start + 100, "node", start + 300,
                "cdktf", start + 600, "provider", start + 1000, "construct", start + 1500, "synth", start + total - 700);
        return new Sample(total, cpu, marks, start + total, jvmMib * 1024, nodeMib * 1024);
    }

    @Test
    void reportStatesBothRatiosAgainstTheirGoals() {
        String met = BenchReport.report(
                List.of(sample(4000, 5000, 100, 500), sample(4000, 5000, 100, 500), sample(4200, 5100, 100, 500)),
                List.of(sample(5000, 6000, 110, 560), sample(5200, 6100, 120, 580), sample(4800, 5900, 110, 560)));
        assertTrue(met.contains("ratio full/empty: time 1.25 (goal <= 1.3: met), peak RSS 1.12 (goal <= 1.2: met)"), met);
        assertTrue(met.matches("(?s).*time \\(ms\\) +4000 +5000\n.*"), met);
        assertTrue(met.matches("(?s).*  provider +400 +400\n.*"), met);
        assertTrue(met.matches("(?s).*  exit +700 +700\n.*"), met);
        assertTrue(met.matches("(?s).*CPU time \\(ms\\) +5000 +6000\n.*"), met);
        assertTrue(met.matches("(?s).*peak RSS \\(MiB\\) +600 +670\n.*"), met);
        assertTrue(met.matches("(?s).*  Node processes +500 +560\n.*"), met);
        assertTrue(met.contains("times (ms): empty [4000, 4000, 4200], full [5000, 5200, 4800]"), met);
        String missed = BenchReport.report(List.of(sample(4000, 1, 100, 500)), List.of(sample(5600, 1, 200, 600)));
        assertTrue(missed.contains("time 1.40 (goal <= 1.3: NOT met), peak RSS 1.33 (goal <= 1.2: NOT met)"), missed);
    }

    @Test
    void phasesAreTheGapsBetweenMarksAndTheExitIsMeasuredByTheParent() {
        Sample s = sample(3000, 1, 1, 1);
        assertEquals(List.of("jvm", "node", "cdktf", "provider", "construct", "synth", "exit"),
                List.copyOf(s.phases().keySet()));
        assertEquals(List.of(100L, 200L, 300L, 400L, 500L, 800L, 700L), List.copyOf(s.phases().values()));
        assertEquals(s.millis(), s.phases().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void marksAreReadFromTheChildsOutputIgnoringOtherLines() {
        assertEquals(Map.of("jvm", 12L, "node", 34L),
                BenchReport.marks("bench-phase jvm 12\nsomething else\nbench-phase node 34\n"));
    }

    @Test
    void targetRefusesUnknownModes() {
        assertThrows(IllegalArgumentException.class, () -> BenchTarget.main(new String[] {"half", "x"}));
        assertThrows(IllegalArgumentException.class, () -> BenchTarget.main(new String[] {"empty"}));
    }

    @Test
    void emptyStackHasTheTwoProvidersAndNothingElseAndEveryPhaseIsMarkedInOrder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BenchTarget.main(new String[] {"empty", dir.resolve("out").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        Map<String, Long> marks = BenchReport.marks(out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("jvm", "node", "cdktf", "provider", "construct", "synth"),
                List.copyOf(marks.keySet()));
        List<Long> times = List.copyOf(marks.values());
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i - 1) <= times.get(i), marks.toString());
        }
        JsonObject json = JsonParser.parseString(
                Files.readString(dir.resolve("out/stacks/payments-dr/cdk.tf.json"))).getAsJsonObject();
        assertEquals(2, json.getAsJsonObject("provider").getAsJsonArray("aws").size());
        assertFalse(json.has("resource"));
        assertFalse(json.has("data"));
    }

    @Test
    void fullTargetSynthesizesTheRealStack() throws IOException {
        BenchTarget.main(new String[] {"full", dir.resolve("out").toString()});
        JsonObject json = JsonParser.parseString(
                Files.readString(dir.resolve("out/stacks/payments-dr/cdk.tf.json"))).getAsJsonObject();
        assertTrue(json.getAsJsonObject("resource").has("aws_vpc"));
    }
}
