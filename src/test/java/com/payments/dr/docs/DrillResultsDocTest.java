package com.payments.dr.docs;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import com.payments.dr.report.DrillResults;
import com.payments.dr.report.ReadinessReport;
import com.payments.dr.report.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The recovery figures the documents quote are the ones the code computes or the drill recorded:
 * the latest drill as the readiness report renders docs/drill-results.json, and the designed
 * traffic RTO of the default configuration with a domain of its own (custom domains on).
 */
class DrillResultsDocTest {

    private static final ReadinessReport DEFAULTS = ReadinessReport.of(DrConfig.builder().build(), DrillResults.PATH);

    @Test
    void theLatestDrillIsTheRecordedOne() {
        String md = DEFAULTS.markdown();
        int start = md.indexOf(ReadinessReport.DRILL_HEADING) + ReadinessReport.DRILL_HEADING.length();
        assertTrue(start >= ReadinessReport.DRILL_HEADING.length(), "the report has its drill section");
        new GeneratedBlock(Path.of("docs/failover-drill.md"), "latest drill")
                .check(md.substring(start, md.indexOf("\n## ", start) + 1));
    }

    @Test
    void theDesignedTrafficRtoIsTheReportsOwn() throws IOException {
        // without a domain of their own clients switch URLs by hand: no designed traffic RTO
        assertNull(DEFAULTS.tiers().get(0).rto().seconds());
        // with one, custom domains are on by default and the name follows the failover
        Tier traffic = ReadinessReport.of(DrConfig.builder().set(Setting.DNS_DOMAIN, "payments.acme-corp.net").build(),
                DrillResults.PATH).tiers().get(0);
        assertTrue(traffic.name().startsWith("Traffic"), traffic.name());
        String seconds = new java.math.BigDecimal(traffic.rto().seconds().toString()).stripTrailingZeros()
                .toPlainString() + " s";
        for (String doc : new String[] {"README.md", "docs/dr-readiness.md"}) {
            // the alias records' TTL is their target's, an assumption, not a setting
            assertTrue(Files.readString(Path.of(doc)).contains("TTL (their target's; 60 s assumed) = " + seconds),
                    doc + " quotes " + seconds);
        }
    }
}
