package com.payments.dr.postdeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The suite's judgments on what Route 53 and CloudWatch answer, on their own: the answers a correct
 * deployment gives pass, each kind of wrong answer fails. And the
 * suite's start: skipped with one line without an outputs file, an error with a bad one.
 */
class PostDeployJudgmentsTest {

    private static final String HEALTH_URL = "https://abc123.execute-api.us-east-1.amazonaws.com/v1-dev/health";
    private static final String PRIMARY_CHECK = "aaaaaaaa-1111-4000-8000-000000000001";
    private static final String DR_CHECK = "bbbbbbbb-2222-4000-8000-000000000002";
    private static final String NAME = "api.payments-dr-dev.com";
    private static final String PRIMARY_TOPIC = "arn:aws:sns:us-east-1:123456789012:sns-alerts-dev";
    private static final String DR_TOPIC = "arn:aws:sns:us-east-2:123456789012:sns-alerts-dev";

    private static HealthCheckConfig.Builder check() {
        return HealthCheckConfig.builder().type("HTTPS").fullyQualifiedDomainName("abc123.execute-api.us-east-1.amazonaws.com")
                .resourcePath("/v1-dev/health").port(443).enableSNI(true);
    }

    private static void fails(Executable check) {
        assertThrows(AssertionError.class, check);
    }

    @Test
    void healthCheckMustCallTheRegionsHealthOverHttpsWithSni() {
        PostDeployChecks.assertHealthCheck(check().build(), HEALTH_URL);
        PostDeployChecks.assertHealthCheck(check().port(null).build(), HEALTH_URL);
        fails(() -> PostDeployChecks.assertHealthCheck(check().type("HTTP").build(), HEALTH_URL));
        fails(() -> PostDeployChecks.assertHealthCheck(check().fullyQualifiedDomainName("other.example.com").build(), HEALTH_URL));
        fails(() -> PostDeployChecks.assertHealthCheck(check().resourcePath("/v1-dev/payments").build(), HEALTH_URL));
        fails(() -> PostDeployChecks.assertHealthCheck(check().port(80).build(), HEALTH_URL));
        fails(() -> PostDeployChecks.assertHealthCheck(check().enableSNI(false).build(), HEALTH_URL));
    }

    private static ResourceRecordSet record(String name, String failover, String check) {
        return ResourceRecordSet.builder().name(name).type("CNAME").failover(failover).healthCheckId(check)
                .setIdentifier(failover == null ? null : failover.toLowerCase()).build();
    }

    @Test
    void failoverPairNeedsPrimaryAndSecondaryEachWithItsOwnHealthCheck() {
        ResourceRecordSet primary = record(NAME + ".", "PRIMARY", PRIMARY_CHECK);
        ResourceRecordSet secondary = record(NAME + ".", "SECONDARY", DR_CHECK);
        ResourceRecordSet plain = record("primary." + NAME + ".", null, null);
        PostDeployChecks.assertFailoverPair(List.of(primary, secondary, plain), NAME, PRIMARY_CHECK, DR_CHECK);
        fails(() -> PostDeployChecks.assertFailoverPair(List.of(primary, plain), NAME, PRIMARY_CHECK, DR_CHECK));
        fails(() -> PostDeployChecks.assertFailoverPair(List.of(primary, record(NAME + ".", "SECONDARY", null)), NAME,
                PRIMARY_CHECK, DR_CHECK));
        fails(() -> PostDeployChecks.assertFailoverPair(List.of(primary, record(NAME + ".", "SECONDARY", PRIMARY_CHECK)),
                NAME, PRIMARY_CHECK, DR_CHECK));
        fails(() -> PostDeployChecks.assertFailoverPair(List.of(primary, primary, secondary), NAME, PRIMARY_CHECK, DR_CHECK));
        fails(() -> PostDeployChecks.assertFailoverPair(List.of(record("x." + NAME + ".", "PRIMARY", PRIMARY_CHECK),
                secondary), NAME, PRIMARY_CHECK, DR_CHECK));
    }

    @Test
    void dashboardAlarmsAreReadFromItsAlarmWidgets() {
        String body = "{\"widgets\":[{\"type\":\"alarm\",\"properties\":{\"alarms\":[\"arn:aws:cloudwatch:us-east-1:1:alarm:a\"]}},"
                + "{\"type\":\"metric\",\"properties\":{\"alarms\":[\"ignored\"]}},"
                + "{\"type\":\"alarm\",\"properties\":{\"alarms\":[\"arn:aws:cloudwatch:us-east-2:1:alarm:b\"]}}]}";
        assertEquals(List.of("arn:aws:cloudwatch:us-east-1:1:alarm:a", "arn:aws:cloudwatch:us-east-2:1:alarm:b"),
                PostDeployChecks.dashboardAlarms(body));
    }

    @Test
    void alarmsMustNotifyTheirRegionsTopicOnAlarmAndOnOk() {
        List<String> topics = List.of(PRIMARY_TOPIC, DR_TOPIC);
        PostDeployChecks.assertNotifies("a", List.of(DR_TOPIC), List.of(DR_TOPIC), "us-east-2", topics);
        fails(() -> PostDeployChecks.assertNotifies("a", List.of(DR_TOPIC), List.of(), "us-east-2", topics));
        fails(() -> PostDeployChecks.assertNotifies("a", List.of(), List.of(DR_TOPIC), "us-east-2", topics));
        // another region's topic is not this alarm's
        fails(() -> PostDeployChecks.assertNotifies("a", List.of(PRIMARY_TOPIC), List.of(PRIMARY_TOPIC), "us-east-2", topics));
        // the Route 53 alarms in us-east-1 when neither region is there: a topic in us-east-1
        List<String> west = List.of("arn:aws:sns:us-west-2:1:t", "arn:aws:sns:eu-west-1:1:t");
        String third = "arn:aws:sns:us-east-1:1:sns-alerts-route53-dev";
        PostDeployChecks.assertNotifies("h", List.of(third), List.of(third), "us-east-1", west);
        fails(() -> PostDeployChecks.assertNotifies("h", List.of("arn:aws:lambda:us-east-1:1:function:f"),
                List.of(third), "us-east-1", west));
        fails(() -> PostDeployChecks.assertNotifies("h", List.of("arn:aws:sns:us-west-2:1:t"), List.of(third), "us-east-1",
                west));
    }

    @Test
    void readinessPassesOnlyThroughTheReaderEndpoint() {
        String ready = "{\"status\":\"standby\",\"region\":\"us-east-2\",\"database_role\":\"reader\","
                + "\"checks\":{\"idempotency_table\":\"pass\",\"database_reader\":\"pass\"}}";
        PostDeployChecks.assertReady(200, ready, "us-east-2");
        fails(() -> PostDeployChecks.assertReady(503, ready, "us-east-2"));
        fails(() -> PostDeployChecks.assertReady(200, ready, "us-east-1"));
        fails(() -> PostDeployChecks.assertReady(200, ready.replace("standby", "ok"), "us-east-2"));
        fails(() -> PostDeployChecks.assertReady(200, ready.replace("database_reader\":\"pass", "database_reader\":\"fail"),
                "us-east-2"));
    }

    @Test
    void healthAnswersAsTheReadmeDocuments() {
        String writer = "{\"status\":\"ok\",\"region\":\"us-east-1\",\"database_role\":\"writer\"}";
        String reader = "{\"status\":\"unhealthy\",\"region\":\"us-east-2\",\"failed_check\":\"database_writable\"}";
        PostDeployChecks.assertHealth(200, writer, "us-east-1", false);
        PostDeployChecks.assertHealth(503, reader, "us-east-2", true);
        PostDeployChecks.assertHealth(503, reader.replace("database_writable", "database_connection"), "us-east-2", true);
        fails(() -> PostDeployChecks.assertHealth(503, reader, "us-east-2", false));
        fails(() -> PostDeployChecks.assertHealth(503, reader.replace("database_writable", "idempotency_table"),
                "us-east-2", true));
        fails(() -> PostDeployChecks.assertHealth(200, writer, "us-east-2", true));
        fails(() -> PostDeployChecks.assertHealth(200, writer.replace("writer", "reader"), "us-east-1", false));
        fails(() -> PostDeployChecks.assertHealth(502, writer, "us-east-1", true));
    }

    @Test
    void withoutAnOutputsFileTheSuiteSkipsWithOneLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Optional<PostDeployChecks> checks = PostDeployTest.configure(Map.of(), Path.of("."),
                new PrintStream(out, true, StandardCharsets.UTF_8), AwsClients.aws());
        assertTrue(checks.isEmpty());
        assertEquals(PostDeployTest.SKIPPED + "\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(PostDeployTest.SKIPPED.startsWith("post-deploy suite skipped: DR_OUTPUTS_FILE is not set"));
    }

    @Test
    void withAnOutputsFileTheSuiteRunsAndABadOneIsAnError() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertTrue(PostDeployTest.configure(Map.of("DR_OUTPUTS_FILE", "src/test/resources/ops/outputs.json"), Path.of(""),
                print, AwsClients.aws()).isPresent());
        assertThrows(IllegalArgumentException.class, () -> PostDeployTest.configure(Map.of("DR_OUTPUTS_FILE", "absent.json"),
                Path.of(""), print, AwsClients.aws()));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void replicationBoundsComeFromTheEnvironment() {
        assertEquals(Duration.ofSeconds(60), PostDeployTest.seconds(Map.of(), PostDeployTest.TABLE_BOUND_ENV, 60));
        assertEquals(Duration.ofSeconds(120), PostDeployTest.seconds(Map.of(PostDeployTest.BUCKET_BOUND_ENV, "120"),
                PostDeployTest.BUCKET_BOUND_ENV, 900));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PostDeployTest.seconds(
                Map.of(PostDeployTest.TABLE_BOUND_ENV, "0"), PostDeployTest.TABLE_BOUND_ENV, 60));
        assertEquals("invalid DR_TABLE_REPLICATION_BOUND_SECONDS=\"0\": allowed: 1 to 99999 seconds", e.getMessage());
    }

    private static PostDeployChecks.AuroraAlarm aurora(String name, String region, String metric, String cluster) {
        return new PostDeployChecks.AuroraAlarm(name, region, metric, Map.of("DBClusterIdentifier", cluster));
    }

    private static List<PostDeployChecks.AuroraAlarm> auroraAlarms() {
        List<PostDeployChecks.AuroraAlarm> alarms = new java.util.ArrayList<>();
        for (String metric : PostDeployChecks.CLUSTER_METRICS) {
            alarms.add(aurora("p-" + metric, "us-east-1", metric, "aurora-primary-dev"));
            alarms.add(aurora("d-" + metric, "us-east-2", metric, "aurora-dr-dev"));
        }
        PostDeployChecks.GLOBAL_LAG_METRICS.forEach(metric -> {
            alarms.add(aurora("p-" + metric, "us-east-1", metric, "aurora-primary-dev"));
            alarms.add(aurora("d-" + metric, "us-east-2", metric, "aurora-dr-dev"));
        });
        return alarms;
    }

    private static final Map<String, String> CLUSTERS = Map.of("us-east-1", "aurora-primary-dev", "us-east-2",
            "aurora-dr-dev");

    @Test
    void auroraAlarmsMustWatchTheirRegionsClusterAndTheLagInBothRegions() {
        PostDeployChecks.assertWatchesTheClusters(auroraAlarms(), CLUSTERS);
        // a DR alarm on the primary's cluster
        List<PostDeployChecks.AuroraAlarm> crossed = auroraAlarms();
        crossed.set(1, aurora("d-capacity", "us-east-2", "ServerlessDatabaseCapacity", "aurora-primary-dev"));
        AssertionError e = assertThrows(AssertionError.class,
                () -> PostDeployChecks.assertWatchesTheClusters(crossed, CLUSTERS));
        assertTrue(e.getMessage().startsWith("Aurora alarm d-capacity (us-east-2): AWS/RDS ServerlessDatabaseCapacity"
                + " {DBClusterIdentifier=aurora-primary-dev} watches another cluster than its region's"), e.getMessage());
        // the primary region's lag watched on the DR cluster: it must follow its own cluster
        List<PostDeployChecks.AuroraAlarm> primaryLag = auroraAlarms();
        primaryLag.add(aurora("p-lag", "us-east-1", "AuroraGlobalDBReplicationLag", "aurora-dr-dev"));
        e = assertThrows(AssertionError.class,
                () -> PostDeployChecks.assertWatchesTheClusters(primaryLag, CLUSTERS));
        assertTrue(e.getMessage().startsWith("Aurora alarm p-lag (us-east-1)"), e.getMessage());
        // an alarm in a region with no cluster of this deployment
        List<PostDeployChecks.AuroraAlarm> elsewhere = auroraAlarms();
        elsewhere.add(aurora("x-cpu", "us-west-2", "CPUUtilization", "aurora-primary-dev"));
        fails(() -> PostDeployChecks.assertWatchesTheClusters(elsewhere, CLUSTERS));
        // a lag alarm deleted in either region, or a cluster metric unwatched in one region
        for (int i = 0; i < auroraAlarms().size(); i++) {
            List<PostDeployChecks.AuroraAlarm> fewer = auroraAlarms();
            PostDeployChecks.AuroraAlarm removed = fewer.remove(i);
            e = assertThrows(AssertionError.class,
                    () -> PostDeployChecks.assertWatchesTheClusters(fewer, CLUSTERS));
            assertEquals("no Aurora alarm in " + removed.region() + " on [" + removed.metric() + "]", e.getMessage());
        }
    }

    @Test
    void unlistedMetricsAreNamedInOneMessage() {
        Map<PostDeployChecks.AuroraAlarm, List<Map<String, String>>> unlisted = new java.util.LinkedHashMap<>();
        unlisted.put(aurora("a", "us-east-2", "CPUUtilization", "c"), List.of());
        unlisted.put(aurora("b", "us-east-2", "AuroraGlobalDBRPOLag", "c"),
                List.of(new java.util.TreeMap<>(Map.of("DBClusterIdentifier", "c", "SourceRegion", "us-east-1"))));
        assertEquals("Aurora alarms watch metrics CloudWatch does not list within 900 s (such an alarm gets no"
                + " data: it never fires, or never clears if missing data breaches):\n"
                + "  a (us-east-2): AWS/RDS CPUUtilization {DBClusterIdentifier=c}: not listed\n"
                + "  b (us-east-2): AWS/RDS AuroraGlobalDBRPOLag {DBClusterIdentifier=c}: listed only with the dimensions"
                + " [{DBClusterIdentifier=c, SourceRegion=us-east-1}]",
                PostDeployChecks.unpublished(unlisted, Duration.ofSeconds(900)));
    }

    @Test
    void theMetricsBoundComesFromTheEnvironment() {
        assertEquals("DR_METRICS_PUBLISHED_BOUND_SECONDS", PostDeployTest.METRICS_BOUND_ENV);
        assertEquals(Duration.ofSeconds(300), PostDeployTest.seconds(Map.of(PostDeployTest.METRICS_BOUND_ENV, "300"),
                PostDeployTest.METRICS_BOUND_ENV, 900));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PostDeployTest.seconds(
                Map.of(PostDeployTest.METRICS_BOUND_ENV, "15m"), PostDeployTest.METRICS_BOUND_ENV, 900));
        assertEquals("invalid DR_METRICS_PUBLISHED_BOUND_SECONDS=\"15m\": allowed: 1 to 99999 seconds", e.getMessage());
    }
}
