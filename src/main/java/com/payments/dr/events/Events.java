package com.payments.dr.events;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading EventBridge events: every missing or mistyped field is a {@link MalformedEventException}. */
final class Events {

    private Events() {
    }

    static JsonObject parse(InputStream input) throws IOException {
        String text = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (parsed.isJsonObject()) {
                return parsed.getAsJsonObject();
            }
        } catch (RuntimeException e) {
            throw new MalformedEventException("the event is not valid JSON");
        }
        throw new MalformedEventException("the event is not a JSON object");
    }

    /** The string at a dotted path, e.g. {@code detail.dynamodb.NewImage.status.S}. */
    static String string(JsonObject root, String path) {
        JsonElement element = element(root, path);
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
            throw new MalformedEventException(path + " is not a string");
        }
        return element.getAsString();
    }

    static String optionalString(JsonObject root, String path, String fallback) {
        try {
            return string(root, path);
        } catch (MalformedEventException e) {
            return fallback;
        }
    }

    static JsonElement element(JsonObject root, String path) {
        JsonElement current = root;
        for (String name : path.split("\\.")) {
            if (!current.isJsonObject() || !current.getAsJsonObject().has(name)) {
                throw new MalformedEventException(path + " is missing");
            }
            current = current.getAsJsonObject().get(name);
        }
        return current;
    }
}
