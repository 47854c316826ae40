package com.payments.dr.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.payments.dr.config.DrConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's cost table is the estimate the synth computes for the default configuration. On a
 * change, copy the table from the section "Cost" of cdktf.out/stacks/payments-dr/dr-readiness.md
 * (or from this test's failure message) between the markers.
 */
class CostTableTest {

    static final String BEGIN = "<!-- cost-table: generated, see report.CostTableTest -->\n";
    static final String END = "<!-- end cost-table -->";

    @Test
    void theReadmesCostTableIsTheComputedDefaultEstimate() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        String documented = begin < 0 || end < begin ? "(no markers)" : readme.substring(begin + BEGIN.length(), end);
        DrConfig defaults = DrConfig.builder().build();
        String computed = ReadinessReport.costTable(CostEstimate.of(defaults, Prices.load(), Inventory.of(defaults)));
        assertEquals(computed, documented, "README.md's cost table is stale; the computed one:\n" + computed);
    }
}
