package com.payments.dr.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Null-tolerant readers for the synthesized JSON. */
final class Json {

    private Json() {
    }

    /**
     * The JSON tree of what jsii hands back for a JavaScript object (maps, lists, strings, numbers,
     * booleans, null): a direct walk, without gson's reflection, because it runs on every synth.
     */
    static JsonElement tree(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((k, v) -> object.add(String.valueOf(k), tree(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(v -> array.add(tree(v)));
            return array;
        }
        if (value instanceof Number number) {
            return new JsonPrimitive(number);
        }
        if (value instanceof Boolean bool) {
            return new JsonPrimitive(bool);
        }
        return new JsonPrimitive(String.valueOf(value));
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
