package com.payments.dr.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.lambda.LogCapture;
import com.payments.dr.stack.AlarmEvaluation;
import com.payments.dr.stack.Synth;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DR region's failover probe against local stand-ins of both regions' /health: what it
 * publishes (one embedded-metric-format line, 1 for 200, 0 for anything else or no answer, and for
 * the primary's 429 no health datapoint but a throttled one), and
 * that the alarm the stack builds on it, in the DR region and to the DR topic, fires when the
 * primary's /health fails and clears when it passes again, evaluated on the probe's own output.
 */
class FailoverProbeTest {

    private HttpServer server;
    /** What each path answers: status, or -1 to hang up without an answer. */
    private final Map<String, AtomicInteger> answers = new HashMap<>();
    private final List<String> asked = new ArrayList<>();

    @BeforeEach
    void regions() throws IOException {
        answers.put("/primary/v1-dev/health", new AtomicInteger(200));
        answers.put("/dr/v1-dev/health", new AtomicInteger(503));
        answers.put("/dr/v1-dev/health?probe=standby", new AtomicInteger(200));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestURI().toString();
            synchronized (asked) {
                asked.add(exchange.getRequestMethod() + " " + target);
            }
            int status = answers.getOrDefault(target, new AtomicInteger(404)).get();
            if (status < 0) {
                exchange.close();
                return;
            }
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private FailoverProbe probe() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return new FailoverProbe(Map.of("AWS_LAMBDA_FUNCTION_NAME", "lambda-probe-dev",
                "PRIMARY_HEALTH_URL", base + "/primary/v1-dev/health",
                "DR_HEALTH_URL", base + "/dr/v1-dev/health"),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build(),
                Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void aHealthySystemIsPublishedAsOneEmbeddedMetricLine() throws Exception {
        LogCapture.Captured<JsonObject> run = LogCapture.during(() -> probe().probe());
        List<String> lines = run.log().lines().toList();
        assertEquals(1, lines.size(), run.log());
        JsonObject line = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(run.value(), line);
        assertEquals(1, line.get("PrimaryHealthy").getAsInt());
        assertEquals(0, line.get("DrServing").getAsInt(), "a passive DR region's /health is 503");
        assertEquals(1, line.get("DrReady").getAsInt());
        assertEquals(503, line.get("DrServingStatus").getAsInt());
        assertEquals("lambda-probe-dev", line.get("Probe").getAsString());
        // CloudWatch's embedded metric format: the directive names the namespace, dimensions and metrics
        JsonObject aws = line.getAsJsonObject("_aws");
        assertEquals(Instant.parse("2026-11-23T10:00:00Z").toEpochMilli(), aws.get("Timestamp").getAsLong());
        JsonObject directive = aws.getAsJsonArray("CloudWatchMetrics").get(0).getAsJsonObject();
        assertEquals("PaymentsDR/FailoverProbe", directive.get("Namespace").getAsString());
        assertEquals("[[\"Probe\"]]", directive.getAsJsonArray("Dimensions").toString());
        List<String> names = new ArrayList<>();
        for (var metric : directive.getAsJsonArray("Metrics")) {
            names.add(metric.getAsJsonObject().get("Name").getAsString());
            assertTrue(line.has(metric.getAsJsonObject().get("Name").getAsString()));
        }
        assertEquals(List.of("PrimaryHealthy", "PrimaryThrottled", "DrServing", "DrReady"), names);
        assertEquals(0, line.get("PrimaryThrottled").getAsInt());
        assertEquals(List.of("GET /dr/v1-dev/health", "GET /dr/v1-dev/health?probe=standby", "GET /primary/v1-dev/health"),
                asked.stream().sorted().toList());
    }

    @Test
    void anErrorARefusedConnectionOrNoAnswerIsAFailure() throws Exception {
        answers.get("/primary/v1-dev/health").set(503);
        JsonObject line = LogCapture.during(() -> probe().probe()).value();
        assertEquals(0, line.get("PrimaryHealthy").getAsInt());
        answers.get("/primary/v1-dev/health").set(-1);
        line = LogCapture.during(() -> probe().probe()).value();
        assertEquals(0, line.get("PrimaryHealthy").getAsInt());
        assertEquals(0, line.get("PrimaryHealthyStatus").getAsInt());
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        FailoverProbe nowhere = new FailoverProbe(Map.of("AWS_LAMBDA_FUNCTION_NAME", "lambda-probe-dev",
                "PRIMARY_HEALTH_URL", "http://127.0.0.1:" + closed + "/v1-dev/health",
                "DR_HEALTH_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/dr/v1-dev/health"),
                HttpClient.newHttpClient(), Clock.systemUTC());
        JsonObject refused = LogCapture.during(nowhere::probe).value();
        assertEquals(0, refused.get("PrimaryHealthy").getAsInt());
        assertEquals(1, refused.get("DrReady").getAsInt(), "one region's failure is not the other's");
    }

    @Test
    void theLambdaEntryPointStampsTheLineWithTheScheduledMinute() throws Exception {
        // EventBridge's scheduled event: the minute it fired for, whenever the run starts
        String scheduled = "{\"version\":\"0\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\","
                + "\"time\":\"2026-11-23T09:41:00Z\",\"resources\":[\"arn:aws:events:us-east-2:123456789012:rule/"
                + "rule-failover-probe-dev\"],\"detail\":{}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogCapture.during(() -> {
            probe().handleRequest(new ByteArrayInputStream(scheduled.getBytes(StandardCharsets.UTF_8)), out, null);
            return null;
        });
        JsonObject line = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals(1, line.get("PrimaryHealthy").getAsInt());
        assertEquals(Instant.parse("2026-11-23T09:41:00Z").toEpochMilli(),
                line.getAsJsonObject("_aws").get("Timestamp").getAsLong());
        // an invocation without a time (by hand): the clock's
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), probe().scheduledMinute("{}"));
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), probe().scheduledMinute("not json"));
    }

    @Test
    void lambdasConstructorNeedsTheEnvironmentTheStackSets() {
        // this JVM has no AWS_LAMBDA_FUNCTION_NAME: every run fails naming what is missing
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null);
        FailoverProbe lambda = new FailoverProbe();
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> lambda.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream(), null));
        assertEquals("environment variable AWS_LAMBDA_FUNCTION_NAME is required", e.getMessage());
    }

    /** The synthesized alarm of the DR region's view named {@code qualifier}. */
    private static JsonObject alarm(String qualifier) {
        return Synth.defaults().resources("aws_cloudwatch_metric_alarm").stream()
                .filter(a -> a.get("alarm_name").getAsString().equals("alarm-" + qualifier + "-dev"))
                .findFirst().orElseThrow();
    }

    /**
     * One probe run a minute for {@code minutes}: the alarm's metric per period (the one run's value),
     * {@code null} where the run published none.
     */
    private List<Double> minutes(int minutes, String metric) throws Exception {
        List<Double> periods = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            JsonObject line = LogCapture.during(() -> probe().probe()).value();
            boolean defined = false;
            for (var definition : line.getAsJsonObject("_aws").getAsJsonArray("CloudWatchMetrics").get(0)
                    .getAsJsonObject().getAsJsonArray("Metrics")) {
                defined |= definition.getAsJsonObject().get("Name").getAsString().equals(metric);
            }
            assertEquals(defined, line.has(metric), "a value exactly where the directive names the metric");
            periods.add(defined ? line.get(metric).getAsDouble() : null);
        }
        return periods;
    }

    @Test
    void aThrottledPrimaryIsNeitherHealthyNorFailingAndIsPublishedAsThrottled() throws Exception {
        answers.get("/primary/v1-dev/health").set(429);
        JsonObject line = LogCapture.during(() -> probe().probe()).value();
        assertFalse(line.has("PrimaryHealthy"), "no health datapoint: " + line);
        assertEquals(1, line.get("PrimaryThrottled").getAsInt());
        assertEquals(429, line.get("PrimaryHealthyStatus").getAsInt());
        assertEquals(1, line.get("DrReady").getAsInt());
        List<String> names = new ArrayList<>();
        line.getAsJsonObject("_aws").getAsJsonArray("CloudWatchMetrics").get(0).getAsJsonObject()
                .getAsJsonArray("Metrics").forEach(m -> names.add(m.getAsJsonObject().get("Name").getAsString()));
        assertEquals(List.of("PrimaryThrottled", "DrServing", "DrReady"), names);
    }

    /**
     * Someone floods the primary's keyless /health: API Gateway answers the probe 429. The DR
     * region's "primary unhealthy" stays OK, so its "fail over now" stays quiet, and the throttled
     * answers alarm on their own; an outage behind the flood still fires once failures get through.
     */
    @Test
    void aFloodOnThePrimarysHealthIsNoFailoverSignalButIsHeard() throws Exception {
        JsonObject primaryDown = alarm("dr-view-primary-unhealthy");
        JsonObject throttled = alarm("dr-view-primary-throttled");
        List<Double> health = minutes(5, "PrimaryHealthy");
        List<Double> throttling = minutes(5, "PrimaryThrottled");
        answers.get("/primary/v1-dev/health").set(429);
        health.addAll(minutes(5, "PrimaryHealthy"));
        throttling.addAll(minutes(5, "PrimaryThrottled"));
        assertEquals(java.util.Collections.nCopies(5, (Double) null), health.subList(5, 10));
        String state = AlarmEvaluation.state(primaryDown, health);
        assertEquals(AlarmEvaluation.UNCHANGED, state, "no datapoint: the alarm keeps its OK");
        assertEquals(AlarmEvaluation.ALARM, AlarmEvaluation.state(throttled, throttling));
        JsonObject composite = Synth.defaults().resource("aws_cloudwatch_composite_alarm", "dr_detection_fail_over_now");
        assertEquals(AlarmEvaluation.OK, AlarmEvaluation.composite(composite.get("alarm_rule").getAsString(), Map.of(
                Synth.defaults().ref("aws_cloudwatch_metric_alarm", "dr_detection_primary_unhealthy", "alarm_name"),
                AlarmEvaluation.OK,
                Synth.defaults().ref("aws_cloudwatch_metric_alarm", "dr_detection_dr_not_ready", "alarm_name"),
                AlarmEvaluation.state(alarm("dr-view-dr-not-ready"), minutes(5, "DrReady")),
                Synth.defaults().ref("aws_cloudwatch_metric_alarm", "dr_detection_dr_serving", "alarm_name"),
                AlarmEvaluation.state(alarm("dr-view-dr-serving"), minutes(5, "DrServing")))));
        // the flood goes on while the primary fails behind it: the failures that get through count
        for (int status : new int[] {503, 429, 503, 429, 503}) {
            answers.get("/primary/v1-dev/health").set(status);
            health.addAll(minutes(1, "PrimaryHealthy"));
        }
        assertEquals(AlarmEvaluation.ALARM, AlarmEvaluation.state(primaryDown, health), health.toString());
        // the flood ends and the primary passes: both clear
        answers.get("/primary/v1-dev/health").set(200);
        health.addAll(minutes(5, "PrimaryHealthy"));
        throttling.addAll(minutes(5, "PrimaryThrottled"));
        assertEquals(AlarmEvaluation.OK, AlarmEvaluation.state(primaryDown, health));
        assertEquals(AlarmEvaluation.OK, AlarmEvaluation.state(throttled, throttling));
    }

    @Test
    void theDrRegionsAlarmFiresWhenThePrimarysHealthFailsAndClearsWhenItPasses() throws Exception {
        JsonObject primaryDown = alarm("dr-view-primary-unhealthy");
        // the alarm lives in the DR region and notifies the DR region's topic
        assertEquals("aws.dr", primaryDown.get("provider").getAsString());
        assertEquals(List.of(Synth.defaults().ref("aws_sns_topic", "dr_alerts_topic", "arn")),
                com.payments.dr.stack.Synth.strings(primaryDown.getAsJsonArray("alarm_actions")));
        assertEquals("PrimaryHealthy", primaryDown.get("metric_name").getAsString());
        List<Double> healthy = minutes(5, "PrimaryHealthy");
        assertEquals(AlarmEvaluation.OK, AlarmEvaluation.state(primaryDown, healthy));

        answers.get("/primary/v1-dev/health").set(503);
        List<Double> failing = new ArrayList<>(healthy);
        failing.addAll(minutes(2, "PrimaryHealthy"));
        assertEquals(AlarmEvaluation.OK, AlarmEvaluation.state(primaryDown, failing), "2 bad minutes of 5: not yet");
        failing.addAll(minutes(1, "PrimaryHealthy"));
        assertEquals(AlarmEvaluation.ALARM, AlarmEvaluation.state(primaryDown, failing), "3 of 5: fail over");

        // with the DR region ready and not serving, the composite calls for the failover
        JsonObject composite = Synth.defaults().resource("aws_cloudwatch_composite_alarm", "dr_detection_fail_over_now");
        Map<String, String> children = Map.of(
                Synth.defaults().ref("aws_cloudwatch_metric_alarm", "dr_detection_primary_unhealthy", "alarm_name"),
                AlarmEvaluation.state(primaryDown, failing),
                Synth.defaults().ref("aws_cloudwatch_metric_alarm", "dr_detection_dr_not_ready", "alarm_name"),
                AlarmEvaluation.state(alarm("dr-view-dr-not-ready"), minutes(5, "DrReady")),
                Synth.defaults().ref("aws_cloudwatch_metric_alarm", "dr_detection_dr_serving", "alarm_name"),
                AlarmEvaluation.state(alarm("dr-view-dr-serving"), minutes(5, "DrServing")));
        assertEquals(AlarmEvaluation.ALARM, AlarmEvaluation.composite(composite.get("alarm_rule").getAsString(), children));

        // the primary passes again: the alarm clears once the bad minutes leave its window
        answers.get("/primary/v1-dev/health").set(200);
        failing.addAll(minutes(3, "PrimaryHealthy"));
        assertEquals(AlarmEvaluation.OK, AlarmEvaluation.state(primaryDown, failing));
    }

    @Test
    void aProbeThatStopsPublishingIsHeardButCallsForNoFailover() {
        // no datapoints: "DR not ready" ALARM (breaching); "primary unhealthy" keeps whatever state it
        // had, and the composite stays quiet either way
        List<Double> silence = new ArrayList<>(java.util.Collections.nCopies(5, (Double) null));
        JsonObject composite = Synth.defaults().resource("aws_cloudwatch_composite_alarm", "dr_detection_fail_over_now");
        assertEquals(AlarmEvaluation.UNCHANGED, AlarmEvaluation.state(alarm("dr-view-primary-unhealthy"), silence));
        String notReady = AlarmEvaluation.state(alarm("dr-view-dr-not-ready"), silence);
        assertEquals(AlarmEvaluation.ALARM, notReady);
        assertEquals(AlarmEvaluation.OK, AlarmEvaluation.state(alarm("dr-view-dr-serving"), silence));
        assertEquals(AlarmEvaluation.OK, AlarmEvaluation.state(alarm("dr-view-primary-throttled"), silence));
        for (String primaryDown : List.of(AlarmEvaluation.OK, AlarmEvaluation.ALARM)) {
            assertEquals(AlarmEvaluation.OK, AlarmEvaluation.composite(composite.get("alarm_rule").getAsString(), Map.of(
                    Synth.defaults().ref("aws_cloudwatch_metric_alarm", "dr_detection_primary_unhealthy", "alarm_name"),
                    primaryDown,
                    Synth.defaults().ref("aws_cloudwatch_metric_alarm", "dr_detection_dr_not_ready", "alarm_name"), notReady,
                    Synth.defaults().ref("aws_cloudwatch_metric_alarm", "dr_detection_dr_serving", "alarm_name"),
                    AlarmEvaluation.OK)));
        }
    }
}
