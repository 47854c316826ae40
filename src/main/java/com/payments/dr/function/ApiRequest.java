package com.payments.dr.function;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of an API Gateway REST proxy event the function uses. Header names are
 * case-insensitive, as in HTTP: clients send {@code idempotency-key} as often as
 * {@code Idempotency-Key}. {@code requestId} is API Gateway's id of the request, for the log.
 */
public record ApiRequest(String method, String path, Map<String, String> headers, String body,
        String requestId) {

    public ApiRequest(String method, String path, Map<String, String> headers, String body) {
        this(method, path, headers, body, null);
    }

    public ApiRequest {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = copy;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /**
     * Parses a REST proxy event.
     *
     * @throws IllegalArgumentException when the event is not a REST proxy event
     */
    public static ApiRequest fromEvent(String json) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("event is not valid JSON");
        }
        if (!parsed.isJsonObject()) {
            throw new IllegalArgumentException("event is not a JSON object");
        }
        JsonObject event = parsed.getAsJsonObject();
        String method = string(event, "httpMethod");
        String path = string(event, "path");
        if (method == null || path == null) {
            throw new IllegalArgumentException("event has no httpMethod or path");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        JsonElement rawHeaders = event.get("headers");
        if (rawHeaders != null && rawHeaders.isJsonObject()) {
            for (Map.Entry<String, JsonElement> h : rawHeaders.getAsJsonObject().entrySet()) {
                if (h.getValue().isJsonPrimitive()) {
                    headers.put(h.getKey(), h.getValue().getAsString());
                }
            }
        }
        String body = string(event, "body");
        JsonElement encoded = event.get("isBase64Encoded");
        if (body != null && encoded != null && encoded.isJsonPrimitive() && encoded.getAsBoolean()) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("event body is marked base64 but is not");
            }
        }
        String normalizedPath = path.length() > 1 && path.endsWith("/")
                ? path.substring(0, path.length() - 1) : path;
        JsonElement context = event.get("requestContext");
        String requestId = context != null && context.isJsonObject()
                ? string(context.getAsJsonObject(), "requestId") : null;
        return new ApiRequest(method.toUpperCase(), normalizedPath, headers, body, requestId);
    }

    private static String string(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }
}
