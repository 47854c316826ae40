package com.payments.dr.rehearsal;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the rehearsal reads from Terraform's JSON ({@code terraform show -json}): how many managed
 * resources a plan creates, how many a state holds, and each change a plan proposes, attribute by
 * attribute. Counts come from these documents, never from the stack's code, so resources added
 * to the stack are counted without touching the rehearsal.
 */
public final class PlanReading {

    /** One attribute of one resource that a plan would change. */
    public record Diff(String address, String type, String attribute, String actions, boolean replace,
                       String before, String after) {

        /** How the gap list names it: resource type and top-level attribute, whatever the resource count. */
        public String key() {
            return type + "." + attribute;
        }
    }

    /** The attribute of a resource a plan creates or deletes as a whole (not one attribute of it). */
    public static final String WHOLE_RESOURCE = "*";

    private PlanReading() {
    }

    /** Managed resources the plan creates (a replacement counts: it creates too). */
    public static int creates(JsonObject plan) {
        int count = 0;
        for (JsonObject change : managedChanges(plan)) {
            if (actions(change).contains("create")) {
                count++;
            }
        }
        return count;
    }

    /** Managed resources in a state ({@code terraform show -json} without a plan file). */
    public static int managedResources(JsonObject state) {
        JsonObject values = state.getAsJsonObject("values");
        if (values == null || !values.has("root_module")) {
            return 0;
        }
        return managedInModule(values.getAsJsonObject("root_module"));
    }

    private static int managedInModule(JsonObject module) {
        int count = 0;
        if (module.has("resources")) {
            for (JsonElement resource : module.getAsJsonArray("resources")) {
                if ("managed".equals(resource.getAsJsonObject().get("mode").getAsString())) {
                    count++;
                }
            }
        }
        if (module.has("child_modules")) {
            for (JsonElement child : module.getAsJsonArray("child_modules")) {
                count += managedInModule(child.getAsJsonObject());
            }
        }
        return count;
    }

    /**
     * Every change the plan proposes to a managed resource, one entry per top-level attribute whose
     * planned value differs from the state's (or is unknown until apply); a resource created or
     * deleted whole is one entry with {@link #WHOLE_RESOURCE}.
     */
    public static List<Diff> diffs(JsonObject plan) {
        List<Diff> diffs = new ArrayList<>();
        for (JsonObject resourceChange : managedChanges(plan)) {
            List<String> actions = actions(resourceChange);
            if (actions.equals(List.of("no-op"))) {
                continue;
            }
            String address = resourceChange.get("address").getAsString();
            String type = resourceChange.get("type").getAsString();
            JsonObject change = resourceChange.getAsJsonObject("change");
            boolean replace = actions.contains("create") && actions.contains("delete");
            String joined = String.join(",", actions);
            if (!replace && (actions.contains("create") || actions.contains("delete"))) {
                diffs.add(new Diff(address, type, WHOLE_RESOURCE, joined, false, "", ""));
                continue;
            }
            JsonObject before = object(change.get("before"));
            JsonObject after = object(change.get("after"));
            JsonObject unknown = object(change.get("after_unknown"));
            TreeSet<String> attributes = new TreeSet<>(before.keySet());
            attributes.addAll(after.keySet());
            attributes.addAll(unknown.keySet());
            for (String attribute : attributes) {
                JsonElement old = value(before, attribute);
                JsonElement planned = value(after, attribute);
                boolean unknownAfter = containsTrue(unknown.get(attribute));
                if (unknownAfter || !Objects.equals(old, planned)) {
                    diffs.add(new Diff(address, type, attribute, joined, replace, old.toString(),
                            unknownAfter ? "(known after apply)" : planned.toString()));
                }
            }
        }
        return diffs;
    }

    /**
     * The resources of a synthesized stack ({@code cdk.tf.json}) that Terraform refuses to destroy:
     * {@code lifecycle { prevent_destroy = true }}, as {@code type.name}, sorted.
     */
    public static List<String> preventDestroy(JsonObject stack) {
        TreeSet<String> guarded = new TreeSet<>();
        JsonObject resources = object(stack.get("resource"));
        for (String type : resources.keySet()) {
            JsonObject byName = object(resources.get(type));
            for (String name : byName.keySet()) {
                JsonElement lifecycle = object(byName.get(name)).get("lifecycle");
                JsonElement prevent = lifecycle == null ? null : object(lifecycle).get("prevent_destroy");
                if (prevent != null && prevent.isJsonPrimitive() && "true".equals(prevent.getAsString())) {
                    guarded.add(type + "." + name);
                }
            }
        }
        return List.copyOf(guarded);
    }

    /** Terraform's refusal to destroy one resource, however its output wraps the line. */
    private static final Pattern REFUSAL = Pattern.compile("Resource\\s+(\\S+)\\s+has\\s+lifecycle\\.prevent_destroy\\s+set");

    /** The resources a destroy's output says it refused to destroy (prevent_destroy), sorted. */
    public static List<String> refusedToDestroy(String log) {
        TreeSet<String> refused = new TreeSet<>();
        Matcher matcher = REFUSAL.matcher(log);
        while (matcher.find()) {
            refused.add(matcher.group(1));
        }
        return List.copyOf(refused);
    }

    private static List<JsonObject> managedChanges(JsonObject plan) {
        List<JsonObject> changes = new ArrayList<>();
        JsonArray all = plan.getAsJsonArray("resource_changes");
        if (all != null) {
            for (JsonElement change : all) {
                JsonObject object = change.getAsJsonObject();
                if ("managed".equals(object.get("mode").getAsString())) {
                    changes.add(object);
                }
            }
        }
        return changes;
    }

    private static List<String> actions(JsonObject resourceChange) {
        List<String> actions = new ArrayList<>();
        resourceChange.getAsJsonObject("change").getAsJsonArray("actions").forEach(a -> actions.add(a.getAsString()));
        return actions;
    }

    private static JsonObject object(JsonElement element) {
        return element != null && element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
    }

    private static JsonElement value(JsonObject object, String attribute) {
        JsonElement value = object.get(attribute);
        return value == null ? JsonNull.INSTANCE : value;
    }

    /** after_unknown marks unknown values with true, at any depth of a nested attribute. */
    private static boolean containsTrue(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return false;
        }
        if (element.isJsonPrimitive()) {
            return element.getAsJsonPrimitive().isBoolean() && element.getAsBoolean();
        }
        Iterable<JsonElement> children = element.isJsonArray() ? element.getAsJsonArray()
                : element.getAsJsonObject().asMap().values();
        for (JsonElement child : children) {
            if (containsTrue(child)) {
                return true;
            }
        }
        return false;
    }
}
