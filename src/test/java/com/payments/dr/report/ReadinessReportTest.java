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
        // 30 s x 3 failures + the 60 s TTL
        assertEquals(150.0, tier(r, "traffic").rto().seconds());
        assertEquals(70.0, tier(report(dir.resolve("none.json"), "HEALTH_CHECK_INTERVAL", "10",
                "HEALTH_CHECK_FAILURE_THRESHOLD", "1"), "traffic").rto().seconds());
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
                + inventory.healthCheckAlarms().size());
        assertEquals(synth.resources("aws_route53_health_check").size(), inventory.healthChecks());
        assertEquals(synth.resources("aws_rds_cluster_instance").size(), inventory.dbInstances());
        assertEquals(synth.resources("aws_kms_key").size(), inventory.kmsKeys());
        long interfaceEndpoints = synth.resources("aws_vpc_endpoint").stream()
                .filter(e -> "Interface".equals(e.get("vpc_endpoint_type").getAsString())).count();
        assertEquals(interfaceEndpoints, 2L * inventory.interfaceEndpointsPerRegion());
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
        assertEquals("198.90", cost.get("idleUsd").toString());
        assertEquals("200.00", cost.get("budgetUsd").toString());
        assertEquals("1", cost.get("paymentsPerSecond").toString());
        assertEquals(28, cost.getAsJsonArray("lines").size());
        assertEquals("150", JsonParser.parseString(a.json()).getAsJsonObject().getAsJsonArray("tiers").get(0)
                .getAsJsonObject().getAsJsonObject("rto").get("seconds").toString());
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
