package com.payments.dr.function;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of an API Gateway REST proxy event the function uses. Header names are
 * case-insensitive, as in HTTP: clients send {@code idempotency-key} as often as
 * {@code Idempotency-Key}. {@code requestId} is API Gateway's id of the request, for the log;
 * {@code apiKeyId} the id of the API key API Gateway authenticated the request with
 * ({@code requestContext.identity.apiKeyId}), {@code null} without one. It is the only caller
 * identity the function trusts: API Gateway sets it, a client cannot.
 */
public record ApiRequest(String method, String path, Map<String, String> headers, String body,
        String requestId, Map<String, String> query, String apiKeyId) {

    public ApiRequest(String method, String path, Map<String, String> headers, String body, String requestId,
            Map<String, String> query) {
        this(method, path, headers, body, requestId, query, null);
    }

    public ApiRequest(String method, String path, Map<String, String> headers, String body) {
        this(method, path, headers, body, null);
    }

    public ApiRequest(String method, String path, Map<String, String> headers, String body, String requestId) {
        this(method, path, headers, body, requestId, Map.of());
    }

    public ApiRequest {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = copy;
        query = Map.copyOf(query);
    }

    /** A query string parameter ({@code queryStringParameters}: the last value of a repeated one). */
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
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
        refuseRepeated(event.get("multiValueHeaders"));
        String body = string(event, "body");
        JsonElement encoded = event.get("isBase64Encoded");
        if (body != null && encoded != null && encoded.isJsonPrimitive() && encoded.getAsBoolean()) {
            body = decode(body);
        }
        String normalizedPath = path.length() > 1 && path.endsWith("/")
                ? path.substring(0, path.length() - 1) : path;
        JsonElement context = event.get("requestContext");
        String requestId = context != null && context.isJsonObject()
                ? string(context.getAsJsonObject(), "requestId") : null;
        JsonElement identity = context != null && context.isJsonObject()
                ? context.getAsJsonObject().get("identity") : null;
        String apiKeyId = identity != null && identity.isJsonObject()
                ? string(identity.getAsJsonObject(), "apiKeyId") : null;
        Map<String, String> query = new TreeMap<>();
        JsonElement rawQuery = event.get("queryStringParameters");
        if (rawQuery != null && rawQuery.isJsonObject()) {
            for (Map.Entry<String, JsonElement> q : rawQuery.getAsJsonObject().entrySet()) {
                if (q.getValue().isJsonPrimitive()) {
                    query.put(q.getKey(), q.getValue().getAsString());
                }
            }
        }
        return new ApiRequest(method.toUpperCase(), normalizedPath, headers, body, requestId, query, apiKeyId);
    }

    /**
     * API Gateway puts only the last of repeated headers into {@code headers}; the request is
     * ambiguous when the idempotency key or the content type came more than once, so it is refused
     * instead of silently using one of them.
     */
    private static void refuseRepeated(JsonElement multiValueHeaders) {
        if (multiValueHeaders == null || !multiValueHeaders.isJsonObject()) {
            return;
        }
        for (Map.Entry<String, JsonElement> h : multiValueHeaders.getAsJsonObject().entrySet()) {
            if (SINGLE_VALUED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))
                    && h.getValue().isJsonArray() && h.getValue().getAsJsonArray().size() > 1) {
                throw new IllegalArgumentException("header " + h.getKey() + " must be sent once");
            }
        }
    }

    private static final java.util.Set<String> SINGLE_VALUED = java.util.Set.of("idempotency-key", "content-type");

    /** Base64, then strict UTF-8: bytes that are not UTF-8 are refused, never replaced. */
    private static String decode(String body) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event body is marked base64 but is not");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("event body is not valid UTF-8");
        }
    }

    private static String string(JsonObject object, String name) {
        JsonElement value = object.get(name);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }
}
