package com.payments.dr.blocks;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.payments.dr.naming.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * Small helpers for IAM documents. Every action is spelled out: no wildcards. Policies are JSON
 * written here, in the order given, so the plan shows each statement as written; references to
 * the stack's resources stay Terraform interpolations inside the string.
 */
public final class Iam {

    // no HTML escaping: "<", ">", "=" and "&" stay readable in the plan
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();

    private Iam() {
    }

    public static PolicyStatement allow(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.builder().sid(sid).actions(actions).resources(resources).build();
    }

    public static PolicyStatement.Builder statement(String sid, List<String> actions) {
        return PolicyStatement.builder().sid(sid).actions(actions);
    }

    /**
     * The resource-policy statement that refuses every request to {@code resources} made without
     * TLS: a Deny of all of {@code service}'s actions ({@code service:*}, so that no request without
     * TLS succeeds) to anyone when {@code aws:SecureTransport} is false.
     */
    public static PolicyStatement denyInsecureTransport(String service, List<String> resources) {
        return PolicyStatement.builder()
                .sid("DenyInsecureTransport")
                .effect("Deny")
                .principals(List.of(aws("*")))
                .actions(List.of(service + ":*"))
                .resources(resources)
                .condition(List.of(condition("Bool", "aws:SecureTransport", "false")))
                .build();
    }

    public static PolicyStatement.Principal service(String servicePrincipal) {
        return new PolicyStatement.Principal("Service", List.of(servicePrincipal));
    }

    public static PolicyStatement.Principal aws(String principalArn) {
        return new PolicyStatement.Principal("AWS", List.of(principalArn));
    }

    public static PolicyStatement.Condition condition(String test, String variable, String value) {
        return condition(test, variable, List.of(value));
    }

    public static PolicyStatement.Condition condition(String test, String variable, List<String> values) {
        return new PolicyStatement.Condition(test, variable, List.copyOf(values));
    }

    /**
     * The policy JSON of {@code statements}: principals of one type are merged, as are conditions
     * of one operator; one key twice under one operator is refused (IAM would keep only one).
     */
    public static String policy(List<PolicyStatement> statements) {
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one statement");
        }
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (PolicyStatement s : statements) {
            Map<String, Object> statement = new LinkedHashMap<>();
            if (s.sid() != null) {
                statement.put("Sid", s.sid());
            }
            statement.put("Effect", s.effect());
            if (!s.principals().isEmpty()) {
                Map<String, List<String>> principal = new LinkedHashMap<>();
                s.principals().forEach(p -> principal.computeIfAbsent(p.type(), t -> new ArrayList<>())
                        .addAll(p.identifiers()));
                statement.put("Principal", principal);
            }
            statement.put("Action", s.actions());
            if (!s.resources().isEmpty()) {
                statement.put("Resource", s.resources());
            }
            if (!s.conditions().isEmpty()) {
                Map<String, Map<String, List<String>>> condition = new LinkedHashMap<>();
                for (PolicyStatement.Condition c : s.conditions()) {
                    Map<String, List<String>> operator = condition.computeIfAbsent(c.test(), t -> new LinkedHashMap<>());
                    if (operator.put(c.variable(), c.values()) != null) {
                        throw new IllegalArgumentException("statement " + s.sid() + " names " + c.test() + " "
                                + c.variable() + " twice");
                    }
                }
                statement.put("Condition", condition);
            }
            rendered.add(statement);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", rendered);
        return JSON.toJson(document);
    }

    /**
     * A role and its inline policy: resources that use the role wait for the policy too. The ARN,
     * which every role's user needs, is read from jsii once (docs/performance.md).
     */
    public record ServiceRole(IamRole role, IamRolePolicy policy, String arn) {
    }

    /**
     * A role that only {@code servicePrincipal} may assume, and only on behalf of this account
     * (confused-deputy guard), with one inline policy.
     */
    public static ServiceRole serviceRole(Construct scope, String id, RegionContext region, String qualifier,
                                          String servicePrincipal, List<PolicyStatement> permissions) {
        return serviceRole(scope, id, region, qualifier, servicePrincipal, true, permissions);
    }

    /**
     * As above; {@code sourceAccountGuard = false} only for a service that is not documented to send
     * {@code aws:SourceAccount} when it assumes the role (a condition it never satisfies would
     * break the role outright).
     */
    public static ServiceRole serviceRole(Construct scope, String id, RegionContext region, String qualifier,
                                          String servicePrincipal, boolean sourceAccountGuard,
                                          List<PolicyStatement> permissions) {
        PolicyStatement.Builder assume = statement("AssumedByService", List.of("sts:AssumeRole"))
                .principals(List.of(service(servicePrincipal)));
        if (sourceAccountGuard) {
            assume.condition(List.of(condition("StringEquals", "aws:SourceAccount", region.accountId())));
        }
        IamRole role = IamRole.Builder.create(scope, id)
                .provider(region.provider())
                .name(region.naming().name(ResourceType.IAM_ROLE, qualifier))
                .assumeRolePolicy(policy(List.of(assume.build())))
                .build();
        IamRolePolicy inline = IamRolePolicy.Builder.create(scope, id + "_policy")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.IAM_POLICY, qualifier))
                .role(role.getId())
                .policy(policy(permissions))
                .build();
        return new ServiceRole(role, inline, role.getArn());
    }
}
