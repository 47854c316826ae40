package com.payments.dr.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One IAM policy statement, read from either spelling: an {@code aws_iam_policy_document} data
 * source's {@code statement} block or a JSON policy's {@code Statement}.
 */
public record Statement(String sid, boolean allow, List<String> actions, List<String> notActions,
                        List<String> resources, List<String> notResources, List<String> principals,
                        List<Condition> conditions) {

    public record Condition(String test, String variable, List<String> values) {
    }

    /** From an {@code aws_iam_policy_document} block; {@code effect} defaults to Allow there. */
    static Statement fromDocumentBlock(JsonObject s) {
        List<String> principals = new ArrayList<>();
        for (JsonObject p : Json.blocks(s.get("principals"))) {
            principals.addAll(Json.strings(p.get("identifiers")));
        }
        List<Condition> conditions = new ArrayList<>();
        for (JsonObject c : Json.blocks(s.get("condition"))) {
            conditions.add(new Condition(Json.string(c, "test"), Json.string(c, "variable"), Json.strings(c.get("values"))));
        }
        return new Statement(Json.string(s, "sid"), !"Deny".equals(Json.string(s, "effect")),
                Json.strings(s.get("actions")), Json.strings(s.get("not_actions")),
                Json.strings(s.get("resources")), Json.strings(s.get("not_resources")), principals, conditions);
    }

    /** From a JSON policy statement ({@code Effect} is required there; anything but Deny allows). */
    static Statement fromJson(JsonObject s) {
        List<String> principals = new ArrayList<>();
        JsonElement principal = s.get("Principal");
        if (principal != null && principal.isJsonObject()) {
            principal.getAsJsonObject().asMap().values().forEach(v -> principals.addAll(Json.strings(v)));
        } else {
            principals.addAll(Json.strings(principal));
        }
        List<Condition> conditions = new ArrayList<>();
        JsonElement condition = s.get("Condition");
        if (condition != null && condition.isJsonObject()) {
            for (Map.Entry<String, JsonElement> test : condition.getAsJsonObject().entrySet()) {
                if (test.getValue().isJsonObject()) {
                    test.getValue().getAsJsonObject().asMap().forEach((variable, values) ->
                            conditions.add(new Condition(test.getKey(), variable, Json.strings(values))));
                }
            }
        }
        return new Statement(Json.string(s, "Sid"), !"Deny".equals(Json.string(s, "Effect")),
                Json.strings(s.get("Action")), Json.strings(s.get("NotAction")),
                Json.strings(s.get("Resource")), Json.strings(s.get("NotResource")), principals, conditions);
    }

    /** A Deny of every action of {@code service} (or all) for requests made without TLS. */
    public boolean deniesInsecureTransport(String service) {
        if (allow) {
            return false;
        }
        boolean allActions = actions.contains("*") || actions.contains(service + ":*");
        boolean anyone = principals.contains("*");
        boolean insecure = conditions.stream().anyMatch(c -> "Bool".equals(c.test())
                && "aws:SecureTransport".equals(c.variable()) && c.values().equals(List.of("false")));
        return allActions && anyone && insecure;
    }

    public String label() {
        return sid == null || sid.isEmpty() ? "a statement" : "statement " + sid;
    }
}
