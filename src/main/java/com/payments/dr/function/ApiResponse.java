package com.payments.dr.function;

import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** A REST proxy integration response. The body is always JSON. */
public record ApiResponse(int statusCode, Map<String, String> headers, String body) {

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int statusCode, JsonObject body) {
        return new ApiResponse(statusCode, Map.of("Content-Type", "application/json"), body.toString());
    }

    /** An error body: a stable machine-readable code and a message for people, never a trace. */
    public static ApiResponse error(int statusCode, String code, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("error", code);
        body.addProperty("message", message);
        return json(statusCode, body);
    }

    /** A 400 that names the field and the rule it broke. */
    public static ApiResponse invalid(String field, String rule) {
        JsonObject body = new JsonObject();
        body.addProperty("error", "validation_failed");
        body.addProperty("field", field);
        body.addProperty("rule", rule);
        body.addProperty("message", field + " " + rule);
        return json(400, body);
    }

    /** A 503 the client is told to retry, with the delay in seconds. */
    public static ApiResponse unavailable(String code, String message, int retryAfterSeconds) {
        return error(503, code, message).withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(statusCode, copy, body);
    }

    /**
     * Adds the CORS headers: a Lambda proxy integration must return them itself. One origin, no
     * credentials, and never {@code X-Api-Key} among the headers a page may send: an API key is a
     * merchant server's secret, browsers do not pay with it.
     */
    public ApiResponse withCors(String allowedOrigin) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put("Access-Control-Allow-Origin", allowedOrigin);
        copy.put("Access-Control-Allow-Methods", "GET,POST,OPTIONS");
        copy.put("Access-Control-Allow-Headers", "Content-Type,Idempotency-Key");
        copy.put("Access-Control-Expose-Headers", "Retry-After,Idempotent-Replayed");
        copy.put("Vary", "Origin");
        return new ApiResponse(statusCode, copy, body);
    }

    /** The proxy-integration JSON the Lambda returns to API Gateway, headers in a stable order. */
    public String toEventJson() {
        JsonObject out = new JsonObject();
        out.addProperty("statusCode", statusCode);
        JsonObject h = new JsonObject();
        headers.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> h.addProperty(e.getKey(), e.getValue()));
        out.add("headers", h);
        out.addProperty("body", body);
        out.addProperty("isBase64Encoded", false);
        return out.toString();
    }
}
