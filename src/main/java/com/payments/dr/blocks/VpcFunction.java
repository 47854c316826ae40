package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunction;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionEnvironment;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionSnapStart;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionVpcConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * A Java Lambda from the payment package inside the VPC's private subnets, as the payment function
 * and the schema migrator both are: an encrypted log group the stack owns, a role that may write to
 * it and manage the function's ENIs plus what the caller grants, environment encrypted with the
 * region's data key, and ENIs handed to the empty default group on destroy.
 *
 * <p>Not a construct of its own: its resources are created in the caller's scope under the ids
 * {@code log_group}, {@code role} and {@code function}, so their paths and logical ids stay those of
 * the deployed resources (a construct level in between would rename, hence replace, them).
 */
public final class VpcFunction {

    /**
     * @param name         the function's name, also its log group's ({@code /aws/lambda/<name>})
     * @param roleQualifier what tells the role apart from the region's other service roles
     * @param handler      the handler in the package, {@code Class::method}
     * @param securityGroupId the function's own security group
     * @param permissions  what the function itself does, after the log and ENI statements every
     *                     VPC function needs (the environment's decryption included: it is the
     *                     caller's to place in its policy)
     * @param snapStart    publish a version on every change and snapshot it (SnapStart); off for a
     *                     function nobody waits on
     */
    public record Props(RegionContext region, String name, String roleQualifier, String description,
                        String handler, int memoryMb, int timeoutSeconds, FunctionPackage code, Network network,
                        String securityGroupId, EncryptionKey logsKey, EncryptionKey dataKey, int logRetentionDays,
                        Map<String, String> environment, List<PolicyStatement> permissions, boolean snapStart) {
    }

    private final LambdaFunction function;

    public VpcFunction(Construct scope, Props props) {
        RegionContext region = props.region();

        FunctionLogGroup logs = FunctionLogGroup.create(scope, "log_group", region, props.name(),
                props.logRetentionDays(), props.logsKey());

        List<PolicyStatement> permissions = new ArrayList<>();
        permissions.add(logs.writeLogs());
        // Lambda manages the function's ENIs with the function's own role (the calls of
        // AWSLambdaVPCAccessExecutionRole v3, DescribeSubnets included); EC2 offers no
        // resource-level scoping for them
        permissions.add(Iam.allow("ManageVpcNetworkInterfaces", List.of("ec2:AssignPrivateIpAddresses",
                "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets", "ec2:UnassignPrivateIpAddresses"), List.of("*")));
        permissions.addAll(props.permissions());
        Iam.ServiceRole role = Iam.serviceRole(scope, "role", region, props.roleQualifier(), "lambda.amazonaws.com",
                permissions);

        LambdaFunction.Builder builder = LambdaFunction.Builder.create(scope, "function")
                .provider(region.provider())
                .functionName(props.name())
                .description(props.description())
                .role(role.arn())
                .runtime(PaymentFunction.RUNTIME)
                .handler(props.handler())
                .architectures(List.of("x86_64"))
                .filename(props.code().path())
                // the package's own hash, so a plan shows a change exactly when the code changed
                .sourceCodeHash(props.code().sourceCodeHash())
                .memorySize(props.memoryMb())
                .timeout(props.timeoutSeconds())
                .environment(LambdaFunctionEnvironment.builder().variables(props.environment()).build())
                // the region's customer-managed key instead of aws/lambda (Checkov CKV_AWS_173)
                .kmsKeyArn(props.dataKey().arn())
                .vpcConfig(LambdaFunctionVpcConfig.builder()
                        .subnetIds(props.network().privateSubnetIds())
                        .securityGroupIds(List.of(props.securityGroupId()))
                        .build())
                // ENIs outlive a deleted function for many minutes; moving them to the empty
                // default group lets the function's security group be destroyed right away
                .replaceSecurityGroupsOnDestroy(true)
                .replacementSecurityGroupIds(List.of(props.network().defaultSecurityGroupId()))
                // ENIs are created with the role's permissions, and logs must land in the managed group
                .dependsOn(List.of(logs.logGroup(), role.policy()));
        if (props.snapStart()) {
            builder.publish(true)
                    .snapStart(LambdaFunctionSnapStart.builder().applyOn("PublishedVersions").build());
        }
        function = builder.build();
    }

    public LambdaFunction function() {
        return function;
    }
}
