package com.payments.dr.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.lambda.EmbeddedMetrics;
import com.payments.dr.lambda.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The DR region's own look at the failover's three questions, once a minute (an EventBridge
 * schedule in the DR region): does the primary region's {@code /health} pass, does the DR region's
 * own {@code /health} pass (it serves: its database was promoted), and does its readiness probe
 * ({@code /health?probe=standby}) pass (it could take over). Route 53 publishes its health-check
 * metrics only in us-east-1, so when that is the failed region its alarms go silent; these are
 * published in the DR region, where its alarms and the DR topic hear them.
 *
 * <p>Each answer is a 1 (HTTP 200) or 0 (anything else, or no answer within the timeout) in one log
 * line in CloudWatch's embedded metric format, which CloudWatch Logs turns into the metrics
 * {@link #NAMESPACE} {@code PrimaryHealthy}, {@code DrServing} and {@code DrReady} with the
 * dimension {@code Probe} (this function's name, so two deployments in one account never share a
 * series). No AWS API is called: nothing to authorize, nothing to fail but the probes themselves.
 *
 * <p>The primary's {@code /health} is keyless, so anyone can flood it until API Gateway throttles
 * it (429, its own method throttle). A 429 proves the region answers, and says nothing about the
 * function and database behind it: such a run publishes no {@code PrimaryHealthy} at all, and
 * {@code PrimaryThrottled} 1 (0 on every other answer), so a flood neither reads as an outage nor
 * hides one (the alarm keeps what it knew).
 */
public final class FailoverProbe implements RequestStreamHandler {

    public static final String NAMESPACE = "PaymentsDR/FailoverProbe";
    public static final String DIMENSION = "Probe";
    public static final String PRIMARY_HEALTHY = "PrimaryHealthy";
    public static final String DR_SERVING = "DrServing";
    public static final String DR_READY = "DrReady";
    /** 1 when the primary's /health answered 429 (throttled), 0 otherwise: published every run. */
    public static final String PRIMARY_THROTTLED = "PrimaryThrottled";
    /** API Gateway's answer when a throttle refuses the request. */
    static final int TOO_MANY_REQUESTS = 429;
    /** Route 53's checkers wait 4 s for a connection and 2 s more for the answer; this is as patient. */
    static final Duration TIMEOUT = Duration.ofSeconds(6);

    private final HttpClient http;
    private final Map<String, String> environment;
    private final Clock clock;

    /** The Lambda runtime's constructor: the URLs and the function's name come from the environment. */
    public FailoverProbe() {
        // HTTP/1.1, as Route 53's checkers speak it to the same endpoints
        this(System.getenv(), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .build(), Clock.systemUTC());
    }

    /** The environment is read by each run: a deployment without it fails every run, naming what is missing. */
    FailoverProbe(Map<String, String> environment, HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
        this.environment = Map.copyOf(environment);
    }

    /** What each metric asks: the primary's /health, the DR region's own, its readiness probe. */
    private Map<String, URI> targets() {
        String drHealth = ReceiptHandler.required(environment, "DR_HEALTH_URL");
        Map<String, URI> targets = new LinkedHashMap<>();
        targets.put(PRIMARY_HEALTHY, URI.create(ReceiptHandler.required(environment, "PRIMARY_HEALTH_URL")));
        targets.put(DR_SERVING, URI.create(drHealth));
        targets.put(DR_READY, URI.create(drHealth + "?probe=standby"));
        return targets;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(probe(scheduledMinute(new String(input.readAllBytes(), StandardCharsets.UTF_8)))
                .toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The minute the schedule fired for (the scheduled event's {@code time}), so each run's
     * datapoint lands in its own one-minute period however late it starts; the clock when the
     * event has none. A missing minute counts as failing (the alarms treat silence as breaching).
     */
    Instant scheduledMinute(String event) {
        try {
            JsonElement time = JsonParser.parseString(event).getAsJsonObject().get("time");
            if (time != null && time.isJsonPrimitive()) {
                return Instant.parse(time.getAsString());
            }
        } catch (RuntimeException e) {
            // not a scheduled event (a test invoke): the clock's minute
        }
        return clock.instant();
    }

    /** Asks the three URLs at once and logs (and returns) the one metric line, stamped now. */
    JsonObject probe() {
        return probe(clock.instant());
    }

    private JsonObject probe(Instant at) {
        String probe = ReceiptHandler.required(environment, "AWS_LAMBDA_FUNCTION_NAME");
        Map<String, CompletableFuture<Integer>> answers = new LinkedHashMap<>();
        targets().forEach((metric, uri) -> answers.put(metric, http.sendAsync(HttpRequest.newBuilder(uri)
                        .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode)
                // no answer (refused, reset, timed out) is a failure: status 0
                .exceptionally(failure -> 0)));
        JsonObject line = new JsonObject();
        line.addProperty("level", "INFO");
        line.addProperty("event", "failover_probe");
        line.addProperty(DIMENSION, probe);
        JsonArray metrics = new JsonArray();
        answers.forEach((metric, answer) -> {
            int status = answer.join();
            line.addProperty(metric + "Status", status);
            boolean primary = metric.equals(PRIMARY_HEALTHY);
            // a throttled primary is neither healthy nor failing: no datapoint
            if (!(primary && status == TOO_MANY_REQUESTS)) {
                publish(line, metrics, metric, status == 200 ? 1 : 0);
            }
            if (primary) {
                publish(line, metrics, PRIMARY_THROTTLED, status == TOO_MANY_REQUESTS ? 1 : 0);
            }
        });
        line.add("_aws", EmbeddedMetrics.directive(NAMESPACE, List.of(DIMENSION), metrics, at.toEpochMilli()));
        Log.line(line);
        return line;
    }

    /** One metric of the line: its value, and its definition in the directive. */
    private static void publish(JsonObject line, JsonArray metrics, String metric, int value) {
        line.addProperty(metric, value);
        metrics.add(EmbeddedMetrics.metric(metric, "None"));
    }
}
