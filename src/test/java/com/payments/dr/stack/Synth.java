package com.payments.dr.stack;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.Testing;
import com.payments.dr.TestLanes;
import com.payments.dr.config.DrConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Synthesized stacks for the tests. Each configuration is synthesized once per test run and shared
 * by every test class that asks for it (the default one by most): a synthesis costs a second or
 * more of jsii calls, assertions cost nothing. Nothing may change a shared stack.
 */
public final class Synth {

    private static final Map<DrConfig, Synth> SYNTHESIZED = new java.util.HashMap<>();

    private final DrStack stack;
    private final JsonObject json;
    private final String text;

    private Synth(DrStack stack, String text) {
        this.stack = stack;
        this.text = text;
        this.json = JsonParser.parseString(text).getAsJsonObject();
    }

    public static Synth defaults() {
        return of(DrConfig.builder().build());
    }

    /** The stack of {@code config} (a record: equal configurations share one synthesis). */
    public static synchronized Synth of(DrConfig config) {
        TestLanes.require(TestLanes.Lane.JSII, "Synth");
        Synth synth = SYNTHESIZED.get(config);
        if (synth == null) {
            App app = Testing.app();
            DrStack stack = new DrStack(app, config);
            synth = new Synth(stack, Testing.synth(stack));
            SYNTHESIZED.put(config, synth);
        }
        return synth;
    }

    public DrStack stack() {
        return stack;
    }

    public JsonObject json() {
        return json;
    }

    public String text() {
        return text;
    }

    /** Resources of one type, by logical id ({@code "resource"} or {@code "data"} block). */
    public Map<String, JsonElement> blocks(String kind, String type) {
        JsonObject byType = json.getAsJsonObject(kind);
        if (byType == null || !byType.has(type)) {
            return Map.of();
        }
        return byType.getAsJsonObject(type).asMap();
    }

    public List<JsonObject> resources(String type) {
        return blocks("resource", type).values().stream().map(JsonElement::getAsJsonObject).toList();
    }

    public List<JsonObject> data(String type) {
        return blocks("data", type).values().stream().map(JsonElement::getAsJsonObject).toList();
    }

    /** The single resource of {@code type} whose logical id starts with {@code prefix}. */
    public JsonObject resource(String type, String prefix) {
        List<String> ids = ids(type, prefix);
        if (ids.size() != 1) {
            throw new AssertionError("expected one " + type + " with id " + prefix + "*, found " + ids.size());
        }
        return blocks("resource", type).get(ids.get(0)).getAsJsonObject();
    }

    /**
     * cdktf's matcher: some resource of {@code type} has at least these properties (keys in snake
     * or camel case; nested objects match on the keys given, arrays element by element and in full).
     */
    public void assertResource(String type, Map<String, ?> properties) {
        if (!Testing.toHaveResourceWithProperties(text, type, properties)) {
            throw new AssertionError("no " + type + " with " + properties + "; found " + blocks("resource", type));
        }
    }

    /** cdktf's matcher, for a data source. */
    public void assertDataSource(String type, Map<String, ?> properties) {
        if (!Testing.toHaveDataSourceWithProperties(text, type, properties)) {
            throw new AssertionError("no data " + type + " with " + properties + "; found " + blocks("data", type));
        }
    }

    /** cdktf's matcher, for a provider configuration. */
    public void assertProvider(String type, Map<String, ?> properties) {
        if (!Testing.toHaveProviderWithProperties(text, type, properties)) {
            throw new AssertionError("no provider " + type + " with " + properties + "; found "
                    + json.getAsJsonObject("provider").get(type));
        }
    }

    /** cdktf's matcher: no resource of {@code type} at all. */
    public void assertNoResource(String type) {
        if (Testing.toHaveResource(text, type)) {
            throw new AssertionError("unexpected " + type + ": " + blocks("resource", type).keySet());
        }
    }

    /** The logical id of the single resource of {@code type} whose id starts with {@code prefix}. */
    public String id(String type, String prefix) {
        List<String> ids = ids(type, prefix);
        if (ids.size() != 1) {
            throw new AssertionError("expected one " + type + " with id " + prefix + "*, found " + ids);
        }
        return ids.get(0);
    }

    /**
     * The logical ids of {@code type} that start with {@code prefix}; when several do, the one the
     * prefix names exactly (the prefix and cdktf's 8-character hash) if there is one:
     * {@code primary_bucket_} is the bucket, not {@code primary_bucket_access_logs_…}.
     */
    private List<String> ids(String type, String prefix) {
        List<String> ids = blocks("resource", type).keySet().stream().filter(id -> id.startsWith(prefix)).toList();
        List<String> exact = ids.stream().filter(id -> id.substring(prefix.length()).matches("[0-9A-F]{8}")).toList();
        return ids.size() > 1 && exact.size() == 1 ? exact : ids;
    }

    /** The Terraform reference {@code ${type.id.attribute}} to that resource. */
    public String ref(String type, String prefix, String attribute) {
        return "${" + type + "." + id(type, prefix) + "." + attribute + "}";
    }

    /** Properties for a matcher, in the order given: {@code props("name", "x", "port", 5432)}. */
    public static Map<String, Object> props(Object... keysAndValues) {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    /**
     * The first resource {@code resource} depends on is the one at {@code address} (a prefix:
     * {@code type.logical_id}, the id without its hash); {@code why} names the reason in a failure.
     */
    public static void assertDependsFirstOn(JsonObject resource, String address, String why) {
        List<String> dependsOn = strings(resource.getAsJsonArray("depends_on"));
        if (!dependsOn.get(0).startsWith(address)) {
            throw new AssertionError(why + ": expected " + address + "* first in depends_on, was " + dependsOn);
        }
    }

    public static void assertDependsFirstOn(JsonObject resource, String address) {
        assertDependsFirstOn(resource, address, "dependency order");
    }

    /** The policy document ({@link #policyDocument}) of the single {@code type} resource whose id starts with {@code prefix}. */
    public JsonObject policyOf(String type, String prefix) {
        return policyDocument(resource(type, prefix).get("policy").getAsString());
    }

    /** The values of a JSON array of strings. */
    public static List<String> strings(com.google.gson.JsonArray array) {
        List<String> values = new ArrayList<>();
        array.forEach(e -> values.add(e.getAsString()));
        return values;
    }

    /**
     * A policy attribute's JSON ({@code policy}, {@code assume_role_policy}) in the shape of an
     * {@code aws_iam_policy_document}'s arguments ({@code statement[].actions}, {@code principals[].type},
     * {@code condition[].test/variable/values}), so assertions read as a reviewer reads IAM.
     */
    public JsonObject policyDocument(String policyJson) {
        JsonObject policy = JsonParser.parseString(policyJson).getAsJsonObject();
        if (!"2012-10-17".equals(policy.get("Version").getAsString())) {
            throw new AssertionError("not a policy document: " + policyJson);
        }
        com.google.gson.JsonArray statements = new com.google.gson.JsonArray();
        for (JsonElement element : policy.getAsJsonArray("Statement")) {
            JsonObject in = element.getAsJsonObject();
            JsonObject out = new JsonObject();
            if (in.has("Sid")) {
                out.add("sid", in.get("Sid"));
            }
            out.add("effect", in.get("Effect"));
            out.add("actions", in.get("Action"));
            if (in.has("Resource")) {
                out.add("resources", in.get("Resource"));
            }
            if (in.has("Principal")) {
                com.google.gson.JsonArray principals = new com.google.gson.JsonArray();
                in.getAsJsonObject("Principal").asMap().forEach((type, identifiers) -> {
                    JsonObject principal = new JsonObject();
                    principal.addProperty("type", type);
                    principal.add("identifiers", identifiers);
                    principals.add(principal);
                });
                out.add("principals", principals);
            }
            if (in.has("Condition")) {
                com.google.gson.JsonArray conditions = new com.google.gson.JsonArray();
                in.getAsJsonObject("Condition").asMap().forEach((test, variables) ->
                        variables.getAsJsonObject().asMap().forEach((variable, values) -> {
                            JsonObject condition = new JsonObject();
                            condition.addProperty("test", test);
                            condition.addProperty("variable", variable);
                            condition.add("values", values);
                            conditions.add(condition);
                        }));
                out.add("condition", conditions);
            }
            statements.add(out);
        }
        JsonObject document = new JsonObject();
        document.add("statement", statements);
        return document;
    }

    /** Every policy the stack attaches (any resource's {@code policy} or {@code assume_role_policy}), as above. */
    public List<JsonObject> policies() {
        List<JsonObject> policies = new ArrayList<>();
        for (Block block : allBlocks()) {
            for (String attribute : List.of("policy", "assume_role_policy")) {
                String value = block.string(attribute);
                if (value != null) {
                    policies.add(policyDocument(value));
                }
            }
        }
        return policies;
    }

    /** Every resource and data source of the stack, each as (type, id, body). */
    public List<Block> allBlocks() {
        List<Block> all = new ArrayList<>();
        for (String kind : List.of("resource", "data")) {
            JsonObject byType = json.getAsJsonObject(kind);
            if (byType == null) {
                continue;
            }
            byType.asMap().forEach((type, instances) -> instances.getAsJsonObject().asMap()
                    .forEach((id, body) -> all.add(new Block(kind, type, id, body.getAsJsonObject()))));
        }
        return all;
    }

    public record Block(String kind, String type, String id, JsonObject body) {
        public String provider() {
            return body.has("provider") ? body.get("provider").getAsString() : null;
        }

        public String string(String attribute) {
            return body.has(attribute) ? body.get(attribute).getAsString() : null;
        }
    }
}
