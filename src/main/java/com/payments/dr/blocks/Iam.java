package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocument;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatement;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementPrincipals;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role_policy.IamRolePolicy;
import com.payments.dr.naming.ResourceType;
import java.util.List;
import software.constructs.Construct;

/**
 * Small helpers for IAM documents. Policies are {@code aws_iam_policy_document} data sources, so a
 * reviewer reads each statement in the plan, and every action is spelled out: no wildcards.
 */
public final class Iam {

    private Iam() {
    }

    public static DataAwsIamPolicyDocumentStatement allow(String sid, List<String> actions, List<String> resources) {
        return DataAwsIamPolicyDocumentStatement.builder()
                .sid(sid).effect("Allow").actions(actions).resources(resources).build();
    }

    public static DataAwsIamPolicyDocumentStatement.Builder statement(String sid, List<String> actions) {
        return DataAwsIamPolicyDocumentStatement.builder().sid(sid).effect("Allow").actions(actions);
    }

    public static DataAwsIamPolicyDocumentStatementPrincipals service(String servicePrincipal) {
        return DataAwsIamPolicyDocumentStatementPrincipals.builder()
                .type("Service").identifiers(List.of(servicePrincipal)).build();
    }

    public static DataAwsIamPolicyDocumentStatementPrincipals aws(String principalArn) {
        return DataAwsIamPolicyDocumentStatementPrincipals.builder()
                .type("AWS").identifiers(List.of(principalArn)).build();
    }

    public static DataAwsIamPolicyDocumentStatementCondition condition(String test, String variable, String value) {
        return condition(test, variable, List.of(value));
    }

    public static DataAwsIamPolicyDocumentStatementCondition condition(String test, String variable,
                                                                       List<String> values) {
        return DataAwsIamPolicyDocumentStatementCondition.builder()
                .test(test).variable(variable).values(values).build();
    }

    public static DataAwsIamPolicyDocument document(Construct scope, String id, RegionContext region,
                                                    List<DataAwsIamPolicyDocumentStatement> statements) {
        return DataAwsIamPolicyDocument.Builder.create(scope, id)
                .provider(region.provider())
                .statement(statements)
                .build();
    }

    /** A role and its inline policy: resources that use the role wait for the policy too. */
    public record ServiceRole(IamRole role, IamRolePolicy policy) {
        public String arn() {
            return role.getArn();
        }
    }

    /**
     * A role that only {@code servicePrincipal} may assume, and only on behalf of this account
     * (confused-deputy guard), with one inline policy.
     */
    public static ServiceRole serviceRole(Construct scope, String id, RegionContext region, String qualifier,
                                      String servicePrincipal, List<DataAwsIamPolicyDocumentStatement> permissions) {
        return serviceRole(scope, id, region, qualifier, servicePrincipal, true, permissions);
    }

    /**
     * As above; {@code sourceAccountGuard = false} only for a service that is not documented to send
     * {@code aws:SourceAccount} when it assumes the role (a condition it never satisfies would
     * break the role outright).
     */
    public static ServiceRole serviceRole(Construct scope, String id, RegionContext region, String qualifier,
                                      String servicePrincipal, boolean sourceAccountGuard,
                                      List<DataAwsIamPolicyDocumentStatement> permissions) {
        DataAwsIamPolicyDocumentStatement.Builder assume = statement("AssumedByService", List.of("sts:AssumeRole"))
                .principals(List.of(service(servicePrincipal)));
        if (sourceAccountGuard) {
            assume.condition(List.of(condition("StringEquals", "aws:SourceAccount", region.accountId())));
        }
        DataAwsIamPolicyDocument trust = document(scope, id + "_trust", region, List.of(assume.build()));
        IamRole role = IamRole.Builder.create(scope, id)
                .provider(region.provider())
                .name(region.naming().name(ResourceType.IAM_ROLE, qualifier))
                .assumeRolePolicy(trust.getJson())
                .build();
        DataAwsIamPolicyDocument policy = document(scope, id + "_permissions", region, permissions);
        IamRolePolicy inline = IamRolePolicy.Builder.create(scope, id + "_policy")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.IAM_POLICY, qualifier))
                .role(role.getId())
                .policy(policy.getJson())
                .build();
        return new ServiceRole(role, inline);
    }
}
