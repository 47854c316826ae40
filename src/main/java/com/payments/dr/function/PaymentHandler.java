package com.payments.dr.function;

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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.BiFunction;

/**
 * The Lambda entry point for API Gateway REST proxy events, in both regions. Every response,
 * errors included, is JSON with the CORS headers; no stack trace ever reaches the client. Each
 * invocation gets one time budget ({@link Deadline}) and ends with one log line that is also a
 * CloudWatch embedded-metric-format record (requests and latency per outcome, under the function's
 * name: two environments in one account and region publish apart, their names carry the suffix).
 * {@code GET /health} is logged but publishes no metric: its callers are Route 53's checkers and the
 * DR region's probe, whose own metrics tell its story, and each outcome it would add is a custom
 * metric billed every month the checks run, payments or not.
 */
public final class PaymentHandler implements RequestStreamHandler, AutoCloseable {

    static final String METRIC_NAMESPACE = "PaymentsDR/PaymentFunction";
    /** The metrics' dimensions: the function, then what happened. */
    static final java.util.List<String> METRIC_DIMENSIONS = java.util.List.of("FunctionName", "Outcome");

    private final String allowedOrigin;
    private final BiFunction<ApiRequest, Deadline, ApiResponse> router;
    private final AutoCloseable resources;

    /** Used by Lambda: configuration comes from the environment and is validated here, at init. */
    public PaymentHandler() {
        this(FunctionRuntime.fromEnvironment(System.getenv()));
    }

    public PaymentHandler(FunctionRuntime runtime) {
        this(runtime.config().allowedOrigin(), runtime.router()::route, runtime);
    }

    PaymentHandler(String allowedOrigin, BiFunction<ApiRequest, Deadline, ApiResponse> router,
            AutoCloseable resources) {
        this.allowedOrigin = allowedOrigin;
        this.router = router;
        this.resources = resources;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context)
            throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        output.write(handle(event, context).toEventJson().getBytes(StandardCharsets.UTF_8));
    }

    ApiResponse handle(String event) {
        return handle(event, null);
    }

    ApiResponse handle(String event, Context context) {
        long start = System.nanoTime();
        Deadline deadline = Deadline.forInvocation(context);
        ApiRequest request = null;
        ApiResponse response;
        try {
            request = ApiRequest.fromEvent(event);
            response = router.apply(request, deadline);
        } catch (IllegalArgumentException e) {
            response = ApiResponse.error(400, "invalid_event", e.getMessage());
        } catch (RuntimeException e) {
            Log.error("unhandled_error", "error", e.getClass().getName(),
                    "message", String.valueOf(e.getMessage()), "stack", stackTrace(e));
            response = ApiResponse.error(500, "internal_error", "Internal error; the request may be"
                    + " retried with the same Idempotency-Key.");
        }
        response = response.withCors(allowedOrigin);
        logRequest(request, response, context, functionName(context), (System.nanoTime() - start) / 1_000_000.0);
        return response;
    }

    private static String stackTrace(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    /** What happened, in one word: the error code, created / replayed / ok, or unhealthy (health 503). */
    static String outcome(ApiResponse response) {
        if (response.statusCode() < 300) {
            return response.headers().containsKey("Idempotent-Replayed") ? "replayed"
                    : response.statusCode() == 201 ? "created" : "ok";
        }
        JsonElement error = JsonParser.parseString(response.body()).getAsJsonObject().get("error");
        return error == null ? "unhealthy" : error.getAsString();
    }

    /** The function's name: Lambda's context gives it, the runtime's environment too; "local" outside Lambda. */
    static String functionName(Context context) {
        if (context != null && context.getFunctionName() != null) {
            return context.getFunctionName();
        }
        String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        return name == null || name.isBlank() ? "local" : name;
    }

    private static void logRequest(ApiRequest request, ApiResponse response, Context context, String function,
            double latencyMs) {
        String outcome = outcome(response);
        JsonObject line = new JsonObject();
        line.addProperty("level", response.statusCode() >= 500 ? "ERROR" : "INFO");
        line.addProperty("event", "request");
        if (context != null) {
            line.addProperty("lambda_request_id", context.getAwsRequestId());
        }
        if (request != null) {
            line.addProperty("api_request_id", request.requestId());
            line.addProperty("method", request.method());
            line.addProperty("path", request.path());
            request.header("Idempotency-Key").ifPresent(key -> line.addProperty("key_hash",
                    HexFormat.of().formatHex(PaymentRequest.sha256(key)).substring(0, 16)));
        }
        line.addProperty("status", response.statusCode());
        line.addProperty("FunctionName", function);
        line.addProperty("Outcome", outcome);
        line.addProperty("Requests", 1);
        line.addProperty("Latency", latencyMs);
        if (request == null || !Router.HEALTH_PATH.equals(request.path())) {
            line.add("_aws", metricMetadata());
        }
        Log.line(line);
    }

    private static JsonObject metricMetadata() {
        JsonArray metrics = new JsonArray();
        metrics.add(EmbeddedMetrics.metric("Requests", "Count"));
        metrics.add(EmbeddedMetrics.metric("Latency", "Milliseconds"));
        return EmbeddedMetrics.directive(METRIC_NAMESPACE, METRIC_DIMENSIONS, metrics, System.currentTimeMillis());
    }

    /** Closes the container's database connection (tests; Lambda just freezes the container). */
    @Override
    public void close() throws Exception {
        resources.close();
    }
}
