package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Query string parameters of a REST proxy event (API Gateway sends null, or an object of strings),
 * and the caller's API key id ({@code requestContext.identity.apiKeyId}).
 */
class ApiRequestQueryTest {

    private static ApiRequest parse(String query) {
        return ApiRequest.fromEvent("{\"httpMethod\": \"GET\", \"path\": \"/health\", \"headers\": {}, "
                + "\"queryStringParameters\": " + query + "}");
    }

    @Test
    void readsTheParametersAndIgnoresWhatIsNoString() {
        ApiRequest request = parse("{\"probe\": \"standby\", \"odd\": {\"x\": 1}}");
        assertEquals(Optional.of("standby"), request.query("probe"));
        assertEquals(Map.of("probe", "standby"), request.query());
        assertEquals(Map.of(), parse("null").query());
        assertEquals(Optional.empty(), parse("null").query("probe"));
        assertEquals(Map.of(), ApiRequest.fromEvent("{\"httpMethod\": \"GET\", \"path\": \"/health\"}").query());
        assertEquals(Map.of(), new ApiRequest("GET", "/health", Map.of(), null).query());
    }

    @Test
    void readsTheApiKeyIdApiGatewayAuthenticatedTheRequestWith() {
        String event = "{\"httpMethod\": \"POST\", \"path\": \"/payments\", \"requestContext\": {\"requestId\": \"r-1\","
                + " \"identity\": {\"apiKeyId\": \"a1b2c3d4e5\", \"apiKey\": \"the-value-never-read\"}}}";
        ApiRequest request = ApiRequest.fromEvent(event);
        assertEquals("a1b2c3d4e5", request.apiKeyId());
        assertEquals("r-1", request.requestId());
        // a header naming a key id is just a header: only API Gateway's context counts
        assertEquals(null, ApiRequest.fromEvent("{\"httpMethod\": \"POST\", \"path\": \"/payments\","
                + " \"headers\": {\"apiKeyId\": \"a1b2c3d4e5\"}, \"requestContext\": {\"identity\": {}}}").apiKeyId());
        assertEquals(null, ApiRequest.fromEvent("{\"httpMethod\": \"GET\", \"path\": \"/health\","
                + " \"requestContext\": {\"identity\": null}}").apiKeyId());
        assertEquals(null, new ApiRequest("GET", "/health", Map.of(), null).apiKeyId());
    }
}
