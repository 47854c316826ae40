package com.payments.dr.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The project's conventions: the environment suffix in every name, the required tags everywhere. */
final class ConventionRules {

    private ConventionRules() {
    }

    /** The tags every taggable resource carries, with their values. */
    static final Map<String, String> REQUIRED_TAGS = requiredTags();

    /** Attributes that name the resource they sit on (checked when they hold a literal name). */
    static final List<String> NAME_ATTRIBUTES = List.of("name", "name_prefix", "function_name", "bucket",
            "cluster_identifier", "identifier", "global_cluster_identifier", "alarm_name", "dashboard_name",
            "policy_name", "role_name");

    /**
     * (type, attribute) pairs whose value is not an account-wide resource name: a Lambda alias, an
     * API Gateway model, request validator or authorizer and an HTTP API stage ({@code $default}) are
     * named within their function or API; DNS names are the domain's.
     */
    static final Set<String> NOT_A_NAME = Set.of("aws_lambda_alias.name", "aws_api_gateway_model.name",
            "aws_api_gateway_request_validator.name", "aws_api_gateway_authorizer.name", "aws_apigatewayv2_stage.name",
            "aws_route53_zone.name", "aws_route53_record.name", "aws_route53_key_signing_key.name");

    /** Types whose tags do not come from the provider's default_tags, and how they get them instead. */
    static final Map<String, String> NOT_INHERITING = Map.of(
            "aws_autoscaling_group", "tag blocks with propagate_at_launch");

    private static Map<String, String> requiredTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("Environment", "DR");
        tags.put("CostCenter", "Operations");
        tags.put("Criticality", "High");
        return tags;
    }

    static List<Rule> rules() {
        return List.of(
                new Rule("NAME-SUFFIX", Severity.ERROR, "project convention (naming/Naming)",
                        "every resource name carries the environment suffix", ConventionRules::names),
                new Rule("TAGS-REQUIRED", Severity.ERROR, "AWS Config required-tags",
                        "Environment=DR, CostCenter=Operations, Criticality=High on every taggable resource, "
                                + "through the providers' default_tags", ConventionRules::tags));
    }

    static void names(TerraformConfig config, Rule.Sink sink) {
        Pattern token = Pattern.compile("(^|[^a-z0-9])" + Pattern.quote(config.suffix()) + "($|[^a-z0-9])");
        for (Resource r : config.allResources()) {
            for (String attribute : NAME_ATTRIBUTES) {
                check(r, attribute, r.body().get(attribute), token, config.suffix(), sink);
            }
            JsonObject tags = r.body().has("tags") && r.body().get("tags").isJsonObject()
                    ? r.body().getAsJsonObject("tags") : null;
            if (tags != null) {
                check(r, "tags.Name", tags.get("Name"), token, config.suffix(), sink);
            }
        }
    }

    private static void check(Resource r, String attribute, JsonElement value, Pattern token, String suffix,
                              Rule.Sink sink) {
        if (value == null || !value.isJsonPrimitive() || NOT_A_NAME.contains(r.type() + "." + attribute)
                || TerraformConfig.isPureReference(value)) {
            return;
        }
        String name = value.getAsString();
        if (!token.matcher(name).find()) {
            sink.report(r, attribute + " \"" + name + "\" lacks the environment suffix; build it with Naming "
                    + "(…-" + suffix + ")");
        }
    }

    static void tags(TerraformConfig config, Rule.Sink sink) {
        config.awsProviders().forEach((alias, provider) -> {
            JsonObject defaults = Json.block(provider, "default_tags");
            JsonObject tags = defaults == null ? null : Json.block(defaults, "tags");
            REQUIRED_TAGS.forEach((key, value) -> {
                if (tags == null || !value.equals(Json.string(tags, key))) {
                    sink.report(providerResource(alias, provider), "default_tags lack " + key + "=" + value
                            + "; add it to the provider's default_tags (Tags.defaults)");
                }
            });
        });
        for (Resource r : config.allResources()) {
            if (!r.type().startsWith("aws_")) {
                // terraform_data and other providers' resources carry no AWS tags
                continue;
            }
            if (config.providerOf(r).isEmpty()) {
                String name = r.string("provider") == null ? "the default aws provider" : r.string("provider");
                sink.report(r, "uses " + name + ", which is not configured (no default_tags); set provider to "
                        + "one of the stack's aliased providers");
            }
            JsonObject own = r.body().has("tags") && r.body().get("tags").isJsonObject()
                    ? r.body().getAsJsonObject("tags") : new JsonObject();
            REQUIRED_TAGS.forEach((key, value) -> {
                String set = Json.string(own, key);
                if (set != null && !set.equals(value)) {
                    sink.report(r, "tags." + key + "=\"" + set + "\" overrides the required " + key + "=" + value
                            + "; remove it");
                }
            });
            if (NOT_INHERITING.containsKey(r.type())) {
                sink.report(r, r.type() + " does not take default_tags; tag it with "
                        + NOT_INHERITING.get(r.type()) + " (or waive with the reason)");
            }
        }
        for (Resource table : config.resources("aws_dynamodb_table")) {
            for (JsonObject replica : table.blocks("replica")) {
                if (!Json.isTrue(replica.get("propagate_tags"))) {
                    sink.report(table, "replica in " + Json.string(replica, "region_name")
                            + " is untagged; set propagate_tags = true in its replica block");
                }
            }
        }
    }

    /** Providers are not resources, but findings need something to name: {@code provider.aws.<alias>}. */
    private static Resource providerResource(String alias, JsonObject provider) {
        return new Resource("provider", "aws", alias.isEmpty() ? "default" : alias,
                "provider aws" + (alias.isEmpty() ? "" : "." + alias), provider);
    }
}
