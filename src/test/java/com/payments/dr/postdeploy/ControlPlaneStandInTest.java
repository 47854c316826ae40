package com.payments.dr.postdeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.payments.dr.blocks.WatchedMetric;
import com.payments.dr.blocks.Watchlist;
import com.payments.dr.config.AlarmSettings;
import com.payments.dr.naming.Naming;
import com.payments.dr.naming.RegionRole;
import com.payments.dr.ops.DeploymentOutputs;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The suite's Route 53, CloudWatch and SNS checks through the SDK against a loopback stand-in that
 * answers those calls in the wire formats the SDK speaks to those services (Route 53's REST-XML,
 * CloudWatch's Smithy RPC v2 CBOR, SNS's query protocol; the region read from the request's SigV4
 * scope as AWS routes it). A deployment as
 * the stack builds it passes; a missing record, a missing OK action or a missing alarm fails; an
 * Aurora alarm on a metric CloudWatch does not list fails, one listed only after a few polls passes.
 */
class ControlPlaneStandInTest {

    private static final String ZONE = "Z0123456789ABCDEFGHIJ";
    private static final String NAME = "api.payments-dr-dev.com";
    private static final String PRIMARY_CHECK = "aaaaaaaa-1111-4000-8000-000000000001";
    private static final String DR_CHECK = "bbbbbbbb-2222-4000-8000-000000000002";
    private static final String PRIMARY_TOPIC = "arn:aws:sns:us-east-1:123456789012:sns-alerts-dev";
    private static final String DR_TOPIC = "arn:aws:sns:us-east-2:123456789012:sns-alerts-dev";
    /** The clusters src/test/resources/ops/outputs.json names. */
    private static final String PRIMARY_CLUSTER = "aurora-primary-dev";
    private static final String DR_CLUSTER = "aurora-dr-dev";
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[0-9]+/([a-z0-9-]+)/([a-z0-9]+)/");
    private static final String CLOUDWATCH_OPERATION = "/service/GraniteServiceVersion20100801/operation/";
    private static final String RPC_V2_CBOR = "rpc-v2-cbor";
    private static final CBORMapper CBOR = new CBORMapper();

    private static HttpServer server;
    /** The deployment the stand-in describes; each test may break it. */
    private static final Map<String, String[]> FAILOVER = new LinkedHashMap<>();
    /** name@region → the alarm. */
    private static final Map<String, Alarm> ALARMS = new LinkedHashMap<>();
    /** region → the metrics CloudWatch lists there. */
    private static final Map<String, List<Listed>> PUBLISHED = new LinkedHashMap<>();
    /** metric@region → how many more ListMetrics calls answer without it (a new metric appears late). */
    private static final Map<String, Integer> LATE = new HashMap<>();
    private static final List<String> REQUESTS = new ArrayList<>();
    /** Alarms the dashboard shows in the DR region without their existing. */
    private static final List<String> GHOSTS = new ArrayList<>();

    @TempDir
    Path dir;

    /** A metric alarm: its actions and what it watches. */
    private record Alarm(String alarmAction, String okAction, String namespace, String metric,
                         Map<String, String> dimensions) {

        static Alarm lambda(String topic) {
            return new Alarm(topic, topic, "AWS/Lambda", "Errors", Map.of("FunctionName", "lambda-payment-dev"));
        }

        Alarm withOk(String topic) {
            return new Alarm(alarmAction, topic, namespace, metric, dimensions);
        }

        Alarm notifying(String topic) {
            return new Alarm(topic, topic, namespace, metric, dimensions);
        }
    }

    /** A metric as ListMetrics answers it. */
    private record Listed(String namespace, String metric, Map<String, String> dimensions) {
    }

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ControlPlaneStandInTest::serve);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @BeforeEach
    void asDeployed() {
        FAILOVER.clear();
        FAILOVER.put("PRIMARY", new String[] {PRIMARY_CHECK, "p1r0api9zz.execute-api.us-east-1.amazonaws.com"});
        FAILOVER.put("SECONDARY", new String[] {DR_CHECK, "d2r0api9zz.execute-api.us-east-2.amazonaws.com"});
        ALARMS.clear();
        PUBLISHED.clear();
        LATE.clear();
        ALARMS.put("alarm-payment-errors-dev@us-east-1", Alarm.lambda(PRIMARY_TOPIC));
        ALARMS.put("alarm-payment-errors-dev@us-east-2", Alarm.lambda(DR_TOPIC));
        deployAurora(RegionRole.PRIMARY, "us-east-1", "us-east-2", PRIMARY_CLUSTER, PRIMARY_TOPIC);
        deployAurora(RegionRole.DR, "us-east-2", "us-east-1", DR_CLUSTER, DR_TOPIC);
        ALARMS.put("alarm-fail-over-now-dev@us-east-1", new Alarm(PRIMARY_TOPIC, PRIMARY_TOPIC, null, null, Map.of()));
        ALARMS.put("alarm-dr-view-fail-over-now-dev@us-east-2", new Alarm(DR_TOPIC, DR_TOPIC, null, null, Map.of()));
        deployProbe();
        REQUESTS.clear();
        GHOSTS.clear();
    }

    /**
     * A region's Aurora alarms as the stack builds them (its own watchlist, names and all), and the
     * metrics Aurora publishes there: every cluster metric under {@code DBClusterIdentifier}; for a
     * secondary, the global-database lag also under {@code DBClusterIdentifier} and, as a further
     * set, with {@code SourceRegion} (what a superset looks like to ListMetrics' filter).
     */
    private static void deployAurora(RegionRole role, String region, String other, String cluster, String topic) {
        Watchlist.Targets targets = new Watchlist.Targets(region, other, "lambda-payment-dev", "lambda-receipt-dev",
                "lambda-ops-notifier-dev", "sqs-payment-events-dlq-dev", "sqs-ops-events-dlq-dev", "api-payments-dev",
                "v1-dev", cluster, 0.5, 4, Optional.of(cluster),
                "dynamodb-payment-state-dev", Optional.empty(), Optional.empty(), false);
        Naming naming = Naming.global("dev").forRegion(role);
        List<Listed> published = PUBLISHED.computeIfAbsent(region, r -> new ArrayList<>());
        for (WatchedMetric m : Watchlist.of(targets, new AlarmSettings(60, 3, 1000, 60))) {
            if (m.namespace().equals("AWS/RDS")) {
                ALARMS.put(m.alarmName(naming) + "@" + region, new Alarm(topic, topic, m.namespace(), m.metric(),
                        m.dimensions()));
            }
        }
        for (String metric : List.of("ServerlessDatabaseCapacity", "ACUUtilization", "CPUUtilization",
                "DatabaseConnections", "VolumeBytesUsed")) {
            published.add(new Listed("AWS/RDS", metric, Map.of("DBClusterIdentifier", cluster)));
        }
        if (role == RegionRole.DR) {
            for (String metric : List.of("AuroraGlobalDBReplicationLag", "AuroraGlobalDBRPOLag")) {
                published.add(new Listed("AWS/RDS", metric, Map.of("DBClusterIdentifier", cluster)));
                published.add(new Listed("AWS/RDS", metric, Map.of("DBClusterIdentifier", cluster, "SourceRegion", other)));
            }
        }
    }

    /** The DR region's probe alarms as DrDetection builds them, and its metrics as CloudWatch lists them. */
    private static void deployProbe() {
        Map<String, String> probe = Map.of("Probe", "lambda-probe-dev");
        Map<String, String> alarms = Map.of("PrimaryHealthy", "alarm-dr-view-primary-unhealthy-dev",
                "DrReady", "alarm-dr-view-dr-not-ready-dev", "DrServing", "alarm-dr-view-dr-serving-dev",
                "PrimaryThrottled", "alarm-dr-view-primary-throttled-dev");
        alarms.forEach((metric, name) -> {
            ALARMS.put(name + "@us-east-2", new Alarm(DR_TOPIC, DR_TOPIC, "PaymentsDR/FailoverProbe", metric, probe));
            PUBLISHED.computeIfAbsent("us-east-2", r -> new ArrayList<>())
                    .add(new Listed("PaymentsDR/FailoverProbe", metric, probe));
        });
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        Matcher scope = SCOPE.matcher(auth);
        String region = scope.find() ? scope.group(1) : "none";
        String service = scope.group(2);
        String body;
        int status = 200;
        if (path.startsWith("/2013-04-01/healthcheck/")) {
            String id = path.substring(path.lastIndexOf('/') + 1);
            String host = id.equals(PRIMARY_CHECK) ? "p1r0api9zz.execute-api.us-east-1.amazonaws.com"
                    : "d2r0api9zz.execute-api.us-east-2.amazonaws.com";
            REQUESTS.add("route53 GetHealthCheck " + id);
            body = "<GetHealthCheckResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><HealthCheck><Id>" + id
                    + "</Id><CallerReference>c</CallerReference><HealthCheckConfig><Port>443</Port><Type>HTTPS</Type>"
                    + "<ResourcePath>/v1-dev/health</ResourcePath><FullyQualifiedDomainName>" + host
                    + "</FullyQualifiedDomainName><RequestInterval>30</RequestInterval><FailureThreshold>3</FailureThreshold>"
                    + "<EnableSNI>true</EnableSNI><Regions><Region>us-east-1</Region></Regions></HealthCheckConfig>"
                    + "<HealthCheckVersion>1</HealthCheckVersion></HealthCheck></GetHealthCheckResponse>";
        } else if (path.equals("/2013-04-01/hostedzone/" + ZONE + "/rrset")) {
            REQUESTS.add("route53 ListResourceRecordSets " + exchange.getRequestURI().getQuery());
            StringBuilder sets = new StringBuilder();
            FAILOVER.forEach((role, target) -> sets.append("<ResourceRecordSet><Name>").append(NAME)
                    .append(".</Name><Type>CNAME</Type><SetIdentifier>").append(role.toLowerCase())
                    .append("</SetIdentifier><Failover>").append(role).append("</Failover><TTL>60</TTL><ResourceRecords>"
                            + "<ResourceRecord><Value>").append(target[1]).append("</Value></ResourceRecord></ResourceRecords>"
                            + "<HealthCheckId>").append(target[0]).append("</HealthCheckId></ResourceRecordSet>"));
            body = "<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceRecordSets>"
                    + sets + "</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>"
                    + "</ListResourceRecordSetsResponse>";
        } else if (path.startsWith(CLOUDWATCH_OPERATION)) {
            cloudWatch(exchange, path.substring(CLOUDWATCH_OPERATION.length()), service, region);
            return;
        } else {
            Map<String, List<String>> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String action = form.get("Action").get(0);
            REQUESTS.add(service + " " + action + " " + region);
            if (action.equals("GetTopicAttributes")) {
                body = "<GetTopicAttributesResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><GetTopicAttributesResult>"
                        + "<Attributes><entry><key>TopicArn</key><value>" + form.get("TopicArn").get(0)
                        + "</value></entry></Attributes></GetTopicAttributesResult></GetTopicAttributesResponse>";
            } else {
                status = 400;
                body = "<ErrorResponse><Error><Code>InvalidAction</Code><Message>" + action + "</Message></Error></ErrorResponse>";
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /**
     * CloudWatch's Smithy RPC v2 CBOR protocol, which the SDK speaks to it: {@code POST
     * /service/GraniteServiceVersion20100801/operation/<operation>} with the {@code smithy-protocol}
     * header and a CBOR map of the input; the answer is a CBOR map of the output.
     */
    private static void cloudWatch(HttpExchange exchange, String operation, String service, String region)
            throws IOException {
        REQUESTS.add(service + " " + operation + " " + region);
        JsonNode input = CBOR.readTree(exchange.getRequestBody().readAllBytes());
        ObjectNode output = CBOR.createObjectNode();
        int status = 200;
        if (!RPC_V2_CBOR.equals(exchange.getRequestHeaders().getFirst("smithy-protocol"))) {
            status = 400;
            output.put("__type", "InvalidRequest").put("message", "not rpc-v2-cbor");
        } else if (operation.equals("GetDashboard")) {
            output.put("DashboardName", "dashboard-payments-dr-dev").put("DashboardBody", dashboard());
        } else if (operation.equals("DescribeAlarms")) {
            boolean composite = strings(input.path("AlarmTypes")).contains("CompositeAlarm");
            ArrayNode members = output.putArray(composite ? "CompositeAlarms" : "MetricAlarms");
            for (String name : strings(input.path("AlarmNames"))) {
                Alarm alarm = ALARMS.get(name + "@" + region);
                if (alarm != null && composite == name.contains("fail-over-now")) {
                    ObjectNode member = members.addObject().put("AlarmName", name);
                    if (composite) {
                        member.put("AlarmRule", "ALARM(\"a\") AND OK(\"b\") AND NOT ALARM(\"alarm-"
                                + (name.contains("dr-view") ? "dr-view-dr-serving" : "dr-serving") + "-dev\")");
                    } else {
                        member.put("Namespace", alarm.namespace()).put("MetricName", alarm.metric());
                        dimensions(member, alarm.dimensions());
                    }
                    ArrayNode alarmActions = member.putArray("AlarmActions");
                    if (!alarm.alarmAction().isEmpty()) {
                        alarmActions.add(alarm.alarmAction());
                    }
                    ArrayNode okActions = member.putArray("OKActions");
                    if (!alarm.okAction().isEmpty()) {
                        okActions.add(alarm.okAction());
                    }
                }
            }
        } else if (operation.equals("ListMetrics")) {
            output.set("Metrics", listMetrics(region, input));
        } else {
            status = 400;
            output.put("__type", "InvalidAction").put("message", operation);
        }
        byte[] bytes = CBOR.writeValueAsBytes(output);
        exchange.getResponseHeaders().add("Content-Type", "application/cbor");
        exchange.getResponseHeaders().add("smithy-protocol", RPC_V2_CBOR);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /**
     * ListMetrics as CloudWatch answers it: the metrics of that namespace and name whose dimensions
     * include every dimension filtered on (a filter, not the whole set); a late metric only once
     * it has been asked for often enough.
     */
    private static ArrayNode listMetrics(String region, JsonNode input) {
        String namespace = input.path("Namespace").asText();
        String metric = input.path("MetricName").asText();
        Map<String, String> filter = new LinkedHashMap<>();
        input.path("Dimensions").forEach(d -> filter.put(d.path("Name").asText(), d.path("Value").asText()));
        REQUESTS.set(REQUESTS.size() - 1, "monitoring ListMetrics " + region + " " + metric + " " + filter);
        ArrayNode members = CBOR.createArrayNode();
        Integer late = LATE.computeIfPresent(metric + "@" + region, (k, calls) -> calls - 1);
        if (late != null && late >= 0) {
            return members;
        }
        for (Listed listed : PUBLISHED.getOrDefault(region, List.of())) {
            if (listed.namespace().equals(namespace) && listed.metric().equals(metric)
                    && listed.dimensions().entrySet().containsAll(filter.entrySet())) {
                dimensions(members.addObject().put("Namespace", namespace).put("MetricName", metric),
                        listed.dimensions());
            }
        }
        return members;
    }

    private static void dimensions(ObjectNode owner, Map<String, String> dimensions) {
        ArrayNode list = owner.putArray("Dimensions");
        dimensions.forEach((name, value) -> list.addObject().put("Name", name).put("Value", value));
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asText()));
        return strings;
    }

    /** The dashboard's alarm widgets, one per region, listing every alarm there, composites included (as built). */
    private static String dashboard() {
        JsonArray widgets = new JsonArray();
        for (String region : List.of("us-east-1", "us-east-2")) {
            JsonObject widget = new JsonObject();
            widget.addProperty("type", "alarm");
            JsonArray alarms = new JsonArray();
            ALARMS.keySet().stream().filter(k -> k.endsWith("@" + region))
                    .forEach(k -> alarms.add("arn:aws:cloudwatch:" + region + ":123456789012:alarm:" + k.split("@")[0]));
            if (region.equals("us-east-2")) {
                GHOSTS.forEach(name -> alarms.add("arn:aws:cloudwatch:us-east-2:123456789012:alarm:" + name));
            }
            JsonObject properties = new JsonObject();
            properties.add("alarms", alarms);
            widget.add("properties", properties);
            widgets.add(widget);
        }
        JsonObject body = new JsonObject();
        body.add("widgets", widgets);
        return body.toString();
    }

    private static Map<String, List<String>> form(String body) {
        Map<String, List<String>> form = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    /** The checks with room for a loaded machine: what must pass gets a metrics bound of 30 s. */
    private PostDeployChecks checks() throws IOException {
        return checks(Duration.ofSeconds(30));
    }

    /** The checks with {@code metricsBound}: 1 s where the metric check is meant to fail, quickly. */
    private PostDeployChecks checks(Duration metricsBound) throws IOException {
        Path outputs = dir.resolve("outputs.json");
        Files.copy(Path.of("src/test/resources/ops/outputs.json"), outputs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        AwsClients.Endpoint standIn = new AwsClients.Endpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        AwsClients aws = AwsClients.local(Map.of("route53", standIn, "cloudwatch", standIn, "sns", standIn));
        return new PostDeployChecks(DeploymentOutputs.read(outputs), aws, Duration.ofSeconds(1), Duration.ofSeconds(1),
                metricsBound, Duration.ofMillis(100));
    }

    @Test
    void aDeploymentAsBuiltPassesTheDnsChecks() throws IOException {
        checks().healthChecksAndTheFailoverPairExist();
        assertEquals(List.of("route53 GetHealthCheck " + PRIMARY_CHECK, "route53 GetHealthCheck " + DR_CHECK,
                "route53 ListResourceRecordSets name=" + NAME), REQUESTS);
    }

    @Test
    void aFailoverNameWithoutItsSecondaryFailsTheDnsCheck() throws IOException {
        FAILOVER.remove("SECONDARY");
        AssertionError e = assertThrows(AssertionError.class, () -> checks().healthChecksAndTheFailoverPairExist());
        assertTrue(e.getMessage().startsWith("failover records of " + NAME), e.getMessage());
    }

    @Test
    void aDeploymentAsBuiltPassesTheAlarmChecksInEachAlarmsRegion() throws IOException {
        // 18 metric alarms and the two composites, us-east-1's and the DR region's, each asked as a composite
        assertEquals(20, checks().alarmsAndDashboardAreWiredToTheTopics());
        assertEquals(List.of("monitoring GetDashboard us-east-1", "monitoring DescribeAlarms us-east-1",
                "monitoring DescribeAlarms us-east-2", "monitoring DescribeAlarms us-east-1",
                "monitoring DescribeAlarms us-east-2",
                "sns GetTopicAttributes us-east-1", "sns GetTopicAttributes us-east-2"), REQUESTS);
    }

    @Test
    void theDrRegionsCompositeNotifyingUsEast1FailsTheAlarmCheck() throws IOException {
        ALARMS.computeIfPresent("alarm-dr-view-fail-over-now-dev@us-east-2", (k, a) -> a.notifying(PRIMARY_TOPIC));
        AssertionError e = assertThrows(AssertionError.class, () -> checks().alarmsAndDashboardAreWiredToTheTopics());
        assertTrue(e.getMessage().startsWith("alarm alarm-dr-view-fail-over-now-dev (us-east-2)"), e.getMessage());
    }

    @Test
    void anAlarmWithoutItsOkActionFailsTheAlarmCheck() throws IOException {
        ALARMS.computeIfPresent("alarm-db-global-replication-lag-dev@us-east-2", (k, a) -> a.withOk(""));
        AssertionError e = assertThrows(AssertionError.class, () -> checks().alarmsAndDashboardAreWiredToTheTopics());
        assertTrue(e.getMessage().startsWith("alarm alarm-db-global-replication-lag-dev (us-east-2) notifies []"),
                e.getMessage());
    }

    @Test
    void anAlarmNotifyingTheOtherRegionsTopicFailsTheAlarmCheck() throws IOException {
        ALARMS.computeIfPresent("alarm-fail-over-now-dev@us-east-1", (k, a) -> a.notifying(DR_TOPIC));
        AssertionError e = assertThrows(AssertionError.class, () -> checks().alarmsAndDashboardAreWiredToTheTopics());
        assertTrue(e.getMessage().startsWith("alarm alarm-fail-over-now-dev (us-east-1)"), e.getMessage());
    }

    @Test
    void aDashboardAlarmThatDoesNotExistFailsTheAlarmCheck() throws IOException {
        GHOSTS.add("alarm-deleted-by-hand-dev");
        AssertionError e = assertThrows(AssertionError.class, () -> checks().alarmsAndDashboardAreWiredToTheTopics());
        assertTrue(e.getMessage().startsWith("the dashboard's alarms in us-east-2"), e.getMessage());
    }

    /** The ListMetrics calls for the Aurora alarms of a deployment as built, by region and alarm name. */
    private static final List<String> AURORA_LISTINGS = List.of(
            "monitoring ListMetrics us-east-1 ACUUtilization {DBClusterIdentifier=aurora-primary-dev}",
            "monitoring ListMetrics us-east-1 ServerlessDatabaseCapacity {DBClusterIdentifier=aurora-primary-dev}",
            "monitoring ListMetrics us-east-1 DatabaseConnections {DBClusterIdentifier=aurora-primary-dev}",
            "monitoring ListMetrics us-east-1 CPUUtilization {DBClusterIdentifier=aurora-primary-dev}",
            "monitoring ListMetrics us-east-2 ACUUtilization {DBClusterIdentifier=aurora-dr-dev}",
            "monitoring ListMetrics us-east-2 ServerlessDatabaseCapacity {DBClusterIdentifier=aurora-dr-dev}",
            "monitoring ListMetrics us-east-2 DatabaseConnections {DBClusterIdentifier=aurora-dr-dev}",
            "monitoring ListMetrics us-east-2 CPUUtilization {DBClusterIdentifier=aurora-dr-dev}",
            "monitoring ListMetrics us-east-2 AuroraGlobalDBReplicationLag {DBClusterIdentifier=aurora-dr-dev}",
            "monitoring ListMetrics us-east-2 AuroraGlobalDBRPOLag {DBClusterIdentifier=aurora-dr-dev}");

    @Test
    void theAuroraAlarmsOfADeploymentAsBuiltWatchListedMetrics() throws IOException {
        assertEquals(10, checks().auroraAlarmsWatchPublishedMetrics());
        List<String> expected = new ArrayList<>(List.of("monitoring GetDashboard us-east-1",
                "monitoring DescribeAlarms us-east-1", "monitoring DescribeAlarms us-east-2"));
        expected.addAll(AURORA_LISTINGS);
        assertEquals(expected, REQUESTS);
    }

    @Test
    void theProbesAlarmsWatchTheMetricsItPublishesInTheDrRegion() throws IOException {
        assertEquals(4, checks().probeAlarmsWatchPublishedMetrics());
        assertEquals(List.of("monitoring ListMetrics us-east-2 DrReady {Probe=lambda-probe-dev}",
                "monitoring ListMetrics us-east-2 DrServing {Probe=lambda-probe-dev}",
                "monitoring ListMetrics us-east-2 PrimaryHealthy {Probe=lambda-probe-dev}",
                "monitoring ListMetrics us-east-2 PrimaryThrottled {Probe=lambda-probe-dev}"),
                REQUESTS.subList(3, REQUESTS.size()).stream().sorted().toList());
        // a probe that never ran (or another function's name in the alarm) is named
        PUBLISHED.get("us-east-2").removeIf(m -> m.metric().equals("PrimaryHealthy"));
        AssertionError e = assertThrows(AssertionError.class, () -> checks(Duration.ofSeconds(1))
                .probeAlarmsWatchPublishedMetrics());
        assertEquals("Probe alarms watch metrics CloudWatch does not list within 1 s (such an alarm gets no data:"
                + " it never fires, or never clears if missing data breaches):\n"
                + "  alarm-dr-view-primary-unhealthy-dev (us-east-2): PaymentsDR/FailoverProbe PrimaryHealthy"
                + " {Probe=lambda-probe-dev}: not listed", e.getMessage());
    }

    @Test
    void aProbeAlarmOutsideTheDrRegionFailsTheProbeCheck() throws IOException {
        Alarm moved = ALARMS.remove("alarm-dr-view-dr-serving-dev@us-east-2");
        ALARMS.put("alarm-dr-view-dr-serving-dev@us-east-1", moved);
        AssertionError e = assertThrows(AssertionError.class, () -> checks().probeAlarmsWatchPublishedMetrics());
        assertTrue(e.getMessage().startsWith("the probe's alarm alarm-dr-view-dr-serving-dev outside the DR region"),
                e.getMessage());
    }

    @Test
    void aMetricListedOnlyAfterAFewPollsPasses() throws IOException {
        LATE.put("AuroraGlobalDBRPOLag@us-east-2", 3);
        LATE.put("CPUUtilization@us-east-1", 1);
        assertEquals(10, checks().auroraAlarmsWatchPublishedMetrics());
        // each poll asks again for the metrics not yet listed, and for those only
        assertEquals(List.of(AURORA_LISTINGS.get(3), AURORA_LISTINGS.get(9), AURORA_LISTINGS.get(9), AURORA_LISTINGS.get(9)),
                REQUESTS.subList(3 + AURORA_LISTINGS.size(), REQUESTS.size()));
    }

    @Test
    void anAlarmOnAMetricCloudWatchDoesNotListFailsNamingIt() throws IOException {
        PUBLISHED.get("us-east-2").removeIf(m -> m.metric().equals("CPUUtilization"));
        AssertionError e = assertThrows(AssertionError.class, () -> checks(Duration.ofSeconds(1)).auroraAlarmsWatchPublishedMetrics());
        assertEquals("Aurora alarms watch metrics CloudWatch does not list within 1 s (such an alarm gets no data:"
                + " it never fires, or never clears if missing data breaches):\n"
                + "  alarm-db-cpu-dev (us-east-2): AWS/RDS CPUUtilization {DBClusterIdentifier=aurora-dr-dev}: not listed",
                e.getMessage());
    }

    @Test
    void anAlarmWhoseDimensionsAreListedOnlyWithMoreFailsNamingWhatIsListed() throws IOException {
        PUBLISHED.get("us-east-2").removeIf(m -> m.metric().startsWith("AuroraGlobalDB") && m.dimensions().size() == 1);
        AssertionError e = assertThrows(AssertionError.class, () -> checks(Duration.ofSeconds(1)).auroraAlarmsWatchPublishedMetrics());
        assertEquals("Aurora alarms watch metrics CloudWatch does not list within 1 s (such an alarm gets no data:"
                + " it never fires, or never clears if missing data breaches):\n"
                + "  alarm-db-global-replication-lag-dev (us-east-2): AWS/RDS AuroraGlobalDBReplicationLag"
                + " {DBClusterIdentifier=aurora-dr-dev}: listed only with the dimensions"
                + " [{DBClusterIdentifier=aurora-dr-dev, SourceRegion=us-east-1}]\n"
                + "  alarm-db-global-rpo-lag-dev (us-east-2): AWS/RDS AuroraGlobalDBRPOLag"
                + " {DBClusterIdentifier=aurora-dr-dev}: listed only with the dimensions"
                + " [{DBClusterIdentifier=aurora-dr-dev, SourceRegion=us-east-1}]", e.getMessage());
    }

    @Test
    void aDrRegionWithoutItsRpoLagAlarmFailsBeforeAnyListing() throws IOException {
        ALARMS.remove("alarm-db-global-rpo-lag-dev@us-east-2");
        AssertionError e = assertThrows(AssertionError.class, () -> checks().auroraAlarmsWatchPublishedMetrics());
        assertEquals("no Aurora alarm in us-east-2 on [AuroraGlobalDBRPOLag]", e.getMessage());
        assertTrue(REQUESTS.stream().noneMatch(r -> r.contains("ListMetrics")), REQUESTS.toString());
    }
}
