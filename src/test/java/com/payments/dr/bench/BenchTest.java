package com.payments.dr.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void reportStatesTheRatioAgainstTheGoal() {
        String met = BenchReport.report(new long[] {1000, 1000, 1000}, new long[] {1200, 1250, 1100});
        assertTrue(met.contains("median 1000 ms"), met);
        assertTrue(met.contains("ratio full/empty: 1.20 (goal <= 1.3: met)"), met);
        String missed = BenchReport.report(new long[] {1000}, new long[] {1400});
        assertTrue(missed.contains("1.40 (goal <= 1.3: NOT met)"), missed);
    }

    @Test
    void targetRefusesUnknownModes() {
        assertThrows(IllegalArgumentException.class, () -> BenchTarget.main(new String[] {"half", "x"}));
        assertThrows(IllegalArgumentException.class, () -> BenchTarget.main(new String[] {"empty"}));
    }

    @Test
    void emptyStackHasTheTwoProvidersAndNothingElse() throws IOException {
        BenchTarget.main(new String[] {"empty", dir.resolve("out").toString()});
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
