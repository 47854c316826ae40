package com.payments.dr.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import com.payments.dr.stack.Synth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readiness report: designed figures from the settings, the drill beside them, stable bytes. */
class ReadinessReportTest {

    @TempDir
    Path dir;

    private ReadinessReport report(Path drill, String... settings) {
        DrConfig.Builder builder = DrConfig.builder();
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(Setting.valueOf(settings[i]), settings[i + 1]);
        }
        return ReadinessReport.of(builder.build(), drill);
    }

    private static Tier tier(ReadinessReport r, String id) {
        return r.tiers().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void designedFiguresFollowTheSettings() {
        ReadinessReport r = report(dir.resolve("none.json"));
        assertEquals(List.of("traffic", "database", "table", "bucket", "secrets", "functions"),
                r.tiers().stream().map(Tier::id).toList());
        // without custom domains (no DNS_DOMAIN) clients switch by hand: no automatic traffic RTO
        assertEquals(null, tier(r, "traffic").rto().seconds());
        assertTrue(tier(r, "traffic").rto().text().startsWith("not automatic"), tier(r, "traffic").rto().text());
        // with a domain of their own, custom domains by default: 30 s x 3 failures + the 60 s TTL
        ReadinessReport own = report(dir.resolve("none.json"), "DNS_DOMAIN", "payments.acme-corp.net");
        assertEquals(150.0, tier(own, "traffic").rto().seconds());
        assertEquals(70.0, tier(report(dir.resolve("none.json"), "DNS_DOMAIN", "payments.acme-corp.net",
                "HEALTH_CHECK_INTERVAL", "10", "HEALTH_CHECK_FAILURE_THRESHOLD", "1"), "traffic").rto().seconds());
        // and opted out of, it is manual again
        assertEquals(null, tier(report(dir.resolve("none.json"), "DNS_DOMAIN", "payments.acme-corp.net",
                "CUSTOM_DOMAINS", "false"), "traffic").rto().seconds());
        assertEquals(0.0, tier(r, "table").rto().seconds());
        assertTrue(tier(r, "database").rpo().text().contains("alarm at 10 s; no cap: the stack does not set "
                + "rds.global_db_rpo"), tier(r, "database").rpo().text());
        assertEquals(120.0, tier(r, "database").rto().seconds());
        assertEquals(125.0, tier(r, "functions").rto().seconds());
        assertEquals(900.0, tier(r, "bucket").rpo().seconds());
        ReadinessReport noRtc = report(dir.resolve("none.json"), "S3_REPLICATION_TIME_CONTROL", "false");
        assertEquals(null, tier(noRtc, "bucket").rpo().seconds());
        assertEquals(List.of(), tier(noRtc, "bucket").alarms());
        assertEquals(List.of(), tier(r, "secrets").alarms());
        assertEquals(List.of(new Tier.Alarm("alarm-db-global-replication-lag-dev", "us-east-2")),
                tier(r, "database").alarms());
    }

    /** The bullet of the runbook's "Move the clients" step that starts with {@code start}. */
    private static String bullet(String step, String start) {
        int begin = step.indexOf("- " + start);
        assertTrue(begin >= 0, start + " in " + step);
        int end = step.indexOf("\n- ", begin + 2);
        return step.substring(begin, end < 0 ? step.indexOf("\n\n", begin) : end);
    }

    /**
     * The traffic tier says what a client does, by configuration, and the runbook's client step says
     * the same: without custom domains the DR URL by hand with the same key (no automatic RTO);
     * with them, nothing, on the failover name.
     */
    @Test
    void theTrafficTiersClientStepIsTheRunbooksForEachConfiguration() throws IOException {
        String runbook = Files.readString(Path.of("docs/runbook.md"));
        String move = runbook.substring(runbook.indexOf("### 5. Move the clients"), runbook.indexOf("### 6. "));
        String with = bullet(move, "**With custom domains**");
        String without = bullet(move, "**Without custom domains**");
        Tier manual = tier(report(dir.resolve("none.json")), "traffic");
        Tier automatic = tier(report(dir.resolve("none.json"), "DNS_DOMAIN", "payments.acme-corp.net"), "traffic");
        assertEquals(Tiers.MANUAL_CLIENT_STEP, manual.failover());
        for (String output : List.of("dr_api_invoke_url", "primary_api_invoke_url")) {
            assertTrue(manual.failover().contains(output) && without.contains("{{" + output + "}}"), output);
        }
        assertTrue(manual.failover().contains("same API key") && without.contains("**the same key**"), without);
        assertTrue(automatic.failover().startsWith(Tiers.AUTOMATIC_CLIENT_STEP));
        assertTrue(automatic.failover().contains("api_failover_url") && with.contains("api_failover_url"), with);
        assertTrue(automatic.failover().startsWith("nothing by hand") && with.contains(": nothing."), with);
        // the configurations each names: DNS_DOMAIN turns custom domains on, CUSTOM_DOMAINS=false off
        assertTrue(with.contains("DNS_DOMAIN") && without.contains("CUSTOM_DOMAINS=false"));
        // and the report says it plainly, in its table
        assertTrue(report(dir.resolve("none.json")).markdown().contains("| not automatic: as fast as the clients"
                + " switch once told"), "no automatic traffic RTO without custom domains");
    }

    /** The report names alarms the synthesized stack really has, in the regions their providers point at. */
    @Test
    void everyAlarmTheReportNamesIsOneTheStackCreates() {
        Synth synth = Synth.defaults();
        Map<String, String> providerRegion = Map.of("aws.primary", "us-east-1", "aws.dr", "us-east-2");
        java.util.Set<String> created = new TreeSet<>();
        for (String type : List.of("aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm")) {
            for (JsonObject alarm : synth.resources(type)) {
                created.add(alarm.get("alarm_name").getAsString() + "@"
                        + providerRegion.get(alarm.get("provider").getAsString()));
            }
        }
        List<String> named = new ArrayList<>();
        report(dir.resolve("none.json")).tiers().forEach(t -> t.alarms().forEach(a -> named.add(a.name() + "@" + a.region())));
        assertTrue(named.size() > 10, named.toString());
        assertTrue(created.containsAll(named), "not created: " + named.stream().filter(n -> !created.contains(n)).toList());
        // the count the estimate prices is the count the stack creates
        Inventory inventory = Inventory.of(DrConfig.builder().build());
        assertEquals(synth.resources("aws_cloudwatch_metric_alarm").size(), inventory.metricAlarms(
                com.payments.dr.naming.RegionRole.PRIMARY) + inventory.metricAlarms(com.payments.dr.naming.RegionRole.DR)
                + inventory.healthCheckAlarms().size() + inventory.drProbeAlarms().size() + inventory.zoneAlarms().size());
        assertEquals(synth.resources("aws_cloudwatch_composite_alarm").size(), 2, "us-east-1's and the DR region's");
        assertEquals(synth.resources("aws_secretsmanager_secret").size(), 1 + inventory.merchantKeys().size());
        assertEquals(synth.resources("aws_route53_health_check").size(), inventory.healthChecks());
        assertEquals(synth.resources("aws_rds_cluster_instance").size(), inventory.dbInstances());
        assertEquals(synth.resources("aws_kms_key").size(), inventory.kmsKeys());
        List<JsonObject> interfaceEndpoints = synth.resources("aws_vpc_endpoint").stream()
                .filter(e -> "Interface".equals(e.get("vpc_endpoint_type").getAsString())).toList();
        // nothing in the VPCs calls Secrets Manager any more: the one interface endpoint is the
        // acknowledgement mirror's (ACK_MIRROR), priced on its own line by its zones
        assertEquals(0, inventory.primaryInterfaceEndpoints().size() + inventory.drInterfaceEndpoints().size());
        assertEquals(1, interfaceEndpoints.size(), interfaceEndpoints.toString());
        assertEquals(CostEstimate.MIRROR_ENDPOINT_ZONES, interfaceEndpoints.get(0).getAsJsonArray("subnet_ids").size());
    }

    @Test
    void withoutADrillTheReportSaysSo() {
        ReadinessReport r = report(dir.resolve("none.json"));
        assertTrue(r.markdown().contains("\nNo drill recorded (`docs/drill-results.json` is absent).\n"));
        JsonObject json = JsonParser.parseString(r.json()).getAsJsonObject();
        assertTrue(json.get("drill").isJsonNull());
        for (JsonElement t : json.getAsJsonArray("tiers")) {
            assertTrue(t.getAsJsonObject().get("measured").isJsonNull(), t.toString());
        }
    }

    private static DrillResults fixture() {
        return DrillResults.read(DrillResultsTest.FIXTURE).orElseThrow();
    }

    private ReadinessReport reportWith(DrillResults.Freshness freshness, String... settings) {
        DrConfig.Builder builder = DrConfig.builder();
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(Setting.valueOf(settings[i]), settings[i + 1]);
        }
        return ReadinessReport.of(builder.build(), Prices.load(), java.util.Optional.of(fixture()), freshness);
    }

    @Test
    void aCurrentDrillsNumbersStandBesideTheDesignedOnesLabelledAsALocalEmulation() {
        ReadinessReport r = reportWith(DrillResults.Freshness.CURRENT);
        assertEquals(Map.of("unplannedLostAtPromotion", 21L, "unplannedRecoveredByRetry", 5L,
                "unplannedRecoveredByReconciliation", 14L, "unplannedWaitedForPrimaryRegion", 2L,
                "unplannedLostForGood", 0L, "switchoverLostForGood", 0L), tier(r, "database").measured());
        assertEquals(Map.of("duplicates", 0L), tier(r, "table").measured());
        assertEquals(Map.of("status503", 82L, "otherErrors", 0L), tier(r, "functions").measured());
        String md = r.markdown();
        assertTrue(md.contains("\n## Latest drill (local emulation)\n\nCounted by this checkout's drill code"
                + " (fixture000000000). Measured at 2026-11-23T12:00:00Z (commit 0123456789ab) by `mvn -B -o test"
                + " -Dtest=FailoverDrillTest -Djacoco.skip=true -Ddrill.mode=long`, all assertions passed; 2 CPUs, load"
                + " 3.5 before, 4.25 after.\n\nlocal emulation, not AWS (test fixture).\n"), md);
        assertTrue(md.contains("| unplanned-failover | 3400 | 900 | 4100 | 40 / 3900 / 4800 | 820 | 1000 | 60 | 4 | 0 "
                + "| 30 | 0 | 21 | 5 | 14 | 2 | 0 | 0 |"), md);
        assertTrue(md.contains("- unplanned-failover: lag spike: WAL held -900, fault: primary region lost 0, primary"
                + " unhealthy (health checks) 650, promoted, writer endpoint active 2500, function takes a payment (direct"
                + " probe) 2570, first payment acknowledged by dr 3400\n"), md);
        assertTrue(md.contains("Acknowledgement mirror: 2400 records, 12 degraded; added latency per payment p50 / p99"
                + " / max 3 / 11 / 40 ms (DynamoDB Local on loopback: no inter-region round trip)."), md);
        JsonObject json = JsonParser.parseString(r.json()).getAsJsonObject();
        assertEquals("current", json.getAsJsonObject("drill").get("freshness").getAsString());
        assertEquals(2, json.getAsJsonObject("drill").getAsJsonArray("scenarios").size());
    }

    @Test
    void resultsCountedByOtherCodeAreShownAsStaleAndNotQuoted() {
        for (DrillResults.Freshness f : List.of(DrillResults.Freshness.STALE, DrillResults.Freshness.UNKNOWN)) {
            ReadinessReport r = reportWith(f);
            for (Tier t : r.tiers()) {
                assertEquals(Map.of(), t.measured(), t.id());
            }
            // the measured step of the chain falls back to the design
            r.rto().forEach(c -> c.steps().forEach(s -> assertTrue(s.source() != RtoChain.Source.LOCAL_EMULATION,
                    s.toString())));
            assertEquals(f.name().toLowerCase(), JsonParser.parseString(r.json()).getAsJsonObject()
                    .getAsJsonObject("drill").get("freshness").getAsString());
        }
        assertTrue(reportWith(DrillResults.Freshness.STALE).markdown().contains("**STALE**: counted by other drill code"
                + " (fixture000000000) than this checkout's; not quoted above. Rerun `mvn -B -o test"));
        // the committed results judged against this checkout
        ReadinessReport committed = ReadinessReport.of(DrConfig.builder().build(), DrillResults.PATH);
        assertEquals(DrillResults.read(DrillResults.PATH).orElseThrow().freshness(Path.of("")),
                committed.drillFreshness());
    }

    @Test
    void theEndToEndRtoIsAChainOfLabelledStepsPerScenarioWithAndWithoutCustomDomains() {
        ReadinessReport r = reportWith(DrillResults.Freshness.CURRENT);
        assertEquals(List.of("unplanned failover/false", "unplanned failover/true", "planned switchover/false",
                "planned switchover/true"), r.rto().stream().map(c -> c.scenario() + "/" + c.customDomains()).toList());
        RtoChain unplannedDomains = r.rto().get(1);
        // detection and decision unbounded; 120 promotion + 0.07 measured + 95 DR healthy + 60 TTL + 5 retry,
        // in whole seconds
        assertEquals(280.0, unplannedDomains.boundedSeconds(), 1e-9);
        assertEquals("280 s + detection and the on-call's decision", unplannedDomains.totalText());
        assertEquals(List.of(RtoChain.Source.NOT_BOUNDED, RtoChain.Source.ASSUMPTION, RtoChain.Source.LOCAL_EMULATION,
                RtoChain.Source.APPROXIMATE, RtoChain.Source.ASSUMPTION, RtoChain.Source.SETTINGS),
                unplannedDomains.steps().stream().map(RtoChain.Step::source).toList());
        // the on-call hears the DR region's composite; us-east-1's is silent when us-east-1 fails
        String detection = unplannedDomains.steps().get(0).basis();
        assertTrue(detection.startsWith("the on-call hears `alarm-dr-view-fail-over-now-dev` (us-east-2)"), detection);
        assertTrue(detection.contains("`alarm-fail-over-now-dev` lives in us-east-1"), detection);
        assertTrue(detection.contains("approximate: each check may wait up to 4 s to connect and 2 s for the answer"),
                detection);
        // the promotion: the project's figure beside AWS's words
        String promotion = unplannedDomains.steps().get(1).basis();
        assertTrue(promotion.startsWith("120 s assumed; AWS gives no figure: \"For an Aurora global database, RTO can"
                + " be in the order of minutes.\" (Amazon Aurora User Guide"), promotion);
        // the alias records' TTL is the target's, not a setting
        assertTrue(unplannedDomains.steps().get(4).basis().contains("Route 53 answers with the alias target's"),
                unplannedDomains.steps().get(4).basis());
        assertTrue(unplannedDomains.steps().get(3).basis().contains("Amazon Route 53 Developer Guide"));
        // without custom domains the client's reconfiguration replaces the DNS steps, unbounded
        RtoChain unplannedDefault = r.rto().get(0);
        assertEquals(125.0, unplannedDefault.boundedSeconds(), 1e-9);
        assertEquals("125 s + detection and the on-call's decision + clients switch to the DR API's URL",
                unplannedDefault.totalText());
        // a switchover: 120 + 0.06 measured (fail-back, the fixture has no planned switchover) + 95 + 60 + 5
        RtoChain planned = r.rto().get(3);
        assertEquals(280.0, planned.boundedSeconds(), 1e-9);
        assertTrue(planned.steps().get(1).basis().startsWith("the drill's fail-back: 60 ms from the promotion to a"
                + " payment sent straight to the region"), planned.steps().get(1).basis());
        assertTrue(planned.steps().get(0).basis().contains("\"your database is unavailable for a short time"),
                planned.steps().get(0).basis());
        // the settings move it: 10 s x 1 check
        RtoChain fast = reportWith(DrillResults.Freshness.CURRENT, "HEALTH_CHECK_INTERVAL", "10",
                "HEALTH_CHECK_FAILURE_THRESHOLD", "1").rto().get(1);
        assertEquals(Math.round(120 + 0.07 + 15 + 60 + 5), fast.boundedSeconds(), 1e-9);
        String md = r.markdown();
        assertTrue(md.contains("\n### unplanned failover, with custom domains: 280 s + detection and the on-call's"
                + " decision\n"), md);
        assertTrue(md.contains("\n### unplanned failover, without custom domains (as configured): 125 s"), md);
        assertTrue(md.contains("| detection and the on-call's decision | - | not bounded by the system |"), md);
        assertTrue(md.contains("| failover-global-cluster promotes the DR cluster | 120 | the project's assumption |"),
                md);
        JsonObject chain = JsonParser.parseString(r.json()).getAsJsonObject().getAsJsonArray("rto").get(1)
                .getAsJsonObject();
        assertEquals("280", chain.get("boundedSeconds").toString());
        assertEquals("local emulation (the drill)", chain.getAsJsonArray("steps").get(2).getAsJsonObject()
                .get("source").getAsString());
        // without a drill the function's step is the design's bound
        RtoChain designed = report(dir.resolve("none.json")).rto().get(0);
        assertEquals(RtoChain.Source.SETTINGS, designed.steps().get(2).source());
        assertEquals(5.0, designed.steps().get(2).seconds());
    }

    @Test
    void theBytesDependOnTheConfigurationAndTheDrillAlone() throws IOException {
        ReadinessReport a = reportWith(DrillResults.Freshness.CURRENT);
        ReadinessReport b = reportWith(DrillResults.Freshness.CURRENT);
        assertEquals(a.markdown(), b.markdown());
        assertEquals(a.json(), b.json());
        a.writeInto(dir.resolve("out"));
        Path stack = dir.resolve("out/stacks/payments-dr");
        assertEquals(a.markdown(), Files.readString(stack.resolve(ReadinessReport.MARKDOWN)));
        assertEquals(a.json(), Files.readString(stack.resolve(ReadinessReport.JSON)));
        JsonObject cost = JsonParser.parseString(a.json()).getAsJsonObject().getAsJsonObject("cost");
        assertEquals("193.58", cost.get("idleUsd").toString());
        assertEquals("200.00", cost.get("budgetUsd").toString());
        assertEquals("1", cost.get("paymentsPerSecond").toString());
        assertEquals(36, cost.getAsJsonArray("lines").size());
        assertTrue(JsonParser.parseString(a.json()).getAsJsonObject().getAsJsonArray("tiers").get(0)
                .getAsJsonObject().getAsJsonObject("rto").get("seconds").isJsonNull(), "no custom domains: manual");
        ReadinessReport own = report(DrillResultsTest.FIXTURE, "DNS_DOMAIN", "payments.acme-corp.net");
        assertEquals("150", JsonParser.parseString(own.json()).getAsJsonObject().getAsJsonArray("tiers").get(0)
                .getAsJsonObject().getAsJsonObject("rto").get("seconds").toString());
    }

    @Test
    void theDevelopmentDefaultsARealEnvironmentMustReplaceAreListed() {
        ReadinessReport dev = report(dir.resolve("none.json"));
        assertTrue(dev.markdown().contains("\n## Before a real environment\n\n- `ALLOWED_ORIGIN` is `http://localhost:3000`,"
                + " its development default: the deployed functions allow CORS only from http://localhost:3000 (a"
                + " developer's machine). For a real environment, set ALLOWED_ORIGIN (or allowedOrigin in cdktf.json)"
                + " to the checkout page's origin (scheme://host[:port]); a synth requires it once DNS_DOMAIN is set or PROTECTION=production.\n"),
                dev.markdown());
        JsonObject origin = JsonParser.parseString(dev.json()).getAsJsonObject().getAsJsonArray("developmentDefaults")
                .get(0).getAsJsonObject();
        assertEquals("ALLOWED_ORIGIN", origin.get("setting").getAsString());
        assertEquals("http://localhost:3000", origin.get("value").getAsString());
        assertEquals("DNS_DOMAIN is set or PROTECTION=production", origin.get("requiredWhen").getAsString());
        ReadinessReport real = ReadinessReport.of(DrConfig.builder().set(com.payments.dr.config.Setting.ALLOWED_ORIGIN,
                "https://shop.acme.io").build(), dir.resolve("none.json"));
        assertTrue(real.markdown().contains("\n## Before a real environment\n\nNo setting a real environment must"
                + " choose is left at its development default.\n"), real.markdown());
        assertEquals(0, JsonParser.parseString(real.json()).getAsJsonObject().getAsJsonArray("developmentDefaults").size());
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsNamed() throws IOException {
        Files.writeString(dir.resolve("file"), "");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> report(dir.resolve("none.json")).writeInto(dir.resolve("file")));
        assertTrue(e.getMessage().startsWith("cannot write the readiness report into " + dir.resolve("file")
                + "/stacks/payments-dr: "), e.getMessage());
    }
}
