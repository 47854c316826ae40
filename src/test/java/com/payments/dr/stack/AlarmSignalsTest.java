package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every alarm of the stack, stated against what AWS publishes: the region its metric is published
 * in (each service's documentation, by the dimensions' resources) is the alarm's region; and the
 * metric's value while the system is healthy, the primary serving and the DR region passive, keeps
 * the alarm (and the composites over them) OK. An alarm nobody stated a healthy value for fails
 * this test: a new alarm must say what "healthy" reads.
 */
class AlarmSignalsTest {

    private static final Map<String, String> PROVIDER_REGION = Map.of("aws.primary", "us-east-1", "aws.dr", "us-east-2");
    private static final Map<String, String> ROLE_REGION = Map.of("primary", "us-east-1", "dr", "us-east-2");

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }

    private static Map<String, String> dimensions(JsonObject alarm) {
        Map<String, String> dims = new TreeMap<>();
        if (alarm.has("dimensions")) {
            alarm.getAsJsonObject("dimensions").asMap().forEach((k, v) -> dims.put(k, v.getAsString()));
        }
        return dims;
    }

    /** The region of the stack resource a dimension value names: {@code ${aws_x.primary_…}} or {@code ${aws_x.dr_…}}. */
    private static String regionOfReference(String value) {
        for (Map.Entry<String, String> role : ROLE_REGION.entrySet()) {
            if (value.matches("\\$\\{aws_[a-z0-9_]+\\." + role.getKey() + "_.*")) {
                return role.getValue();
            }
        }
        return null;
    }

    /**
     * Where AWS publishes the alarm's metric with these dimensions: Route 53 health checks in
     * us-east-1 only; S3 replication latency in the destination bucket's region and failed
     * operations in the source's (S3 User Guide, "Using S3 Replication metrics"); DynamoDB's
     * replication latency in the region whose writes replicate, towards ReceivingRegion; the
     * global-database lag for the secondary cluster, in its region (either cluster, once a switchover
     * has made it the secondary); the probe's in the DR region,
     * where it runs; everything else where the resource the dimensions name lives.
     */
    private static String publishedIn(JsonObject alarm) {
        String namespace = alarm.get("namespace").getAsString();
        String metric = alarm.get("metric_name").getAsString();
        Map<String, String> dims = dimensions(alarm);
        switch (namespace) {
            case "AWS/Route53":
                return "us-east-1";
            case "PaymentsDR/PaymentFunction":
                // the acknowledgement mirror's metric, without dimensions: published in the region of
                // the function that mirrors (AckJournal writes it only with a mirror), the primary's alone
                assertEquals("AckMirrorFailed", metric);
                assertEquals(Map.of(), dims);
                List<String> mirroring = synth.resources("aws_lambda_function").stream()
                        .filter(f -> f.has("environment") && f.getAsJsonObject("environment")
                                .getAsJsonObject("variables").has("ACK_MIRROR_REGION"))
                        .map(f -> PROVIDER_REGION.get(f.get("provider").getAsString())).toList();
                assertEquals(1, mirroring.size(), "one function mirrors: " + mirroring);
                return mirroring.get(0);
            case "PaymentsDR/FailoverProbe":
                assertEquals("lambda-probe-dev", dims.get("Probe"));
                return regionOfReference(synth.ref("aws_lambda_function", "dr_detection_function", "function_name"));
            case "AWS/S3":
                return regionOfReference(dims.get(metric.equals("OperationsFailedReplication") ? "SourceBucket"
                        : "DestinationBucket"));
            case "AWS/DynamoDB":
                if (metric.equals("ReplicationLatency")) {
                    String receiving = dims.get("ReceivingRegion");
                    return receiving.equals("us-east-1") ? "us-east-2" : "us-east-1";
                }
                // the global table's name is the same in both regions: its metrics are wherever it is used
                return PROVIDER_REGION.get(alarm.get("provider").getAsString());
            case "AWS/RDS":
                String cluster = dims.get("DBClusterIdentifier");
                // the global database's lag too: each region watches its own member, published there
                // while that member is the secondary
                return regionOfReference(cluster);
            default:
                String region = null;
                for (String value : dims.values()) {
                    String r = regionOfReference(value);
                    if (r != null) {
                        assertTrue(region == null || region.equals(r), "dimensions of two regions: " + dims);
                        region = r;
                    }
                }
                return region;
        }
    }

    /** Every metric alarm: its name, its region, its definition. */
    private static List<JsonObject> metricAlarms() {
        return synth.resources("aws_cloudwatch_metric_alarm");
    }

    @Test
    void everyAlarmsMetricIsPublishedInTheAlarmsRegionWithThoseDimensions() {
        int checked = 0;
        for (JsonObject alarm : metricAlarms()) {
            String name = alarm.get("alarm_name").getAsString();
            String region = PROVIDER_REGION.get(alarm.get("provider").getAsString());
            String published = publishedIn(alarm);
            assertTrue(published != null, name + ": no dimension names where its metric is published " + dimensions(alarm));
            assertEquals(published, region, name + " watches " + alarm.get("namespace").getAsString() + " "
                    + alarm.get("metric_name").getAsString() + " " + dimensions(alarm) + ", published in " + published);
            checked++;
        }
        assertEquals(metricAlarms().size(), checked);
        // the cases the old placement got wrong: both S3 latency alarms sit in their destination's region
        for (JsonObject alarm : metricAlarms()) {
            if (alarm.get("metric_name").getAsString().equals("ReplicationLatency")
                    && alarm.get("namespace").getAsString().equals("AWS/S3")) {
                assertEquals(regionOfReference(dimensions(alarm).get("DestinationBucket")),
                        PROVIDER_REGION.get(alarm.get("provider").getAsString()));
            }
        }
    }

    /**
     * The value (one per period, the alarm's statistic) each metric reads while the system is
     * healthy: the primary region serving payments, the DR region passive (its database a
     * secondary, its /health 503, its readiness probe 200, no payments sent to it). {@code null}:
     * the metric publishes nothing then.
     */
    private static Double healthyValue(JsonObject alarm, String region) {
        boolean dr = region.equals("us-east-2");
        String namespace = alarm.get("namespace").getAsString();
        String metric = alarm.get("metric_name").getAsString();
        Map<String, String> dims = dimensions(alarm);
        String key = namespace + " " + metric;
        switch (key) {
            case "AWS/Lambda Errors", "AWS/Lambda Throttles":
                return 0.0;
            case "AWS/Lambda Duration":
                return 60.0; // /health in milliseconds, payments a few hundred
            case "AWS/Lambda ConcurrentExecutions":
                return 2.0;
            case "AWS/SQS ApproximateNumberOfMessagesVisible":
                return 0.0;
            case "AWS/ApiGateway 5XXError", "AWS/ApiGateway 4XXError", "AWS/ApiGateway Latency",
                 "AWS/ApiGateway IntegrationLatency":
                boolean payments = "POST".equals(dims.get("Method")) && "/payments".equals(dims.get("Resource"));
                if (!payments) {
                    // the whole stage: Route 53's /health calls; a passive region answers them 503 by design
                    return metric.equals("5XXError") ? (dr ? 1.0 : 0.0) : metric.equals("4XXError") ? 0.0 : 50.0;
                }
                if (dr) {
                    return null; // nobody pays through a passive region
                }
                return switch (metric) {
                    case "5XXError" -> 0.0;
                    case "4XXError" -> 0.02;
                    default -> 400.0;
                };
            case "AWS/RDS ServerlessDatabaseCapacity":
                return 0.5;
            case "AWS/RDS ACUUtilization", "AWS/RDS CPUUtilization":
                return 15.0;
            case "AWS/RDS DatabaseConnections":
                return 6.0;
            case "AWS/RDS AuroraGlobalDBReplicationLag", "AWS/RDS AuroraGlobalDBRPOLag":
                // published for the secondary only, in milliseconds; a primary publishes none
                return dims.get("DBClusterIdentifier").contains(".dr_") ? 80.0 : null;
            case "AWS/DynamoDB ReplicationLatency":
                return dr ? null : 700.0; // only the primary's writes replicate
            case "AWS/DynamoDB ReadThrottleEvents", "AWS/DynamoDB WriteThrottleEvents", "AWS/DynamoDB SystemErrors":
                return null; // published only when they happen
            case "AWS/S3 ReplicationLatency":
                return 20.0;
            case "AWS/S3 OperationsFailedReplication":
                return 0.0;
            case "AWS/Route53 HealthCheckStatus":
                // the primary's /health and the DR readiness pass; the passive DR region's /health does not
                String check = dims.get("HealthCheckId");
                return check.contains("dns_dr_health_check") ? 0.0 : 1.0;
            case "AWS/Route53 DNSSECInternalFailure", "AWS/Route53 DNSSECKeySigningKeysNeedingAction":
                return 0.0; // the zone signs; no object in INTERNAL_FAILURE, no key in ACTION_NEEDED
            case "PaymentsDR/FailoverProbe PrimaryHealthy", "PaymentsDR/FailoverProbe DrReady":
                return 1.0;
            case "PaymentsDR/FailoverProbe DrServing", "PaymentsDR/FailoverProbe PrimaryThrottled":
                return 0.0;
            case "PaymentsDR/PaymentFunction AckMirrorFailed":
                return 0.0; // every payment's record reaches the DR replica (none: no datapoint, not breaching)
            default:
                throw new AssertionError("no healthy value stated for " + key + " " + dims
                        + ": say what it reads while the system is healthy");
        }
    }

    @Test
    void everyAlarmIsOkWhileThePrimaryServesAndTheDrRegionIsPassive() {
        Map<String, String> states = new LinkedHashMap<>();
        List<String> notOk = new ArrayList<>();
        for (JsonObject alarm : metricAlarms()) {
            String name = alarm.get("alarm_name").getAsString();
            String region = PROVIDER_REGION.get(alarm.get("provider").getAsString());
            Double healthy = healthyValue(alarm, region);
            String state = AlarmEvaluation.steadyState(alarm, healthy);
            // "unchanged" (no data, kept state) starts as INSUFFICIENT_DATA and never reaches ALARM
            String effective = state.equals(AlarmEvaluation.UNCHANGED) ? AlarmEvaluation.OK : state;
            states.put(name + "@" + region, effective);
            if (!effective.equals(AlarmEvaluation.OK)) {
                notOk.add(name + " (" + region + ") reads " + healthy + " when healthy: " + state);
            }
        }
        assertEquals(List.of(), notOk);
        // and the composites over them, in their own regions
        for (JsonObject composite : synth.resources("aws_cloudwatch_composite_alarm")) {
            String region = PROVIDER_REGION.get(composite.get("provider").getAsString());
            Map<String, String> children = new TreeMap<>();
            for (Map.Entry<String, com.google.gson.JsonElement> e : synth.blocks("resource",
                    "aws_cloudwatch_metric_alarm").entrySet()) {
                JsonObject child = e.getValue().getAsJsonObject();
                children.put(synth.ref("aws_cloudwatch_metric_alarm", e.getKey(), "alarm_name"),
                        states.get(child.get("alarm_name").getAsString() + "@"
                                + PROVIDER_REGION.get(child.get("provider").getAsString())));
            }
            assertEquals(AlarmEvaluation.OK, AlarmEvaluation.composite(composite.get("alarm_rule").getAsString(), children),
                    composite.get("alarm_name").getAsString() + " (" + region + ")");
        }
        assertEquals(new TreeSet<>(List.of("us-east-1", "us-east-2")), new TreeSet<>(states.keySet().stream()
                .map(s -> s.substring(s.indexOf('@') + 1)).toList()));
    }

    /** The zone's signing alarms (us-east-1) fire on the first failure Route 53 reports, to its alert topic. */
    @Test
    void theDnssecAlarmsFireOnAFailingSignature() {
        List<JsonObject> dnssec = metricAlarms().stream()
                .filter(a -> a.get("metric_name").getAsString().startsWith("DNSSEC")).toList();
        assertEquals(2, dnssec.size());
        for (JsonObject alarm : dnssec) {
            assertEquals("aws.primary", alarm.get("provider").getAsString());
            assertEquals(AlarmEvaluation.ALARM, AlarmEvaluation.steadyState(alarm, 1.0), alarm.toString());
            assertEquals(AlarmEvaluation.OK, AlarmEvaluation.steadyState(alarm, null), alarm.toString());
            assertTrue(dimensions(alarm).get("HostedZoneId").startsWith("${aws_route53_zone."), alarm.toString());
            assertTrue(alarm.getAsJsonArray("alarm_actions").get(0).getAsString().startsWith("${aws_sns_topic.primary_"),
                    alarm.toString());
        }
    }

    /**
     * After a promotion the DR cluster is the writer and publishes no lag, the primary region's
     * cluster is the secondary and does: both lag alarms stay OK, and the new secondary is watched
     * (a lag beyond ALARM_RPO_SECONDS fires in the primary region). A DR-only alarm that treated
     * silence as breaching sat in ALARM from the promotion until the switch back.
     */
    @Test
    void theLagAlarmsFollowTheSecondaryAcrossAPromotion() {
        List<JsonObject> lag = metricAlarms().stream()
                .filter(a -> a.get("metric_name").getAsString().startsWith("AuroraGlobalDB")).toList();
        assertEquals(4, lag.size(), "replication and RPO lag, in each region");
        for (JsonObject alarm : lag) {
            boolean drCluster = dimensions(alarm).get("DBClusterIdentifier").contains(".dr_");
            Double promoted = drCluster ? null : 80.0;
            assertEquals(AlarmEvaluation.OK, AlarmEvaluation.steadyState(alarm, promoted), alarm.toString());
            if (!drCluster) {
                double beyond = alarm.get("threshold").getAsDouble() + 1;
                assertEquals(AlarmEvaluation.ALARM, AlarmEvaluation.steadyState(alarm, beyond),
                        "the new secondary's lag is heard");
            }
        }
        JsonObject breachingWhenSilent = lag.stream().filter(a -> dimensions(a).get("DBClusterIdentifier")
                .contains(".dr_")).findFirst().orElseThrow().deepCopy();
        breachingWhenSilent.addProperty("treat_missing_data", "breaching");
        assertEquals(AlarmEvaluation.ALARM, AlarmEvaluation.steadyState(breachingWhenSilent, null));
    }

    /** The stage-wide 5XX alarm the DR region once had would sit in ALARM every day: the model says so. */
    @Test
    void theModelCatchesAnAlarmThatWouldBeRedWhileHealthy() {
        JsonObject stageWide = new JsonObject();
        stageWide.addProperty("namespace", "AWS/ApiGateway");
        stageWide.addProperty("metric_name", "5XXError");
        JsonObject dims = new JsonObject();
        dims.addProperty("ApiName", "${aws_api_gateway_rest_api.dr_api_rest_api_1F77222F.name}");
        dims.addProperty("Stage", "v1-dev");
        stageWide.add("dimensions", dims);
        stageWide.addProperty("comparison_operator", "GreaterThanOrEqualToThreshold");
        stageWide.addProperty("threshold", 0.05);
        stageWide.addProperty("evaluation_periods", 3);
        stageWide.addProperty("datapoints_to_alarm", 3);
        stageWide.addProperty("treat_missing_data", "notBreaching");
        assertEquals(AlarmEvaluation.ALARM, AlarmEvaluation.steadyState(stageWide, healthyValue(stageWide, "us-east-2")));
        // and a "DR serving" alarm the usual way round (ALARM while the DR /health fails)
        JsonObject serving = synth.resources("aws_cloudwatch_metric_alarm").stream()
                .filter(a -> a.get("alarm_name").getAsString().equals("alarm-dr-view-dr-serving-dev")).findFirst()
                .orElseThrow().deepCopy();
        serving.addProperty("comparison_operator", "LessThanThreshold");
        assertEquals(AlarmEvaluation.ALARM, AlarmEvaluation.steadyState(serving, healthyValue(serving, "us-east-2")));
    }
}
