package com.payments.dr.postdeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
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
 * answers those calls in the services' own wire formats (Route 53's REST-XML, CloudWatch's and SNS's
 * query protocol, the region read from the request's SigV4 scope as AWS routes it). A deployment as
 * the stack builds it passes; a missing record, a missing OK action or a missing alarm fails.
 */
class ControlPlaneStandInTest {

    private static final String ZONE = "Z0123456789ABCDEFGHIJ";
    private static final String NAME = "api.payments-dr-dev.com";
    private static final String PRIMARY_CHECK = "aaaaaaaa-1111-4000-8000-000000000001";
    private static final String DR_CHECK = "bbbbbbbb-2222-4000-8000-000000000002";
    private static final String PRIMARY_TOPIC = "arn:aws:sns:us-east-1:123456789012:sns-alerts-dev";
    private static final String DR_TOPIC = "arn:aws:sns:us-east-2:123456789012:sns-alerts-dev";
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[0-9]+/([a-z0-9-]+)/([a-z0-9]+)/");

    private static HttpServer server;
    /** The deployment the stand-in describes; each test may break it. */
    private static final Map<String, String[]> FAILOVER = new LinkedHashMap<>();
    /** alarm name → region, alarm actions, OK actions. */
    private static final Map<String, String[]> ALARMS = new LinkedHashMap<>();
    private static final List<String> REQUESTS = new ArrayList<>();
    /** Alarms the dashboard shows in the DR region without their existing. */
    private static final List<String> GHOSTS = new ArrayList<>();

    @TempDir
    Path dir;

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
        ALARMS.put("alarm-payment-errors-dev@us-east-1", new String[] {PRIMARY_TOPIC, PRIMARY_TOPIC});
        ALARMS.put("alarm-payment-errors-dev@us-east-2", new String[] {DR_TOPIC, DR_TOPIC});
        ALARMS.put("alarm-db-global-replication-lag-dev@us-east-2", new String[] {DR_TOPIC, DR_TOPIC});
        ALARMS.put("alarm-fail-over-now-dev@us-east-1", new String[] {PRIMARY_TOPIC, PRIMARY_TOPIC});
        REQUESTS.clear();
        GHOSTS.clear();
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
        } else {
            Map<String, List<String>> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String action = form.get("Action").get(0);
            REQUESTS.add(service + " " + action + " " + region);
            if (action.equals("GetDashboard")) {
                body = "<GetDashboardResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><GetDashboardResult>"
                        + "<DashboardName>dashboard-payments-dr-dev</DashboardName><DashboardBody>"
                        + xml(dashboard()) + "</DashboardBody></GetDashboardResult></GetDashboardResponse>";
            } else if (action.equals("DescribeAlarms")) {
                boolean composite = form.getOrDefault("AlarmTypes.member.1", List.of()).contains("CompositeAlarm");
                StringBuilder members = new StringBuilder();
                for (String name : form.entrySet().stream().filter(e -> e.getKey().startsWith("AlarmNames.member."))
                        .map(e -> e.getValue().get(0)).toList()) {
                    String[] alarm = ALARMS.get(name + "@" + region);
                    if (alarm != null && composite == name.contains("fail-over-now")) {
                        members.append("<member><AlarmName>").append(name).append("</AlarmName>")
                                .append(composite ? "<AlarmRule>ALARM(\"a\") AND OK(\"b\") AND NOT ALARM(\"alarm-dr-serving-dev\")</AlarmRule>" : "")
                                .append("<AlarmActions>").append(alarm[0].isEmpty() ? "" : "<member>" + alarm[0] + "</member>")
                                .append("</AlarmActions><OKActions>")
                                .append(alarm[1].isEmpty() ? "" : "<member>" + alarm[1] + "</member>")
                                .append("</OKActions></member>");
                    }
                }
                String list = composite ? "CompositeAlarms" : "MetricAlarms";
                body = "<DescribeAlarmsResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><DescribeAlarmsResult><"
                        + list + ">" + members + "</" + list + "></DescribeAlarmsResult></DescribeAlarmsResponse>";
            } else if (action.equals("GetTopicAttributes")) {
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

    /** The dashboard's alarm widgets, one per region, listing every metric alarm there. */
    private static String dashboard() {
        JsonArray widgets = new JsonArray();
        for (String region : List.of("us-east-1", "us-east-2")) {
            JsonObject widget = new JsonObject();
            widget.addProperty("type", "alarm");
            JsonArray alarms = new JsonArray();
            ALARMS.keySet().stream().filter(k -> k.endsWith("@" + region) && !k.contains("fail-over-now"))
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

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private PostDeployChecks checks() throws IOException {
        Path outputs = dir.resolve("outputs.json");
        Files.copy(Path.of("src/test/resources/ops/outputs.json"), outputs);
        AwsClients.Endpoint standIn = new AwsClients.Endpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        AwsClients aws = AwsClients.local(Map.of("route53", standIn, "cloudwatch", standIn, "sns", standIn));
        return new PostDeployChecks(DeploymentOutputs.read(outputs), aws, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(100));
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
        assertEquals(4, checks().alarmsAndDashboardAreWiredToTheTopics());
        assertEquals(List.of("monitoring GetDashboard us-east-1", "monitoring DescribeAlarms us-east-1",
                "monitoring DescribeAlarms us-east-2", "monitoring DescribeAlarms us-east-1",
                "sns GetTopicAttributes us-east-1", "sns GetTopicAttributes us-east-2"), REQUESTS);
    }

    @Test
    void anAlarmWithoutItsOkActionFailsTheAlarmCheck() throws IOException {
        ALARMS.put("alarm-db-global-replication-lag-dev@us-east-2", new String[] {DR_TOPIC, ""});
        AssertionError e = assertThrows(AssertionError.class, () -> checks().alarmsAndDashboardAreWiredToTheTopics());
        assertTrue(e.getMessage().startsWith("alarm alarm-db-global-replication-lag-dev (us-east-2) notifies []"),
                e.getMessage());
    }

    @Test
    void anAlarmNotifyingTheOtherRegionsTopicFailsTheAlarmCheck() throws IOException {
        ALARMS.put("alarm-fail-over-now-dev@us-east-1", new String[] {DR_TOPIC, DR_TOPIC});
        AssertionError e = assertThrows(AssertionError.class, () -> checks().alarmsAndDashboardAreWiredToTheTopics());
        assertTrue(e.getMessage().startsWith("alarm alarm-fail-over-now-dev (us-east-1)"), e.getMessage());
    }

    @Test
    void aDashboardAlarmThatDoesNotExistFailsTheAlarmCheck() throws IOException {
        GHOSTS.add("alarm-deleted-by-hand-dev");
        AssertionError e = assertThrows(AssertionError.class, () -> checks().alarmsAndDashboardAreWiredToTheTopics());
        assertTrue(e.getMessage().startsWith("the dashboard's alarms in us-east-2"), e.getMessage());
    }
}
