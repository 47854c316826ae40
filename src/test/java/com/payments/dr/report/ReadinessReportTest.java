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
        assertEquals(121.0, tier(r, "functions").rto().seconds());
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
                + inventory.healthCheckAlarms().size() + inventory.drProbeAlarms().size());
        assertEquals(synth.resources("aws_cloudwatch_composite_alarm").size(), 2, "us-east-1's and the DR region's");
        assertEquals(synth.resources("aws_secretsmanager_secret").size(), 1 + inventory.merchantKeys().size());
        assertEquals(synth.resources("aws_route53_health_check").size(), inventory.healthChecks());
        assertEquals(synth.resources("aws_rds_cluster_instance").size(), inventory.dbInstances());
        assertEquals(synth.resources("aws_kms_key").size(), inventory.kmsKeys());
        long interfaceEndpoints = synth.resources("aws_vpc_endpoint").stream()
                .filter(e -> "Interface".equals(e.get("vpc_endpoint_type").getAsString())).count();
        assertEquals(interfaceEndpoints, inventory.primaryInterfaceEndpoints().size()
                + inventory.drInterfaceEndpoints().size());
        assertEquals(0, interfaceEndpoints, "nothing in the VPCs calls Secrets Manager any more");
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

    @Test
    void theDrillsNumbersStandBesideTheDesignedOnes() {
        ReadinessReport r = report(DrillResultsTest.FIXTURE);
        Tier database = tier(r, "database");
        assertEquals(Map.of("databaseApplyDelayMs", 150L, "plannedRtoMs", 2100L, "plannedLostPayments", 0L,
                "unplannedRtoMs", 3400L, "unplannedLostPayments", 3L, "unplannedLostWindowMs", 140L), database.measured());
        assertEquals(Map.of("stateReplicationDelayMs", 200L, "duplicates", 0L), tier(r, "table").measured());
        assertEquals(Map.of("clean503", 52L, "errors", 1L), tier(r, "functions").measured());
        String md = r.markdown();
        assertTrue(md.contains("| databaseApplyDelayMs 150, plannedRtoMs 2100, plannedLostPayments 0, unplannedRtoMs "
                + "3400, unplannedLostPayments 3, unplannedLostWindowMs 140 |"), md);
        assertTrue(md.contains("Measured at 2026-11-23T12:00:00Z by `mvn -B -q test -Dtest=FailoverDrill "
                + "-Ddrill.long=true`: 30.5 s at 20 payments/s"), md);
        assertTrue(md.contains("| unplanned-failover | 3400 | 380 | 3 | 140 | 0 | 30 | 1 |"), md);
        JsonObject json = JsonParser.parseString(r.json()).getAsJsonObject();
        JsonObject drill = json.getAsJsonObject("drill");
        assertEquals("2026-11-23T12:00:00Z", drill.get("measuredAt").getAsString());
        assertEquals("30.5", drill.get("durationSeconds").toString());
        assertEquals("20", drill.get("ratePerSecond").toString());
        assertEquals(3, drill.getAsJsonArray("scenarios").size());
        assertEquals(3400, json.getAsJsonArray("tiers").get(1).getAsJsonObject().getAsJsonObject("measured")
                .get("unplannedRtoMs").getAsLong());
        // a drill without the database scenarios reports what it has
        DrillResults partial = new DrillResults("t", "c", 1, 1, 5, 6, List.of());
        assertEquals(Map.of("databaseApplyDelayMs", 6L), tier(ReadinessReport.of(DrConfig.builder().build(), Prices.load(),
                java.util.Optional.of(partial)), "database")
                .measured());
    }

    @Test
    void theBytesDependOnTheConfigurationAndTheDrillAlone() throws IOException {
        ReadinessReport a = report(DrillResultsTest.FIXTURE);
        ReadinessReport b = report(DrillResultsTest.FIXTURE);
        assertEquals(a.markdown(), b.markdown());
        assertEquals(a.json(), b.json());
        a.writeInto(dir.resolve("out"));
        Path stack = dir.resolve("out/stacks/payments-dr");
        assertEquals(a.markdown(), Files.readString(stack.resolve(ReadinessReport.MARKDOWN)));
        assertEquals(a.json(), Files.readString(stack.resolve(ReadinessReport.JSON)));
        JsonObject cost = JsonParser.parseString(a.json()).getAsJsonObject().getAsJsonObject("cost");
        assertEquals("187.18", cost.get("idleUsd").toString());
        assertEquals("200.00", cost.get("budgetUsd").toString());
        assertEquals("1", cost.get("paymentsPerSecond").toString());
        assertEquals(33, cost.getAsJsonArray("lines").size());
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
