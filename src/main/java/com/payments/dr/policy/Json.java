package com.payments.dr.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Null-tolerant readers for the synthesized JSON. */
final class Json {

    private Json() {
    }

    static boolean isTrue(JsonElement value) {
        return value != null && value.isJsonPrimitive() && value.getAsString().equals("true");
    }

    static boolean isFalse(JsonElement value) {
        return value != null && value.isJsonPrimitive() && value.getAsString().equals("false");
    }

    static String string(JsonObject object, String attribute) {
        JsonElement value = object == null ? null : object.get(attribute);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    static List<JsonObject> blocks(JsonElement value) {
        if (value == null) {
            return List.of();
        }
        if (value.isJsonObject()) {
            return List.of(value.getAsJsonObject());
        }
        if (value.isJsonArray()) {
            return Resource.objects(value.getAsJsonArray());
        }
        return List.of();
    }

    static JsonObject block(JsonObject object, String attribute) {
        List<JsonObject> blocks = blocks(object == null ? null : object.get(attribute));
        return blocks.isEmpty() ? null : blocks.get(0);
    }

    static List<String> strings(JsonElement value) {
        List<String> strings = new ArrayList<>();
        if (value == null) {
            return strings;
        }
        if (value.isJsonArray()) {
            value.getAsJsonArray().forEach(e -> {
                if (e.isJsonPrimitive()) {
                    strings.add(e.getAsString());
                }
            });
        } else if (value.isJsonPrimitive()) {
            strings.add(value.getAsString());
        }
        return strings;
    }
}
