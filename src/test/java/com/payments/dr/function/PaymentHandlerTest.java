package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.function.FunctionConfig.ConfigException;
import com.payments.dr.lambda.Log;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The handler's decisions that need no engine: event parsing, routing, CORS, error shaping. */
class PaymentHandlerTest {

    private final AtomicReference<ApiRequest> seen = new AtomicReference<>();
    private final PaymentHandler echo = new PaymentHandler(Fixtures.ORIGIN, (request, deadline) -> {
        seen.set(request);
        return ApiResponse.error(418, "seen", request.method() + " " + request.path());
    }, () -> { });
    private static final Deadline D = Deadline.after(java.time.Duration.ofMinutes(1));

    @Test
    void lambdaEntryPointReadsTheEventAndWritesAProxyResponseWithCors() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        echo.handleRequest(new ByteArrayInputStream(Fixtures.event("GET", "/health", Map.of(), null)
                .getBytes(StandardCharsets.UTF_8)), out, null);
        JsonObject response = JsonParser.parseString(out.toString(StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertEquals(418, response.get("statusCode").getAsInt());
        assertFalse(response.get("isBase64Encoded").getAsBoolean());
        JsonObject headers = response.getAsJsonObject("headers");
        assertEquals(Fixtures.ORIGIN, headers.get("Access-Control-Allow-Origin").getAsString());
        assertEquals("GET,POST,OPTIONS", headers.get("Access-Control-Allow-Methods").getAsString());
        assertTrue(headers.get("Access-Control-Allow-Headers").getAsString().contains("Idempotency-Key"));
        // a page may never send an API key (a server-side secret), nor credentials
        assertFalse(headers.get("Access-Control-Allow-Headers").getAsString().toLowerCase(java.util.Locale.ROOT)
                .contains("x-api-key"));
        assertFalse(headers.has("Access-Control-Allow-Credentials"));
        assertEquals("Origin", headers.get("Vary").getAsString());
        assertEquals("application/json", headers.get("Content-Type").getAsString());
        JsonObject body = JsonParser.parseString(response.get("body").getAsString()).getAsJsonObject();
        assertEquals("GET /health", body.get("message").getAsString());
    }

    @Test
    void parsesHeadersCaseInsensitivelyDecodesBase64AndTrimsTheTrailingSlash() {
        String event = "{\"httpMethod\":\"post\",\"path\":\"/payments/\",\"headers\":"
                + "{\"IDEMPOTENCY-KEY\":\"abc12345\",\"X-List\":[\"ignored\"]},"
                + "\"body\":\"" + Base64.getEncoder().encodeToString("{\"a\":1}".getBytes(
                        StandardCharsets.UTF_8)) + "\",\"isBase64Encoded\":true}";
        echo.handle(event);
        ApiRequest request = seen.get();
        assertEquals("POST", request.method());
        assertEquals("/payments", request.path());
        assertEquals("abc12345", request.header("idempotency-key").orElseThrow());
        assertFalse(request.header("X-List").isPresent());
        assertEquals("{\"a\":1}", request.body());
    }

    @Test
    void acceptsSingleValuedHeadersInMultiValueHeadersAndRepeatsOfOtherHeaders() {
        echo.handle("{\"httpMethod\":\"POST\",\"path\":\"/payments\",\"headers\":{\"Idempotency-Key\":\"k-1\"},"
                + "\"multiValueHeaders\":{\"Idempotency-Key\":[\"k-1\"],\"Accept\":[\"a/b\",\"c/d\"],"
                + "\"Content-Type\":\"odd\"},\"body\":\""
                + Base64.getEncoder().encodeToString("{\"note\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8))
                + "\",\"isBase64Encoded\":true}");
        assertEquals("k-1", seen.get().header("Idempotency-Key").orElseThrow());
        assertEquals("{\"note\":\"caf\u00e9\"}", seen.get().body());
        echo.handle("{\"httpMethod\":\"GET\",\"path\":\"/\",\"multiValueHeaders\":null}");
        assertEquals("/", seen.get().path());
    }

    @Test
    void acceptsEventsWithoutHeadersOrBody() {
        echo.handle("{\"httpMethod\":\"GET\",\"path\":\"/\",\"headers\":null,\"body\":null,"
                + "\"isBase64Encoded\":true}");
        assertEquals("/", seen.get().path());
        assertNull(seen.get().body());
        assertTrue(seen.get().headers().isEmpty());
    }

    @Test
    void rejectsEventsThatAreNotRestProxyEvents() {
        for (String[] c : new String[][] {
                {"{not json", "event is not valid JSON"},
                {"[]", "event is not a JSON object"},
                {"{\"path\":\"/health\"}", "event has no httpMethod or path"},
                {"{\"httpMethod\":\"GET\"}", "event has no httpMethod or path"},
                {"{\"httpMethod\":\"GET\",\"path\":\"/p\",\"body\":\"%%%\",\"isBase64Encoded\":true}",
                        "event body is marked base64 but is not"},
                // 0xC3 0x28: a lead byte without its continuation, which a lenient decoder would
                // silently turn into U+FFFD and so change the request's hash
                {"{\"httpMethod\":\"POST\",\"path\":\"/p\",\"body\":\""
                        + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, 0x28})
                        + "\",\"isBase64Encoded\":true}", "event body is not valid UTF-8"},
                {"{\"httpMethod\":\"POST\",\"path\":\"/p\",\"headers\":{\"Idempotency-Key\":\"k-2\"},"
                        + "\"multiValueHeaders\":{\"Idempotency-Key\":[\"k-1\",\"k-2\"]}}",
                        "header Idempotency-Key must be sent once"},
                {"{\"httpMethod\":\"POST\",\"path\":\"/p\",\"multiValueHeaders\":"
                        + "{\"content-type\":[\"application/json\",\"text/plain\"]}}",
                        "header content-type must be sent once"}}) {
            ApiResponse response = echo.handle(c[0]);
            assertEquals(400, response.statusCode(), c[0]);
            assertEquals("invalid_event", Fixtures.body(response).get("error").getAsString());
            assertEquals(c[1], Fixtures.body(response).get("message").getAsString());
            assertEquals(Fixtures.ORIGIN, response.headers().get("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void anUnexpectedFailureIsAJson500WithoutATrace() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            PaymentHandler failing = new PaymentHandler(Fixtures.ORIGIN, (request, deadline) -> {
                throw new IllegalStateException("secret detail at com.example.Foo");
            }, () -> { });
            ApiResponse response = failing.handle(Fixtures.event("GET", "/health", Map.of(), null));
            assertEquals(500, response.statusCode());
            assertEquals("internal_error", Fixtures.body(response).get("error").getAsString());
            assertFalse(response.body().contains("secret detail"));
            assertFalse(response.body().contains("at com."));
            assertEquals(Fixtures.ORIGIN, response.headers().get("Access-Control-Allow-Origin"));
            // The log (not the client) gets the detail: class, message and where it happened.
            JsonObject logged = JsonParser.parseString(log.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains("unhandled_error")).findFirst().orElseThrow()).getAsJsonObject();
            assertEquals("java.lang.IllegalStateException", logged.get("error").getAsString());
            assertEquals("secret detail at com.example.Foo", logged.get("message").getAsString());
            assertTrue(logged.get("stack").getAsString().contains("PaymentHandlerTest"));
        } finally {
            Log.redirect(System.out);
        }
    }

    @Test
    void theLambdaConstructorValidatesTheEnvironmentAtInit() {
        // The test JVM has none of the function's variables, exactly like a misconfigured deployment.
        assertNull(System.getenv("REGION_ROLE"));
        ConfigException e = assertThrows(ConfigException.class, PaymentHandler::new);
        assertTrue(e.getMessage().contains("REGION_ROLE is not set; allowed: primary or dr"));
    }

    @Test
    void productionWiringBuildsWithoutTouchingTheNetwork() {
        FunctionRuntime runtime = FunctionRuntime.fromEnvironment(Fixtures.env());
        assertEquals("us-east-1", runtime.config().awsRegion());
        PaymentHandler handler = new PaymentHandler(runtime);
        ApiResponse response = handler.handle(Fixtures.event("GET", "/nowhere", Map.of(), null));
        assertEquals(404, response.statusCode());
    }

    @Test
    void routesUnknownPathsAndMethodsToJsonErrors() {
        FunctionRuntime runtime = new FunctionRuntime(Fixtures.config(),
                TestDynamo.clientFor(java.net.URI.create("http://127.0.0.1:9")), Fixtures.appCredentials(), Clock.systemUTC());
        Router router = runtime.router();
        ApiResponse notFound = router.route(new ApiRequest("GET", "/refunds", Map.of(), null), D);
        assertEquals(404, notFound.statusCode());
        assertEquals("not_found", Fixtures.body(notFound).get("error").getAsString());

        ApiResponse wrongMethod = router.route(new ApiRequest("GET", "/payments", Map.of(), null), D);
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("POST,OPTIONS", wrongMethod.headers().get("Allow"));
        ApiResponse wrongHealth = router.route(new ApiRequest("DELETE", "/health", Map.of(), null), D);
        assertEquals(405, wrongHealth.statusCode());
        assertEquals("GET,OPTIONS", wrongHealth.headers().get("Allow"));

        ApiResponse preflight = router.route(new ApiRequest("OPTIONS", "/payments", Map.of(), null), D);
        assertEquals(204, preflight.statusCode());
        assertEquals("", preflight.body());
        String key = Fixtures.keyIdOf("m-1");
        ApiResponse invalid = router.route(new ApiRequest("POST", "/payments",
                Map.of("Content-Type", "application/json"), "{}", null, Map.of(), key), D);
        assertEquals(400, invalid.statusCode());
        assertEquals("Idempotency-Key", Fixtures.body(invalid).get("field").getAsString());
        ApiResponse notJson = router.route(new ApiRequest("POST", "/payments", Map.of(), "{}", null, Map.of(), key), D);
        assertEquals(415, notJson.statusCode());
        // a payment acts for the merchant of the key API Gateway authenticated: no key, or one that
        // acts for no merchant here, is refused before anything else is looked at
        for (String keyId : java.util.Arrays.asList(null, "kunknown")) {
            ApiResponse refused = router.route(new ApiRequest("POST", "/payments",
                    Map.of("Content-Type", "application/json"), "{}", null, Map.of(), keyId), D);
            assertEquals(403, refused.statusCode(), keyId);
            assertEquals("unknown_api_key", Fixtures.body(refused).get("error").getAsString());
        }
    }

    @Test
    void responsesAreImmutableAndSerializeHeadersInAStableOrder() {
        ApiResponse response = ApiResponse.unavailable("x", "y", 7).withHeader("A-First", "1");
        assertEquals("7", response.headers().get("Retry-After"));
        assertThrows(UnsupportedOperationException.class, () -> response.headers().put("k", "v"));
        String json = response.toEventJson();
        assertTrue(json.indexOf("A-First") < json.indexOf("Content-Type"));
        assertTrue(json.indexOf("Content-Type") < json.indexOf("Retry-After"));
        ApiResponse invalid = ApiResponse.invalid("amount", "must be greater than 0");
        assertEquals("amount must be greater than 0",
                Fixtures.body(invalid).get("message").getAsString());
        assertSame(Fixtures.ORIGIN, response.withCors(Fixtures.ORIGIN).headers()
                .get("Access-Control-Allow-Origin"));
    }

    @Test
    void everyRequestEndsWithOneEmbeddedMetricLogLine() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            echo.handleRequest(new ByteArrayInputStream(Fixtures.postPayment("key-12345678", "{}")
                    .getBytes(StandardCharsets.UTF_8)), out, Fixtures.context(5_000));
            echo.handle("not an event");
        } finally {
            Log.redirect(System.out);
        }
        List<JsonObject> lines = log.toString(StandardCharsets.UTF_8).lines()
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertEquals(2, lines.size());
        JsonObject line = lines.get(0);
        assertEquals("request", line.get("event").getAsString());
        assertEquals("lambda-request-1", line.get("lambda_request_id").getAsString());
        assertEquals("api-request-1", line.get("api_request_id").getAsString());
        assertEquals("POST", line.get("method").getAsString());
        assertEquals(418, line.get("status").getAsInt());
        assertEquals("seen", line.get("Outcome").getAsString());
        assertEquals(16, line.get("key_hash").getAsString().length());
        assertFalse(line.toString().contains("key-12345678"), "the key itself is not logged");
        assertTrue(line.get("Latency").getAsDouble() >= 0);
        JsonObject directive = line.getAsJsonObject("_aws").getAsJsonArray("CloudWatchMetrics").get(0)
                .getAsJsonObject();
        assertEquals(PaymentHandler.METRIC_NAMESPACE, directive.get("Namespace").getAsString());
        // per function: two environments in one account and region never share a series
        assertEquals("[[\"FunctionName\",\"Outcome\"]]", directive.get("Dimensions").toString());
        assertEquals("lambda-payment-test", line.get("FunctionName").getAsString());
        assertEquals("Requests", directive.getAsJsonArray("Metrics").get(0).getAsJsonObject().get("Name").getAsString());
        assertEquals("Latency", directive.getAsJsonArray("Metrics").get(1).getAsJsonObject().get("Name").getAsString());
        assertTrue(line.getAsJsonObject("_aws").get("Timestamp").getAsLong() > 0);
        assertEquals("invalid_event", lines.get(1).get("Outcome").getAsString());
        // without Lambda's context, the runtime's environment names the function, or nothing does
        String environment = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        assertEquals(environment == null || environment.isBlank() ? "local" : environment,
                lines.get(1).get("FunctionName").getAsString());
        assertFalse(lines.get(1).has("lambda_request_id"));
    }

    @Test
    void healthChecksAreLoggedWithoutMetrics() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            echo.handleRequest(new ByteArrayInputStream(Fixtures.event("GET", "/health", Map.of(), null)
                    .getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), Fixtures.context(5_000));
        } finally {
            Log.redirect(System.out);
        }
        JsonObject line = JsonParser.parseString(log.toString(StandardCharsets.UTF_8).strip()).getAsJsonObject();
        assertEquals("request", line.get("event").getAsString());
        assertEquals("/health", line.get("path").getAsString());
        assertTrue(line.has("Outcome"));
        // no embedded-metric directive: CloudWatch makes no metric of the line
        assertFalse(line.has("_aws"));
    }

    @Test
    void outcomesNameTheResult() {
        assertEquals("created", PaymentHandler.outcome(ApiResponse.json(201, new JsonObject())));
        assertEquals("replayed", PaymentHandler.outcome(ApiResponse.json(201, new JsonObject())
                .withHeader("Idempotent-Replayed", "true")));
        assertEquals("ok", PaymentHandler.outcome(new ApiResponse(204, Map.of(), "")));
        assertEquals("unhealthy", PaymentHandler.outcome(ApiResponse.json(503, new JsonObject())));
        assertEquals("region_read_only", PaymentHandler.outcome(ApiResponse.unavailable("region_read_only", "m", 5)));
    }

    @Test
    void theBudgetComesFromLambdasRemainingTimeLessAMarginAndIsCapped() throws Exception {
        assertEquals(Deadline.MAX_BUDGET_MILLIS, Deadline.forInvocation(null).remainingMillis(), 50);
        assertEquals(Deadline.MAX_BUDGET_MILLIS, Deadline.forInvocation(Fixtures.context(29_000)).remainingMillis(), 50);
        assertEquals(3_000, Deadline.forInvocation(Fixtures.context(4_000)).remainingMillis(), 50);
        Deadline spent = Deadline.forInvocation(Fixtures.context(500));
        assertEquals(0, spent.remainingMillis());
        assertEquals(java.time.Duration.ofMillis(1), spent.cap(java.time.Duration.ofSeconds(5)));
        assertEquals(1, spent.capSeconds(java.time.Duration.ofSeconds(5)));
        assertEquals(2, Deadline.after(java.time.Duration.ofMillis(2_500)).capSeconds(java.time.Duration.ofSeconds(5)));
        assertEquals(5, Deadline.after(java.time.Duration.ofSeconds(20)).capSeconds(java.time.Duration.ofSeconds(5)));
        Deadline.Exceeded e = assertThrows(Deadline.Exceeded.class, () -> spent.check("the claim"));
        assertEquals("time budget exhausted before the claim", e.getMessage());
        assertEquals(1_500, Deadline.after(java.time.Duration.ofSeconds(10)).within(java.time.Duration.ofMillis(1_500))
                .remainingMillis(), 50);
        Deadline.after(java.time.Duration.ofSeconds(1)).check("anything");
    }

    @Test
    void credentialsNeverPrintThePassword() {
        String text = new DbCredentials("app", "hunter2").toString();
        assertTrue(text.contains("app"));
        assertFalse(text.contains("hunter2"));
    }
}
