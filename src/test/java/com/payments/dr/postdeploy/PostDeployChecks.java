package com.payments.dr.postdeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.blocks.FailoverDns;
import com.payments.dr.ops.DeploymentOutputs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.CompositeAlarm;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The checks of the post-deploy suite: what a deployed stack must do, asked of AWS through the SDK
 * and the public APIs, with every name taken from the deployment's outputs. Each check fails with
 * an assertion naming what is wrong. The judgments on what AWS answered are static methods, so the
 * suite's own tests can put them before wrong answers too.
 */
public final class PostDeployChecks {

    /**
     * Whose key the suite pays with: the merchant for test payments (MERCHANTS lists it by
     * default), never a real one. The body names no merchant: the key says who pays.
     */
    static final String MERCHANT = com.payments.dr.config.MerchantKey.SMOKE_TEST_MERCHANT;
    /** USD is among the default PAYMENT_CURRENCIES. */
    static final String PAYMENT = "{\"amount\": \"1.00\", \"currency\": \"USD\", \"description\": \"post-deploy suite\"}";
    /** What a region that cannot write answers a payment (docs/payment-function.md). */
    static final Set<String> NOT_WRITABLE = Set.of("region_read_only", "database_unavailable");
    /** The health checks a reader region fails (a secondary's writer endpoint may not resolve). */
    static final Set<String> READER_HEALTH = Set.of("database_writable", "database_connection");
    /** Aurora's CloudWatch namespace, and the dimension naming a cluster. */
    static final String AURORA_NAMESPACE = "AWS/RDS";
    static final String CLUSTER_DIMENSION = "DBClusterIdentifier";
    /** What every cluster's alarms watch (Watchlist): Serverless v2 capacity, CPU, connections. */
    static final List<String> CLUSTER_METRICS = List.of("ServerlessDatabaseCapacity", "ACUUtilization", "CPUUtilization",
            "DatabaseConnections");
    /**
     * Published for a secondary cluster only, in its region (Aurora User Guide, metrics reference):
     * watched on both regions' clusters, listed only for the one that is the secondary now.
     */
    static final List<String> GLOBAL_LAG_METRICS = List.of("AuroraGlobalDBReplicationLag", "AuroraGlobalDBRPOLag");

    private final DeploymentOutputs outputs;
    private final AwsClients aws;
    private final Duration tableBound;
    private final Duration bucketBound;
    private final Duration metricsBound;
    private final Duration pollEvery;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param tableBound  how long a record may take to reach the DR replica
     * @param bucketBound how long an object may take to reach the DR bucket
     * @param metricsBound how long the metrics the Aurora alarms watch may take to be listed
     */
    public PostDeployChecks(DeploymentOutputs outputs, AwsClients aws, Duration tableBound, Duration bucketBound,
                            Duration metricsBound, Duration pollEvery) {
        this.outputs = outputs;
        this.aws = aws;
        this.tableBound = tableBound;
        this.bucketBound = bucketBound;
        this.metricsBound = metricsBound;
        this.pollEvery = pollEvery;
    }

    /** A payment the primary API took, as the idempotency table holds it. */
    public record Payment(String idempotencyKey, String partitionKey, String response) {
    }

    /**
     * Posts a payment through the primary API with its key, then the same request again: 201 both
     * times with the same body, the second marked as a replay, and one completed idempotency record
     * holding that response.
     */
    public Payment primaryTakesAPaymentOnceAndReplaysIt() {
        String region = outputs.primaryRegion();
        String apiKey = apiKey(region, smokeTestKey().get("primary_key_id").getAsString());
        String key = "post-deploy-" + UUID.randomUUID();
        HttpResponse<String> first = postPayment(outputs.get("primary_api_invoke_url"), apiKey, key);
        assertEquals(201, first.statusCode(), "primary POST /payments: " + first.body());
        JsonObject created = JsonParser.parseString(first.body()).getAsJsonObject();
        assertEquals(region, created.get("region").getAsString(), first.body());
        assertEquals(MERCHANT, created.get("merchant_id").getAsString(), "the key's merchant pays: " + first.body());
        HttpResponse<String> replay = postPayment(outputs.get("primary_api_invoke_url"), apiKey, key);
        assertEquals(201, replay.statusCode(), "replay: " + replay.body());
        assertEquals(first.body(), replay.body(), "a replay answers the stored response");
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(null),
                "the replay is marked as one");
        String pk = "IDEMPOTENCY#" + MERCHANT + "/" + key;
        try (DynamoDbClient dynamo = aws.dynamo(region)) {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(outputs.get("state_table_name"))
                    .key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true)).item();
            assertTrue(item != null && !item.isEmpty(), "no idempotency record " + pk);
            assertCompletedRecord(item, first.body());
        }
        return new Payment(key, pk, first.body());
    }

    /**
     * The newest key of the smoke-test merchant, from output {@code merchant_api_keys}: its secret
     * and its key id in each region.
     */
    JsonObject smokeTestKey() {
        JsonObject best = null;
        for (Map.Entry<String, JsonElement> key : merchantKeys().entrySet()) {
            JsonObject entry = key.getValue().getAsJsonObject();
            if (entry.get("merchant").getAsString().equals(MERCHANT) && (best == null
                    || entry.get("generation").getAsInt() > best.get("generation").getAsInt())) {
                best = entry;
            }
        }
        assertNotNull(best, "no key of merchant " + MERCHANT + " in output merchant_api_keys: list it in MERCHANTS");
        return best;
    }

    private JsonObject merchantKeys() {
        return JsonParser.parseString(outputs.get("merchant_api_keys")).getAsJsonObject();
    }

    /**
     * Every merchant key has one value in both regions' API Gateway (a client's key works in
     * whichever region serves it), enabled in both, and each region's key id is its own. Returns
     * the number of keys checked.
     */
    public int everyMerchantKeyHasOneValueInBothRegions() {
        int checked = 0;
        for (Map.Entry<String, JsonElement> key : merchantKeys().entrySet()) {
            JsonObject entry = key.getValue().getAsJsonObject();
            String primaryId = entry.get("primary_key_id").getAsString();
            String drId = entry.get("dr_key_id").getAsString();
            assertFalse(primaryId.equals(drId), key.getKey() + ": API Gateway makes a key id per region");
            // compared, never printed: a failure message must not carry a key's value into a CI log
            assertTrue(apiKey(outputs.primaryRegion(), primaryId).equals(apiKey(outputs.drRegion(), drId)),
                    "merchant key " + key.getKey() + " has another value in " + outputs.drRegion() + " than in "
                            + outputs.primaryRegion() + ": a client's key would be refused after a failover");
            checked++;
        }
        return checked;
    }

    /** The payment's idempotency record reaches the table's replica in the DR region within the bound. */
    public Duration recordReachesTheDrReplica(Payment payment) {
        Instant start = Instant.now();
        try (DynamoDbClient dynamo = aws.dynamo(outputs.drRegion())) {
            Map<String, AttributeValue> item = poll(tableBound, () -> {
                Map<String, AttributeValue> found = dynamo.getItem(r -> r.tableName(outputs.get("state_table_name"))
                        .key(Map.of("pk", AttributeValue.fromS(payment.partitionKey())))).item();
                return found != null && !found.isEmpty() && "COMPLETED".equals(text(found, "status")) ? found : null;
            }, "idempotency record " + payment.partitionKey() + " completed in the DR replica ("
                    + outputs.drRegion() + ")");
            assertCompletedRecord(item, payment.response());
        }
        return Duration.between(start, Instant.now());
    }

    static void assertCompletedRecord(Map<String, AttributeValue> item, String response) {
        assertEquals("COMPLETED", text(item, "status"), item.toString());
        assertEquals("201", item.get("response_status") == null ? null : item.get("response_status").n(), item.toString());
        assertEquals(response, text(item, "response_body"), "the record holds the response the API gave");
    }

    /**
     * An object written to the primary bucket appears in the DR bucket within the bound, with the
     * same content; both versions are deleted afterwards (a version-specific delete is not replicated).
     */
    public Duration objectReachesTheDrBucket() {
        String key = "post-deploy/" + UUID.randomUUID() + ".txt";
        String content = "post-deploy suite " + Instant.now();
        Instant start = Instant.now();
        try (S3Client primary = aws.s3(outputs.primaryRegion()); S3Client dr = aws.s3(outputs.drRegion())) {
            PutObjectResponse put = primary.putObject(r -> r.bucket(outputs.get("primary_bucket_name")).key(key),
                    RequestBody.fromString(content, StandardCharsets.UTF_8));
            HeadObjectResponse replica = null;
            try {
                replica = poll(bucketBound, () -> head(dr, outputs.get("dr_bucket_name"), key),
                        "object " + key + " in the DR bucket " + outputs.get("dr_bucket_name"));
                assertEquals(put.eTag(), replica.eTag(), "the replica has the object's content");
                return Duration.between(start, Instant.now());
            } finally {
                String replicaVersion = replica == null ? null : replica.versionId();
                primary.deleteObject(r -> r.bucket(outputs.get("primary_bucket_name")).key(key).versionId(put.versionId()));
                if (replica != null) {
                    dr.deleteObject(r -> r.bucket(outputs.get("dr_bucket_name")).key(key).versionId(replicaVersion));
                }
            }
        }
    }

    private static HeadObjectResponse head(S3Client s3, String bucket, String key) {
        try {
            return s3.headObject(r -> r.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    /**
     * Both health checks exist and call their region's {@code /health} over HTTPS, and the failover
     * name has a PRIMARY record with the primary's health check and a SECONDARY with the DR region's.
     */
    public void healthChecksAndTheFailoverPairExist() {
        try (Route53Client route53 = aws.route53()) {
            String primaryCheck = outputs.get("primary_health_check_id");
            String drCheck = outputs.get("dr_health_check_id");
            assertHealthCheck(route53.getHealthCheck(r -> r.healthCheckId(primaryCheck)).healthCheck().healthCheckConfig(),
                    outputs.get("primary_api_health_url"));
            assertHealthCheck(route53.getHealthCheck(r -> r.healthCheckId(drCheck)).healthCheck().healthCheckConfig(),
                    outputs.get("dr_api_health_url"));
            String name = outputs.get("api_failover_name");
            List<ResourceRecordSet> sets = route53.listResourceRecordSets(r -> r.hostedZoneId(outputs.get("dns_zone_id"))
                    .startRecordName(name)).resourceRecordSets();
            assertFailoverPair(sets, name, primaryCheck, drCheck);
        }
    }

    static void assertHealthCheck(HealthCheckConfig config, String healthUrl) {
        URI url = URI.create(healthUrl);
        assertTrue(config.typeAsString().startsWith("HTTPS"), "health check type " + config.typeAsString());
        assertEquals(url.getHost(), config.fullyQualifiedDomainName(), "health check host");
        assertEquals(url.getPath(), config.resourcePath(), "health check path");
        assertEquals(443, config.port() == null ? 443 : config.port(), "health check port");
        assertEquals(Boolean.TRUE, config.enableSNI(), "health check SNI (API Gateway needs it)");
    }

    static void assertFailoverPair(List<ResourceRecordSet> sets, String name, String primaryCheck, String drCheck) {
        Map<String, String> checkByRole = new TreeMap<>();
        for (ResourceRecordSet set : sets) {
            if (set.name().replaceAll("\\.$", "").equalsIgnoreCase(name) && set.failover() != null) {
                assertNotNull(set.healthCheckId(), set.failoverAsString() + " record without a health check");
                assertEquals(null, checkByRole.put(set.failoverAsString(), set.healthCheckId()),
                        "two " + set.failoverAsString() + " records for " + name);
            }
        }
        assertEquals(Map.of("PRIMARY", primaryCheck, "SECONDARY", drCheck), checkByRole,
                "failover records of " + name + " and their health checks");
    }

    /**
     * The dashboard exists; every alarm it shows exists and sends both its ALARM and OK
     * notifications to the alert topic of its own region, with alarms of both regions among them;
     * the composite "fail over now" alarm exists and notifies its region's topic; both topics exist.
     */
    public int alarmsAndDashboardAreWiredToTheTopics() {
        List<String> topics = List.of(outputs.get("primary_alerts_topic_arn"), outputs.get("dr_alerts_topic_arn"));
        // the composites are on the dashboard too: they are checked below, as composites
        Map<String, String> composites = new LinkedHashMap<>();
        composites.put(outputs.get("fail_over_now_alarm_arn"), FailoverDns.DR_SERVING_ALARM);
        composites.put(outputs.get("dr_fail_over_now_alarm_arn"), com.payments.dr.blocks.DrDetection.DR_SERVING_ALARM);
        Map<String, List<String>> alarmsByRegion = dashboardAlarmsByRegion();
        composites.keySet().forEach(arn -> alarmsByRegion.getOrDefault(DeploymentOutputs.regionOf(arn), new ArrayList<>())
                .remove(arn.substring(arn.lastIndexOf(':') + 1)));
        int checked = 0;
        for (Map.Entry<String, List<String>> region : alarmsByRegion.entrySet()) {
            try (CloudWatchClient cloudWatch = aws.cloudWatch(region.getKey())) {
                List<MetricAlarm> found = metricAlarms(cloudWatch, region.getValue());
                assertEquals(new java.util.TreeSet<>(region.getValue()), new java.util.TreeSet<>(found.stream()
                        .map(MetricAlarm::alarmName).toList()), "the dashboard's alarms in " + region.getKey());
                for (MetricAlarm alarm : found) {
                    assertNotifies(alarm.alarmName(), alarm.alarmActions(), alarm.okActions(), region.getKey(), topics);
                    checked++;
                }
            }
        }
        // us-east-1's (Route 53's view) and the DR region's own (its probe's), each to its region's topic
        for (Map.Entry<String, String> composite : composites.entrySet()) {
            String compositeRegion = DeploymentOutputs.regionOf(composite.getKey());
            try (CloudWatchClient cloudWatch = aws.cloudWatch(compositeRegion)) {
                String name = composite.getKey().substring(composite.getKey().lastIndexOf(':') + 1);
                List<CompositeAlarm> found = cloudWatch.describeAlarms(r -> r.alarmNames(name)
                        .alarmTypes(AlarmType.COMPOSITE_ALARM)).compositeAlarms();
                assertEquals(1, found.size(), "composite alarm " + name + " in " + compositeRegion);
                String rule = found.get(0).alarmRule();
                // the third term lets it clear once the DR region serves
                assertTrue(rule.contains("ALARM(") && rule.contains("OK(") && rule.contains("NOT ALARM(\"alarm-"
                        + composite.getValue() + "-"), rule);
                assertNotifies(name, found.get(0).alarmActions(), found.get(0).okActions(), compositeRegion, topics);
                checked++;
            }
        }
        for (String topic : topics) {
            try (SnsClient sns = aws.sns(DeploymentOutputs.regionOf(topic))) {
                assertEquals(topic, sns.getTopicAttributes(r -> r.topicArn(topic)).attributes().get("TopicArn"));
            }
        }
        return checked;
    }

    /** The dashboard's alarm names by region, with alarms of both regions among them. */
    private Map<String, List<String>> dashboardAlarmsByRegion() {
        String dashboardRegion = URI.create(outputs.get("dashboard_url")).getQuery().replaceAll(".*region=([a-z0-9-]+).*",
                "$1");
        String body;
        try (CloudWatchClient cloudWatch = aws.cloudWatch(dashboardRegion)) {
            body = cloudWatch.getDashboard(r -> r.dashboardName(outputs.get("dashboard_name"))).dashboardBody();
        }
        Map<String, List<String>> alarmsByRegion = new TreeMap<>();
        for (String arn : dashboardAlarms(body)) {
            alarmsByRegion.computeIfAbsent(DeploymentOutputs.regionOf(arn), r -> new ArrayList<>())
                    .add(arn.substring(arn.lastIndexOf(':') + 1));
        }
        assertTrue(alarmsByRegion.containsKey(outputs.primaryRegion()) && alarmsByRegion.containsKey(outputs.drRegion()),
                "the dashboard shows alarms of both regions: " + alarmsByRegion.keySet());
        return alarmsByRegion;
    }

    /** The metric alarms of these names, asked 100 at a time (DescribeAlarms' limit). */
    private static List<MetricAlarm> metricAlarms(CloudWatchClient cloudWatch, List<String> names) {
        List<MetricAlarm> found = new ArrayList<>();
        for (int i = 0; i < names.size(); i += 100) {
            List<String> batch = names.subList(i, Math.min(names.size(), i + 100));
            found.addAll(cloudWatch.describeAlarms(r -> r.alarmNames(batch).alarmTypes(AlarmType.METRIC_ALARM)
                    .maxRecords(100)).metricAlarms());
        }
        return found;
    }

    /** One alarm on an Aurora metric (or, below, on the probe's), as CloudWatch describes it. */
    public record AuroraAlarm(String name, String region, String metric, Map<String, String> dimensions) {

        String describe() {
            return describe(AURORA_NAMESPACE);
        }

        String describe(String namespace) {
            return name + " (" + region + "): " + namespace + " " + metric + " " + dimensions;
        }
    }

    /**
     * Every alarm on the dashboard whose namespace is {@code AWS/RDS} watches a metric CloudWatch
     * lists (ListMetrics) with exactly the alarm's name and dimensions, in the alarm's region,
     * within the bound: an alarm on a name or dimension set Aurora does not publish never leaves
     * OK or INSUFFICIENT_DATA, and nothing says so. Before asking, the alarms must watch each
     * region's own cluster, every cluster metric and the global database's lag in both regions.
     * The lag is asked for in the DR region only: the deployment as built has its secondary there,
     * and the primary's cluster publishes it only once a switchover or failover makes it the
     * secondary. Returns the number of alarms whose metric is listed.
     */
    public int auroraAlarmsWatchPublishedMetrics() {
        Map<String, String> clusters = new TreeMap<>(Map.of(outputs.primaryRegion(), outputs.get("primary_db_cluster_id"),
                outputs.drRegion(), outputs.get("dr_db_cluster_id")));
        Map<String, CloudWatchClient> clients = new TreeMap<>();
        try {
            List<AuroraAlarm> alarms = alarmsIn(AURORA_NAMESPACE, clients);
            alarms.sort(java.util.Comparator.comparing(AuroraAlarm::region).thenComparing(AuroraAlarm::name));
            assertWatchesTheClusters(alarms, clusters);
            List<AuroraAlarm> published = alarms.stream().filter(a -> !GLOBAL_LAG_METRICS.contains(a.metric())
                    || a.region().equals(outputs.drRegion())).toList();
            return untilListed(published, AURORA_NAMESPACE, "Aurora", clients);
        } finally {
            clients.values().forEach(CloudWatchClient::close);
        }
    }

    /** The DR region's failover probe's metrics (FailoverProbe): published every minute, traffic or not. */
    static final String PROBE_NAMESPACE = "PaymentsDR/FailoverProbe";
    static final List<String> PROBE_METRICS = List.of("DrReady", "DrServing", "PrimaryHealthy", "PrimaryThrottled");

    /**
     * The same for the alarms on the DR region's probe: all four of its metrics watched, in the DR
     * region only (it runs there), each listed by CloudWatch with exactly the alarm's dimensions
     * within the bound. Returns the number of alarms whose metric is listed.
     */
    public int probeAlarmsWatchPublishedMetrics() {
        Map<String, CloudWatchClient> clients = new TreeMap<>();
        try {
            List<AuroraAlarm> alarms = alarmsIn(PROBE_NAMESPACE, clients);
            for (AuroraAlarm alarm : alarms) {
                assertEquals(outputs.drRegion(), alarm.region(), "the probe's alarm " + alarm.name()
                        + " outside the DR region, where the probe publishes");
            }
            assertEquals(PROBE_METRICS, alarms.stream().map(AuroraAlarm::metric).sorted().toList(),
                    "an alarm on each of the probe's metrics");
            return untilListed(alarms, PROBE_NAMESPACE, "Probe", clients);
        } finally {
            clients.values().forEach(CloudWatchClient::close);
        }
    }

    /** The dashboard's metric alarms in {@code namespace}, in every region, each with its region's client. */
    private List<AuroraAlarm> alarmsIn(String namespace, Map<String, CloudWatchClient> clients) {
        List<AuroraAlarm> alarms = new ArrayList<>();
        for (Map.Entry<String, List<String>> region : dashboardAlarmsByRegion().entrySet()) {
            CloudWatchClient cloudWatch = clients.computeIfAbsent(region.getKey(), aws::cloudWatch);
            for (MetricAlarm alarm : metricAlarms(cloudWatch, region.getValue())) {
                if (namespace.equals(alarm.namespace())) {
                    alarms.add(new AuroraAlarm(alarm.alarmName(), region.getKey(), alarm.metricName(),
                            byName(alarm.dimensions())));
                }
            }
        }
        return alarms;
    }

    /** Polls ListMetrics until every alarm's metric is listed with its dimensions, or fails naming the rest. */
    private int untilListed(List<AuroraAlarm> alarms, String namespace, String what,
                            Map<String, CloudWatchClient> clients) {
        Instant deadline = Instant.now().plus(metricsBound);
        List<AuroraAlarm> waiting = alarms;
        while (true) {
            Map<AuroraAlarm, List<Map<String, String>>> unlisted = new java.util.LinkedHashMap<>();
            for (AuroraAlarm alarm : waiting) {
                List<Map<String, String>> listed = listedDimensions(clients.get(alarm.region()), namespace, alarm);
                if (!listed.contains(alarm.dimensions())) {
                    unlisted.put(alarm, listed);
                }
            }
            if (unlisted.isEmpty()) {
                return alarms.size();
            }
            if (Instant.now().isAfter(deadline)) {
                return fail(unpublished(unlisted, metricsBound, what, namespace));
            }
            waiting = List.copyOf(unlisted.keySet());
            pause("the metrics of " + waiting.size() + " " + what + " alarms");
        }
    }

    /**
     * The dimension sets CloudWatch lists for the alarm's metric among those holding the alarm's
     * dimensions: ListMetrics' dimension filter also matches metrics with further dimensions, so
     * only an equal set is the alarm's.
     */
    private static List<Map<String, String>> listedDimensions(CloudWatchClient cloudWatch, String namespace,
                                                              AuroraAlarm alarm) {
        List<DimensionFilter> filters = alarm.dimensions().entrySet().stream()
                .map(d -> DimensionFilter.builder().name(d.getKey()).value(d.getValue()).build()).toList();
        List<Map<String, String>> listed = new ArrayList<>();
        for (Metric metric : cloudWatch.listMetricsPaginator(r -> r.namespace(namespace)
                .metricName(alarm.metric()).dimensions(filters)).metrics()) {
            listed.add(byName(metric.dimensions()));
        }
        return listed;
    }

    /** Dimensions as a sorted name-to-value map: alarms and listed metrics compare as sets. */
    private static Map<String, String> byName(List<Dimension> dimensions) {
        Map<String, String> byName = new TreeMap<>();
        dimensions.forEach(d -> byName.put(d.name(), d.value()));
        return byName;
    }

    /**
     * The Aurora alarms watch each region's own cluster ({@code DBClusterIdentifier}) and cover every
     * cluster metric and both global-database lag metrics in both regions: Aurora publishes the lag
     * for the secondary, in its region, and either cluster is the secondary after a switchover.
     */
    static void assertWatchesTheClusters(List<AuroraAlarm> alarms, Map<String, String> clusterByRegion) {
        Map<String, java.util.Set<String>> metricsByRegion = new TreeMap<>();
        for (AuroraAlarm alarm : alarms) {
            String cluster = clusterByRegion.get(alarm.region());
            assertEquals(cluster, alarm.dimensions().get(CLUSTER_DIMENSION),
                    "Aurora alarm " + alarm.describe() + " watches another cluster than its region's");
            metricsByRegion.computeIfAbsent(alarm.region(), r -> new java.util.TreeSet<>()).add(alarm.metric());
        }
        for (String region : clusterByRegion.keySet()) {
            List<String> required = new ArrayList<>(CLUSTER_METRICS);
            required.addAll(GLOBAL_LAG_METRICS);
            List<String> missing = required.stream()
                    .filter(m -> !metricsByRegion.getOrDefault(region, java.util.Set.of()).contains(m)).toList();
            if (!missing.isEmpty()) {
                fail("no Aurora alarm in " + region + " on " + missing);
            }
        }
    }

    /** One message naming every alarm whose metric CloudWatch does not list, and what it lists instead. */
    static String unpublished(Map<AuroraAlarm, List<Map<String, String>>> unlisted, Duration bound) {
        return unpublished(unlisted, bound, "Aurora", AURORA_NAMESPACE);
    }

    static String unpublished(Map<AuroraAlarm, List<Map<String, String>>> unlisted, Duration bound, String what,
                              String namespace) {
        StringBuilder message = new StringBuilder(what + " alarms watch metrics CloudWatch does not list within "
                + bound.toSeconds() + " s (such an alarm gets no data: it never fires, or never clears if missing"
                + " data breaches):");
        unlisted.forEach((alarm, listed) -> message.append("\n  ").append(alarm.describe(namespace)).append(": ")
                .append(listed.isEmpty() ? "not listed" : "listed only with the dimensions " + listed));
        return message.toString();
    }

    /** The alarm ARNs of a dashboard body's alarm widgets. */
    static List<String> dashboardAlarms(String body) {
        List<String> arns = new ArrayList<>();
        for (JsonElement widget : JsonParser.parseString(body).getAsJsonObject().getAsJsonArray("widgets")) {
            JsonObject w = widget.getAsJsonObject();
            if (w.get("type").getAsString().equals("alarm")) {
                w.getAsJsonObject("properties").getAsJsonArray("alarms").forEach(a -> arns.add(a.getAsString()));
            }
        }
        return arns;
    }

    /**
     * Both the alarm and the OK actions include the alert topic of the alarm's region: the stack's
     * topic there, or (for the Route 53 alarms in us-east-1 when neither region is) an SNS topic in
     * that region.
     */
    static void assertNotifies(String alarm, List<String> alarmActions, List<String> okActions, String region,
                               List<String> topics) {
        List<String> expected = topics.stream().filter(t -> DeploymentOutputs.regionOf(t).equals(region)).toList();
        for (List<String> actions : List.of(alarmActions, okActions)) {
            boolean notifies = actions.stream().anyMatch(a -> expected.isEmpty()
                    ? a.startsWith("arn:") && a.split(":")[2].equals("sns") && DeploymentOutputs.regionOf(a).equals(region)
                    : expected.contains(a));
            assertTrue(notifies, "alarm " + alarm + " (" + region + ") notifies " + actions + ", not its region's topic "
                    + expected);
        }
    }

    /**
     * The DR API refuses a payment with 503 while its database is not writable, and writes nothing
     * to the table for it; its {@code /health} answers as docs/payment-function.md documents (503 naming the
     * reader's failing check, or 200 only with a writer database); the primary's answers 200.
     */
    public void drRefusesPaymentsWhileNotWritable() {
        String region = outputs.drRegion();
        String key = "post-deploy-dr-" + UUID.randomUUID();
        // the client's one key, as the primary region knows it: accepted in the DR region too (not a 403)
        HttpResponse<String> refused = postPayment(outputs.get("dr_api_invoke_url"),
                apiKey(outputs.primaryRegion(), smokeTestKey().get("primary_key_id").getAsString()), key);
        assertEquals(503, refused.statusCode(), "DR POST /payments: " + refused.body());
        String error = JsonParser.parseString(refused.body()).getAsJsonObject().get("error").getAsString();
        assertTrue(NOT_WRITABLE.contains(error), "DR refusal " + error + ", expected one of " + NOT_WRITABLE);
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "a 503 says when to retry");
        try (DynamoDbClient dynamo = aws.dynamo(region)) {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(outputs.get("state_table_name"))
                    .key(Map.of("pk", AttributeValue.fromS("IDEMPOTENCY#" + MERCHANT + "/" + key))).consistentRead(true))
                    .item();
            assertTrue(item == null || item.isEmpty(), "the refused payment left a record: " + item);
        }
        HttpResponse<String> drHealth = get(outputs.get("dr_api_health_url"));
        assertHealth(drHealth.statusCode(), drHealth.body(), region, true);
        HttpResponse<String> primaryHealth = get(outputs.get("primary_api_health_url"));
        assertHealth(primaryHealth.statusCode(), primaryHealth.body(), outputs.primaryRegion(), false);
        // what alarm-dr-not-ready follows: 200 every day through the reader endpoint, or it can never clear
        HttpResponse<String> readiness = get(outputs.get("dr_api_health_url") + FailoverDns.READINESS_QUERY);
        assertReady(readiness.statusCode(), readiness.body(), region);
    }

    /** {@code /health?probe=standby} of a region ready to take over: 200, its reader endpoint answering. */
    static void assertReady(int status, String response, String region) {
        JsonObject body = JsonParser.parseString(response).getAsJsonObject();
        assertEquals(200, status, "readiness of " + region + ": " + response);
        assertEquals(region, body.get("region").getAsString(), response);
        assertEquals("standby", body.get("status").getAsString(), response);
        assertEquals("pass", body.getAsJsonObject("checks").get("database_reader").getAsString(), response);
    }

    /** {@code /health} of a region: a reader may answer 503 naming its failing check, a writer 200. */
    static void assertHealth(int status, String response, String region, boolean mayBeReader) {
        JsonObject body = JsonParser.parseString(response).getAsJsonObject();
        assertEquals(region, body.get("region").getAsString(), response);
        if (status == 503 && mayBeReader) {
            String failed = body.get("failed_check").getAsString();
            assertTrue(READER_HEALTH.contains(failed), "health of " + region + " failed " + failed);
        } else {
            assertEquals(200, status, "health of " + region + ": " + response);
            assertEquals("writer", body.get("database_role").getAsString(), response);
        }
    }

    private String apiKey(String region, String keyId) {
        try (ApiGatewayClient apiGateway = aws.apiGateway(region)) {
            String value = apiGateway.getApiKey(r -> r.apiKey(keyId).includeValue(true)).value();
            assertFalse(value == null || value.isEmpty(), "API key " + keyId + " has no value");
            return value;
        }
    }

    private HttpResponse<String> postPayment(String invokeUrl, String apiKey, String idempotencyKey) {
        return send(HttpRequest.newBuilder(URI.create(invokeUrl + "/payments"))
                .header("x-api-key", apiKey)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(PAYMENT)));
    }

    private HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        // API Gateway gives up on an integration at 29 s
        try {
            return http.send(request.timeout(Duration.ofSeconds(35)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private <T> T poll(Duration bound, Supplier<T> probe, String what) {
        Instant deadline = Instant.now().plus(bound);
        while (true) {
            T found = probe.get();
            if (found != null) {
                return found;
            }
            if (Instant.now().isAfter(deadline)) {
                return fail(what + " not there within " + bound.toSeconds() + " s");
            }
            pause(what);
        }
    }

    private void pause(String what) {
        try {
            Thread.sleep(pollEvery.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for " + what);
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
