package com.payments.dr.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.payments.dr.config.Protection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack's resolved Terraform configuration (what {@code cdk.tf.json} will hold), indexed once
 * for the rules: resources and data sources by type, AWS provider blocks by alias.
 */
public final class TerraformConfig {

    private final Map<String, List<Resource>> resources = new LinkedHashMap<>();
    private final Map<String, List<Resource>> data = new LinkedHashMap<>();
    private final Map<String, JsonObject> awsProviders = new LinkedHashMap<>();
    private final String suffix;
    private final Protection protection;
    private List<PolicyDocument> policies;
    private final List<PolicyDocument.Use> unreadablePolicies = new ArrayList<>();

    public TerraformConfig(JsonObject root, String suffix) {
        this(root, suffix, Protection.DESTROYABLE);
    }

    public TerraformConfig(JsonObject root, String suffix, Protection protection) {
        this.suffix = suffix;
        this.protection = protection;
        index(root, "resource", resources);
        index(root, "data", data);
        JsonObject providers = root.has("provider") ? root.getAsJsonObject("provider") : new JsonObject();
        for (JsonObject aws : Json.blocks(providers.get("aws"))) {
            String alias = Json.string(aws, "alias");
            awsProviders.put(alias == null ? "" : alias, aws);
        }
    }

    private static void index(JsonObject root, String kind, Map<String, List<Resource>> into) {
        if (!root.has(kind)) {
            return;
        }
        root.getAsJsonObject(kind).asMap().forEach((type, instances) -> {
            List<Resource> list = into.computeIfAbsent(type, t -> new ArrayList<>());
            instances.getAsJsonObject().asMap().forEach((id, body) ->
                    list.add(Resource.of(kind, type, id, body.getAsJsonObject())));
        });
    }

    /** The profile the stack was synthesized for: which of DESTROYABLE and PRODUCTION-PROTECTED apply. */
    public Protection protection() {
        return protection;
    }

    /** The environment suffix every name must carry. */
    public String suffix() {
        return suffix;
    }

    public List<Resource> resources(String type) {
        return resources.getOrDefault(type, List.of());
    }

    public List<Resource> allResources() {
        List<Resource> all = new ArrayList<>();
        resources.values().forEach(all::addAll);
        return all;
    }

    public List<Resource> data(String type) {
        return data.getOrDefault(type, List.of());
    }

    /** Resources of {@code type} whose {@code attribute} refers to {@code target}. */
    public List<Resource> referencing(String type, String attribute, Resource target, String... literalAttributes) {
        List<Resource> found = new ArrayList<>();
        for (Resource candidate : resources(type)) {
            if (target.isReferencedBy(candidate.string(attribute), literalAttributes)) {
                found.add(candidate);
            }
        }
        return found;
    }

    /** Every IAM policy of the configuration, read once. */
    public List<PolicyDocument> policies() {
        if (policies == null) {
            policies = PolicyDocument.all(this, unreadablePolicies);
        }
        return policies;
    }

    /** Policy attributes that are neither an aws_iam_policy_document reference nor literal JSON. */
    public List<PolicyDocument.Use> unreadablePolicies() {
        policies();
        return unreadablePolicies;
    }

    /** AWS provider blocks by alias ("" for the default provider). */
    public Map<String, JsonObject> awsProviders() {
        return awsProviders;
    }

    /** The provider block a resource uses, if the configuration has it. */
    public Optional<JsonObject> providerOf(Resource resource) {
        String alias = resource.providerAlias();
        return Optional.ofNullable(awsProviders.get(alias == null ? "" : alias));
    }

    /** The region a resource lives in: its provider's {@code region}, or null if unknown. */
    public String regionOf(Resource resource) {
        return providerOf(resource).map(p -> Json.string(p, "region")).orElse(null);
    }

    /** The data source a {@code ${data.<type>.<id>.<attr>}} value names, if that is all the value is. */
    public Optional<Resource> dataReference(String value, String type) {
        String prefix = "${data." + type + ".";
        if (value == null || !value.startsWith(prefix) || !value.endsWith("}") || value.indexOf("${", 1) >= 0) {
            return Optional.empty();
        }
        String rest = value.substring(prefix.length(), value.length() - 1);
        int dot = rest.indexOf('.');
        String id = dot < 0 ? rest : rest.substring(0, dot);
        return data(type).stream().filter(d -> d.id().equals(id)).findFirst();
    }

    static boolean isPureReference(JsonElement value) {
        if (value == null || !value.isJsonPrimitive()) {
            return false;
        }
        String s = value.getAsString();
        return s.startsWith("${") && s.endsWith("}") && s.indexOf("${", 2) < 0;
    }
}
