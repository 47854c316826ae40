package com.payments.dr.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One resource or data source of the synthesized Terraform configuration, with its construct path
 * (what findings and waivers name) and accessors that read both of cdktf's block renderings
 * (a nested block is an object or a list of objects).
 */
public record Resource(String kind, String type, String id, String path, JsonObject body) {

    static Resource of(String kind, String type, String id, JsonObject body) {
        String path = null;
        JsonObject meta = body.has("//") ? body.getAsJsonObject("//").getAsJsonObject("metadata") : null;
        if (meta != null && meta.has("path")) {
            path = meta.get("path").getAsString();
        }
        String address = (kind.equals("data") ? "data." : "") + type + "." + id;
        return new Resource(kind, type, id, path == null ? address : path, body);
    }

    /** The Terraform address: {@code aws_vpc.primary_network_vpc_1A2B3C4D} or {@code data.…}. */
    public String address() {
        return (kind.equals("data") ? "data." : "") + type + "." + id;
    }

    /** The prefix every Terraform reference to this resource starts with. */
    public String reference() {
        return "${" + address() + ".";
    }

    /** Whether {@code value} refers to this resource (an interpolation or, for names, the literal name). */
    public boolean isReferencedBy(String value, String... literalAttributes) {
        if (value == null) {
            return false;
        }
        if (value.contains(reference())) {
            return true;
        }
        for (String attribute : literalAttributes) {
            String literal = string(attribute);
            if (literal != null && literal.equals(value)) {
                return true;
            }
        }
        return false;
    }

    public boolean has(String attribute) {
        return body.has(attribute) && !body.get(attribute).isJsonNull();
    }

    /** The attribute as a string, or null (numbers and booleans as their JSON text). */
    public String string(String attribute) {
        return has(attribute) && body.get(attribute).isJsonPrimitive() ? body.get(attribute).getAsString() : null;
    }

    /** True only for {@code true} or {@code "true"}. */
    public boolean isTrue(String attribute) {
        return Json.isTrue(body.get(attribute));
    }

    /** True only for {@code false} or {@code "false"} (unset is neither). */
    public boolean isFalse(String attribute) {
        return Json.isFalse(body.get(attribute));
    }

    /** A nested block's instances, whether cdktf rendered it as an object or as a list. */
    public List<JsonObject> blocks(String attribute) {
        return Json.blocks(body.get(attribute));
    }

    /** A list attribute's strings (a single string counts as a list of one). */
    public List<String> strings(String attribute) {
        return Json.strings(body.get(attribute));
    }

    /** The provider's alias this resource names ({@code aws.dr} → {@code dr}), or null for the default. */
    public String providerAlias() {
        String provider = string("provider");
        if (provider == null) {
            return null;
        }
        int dot = provider.indexOf('.');
        return dot < 0 ? null : provider.substring(dot + 1);
    }

    static List<JsonObject> objects(JsonArray array) {
        List<JsonObject> objects = new ArrayList<>();
        for (JsonElement element : array) {
            if (element.isJsonObject()) {
                objects.add(element.getAsJsonObject());
            }
        }
        return objects;
    }
}
