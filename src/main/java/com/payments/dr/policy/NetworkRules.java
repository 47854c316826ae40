package com.payments.dr.policy;

import com.google.gson.JsonObject;
import java.util.List;

/** Security groups, default security groups, flow logs, endpoint policies. */
final class NetworkRules {

    private NetworkRules() {
    }

    private static final List<String> OPEN = List.of("0.0.0.0/0", "::/0");

    static List<Rule> rules() {
        return List.of(
                new Rule("NET-NO-OPEN-INGRESS", Severity.ERROR,
                        "CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, Security Hub EC2.18/EC2.19, tfsec aws-ec2-no-public-ingress-sgr",
                        "no security group admits 0.0.0.0/0 or ::/0", NetworkRules::openIngress),
                new Rule("NET-DEFAULT-SG-EMPTY", Severity.ERROR, "CKV2_AWS_12, Security Hub EC2.2",
                        "every VPC's default security group is managed and has no rules", NetworkRules::defaultSecurityGroups),
                new Rule("NET-FLOW-LOGS", Severity.ERROR, "CKV2_AWS_11, Security Hub EC2.6",
                        "every VPC has flow logs", NetworkRules::flowLogs),
                new Rule("VPCE-POLICY", Severity.WARNING, "no scanner control (AWS PrivateLink guidance)",
                        "VPC endpoints carry a policy narrower than the default full access", NetworkRules::endpointPolicies));
    }

    static void openIngress(TerraformConfig config, Rule.Sink sink) {
        for (Resource rule : config.resources("aws_vpc_security_group_ingress_rule")) {
            for (String attribute : List.of("cidr_ipv4", "cidr_ipv6")) {
                if (rule.string(attribute) != null && OPEN.contains(rule.string(attribute))) {
                    sink.report(rule, "admits " + rule.string(attribute) + "; allow a security group or a private CIDR");
                }
            }
        }
        for (Resource rule : config.resources("aws_security_group_rule")) {
            if ("ingress".equals(rule.string("type"))) {
                openCidrs(rule, rule.body(), sink);
            }
        }
        for (Resource group : config.resources("aws_security_group")) {
            for (JsonObject ingress : group.blocks("ingress")) {
                openCidrs(group, ingress, sink);
            }
        }
    }

    private static void openCidrs(Resource resource, JsonObject rule, Rule.Sink sink) {
        for (String attribute : List.of("cidr_blocks", "ipv6_cidr_blocks")) {
            for (String cidr : Json.strings(rule.get(attribute))) {
                if (OPEN.contains(cidr)) {
                    sink.report(resource, "ingress admits " + cidr + "; allow a security group or a private CIDR");
                }
            }
        }
    }

    static void defaultSecurityGroups(TerraformConfig config, Rule.Sink sink) {
        for (Resource vpc : config.resources("aws_vpc")) {
            List<Resource> defaults = config.referencing("aws_default_security_group", "vpc_id", vpc);
            if (defaults.isEmpty()) {
                sink.report(vpc, "default security group keeps AWS's rules; add an aws_default_security_group for "
                        + "this VPC with no ingress or egress");
            }
            for (Resource group : defaults) {
                if (!group.blocks("ingress").isEmpty() || !group.blocks("egress").isEmpty()) {
                    sink.report(group, "default security group has rules; remove its ingress and egress blocks");
                }
            }
        }
    }

    static void flowLogs(TerraformConfig config, Rule.Sink sink) {
        for (Resource vpc : config.resources("aws_vpc")) {
            if (config.referencing("aws_flow_log", "vpc_id", vpc).isEmpty()) {
                sink.report(vpc, "no flow logs; add an aws_flow_log (traffic_type ALL) for this VPC");
            }
        }
    }

    static void endpointPolicies(TerraformConfig config, Rule.Sink sink) {
        for (Resource endpoint : config.resources("aws_vpc_endpoint")) {
            if (!endpoint.has("policy")) {
                sink.report(endpoint, "endpoint allows full access to " + endpoint.string("service_name")
                        + "; set a policy limited to this stack's resources");
            }
        }
    }
}
