package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alarms of each region and the dashboard of both, generated from one watchlist: every alarm's
 * metric, dimensions (this stack's resources in the alarm's own region), statistic, missing-data
 * treatment and actions; the dashboard's structure as CloudWatch documents it.
 */
class ObservabilityTest {

    private static final List<String> ROLES = List.of("primary", "dr");
    private static final Map<String, String> REGION = Map.of("primary", "us-east-1", "dr", "us-east-2");
    private static final Map<String, String> OTHER = Map.of("primary", "dr", "dr", "primary");
    /** The keys every region watches, in the watchlist's order. */
    private static final List<String> COMMON_KEYS = List.of("payment-errors", "payment-throttles",
            "payment-duration-p99", "payment-concurrency", "receipt-errors", "ops-errors", "payment-dlq-depth",
            "ops-dlq-depth", "api-5xx-rate", "api-4xx-rate", "api-latency-p99", "api-integration-latency-p99",
            "db-capacity", "db-acu-utilization", "db-cpu", "db-connections", "db-global-replication-lag",
            "db-global-rpo-lag", "table-replication-latency",
            "table-read-throttles", "table-write-throttles", "table-system-errors-getitem",
            "table-system-errors-putitem", "table-system-errors-updateitem", "table-system-errors-deleteitem",
            "s3-replication-latency", "s3-replication-failed");

    private static Synth synth;
    private static Synth variant;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
        variant = Synth.of(DrConfig.builder()
                .set(Setting.S3_REPLICATION_TIME_CONTROL, "false")
                .set(Setting.ALARM_PERIOD_SECONDS, "300")
                .set(Setting.ALARM_EVALUATION_PERIODS, "5")
                .set(Setting.ALARM_LATENCY_MS, "1500")
                .set(Setting.AURORA_MAX_ACU, "16")
                .set(Setting.ALARM_RPO_SECONDS, "30")
                .set(Setting.API_MERCHANT_THROTTLE_RATE, "200")
                .set(Setting.API_MERCHANT_THROTTLE_BURST, "400")
                .build());
    }

    /** The alarms of one region, by their name without prefix and suffix. */
    private static Map<String, JsonObject> alarms(Synth s, String role) {
        Map<String, JsonObject> byKey = new LinkedHashMap<>();
        s.blocks("resource", "aws_cloudwatch_metric_alarm").forEach((id, body) -> {
            if (id.startsWith(role + "_alarms_")) {
                String name = body.getAsJsonObject().get("alarm_name").getAsString();
                assertTrue(name.startsWith("alarm-") && name.endsWith("-dev"), name);
                byKey.put(name.substring("alarm-".length(), name.length() - "-dev".length()), body.getAsJsonObject());
            }
        });
        return byKey;
    }

    private static Map<String, String> dimensions(JsonObject alarm) {
        Map<String, String> dims = new LinkedHashMap<>();
        alarm.getAsJsonObject("dimensions").asMap().forEach((k, v) -> dims.put(k, v.getAsString()));
        return dims;
    }

    @Test
    void everyTierIsWatchedInBothRegionsTheGlobalDatabasesLagIncluded() {
        // the primary's function alone mirrors its acknowledgements into the DR region (ACK_MIRROR)
        Set<String> primaryKeys = new TreeSet<>(COMMON_KEYS);
        primaryKeys.add("ack-mirror-failed");
        assertEquals(primaryKeys, new TreeSet<>(alarms(synth, "primary").keySet()));
        assertEquals(new TreeSet<>(COMMON_KEYS), new TreeSet<>(alarms(synth, "dr").keySet()));
        // and the three health-check alarms of FailoverDns, the four of the DR region's probe, the two
        // of the zone's DNSSEC signing
        assertEquals(COMMON_KEYS.size() * 2 + 1 + 3 + 4 + 2, synth.resources("aws_cloudwatch_metric_alarm").size());
    }

    @Test
    void everyAlarmNotifiesItsOwnRegionsTopicWhenItFiresAndWhenItClears() {
        for (String role : ROLES) {
            List<String> topic = List.of(synth.ref("aws_sns_topic", role + "_alerts_topic", "arn"));
            for (Map.Entry<String, JsonObject> e : alarms(synth, role).entrySet()) {
                JsonObject alarm = e.getValue();
                assertEquals("aws." + role, alarm.get("provider").getAsString(), e.getKey());
                assertEquals(topic, Synth.strings(alarm.getAsJsonArray("alarm_actions")), e.getKey());
                assertEquals(topic, Synth.strings(alarm.getAsJsonArray("ok_actions")), e.getKey());
                assertTrue(Set.of("notBreaching", "breaching", "ignore").contains(
                        alarm.get("treat_missing_data").getAsString()), e.getKey());
                assertTrue(alarm.get("alarm_description").getAsString().contains(REGION.get(role)), e.getKey());
                assertTrue(alarm.has("statistic") != alarm.has("extended_statistic"), e.getKey());
                assertEquals(alarm.get("evaluation_periods"), alarm.get("datapoints_to_alarm"), e.getKey());
                dimensions(alarm).forEach((name, value) -> {
                    // a reference into the other region would watch the wrong resource (only a
                    // replication rule's other end lives there)
                    if (!name.equals("DestinationBucket") && !name.equals("SourceBucket")) {
                        assertFalse(value.contains("." + OTHER.get(role) + "_"), e.getKey() + ": " + value);
                    }
                });
            }
        }
    }

    @Test
    void functionAlarmsWatchThisRegionsFunctions() {
        for (String role : ROLES) {
            Map<String, JsonObject> alarms = alarms(synth, role);
            String payment = synth.ref("aws_lambda_function", role + "_payment_function_", "function_name");
            for (String key : List.of("payment-errors", "payment-throttles", "payment-duration-p99",
                    "payment-concurrency")) {
                assertEquals("AWS/Lambda", alarms.get(key).get("namespace").getAsString());
                assertEquals(Map.of("FunctionName", payment), dimensions(alarms.get(key)));
            }
            synth.assertResource("aws_cloudwatch_metric_alarm", Synth.props("provider", "aws." + role,
                    "metric_name", "Duration", "extended_statistic", "p99",
                    "threshold", com.payments.dr.blocks.PaymentFunction.TIMEOUT_SECONDS * 800,
                    "comparison_operator", "GreaterThanOrEqualToThreshold", "treat_missing_data", "notBreaching",
                    "dimensions", Map.of("FunctionName", payment)));
            synth.assertResource("aws_cloudwatch_metric_alarm", Synth.props("provider", "aws." + role,
                    // 80 % of the lesser of Lambda's 1000 and max_connections at 0.5-4 ACU (823)
                    "metric_name", "ConcurrentExecutions", "statistic", "Maximum", "threshold", 592,
                    "dimensions", Map.of("FunctionName", payment)));
            synth.assertResource("aws_cloudwatch_metric_alarm", Synth.props("provider", "aws." + role,
                    "metric_name", "Errors", "statistic", "Sum", "threshold", 1,
                    "dimensions", Map.of("FunctionName", synth.ref("aws_lambda_function", role + "_events_receipt_",
                            "function_name"))));
            synth.assertResource("aws_cloudwatch_metric_alarm", Synth.props("provider", "aws." + role,
                    "metric_name", "Errors", "dimensions", Map.of("FunctionName",
                            synth.ref("aws_lambda_function", role + "_events_ops_notifier_", "function_name"))));
            for (String queue : List.of("payment_dlq", "ops_dlq")) {
                synth.assertResource("aws_cloudwatch_metric_alarm", Synth.props("provider", "aws." + role,
                        "namespace", "AWS/SQS", "metric_name", "ApproximateNumberOfMessagesVisible",
                        "statistic", "Maximum", "threshold", 0, "comparison_operator", "GreaterThanThreshold",
                        "period", 300, "evaluation_periods", 1,
                        "dimensions", Map.of("QueueName", synth.ref("aws_sqs_queue", role + "_events_" + queue, "name"))));
            }
        }
    }

    @Test
    void apiAlarmsWatchPostPaymentsNotTheWholeStage() {
        for (String role : ROLES) {
            Map<String, JsonObject> alarms = alarms(synth, role);
            // per-method metrics: /health (Route 53's calls, a passive region's 503s) stays out
            Map<String, String> api = Map.of("ApiName", synth.ref("aws_api_gateway_rest_api", role + "_api_rest_api",
                    "name"), "Method", "POST", "Resource", "/payments", "Stage", "v1-dev");
            for (String key : List.of("api-5xx-rate", "api-4xx-rate", "api-latency-p99", "api-integration-latency-p99")) {
                assertEquals(api, dimensions(alarms.get(key)), key);
                assertEquals("AWS/ApiGateway", alarms.get(key).get("namespace").getAsString());
                // an idle API publishes nothing: no outage
                assertEquals("notBreaching", alarms.get(key).get("treat_missing_data").getAsString());
            }
            assertEquals("5XXError", alarms.get("api-5xx-rate").get("metric_name").getAsString());
            assertEquals("Average", alarms.get("api-5xx-rate").get("statistic").getAsString());
            assertEquals(0.05, alarms.get("api-5xx-rate").get("threshold").getAsDouble());
            assertEquals("4XXError", alarms.get("api-4xx-rate").get("metric_name").getAsString());
            assertEquals(3000, alarms.get("api-latency-p99").get("threshold").getAsInt());
            assertEquals("IntegrationLatency", alarms.get("api-integration-latency-p99").get("metric_name").getAsString());
            assertEquals("p99", alarms.get("api-integration-latency-p99").get("extended_statistic").getAsString());
        }
    }

    @Test
    void auroraAlarmsWatchTheRegionsClusterAndTheSecondarysLagTreatsSilenceAsAnOutage() {
        for (String role : ROLES) {
            Map<String, JsonObject> alarms = alarms(synth, role);
            Map<String, String> cluster = Map.of("DBClusterIdentifier",
                    synth.ref("aws_rds_cluster", role + "_database_cluster", "cluster_identifier"));
            for (String key : List.of("db-capacity", "db-acu-utilization", "db-cpu", "db-connections")) {
                assertEquals(cluster, dimensions(alarms.get(key)), key);
                assertEquals("ignore", alarms.get(key).get("treat_missing_data").getAsString(), key);
            }
            assertEquals("ServerlessDatabaseCapacity", alarms.get("db-capacity").get("metric_name").getAsString());
            // 80 % of AURORA_MAX_ACU (4)
            assertEquals(3.2, alarms.get("db-capacity").get("threshold").getAsDouble(), 1e-9);
            assertEquals("ACUUtilization", alarms.get("db-acu-utilization").get("metric_name").getAsString());
            // AWS's documented max_connections at a maximum of 4 ACU: 823; 80 % of it
            assertEquals(658, alarms.get("db-connections").get("threshold").getAsInt());
        }
        // each region its own member: the lag is published for whichever is the secondary, and a
        // writer publishes none (silence is not breaching, or an alarm would sit in ALARM after a promotion)
        for (String role : ROLES) {
            Map<String, String> member = Map.of("DBClusterIdentifier",
                    synth.ref("aws_rds_cluster", role + "_database_cluster", "cluster_identifier"));
            String topic = synth.ref("aws_sns_topic", role + "_alerts_topic", "arn");
            synth.assertResource("aws_cloudwatch_metric_alarm", Synth.props("provider", "aws." + role,
                    "alarm_name", "alarm-db-global-replication-lag-dev",
                    "namespace", "AWS/RDS", "metric_name", "AuroraGlobalDBReplicationLag", "statistic", "Maximum",
                    "threshold", 10000, "comparison_operator", "GreaterThanOrEqualToThreshold",
                    "treat_missing_data", "notBreaching", "dimensions", member,
                    "alarm_actions", List.of(topic), "ok_actions", List.of(topic)));
            // ALARM_RPO_SECONDS (10) for the commits a failover would lose
            synth.assertResource("aws_cloudwatch_metric_alarm", Synth.props("provider", "aws." + role,
                    "alarm_name", "alarm-db-global-rpo-lag-dev",
                    "namespace", "AWS/RDS", "metric_name", "AuroraGlobalDBRPOLag", "statistic", "Maximum",
                    "threshold", 10000, "comparison_operator", "GreaterThanOrEqualToThreshold",
                    "treat_missing_data", "notBreaching", "dimensions", member,
                    "alarm_actions", List.of(topic), "ok_actions", List.of(topic)));
        }
    }

    @Test
    void tableAlarmsWatchReplicationToTheOtherRegionThrottlesAndSystemErrors() {
        String table = synth.ref("aws_dynamodb_table", "global_state_table", "name");
        for (String role : ROLES) {
            Map<String, JsonObject> alarms = alarms(synth, role);
            JsonObject latency = alarms.get("table-replication-latency");
            assertEquals(Map.of("TableName", table, "ReceivingRegion", REGION.get(OTHER.get(role))), dimensions(latency));
            assertEquals("ReplicationLatency", latency.get("metric_name").getAsString());
            assertEquals("AWS/DynamoDB", latency.get("namespace").getAsString());
            assertEquals(Map.of("TableName", table), dimensions(alarms.get("table-read-throttles")));
            assertEquals("WriteThrottleEvents", alarms.get("table-write-throttles").get("metric_name").getAsString());
            for (String operation : List.of("GetItem", "PutItem", "UpdateItem", "DeleteItem")) {
                JsonObject errors = alarms.get("table-system-errors-" + operation.toLowerCase(java.util.Locale.ROOT));
                assertEquals("SystemErrors", errors.get("metric_name").getAsString());
                assertEquals(Map.of("TableName", table, "Operation", operation), dimensions(errors));
            }
        }
    }

    /** The replication rule whose configuration sits on {@code role}'s bucket, as metric dimensions. */
    private static Map<String, String> ruleOutOf(String role) {
        String ruleId = null;
        for (JsonObject config : synth.resources("aws_s3_bucket_replication_configuration")) {
            if (config.get("bucket").getAsString().equals(synth.ref("aws_s3_bucket", role + "_bucket_", "id"))) {
                ruleId = config.getAsJsonArray("rule").get(0).getAsJsonObject().get("id").getAsString();
            }
        }
        return Map.of("SourceBucket", synth.ref("aws_s3_bucket", role + "_bucket_", "bucket"),
                "DestinationBucket", synth.ref("aws_s3_bucket", OTHER.get(role) + "_bucket_", "bucket"), "RuleId", ruleId);
    }

    @Test
    void bucketAlarmsWatchEachRuleWhereS3PublishesItsMetrics() {
        for (String role : ROLES) {
            Map<String, JsonObject> alarms = alarms(synth, role);
            // S3 publishes a rule's latency in the destination's region, its failed operations in the source's
            assertEquals(ruleOutOf(OTHER.get(role)), dimensions(alarms.get("s3-replication-latency")));
            assertEquals(ruleOutOf(role), dimensions(alarms.get("s3-replication-failed")));
            assertEquals(900, alarms.get("s3-replication-latency").get("threshold").getAsInt());
            assertEquals("OperationsFailedReplication", alarms.get("s3-replication-failed").get("metric_name").getAsString());
            assertEquals("AWS/S3", alarms.get("s3-replication-failed").get("namespace").getAsString());
        }
    }

    @Test
    void settingsReachTheAlarmsAndWithoutRtcThereAreNoS3Alarms() {
        for (String role : ROLES) {
            Map<String, JsonObject> alarms = alarms(variant, role);
            assertFalse(alarms.containsKey("s3-replication-latency"));
            assertFalse(alarms.containsKey("s3-replication-failed"));
            assertEquals(COMMON_KEYS.size() - 2 + (role.equals("primary") ? 1 : 0), alarms.size());
            for (JsonObject alarm : alarms.values()) {
                assertEquals(300, alarm.get("period").getAsInt());
            }
            assertEquals(5, alarms.get("payment-errors").get("evaluation_periods").getAsInt());
            assertEquals(1, alarms.get("payment-dlq-depth").get("evaluation_periods").getAsInt());
            assertEquals(1500, alarms.get("api-latency-p99").get("threshold").getAsInt());
            assertEquals(12.8, alarms.get("db-capacity").get("threshold").getAsDouble(), 1e-9);
            // 16 ACU: 3360 in AWS's table, but a minimum of 0.5 ACU caps it at 2000; 80 % of it
            assertEquals(1600, alarms.get("db-connections").get("threshold").getAsInt());
            // the function's reservation: 90 % of 2000 connections is more than the account's 1000
            // leaves (100 unreserved, 15 for the other functions): 885, and 80 % of it
            assertEquals(708, alarms.get("payment-concurrency").get("threshold").getAsInt());
            assertEquals(30_000, alarms.get("db-global-rpo-lag").get("threshold").getAsInt());
            assertEquals(30_000, alarms.get("db-global-replication-lag").get("threshold").getAsInt());
        }
    }

    // --- the dashboard -------------------------------------------------------------------------

    private static JsonObject dashboard(Synth s) {
        List<JsonObject> dashboards = s.resources("aws_cloudwatch_dashboard");
        assertEquals(1, dashboards.size());
        return dashboards.get(0);
    }

    private static List<JsonObject> widgets(Synth s) {
        JsonObject body = JsonParser.parseString(dashboard(s).get("dashboard_body").getAsString()).getAsJsonObject();
        assertEquals(Set.of("widgets"), body.keySet());
        List<JsonObject> widgets = new ArrayList<>();
        body.getAsJsonArray("widgets").forEach(w -> widgets.add(w.getAsJsonObject()));
        return widgets;
    }

    @Test
    void oneDashboardNamedForTheStackWithItsOutputs() {
        JsonObject dashboard = dashboard(synth);
        assertEquals("dashboard-payments-dr-dev", dashboard.get("dashboard_name").getAsString());
        assertEquals("aws.primary", dashboard.get("provider").getAsString());
        JsonObject outputs = synth.json().getAsJsonObject("output");
        String name = synth.ref("aws_cloudwatch_dashboard", "dashboard", "dashboard_name");
        assertEquals(name, outputs.getAsJsonObject("dashboard_name").get("value").getAsString());
        assertEquals("https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=" + name,
                outputs.getAsJsonObject("dashboard_url").get("value").getAsString());
        for (String output : List.of("dashboard_name", "dashboard_url")) {
            assertFalse(outputs.getAsJsonObject(output).get("description").getAsString().isBlank());
        }
    }

    /**
     * The dashboard body structure as CloudWatch documents it (Dashboard Body Structure and Syntax):
     * a {@code widgets} array; each widget a known type, integer x (0-23), y, width (1-24) and height
     * (1-1000) inside the 24-unit grid, and a properties object; a metric widget's {@code metrics}
     * an array of arrays [namespace, name, (dimension name, value)*, optional rendering object], its
     * region, stat, period and title; an alarm widget's {@code alarms} at most 100 alarm ARNs.
     */
    @Test
    void theBodyFollowsTheDocumentedStructure() {
        Set<String> types = Set.of("metric", "alarm", "text", "log", "explorer");
        Set<String> cells = new HashSet<>();
        for (JsonObject widget : widgets(synth)) {
            assertTrue(types.contains(widget.get("type").getAsString()), widget.toString());
            int x = widget.get("x").getAsInt();
            int y = widget.get("y").getAsInt();
            int width = widget.get("width").getAsInt();
            int height = widget.get("height").getAsInt();
            assertTrue(x >= 0 && x <= 23 && y >= 0 && width >= 1 && width <= 24 && x + width <= 24
                    && height >= 1 && height <= 1000, widget.toString());
            // no two widgets share a cell
            assertTrue(cells.add(x + "," + y), widget.toString());
            JsonObject properties = widget.getAsJsonObject("properties");
            assertFalse(properties.get("title").getAsString().isBlank());
            if (widget.get("type").getAsString().equals("metric")) {
                assertTrue(Set.of("us-east-1", "us-east-2").contains(properties.get("region").getAsString()),
                        widget.toString());
                assertTrue(properties.get("title").getAsString().contains(properties.get("region").getAsString()));
                JsonArray metrics = properties.getAsJsonArray("metrics");
                assertFalse(metrics.isEmpty());
                for (JsonElement row : metrics) {
                    JsonArray metric = row.getAsJsonArray();
                    int strings = metric.size() - (metric.get(metric.size() - 1).isJsonObject() ? 1 : 0);
                    assertTrue(strings >= 2 && strings % 2 == 0, metric.toString());
                    for (int i = 0; i < strings; i++) {
                        assertTrue(metric.get(i).getAsJsonPrimitive().isString(), metric.toString());
                    }
                    assertTrue(metric.get(0).getAsString().startsWith("AWS/")
                            || Set.of("PaymentsDR/FailoverProbe", "PaymentsDR/PaymentFunction")
                            .contains(metric.get(0).getAsString()), metric.toString());
                }
                assertTrue(properties.get("period").getAsInt() % 60 == 0);
                assertFalse(properties.get("stat").getAsString().isBlank());
                assertEquals("timeSeries", properties.get("view").getAsString());
            } else {
                // an alarm status widget: alarms (1-100 ARNs), optional sortBy, states and title
                assertEquals("alarm", widget.get("type").getAsString());
                assertTrue(Set.of("alarms", "sortBy", "states", "title").containsAll(properties.keySet()),
                        properties.keySet().toString());
                JsonArray alarms = properties.getAsJsonArray("alarms");
                assertTrue(alarms.size() >= 1 && alarms.size() <= 100);
                for (JsonElement alarm : alarms) {
                    assertTrue(alarm.getAsString().matches("\\$\\{aws_cloudwatch_(metric|composite)_alarm\\.[^.]+\\.arn}"),
                            alarm.toString());
                }
                if (properties.has("sortBy")) {
                    assertTrue(Set.of("default", "stateUpdatedTimestamp", "timestamp")
                            .contains(properties.get("sortBy").getAsString()), properties.toString());
                }
            }
        }
    }

    @Test
    void bothRegionsSideBySideEveryAlarmGraphedWithItsThreshold() {
        Map<String, Integer> columns = Map.of("us-east-1", 0, "us-east-2", 12);
        Map<String, Set<String>> graphedPerRegion = new LinkedHashMap<>();
        for (JsonObject widget : widgets(synth)) {
            if (!widget.get("type").getAsString().equals("metric")) {
                continue;
            }
            JsonObject properties = widget.getAsJsonObject("properties");
            String namespace = properties.getAsJsonArray("metrics").get(0).getAsJsonArray().get(0).getAsString();
            if (namespace.equals("AWS/Route53") || namespace.equals("PaymentsDR/FailoverProbe")) {
                continue; // the health checks (us-east-1 in both columns) and the DR probe (full width): below
            }
            String region = properties.get("region").getAsString();
            assertEquals(columns.get(region), widget.get("x").getAsInt(), widget.toString());
            JsonArray metric = properties.getAsJsonArray("metrics").get(0).getAsJsonArray();
            Map<String, String> dims = new java.util.TreeMap<>();
            for (int i = 2; i < metric.size(); i += 2) {
                dims.put(metric.get(i).getAsString(), metric.get(i + 1).getAsString());
            }
            graphedPerRegion.computeIfAbsent(region, r -> new HashSet<>()).add(metric.get(0).getAsString() + " "
                    + metric.get(1).getAsString() + " " + dims + " " + properties.getAsJsonObject("annotations").getAsJsonArray("horizontal").get(0).getAsJsonObject()
                    .get("value").getAsDouble());
        }
        assertEquals(columns.keySet(), graphedPerRegion.keySet());
        for (String role : ROLES) {
            Set<String> expected = new HashSet<>();
            for (JsonObject alarm : alarms(synth, role).values()) {
                expected.add(alarm.get("namespace").getAsString() + " " + alarm.get("metric_name").getAsString() + " "
                        + new java.util.TreeMap<>(dimensions(alarm)) + " " + alarm.get("threshold").getAsDouble());
            }
            assertEquals(expected, graphedPerRegion.get(REGION.get(role)), role);
        }
    }

    @Test
    void eachRegionsHealthCheckIsGraphedFromUsEast1InItsColumn() {
        List<JsonObject> checks = widgets(synth).stream().filter(w -> w.get("type").getAsString().equals("metric")
                && w.toString().contains("AWS/Route53")).toList();
        assertEquals(2, checks.size());
        for (int i = 0; i < ROLES.size(); i++) {
            JsonObject properties = checks.get(i).getAsJsonObject("properties");
            assertEquals(i * 12, checks.get(i).get("x").getAsInt());
            assertEquals("us-east-1", properties.get("region").getAsString());
            assertEquals(List.of("AWS/Route53", "HealthCheckStatus", "HealthCheckId",
                    synth.ref("aws_route53_health_check", "dns_" + ROLES.get(i) + "_health_check", "id")),
                    Synth.strings(properties.getAsJsonArray("metrics").get(0).getAsJsonArray()));
        }
        // the DR region's graph also shows its readiness, which is 1 every day while its /health is 0
        com.google.gson.JsonArray dr = checks.get(1).getAsJsonObject("properties").getAsJsonArray("metrics");
        assertEquals(1, checks.get(0).getAsJsonObject("properties").getAsJsonArray("metrics").size());
        assertEquals(2, dr.size());
        com.google.gson.JsonArray readiness = dr.get(1).getAsJsonArray();
        assertEquals(List.of("AWS/Route53", "HealthCheckStatus", "HealthCheckId",
                synth.ref("aws_route53_health_check", "dns_dr_readiness_check", "id")),
                java.util.stream.IntStream.range(0, 4).mapToObj(j -> readiness.get(j).getAsString()).toList());
        assertEquals("readiness (?probe=standby)", readiness.get(4).getAsJsonObject().get("label").getAsString());
        assertTrue(checks.get(1).getAsJsonObject("properties").get("title").getAsString().contains("readiness"));
    }

    @Test
    void theFailoverDecisionsAlarmsAreOnTopAcrossTheFullWidthOneRowPerRegionThatDecides() {
        JsonObject top = widgets(synth).get(0);
        assertEquals("alarm", top.get("type").getAsString());
        assertEquals(List.of(0, 0, 24), List.of(top.get("x").getAsInt(), top.get("y").getAsInt(),
                top.get("width").getAsInt()));
        JsonObject properties = top.getAsJsonObject("properties");
        assertTrue(properties.get("title").getAsString().contains("us-east-1"), properties.toString());
        assertEquals(List.of(synth.ref("aws_cloudwatch_composite_alarm", "dns_fail_over_now", "arn"),
                synth.ref("aws_cloudwatch_metric_alarm", "dns_primary_unhealthy", "arn"),
                synth.ref("aws_cloudwatch_metric_alarm", "dns_dr_not_ready", "arn"),
                synth.ref("aws_cloudwatch_metric_alarm", "dns_dr_serving", "arn")),
                Synth.strings(properties.getAsJsonArray("alarms")));
        assertTrue(properties.get("title").getAsString().contains("NOT DR serving"), properties.toString());
        // the second row: the same decision in the DR region, from its probe, heard when us-east-1 is down
        JsonObject second = widgets(synth).get(1);
        assertEquals(List.of(0, top.get("height").getAsInt(), 24), List.of(second.get("x").getAsInt(),
                second.get("y").getAsInt(), second.get("width").getAsInt()));
        JsonObject drView = second.getAsJsonObject("properties");
        assertTrue(drView.get("title").getAsString().contains("us-east-2"), drView.toString());
        assertEquals(List.of(synth.ref("aws_cloudwatch_composite_alarm", "dr_detection_fail_over_now", "arn"),
                synth.ref("aws_cloudwatch_metric_alarm", "dr_detection_primary_unhealthy", "arn"),
                synth.ref("aws_cloudwatch_metric_alarm", "dr_detection_dr_not_ready", "arn"),
                synth.ref("aws_cloudwatch_metric_alarm", "dr_detection_dr_serving", "arn"),
                synth.ref("aws_cloudwatch_metric_alarm", "dr_detection_primary_throttled", "arn")),
                Synth.strings(drView.getAsJsonArray("alarms")));
        int height = 2 * top.get("height").getAsInt();
        for (JsonObject widget : widgets(synth).subList(2, widgets(synth).size())) {
            assertTrue(widget.get("y").getAsInt() >= height, "below the failover rows: " + widget);
        }
    }

    @Test
    void theDrProbesAnswersAreGraphedInTheDrRegion() {
        List<JsonObject> probe = widgets(synth).stream().filter(w -> w.toString().contains("PaymentsDR/FailoverProbe"))
                .toList();
        assertEquals(1, probe.size());
        JsonObject properties = probe.get(0).getAsJsonObject("properties");
        assertEquals("us-east-2", properties.get("region").getAsString());
        assertEquals(24, probe.get(0).get("width").getAsInt());
        List<String> metrics = new ArrayList<>();
        properties.getAsJsonArray("metrics").forEach(m -> metrics.add(Synth.strings(m.getAsJsonArray()).toString()));
        assertEquals(List.of("[PaymentsDR/FailoverProbe, PrimaryHealthy, Probe, lambda-probe-dev]",
                "[PaymentsDR/FailoverProbe, DrServing, Probe, lambda-probe-dev]",
                "[PaymentsDR/FailoverProbe, DrReady, Probe, lambda-probe-dev]",
                "[PaymentsDR/FailoverProbe, PrimaryThrottled, Probe, lambda-probe-dev]"), metrics);
        assertEquals("Minimum", properties.get("stat").getAsString());
    }

    @Test
    void theBodysKeysKeepTheirOrder() {
        // ordered maps only: a Map.of or Set.of would iterate in a per-JVM order
        String body = dashboard(synth).get("dashboard_body").getAsString();
        assertTrue(body.startsWith("{\"widgets\":[{\"type\":\"alarm\",\"x\":0,\"y\":0,\"width\":24,\"height\":3,"
                + "\"properties\":{\"title\":"), body.substring(0, 120));
        assertTrue(body.contains("\"annotations\":{\"horizontal\":[{\"label\":\"alarm\",\"value\":"), body);
    }

    @Test
    void alarmWidgetsShowEachRegionsAlarmStates() {
        List<JsonObject> alarmWidgets = widgets(synth).stream()
                .filter(w -> w.get("type").getAsString().equals("alarm")).skip(2).toList();
        assertEquals(2, alarmWidgets.size());
        for (int i = 0; i < ROLES.size(); i++) {
            String role = ROLES.get(i);
            JsonObject properties = alarmWidgets.get(i).getAsJsonObject("properties");
            assertTrue(properties.get("title").getAsString().contains(REGION.get(role)));
            Set<String> expected = new TreeSet<>();
            synth.blocks("resource", "aws_cloudwatch_metric_alarm").keySet().stream()
                    .filter(id -> id.startsWith(role + "_alarms_"))
                    .forEach(id -> expected.add("${aws_cloudwatch_metric_alarm." + id + ".arn}"));
            assertEquals(expected, new TreeSet<>(Synth.strings(properties.getAsJsonArray("alarms"))));
        }
    }
}
