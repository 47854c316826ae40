package com.payments.dr.blocks;

import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceConfig;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.payments.dr.naming.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * AWS WAF in front of one region's REST API stage: the two rules that fit a JSON payments API on a
 * Java backend for the least money (each rule is billed monthly, so every one must earn its place),
 * and a log of what it blocked.
 * <ul>
 *   <li>{@value #KNOWN_BAD_INPUTS}, blocking: request patterns known to exploit software, Log4j
 *   lookups and Java deserialization among them (the functions run on Java).</li>
 *   <li>A rate-based rule per client IP on {@code /health}, the one method without an API key:
 *   a single address flooding it is refused (429, {@code Retry-After}) before it can make the
 *   health checks fail and call for a needless failover; Route 53's checkers and the DR probe,
 *   spread over many addresses, stay far below the limit. Payments are limited per merchant key by
 *   the usage plan.</li>
 * </ul>
 * The web ACL logs only what it blocked or counted: every allowed request is in the stage's access
 * log already. The typed WAF bindings are thousands of generated classes for a handful of plain
 * blocks: the web ACL is written as its Terraform blocks, which {@code terraform validate} checks.
 */
public final class WebAcl extends Construct {

    public static final String KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
    /** Requests per client IP and 5 minutes to /health: Route 53 sends one per checker region and 10-30 s. */
    public static final int HEALTH_LIMIT_PER_5_MINUTES = 300;
    /** The rate rule's window: a blocked client waits it out. */
    public static final int RATE_WINDOW_SECONDS = 300;
    /** Rules billed per web ACL and month (the managed group counts as one). */
    public static final int RULES = 2;

    public WebAcl(Construct scope, String id, RegionContext region, String stageArn, String healthPath,
                  EncryptionKey logsKey, int logRetentionDays) {
        super(scope, id);
        String name = region.naming().name(ResourceType.WAF_WEB_ACL);
        TerraformResource acl = new TerraformResource(this, "web_acl", TerraformResourceConfig.builder()
                .terraformResourceType("aws_wafv2_web_acl").provider(region.provider()).build());
        acl.addOverride("name", name);
        acl.addOverride("description", "Known bad inputs and a per-IP limit on /health for the payments API");
        acl.addOverride("scope", "REGIONAL");
        acl.addOverride("default_action", Map.of("allow", Map.of()));
        acl.addOverride("visibility_config", visibility(name));
        Map<String, Object> knownBadInputs = new LinkedHashMap<>();
        knownBadInputs.put("name", "known-bad-inputs");
        knownBadInputs.put("priority", 0);
        // none: the group's own actions (block) apply; count would only watch
        knownBadInputs.put("override_action", Map.of("none", Map.of()));
        knownBadInputs.put("statement", Map.of("managed_rule_group_statement",
                Map.of("name", KNOWN_BAD_INPUTS, "vendor_name", "AWS")));
        knownBadInputs.put("visibility_config", visibility(name + "-known-bad-inputs"));
        Map<String, Object> healthRate = new LinkedHashMap<>();
        healthRate.put("name", "health-rate-per-ip");
        healthRate.put("priority", 1);
        healthRate.put("action", Map.of("block", Map.of("custom_response", Map.of(
                "response_code", 429,
                "response_header", List.of(Map.of("name", "Retry-After",
                        "value", Integer.toString(RATE_WINDOW_SECONDS)))))));
        healthRate.put("statement", Map.of("rate_based_statement", Map.of(
                "limit", HEALTH_LIMIT_PER_5_MINUTES,
                "aggregate_key_type", "IP",
                "evaluation_window_sec", RATE_WINDOW_SECONDS,
                "scope_down_statement", Map.of("byte_match_statement", Map.of(
                        "search_string", healthPath,
                        "positional_constraint", "ENDS_WITH",
                        "field_to_match", Map.of("uri_path", Map.of()),
                        "text_transformation", List.of(Map.of("priority", 0, "type", "NONE")))))));
        healthRate.put("visibility_config", visibility(name + "-health-rate"));
        acl.addOverride("rule", List.of(knownBadInputs, healthRate));
        String arn = acl.getStringAttribute("arn");

        TerraformResource association = new TerraformResource(this, "association", TerraformResourceConfig.builder()
                .terraformResourceType("aws_wafv2_web_acl_association").provider(region.provider()).build());
        association.addOverride("resource_arn", stageArn);
        association.addOverride("web_acl_arn", arn);

        CloudwatchLogGroup logs = CloudwatchLogGroup.Builder.create(this, "log_group")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.WAF_LOG_GROUP))
                .retentionInDays(region.protection().auditRetentionDays(logRetentionDays))
                .kmsKeyId(logsKey.arn())
                .skipDestroy(region.retainLogs())
                .build();
        TerraformResource logging = new TerraformResource(this, "logging", TerraformResourceConfig.builder()
                .terraformResourceType("aws_wafv2_web_acl_logging_configuration").provider(region.provider()).build());
        logging.addOverride("resource_arn", arn);
        logging.addOverride("log_destination_configs", List.of(logs.getArn()));
        logging.addOverride("logging_filter", Map.of(
                "default_behavior", "DROP",
                "filter", List.of(Map.of("behavior", "KEEP", "requirement", "MEETS_ANY",
                        "condition", List.of(
                                Map.of("action_condition", Map.of("action", "BLOCK")),
                                Map.of("action_condition", Map.of("action", "COUNT")))))));
    }

    private static Map<String, Object> visibility(String metricName) {
        Map<String, Object> visibility = new LinkedHashMap<>();
        visibility.put("cloudwatch_metrics_enabled", true);
        visibility.put("metric_name", metricName);
        visibility.put("sampled_requests_enabled", true);
        return visibility;
    }
}
