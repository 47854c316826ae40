package com.payments.dr.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.config.ConfigLoader;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.RealEnvironment;
import com.payments.dr.config.Setting;
import com.payments.dr.report.DrillResults;
import com.payments.dr.report.ReadinessReport;
import com.payments.dr.stack.Synth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example contexts in docs/examples load as ./main loads cdktf.json, stay within their budget,
 * and synthesize to what each claims to show.
 */
class ExamplesTest {

    static final Path DIR = Path.of("docs/examples");
    static final List<String> EXAMPLES = List.of("development", "production", "three-zones");
    private static final Map<String, DrConfig> CONFIGS = new TreeMap<>();
    private static final Map<String, Synth> SYNTHS = new TreeMap<>();

    @BeforeAll
    static void loadAndSynthesize() {
        for (String example : EXAMPLES) {
            DrConfig config = ConfigLoader.load(Map.of(), DIR.resolve(example).resolve("cdktf.json"));
            CONFIGS.put(example, config);
            SYNTHS.put(example, Synth.of(config));
        }
    }

    private static ReadinessReport report(String example) {
        return ReadinessReport.of(CONFIGS.get(example), DrillResults.PATH);
    }

    @Test
    void everyExampleIsAProjectFileWithKnownSettingsWithinItsBudget() throws IOException {
        try (var dirs = Files.list(DIR)) {
            assertEquals(EXAMPLES, dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList(),
                    "every example directory is tested");
        }
        List<String> keys = List.of(Setting.values()).stream().map(Setting::contextKey).toList();
        for (String example : EXAMPLES) {
            JsonObject json = JsonParser.parseString(Files.readString(DIR.resolve(example).resolve("cdktf.json")))
                    .getAsJsonObject();
            assertEquals("./main", json.get("app").getAsString(), example);
            assertTrue(keys.containsAll(json.getAsJsonObject("context").keySet()), example);
            assertNull(report(example).cost().overBudget(), example);
        }
    }

    @Test
    void developmentIsItsOwnEnvironmentOnTheDefaults() {
        DrConfig dev = CONFIGS.get("development");
        assertEquals("dev-alice", dev.environmentSuffix());
        assertEquals(List.of(RealEnvironment.developmentDefaults(dev).get(0).setting()), List.of(Setting.ALLOWED_ORIGIN));
        assertTrue(SYNTHS.get("development").text().contains("\"lambda-payment-dev-alice\""));
    }

    @Test
    void productionIsARealEnvironmentWithOneNameForClients() {
        DrConfig prod = CONFIGS.get("production");
        assertEquals(List.of(), RealEnvironment.developmentDefaults(prod));
        Synth synth = SYNTHS.get("production");
        assertEquals(2, synth.resources("aws_acm_certificate").size(), "a certificate per region");
        assertEquals(2, synth.resources("aws_sns_topic_subscription").stream()
                .filter(s -> "email".equals(s.get("protocol").getAsString())).count(), "alarm e-mail in both regions");
        assertTrue(synth.json().getAsJsonObject("output").has("api_failover_url"));
        // the production profile: protected databases, locked vaults, a year of the audit trail
        assertEquals(com.payments.dr.config.Protection.PRODUCTION, prod.protection());
        assertTrue(synth.resources("aws_rds_cluster").stream().allMatch(c -> c.get("deletion_protection").getAsBoolean()));
        assertEquals(2, synth.resources("aws_backup_vault_lock_configuration").size(), "a locked vault per region");
        assertTrue(synth.resources("aws_cloudwatch_log_group").stream()
                .filter(g -> g.get("name").getAsString().startsWith("/aws/rds/"))
                .allMatch(g -> g.get("retention_in_days").getAsInt() == 365 && g.get("skip_destroy").getAsBoolean()));
        // without its origin the same context is refused: a real domain means a real environment
        JsonObject context = JsonParser.parseString(readUnchecked(DIR.resolve("production/cdktf.json")))
                .getAsJsonObject().getAsJsonObject("context");
        context.remove("allowedOrigin");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(com.payments.dr.config.ConfigException.class,
                () -> ConfigLoader.load(Map.of("CDKTF_CONTEXT_JSON", context.toString()), Path.of("none.json")))
                .getMessage().startsWith("ALLOWED_ORIGIN is not set, and DNS_DOMAIN=pay.yourcompany.net"));
    }

    @Test
    void threeZonesHasThreeSubnetsPerRegionAtTheDefaultBudget() {
        Synth synth = SYNTHS.get("three-zones");
        assertEquals(6, synth.resources("aws_subnet").size());
        DrConfig config = CONFIGS.get("three-zones");
        assertEquals("us-west-2", config.drRegion());
        // nothing in the VPCs is priced per zone (no interface endpoints, no NAT): a third zone costs nothing idle
        assertEquals(report("development").cost().idleUsd(), report("three-zones").cost().idleUsd(), 1e-9);
        assertEquals(200, config.cost().monthlyBudgetUsd(), 1e-9);
    }

    @Test
    void theirCostsAreTheEstimates() {
        StringBuilder md = new StringBuilder("| example | idle | at 1 payment(s)/s | budget |\n|---|---|---|---|\n");
        for (String example : EXAMPLES) {
            var cost = report(example).cost();
            md.append("| ").append(example).append(" | ").append(usd(cost.idleUsd())).append(" | ")
                    .append(usd(cost.loadUsd())).append(" | ").append(usd(cost.budgetUsd())).append(" |\n");
        }
        new GeneratedBlock(DIR.resolve("README.md"), "example costs").check(md.toString());
    }

    private static String usd(double value) {
        return "$" + java.math.BigDecimal.valueOf(value).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static String readUnchecked(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
