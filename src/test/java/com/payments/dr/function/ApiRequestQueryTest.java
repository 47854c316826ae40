package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Query string parameters of a REST proxy event: API Gateway sends null, or an object of strings. */
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
}
