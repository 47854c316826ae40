package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunction;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionEnvironment;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionSnapStart;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionTracingConfig;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionVpcConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.constructs.Construct;

/**
 * A Java Lambda function of the stack, built the one way all of them are: the runtime and
 * architecture below, a package asset, a log group the stack owns ({@code /aws/lambda/<name>},
 * encrypted, with a retention, instead of the one Lambda would create unencrypted and forever), a
 * role that may write its streams there plus what the caller grants, and the environment encrypted
 * with the region's data key. Placed in the VPC's private subnets when given a {@link Vpc} (the
 * payment function and the migrator); with SnapStart on published versions when asked.
 *
 * <p>Not a construct of its own: its resources are created in the caller's scope under the
 * caller's {@link Ids}, so their paths and logical ids stay those of the deployed resources (a
 * construct level in between would rename, hence replace, them).
 */
public final class JavaFunction {

    /**
     * Lambda's Java 21 runtime (Amazon Linux 2023, Amazon Corretto 21). The Lambda developer guide's
     * "Improving startup performance with Lambda SnapStart" (supported features and limitations)
     * lists Java 11 and later among SnapStart's runtimes, and what SnapStart does not support
     * (provisioned concurrency, EFS, ephemeral storage above 512 MB) no longer names arm64, as
     * earlier versions of that page did. AWS provider 5.23.1, which the bindings were generated
     * from, predates java21; the binding passes the string through, and the provider the stack pins
     * (Providers.AWS_PROVIDER_VERSION, which ./main --validate runs) accepts it.
     */
    public static final String RUNTIME = "java21";
    /** Graviton: a GB-second costs about 20 % less than on x86_64 (the price table's lambda.arm64GbSecond). */
    public static final String ARCHITECTURE = "arm64";

    /** The ids of the function's resources in the caller's scope. */
    public record Ids(String logGroup, String role, String function) {

        /** A construct that holds one function: {@code log_group}, {@code role}, {@code function}. */
        public static final Ids SOLE = new Ids("log_group", "role", "function");

        /** One of several functions in a construct: {@code <id>_log_group}, {@code <id>_role}, {@code <id>}. */
        public static Ids prefixed(String id) {
            return new Ids(id + "_log_group", id + "_role", id);
        }
    }

    /** A place in the VPC: the private subnets and the function's own security group. */
    public record Vpc(Network network, String securityGroupId) {
    }

    /**
     * @param name         the function's name, also its log group's ({@code /aws/lambda/<name>})
     * @param roleQualifier what tells the role apart from the region's other service roles
     * @param handler      the handler in the package, {@code Class::method}
     * @param permissions  what the function itself does, after the log statement (and, in a VPC,
     *                     the ENI statement) every such function needs; the environment's
     *                     decryption ({@link #decryptEnvironment}) included: it is the caller's to
     *                     place in its policy
     * @param vpc          the function's place in the VPC, or empty for a function outside it
     * @param snapStart    publish a version on every change and snapshot it (SnapStart); off for a
     *                     function nobody waits on
     * @param reservedConcurrency the executions reserved for the function, which are also its cap:
     *                     it can neither starve the account's other functions nor open more
     *                     connections than its budget
     */
    public record Props(RegionContext region, Ids ids, String name, String roleQualifier, String description,
                        String handler, int memoryMb, int timeoutSeconds, FunctionPackage code,
                        EncryptionKey logsKey, EncryptionKey dataKey, int logRetentionDays,
                        Map<String, String> environment, List<PolicyStatement> permissions, Optional<Vpc> vpc,
                        boolean snapStart, int reservedConcurrency) {
    }

    private final LambdaFunction function;
    private final Iam.ServiceRole role;

    public JavaFunction(Construct scope, Props props) {
        RegionContext region = props.region();
        Ids ids = props.ids();

        CloudwatchLogGroup logGroup = CloudwatchLogGroup.Builder.create(scope, ids.logGroup())
                .provider(region.provider())
                .name("/aws/lambda/" + props.name())
                .retentionInDays(props.logRetentionDays())
                .kmsKeyId(props.logsKey().arn())
                .skipDestroy(region.retainLogs())
                .build();
        List<PolicyStatement> permissions = new ArrayList<>();
        permissions.add(Iam.allow("WriteLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(logGroup.getArn() + ":log-stream:*")));
        if (props.vpc().isPresent()) {
            // Lambda manages the function's ENIs with the function's own role (the calls of
            // AWSLambdaVPCAccessExecutionRole v3, DescribeSubnets included); EC2 offers no
            // resource-level scoping for them
            permissions.add(Iam.allow("ManageVpcNetworkInterfaces", List.of("ec2:AssignPrivateIpAddresses",
                    "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSubnets", "ec2:UnassignPrivateIpAddresses"), List.of("*")));
        }
        // active tracing: Lambda sends the function's segments (X-Ray has no resource-level scoping)
        permissions.add(Iam.allow("WriteTraces", List.of("xray:PutTelemetryRecords", "xray:PutTraceSegments"),
                List.of("*")));
        permissions.addAll(props.permissions());
        role = Iam.serviceRole(scope, ids.role(), region, props.roleQualifier(), "lambda.amazonaws.com",
                permissions);

        LambdaFunction.Builder builder = LambdaFunction.Builder.create(scope, ids.function())
                .provider(region.provider())
                .functionName(props.name())
                .description(props.description())
                .role(role.arn())
                .runtime(RUNTIME)
                .handler(props.handler())
                .architectures(List.of(ARCHITECTURE))
                .filename(props.code().path())
                // the package's own hash, so a plan shows a change exactly when the code changed
                .sourceCodeHash(props.code().sourceCodeHash())
                .memorySize(props.memoryMb())
                .timeout(props.timeoutSeconds())
                .environment(LambdaFunctionEnvironment.builder().variables(props.environment()).build())
                // the region's customer-managed key instead of aws/lambda (Checkov CKV_AWS_173)
                .kmsKeyArn(props.dataKey().arn())
                // sampled as its caller decided (API Gateway's sampling rules); on its own, Lambda's rate
                .tracingConfig(LambdaFunctionTracingConfig.builder().mode("Active").build())
                .reservedConcurrentExecutions(props.reservedConcurrency())
                // ENIs are created with the role's permissions, and logs must land in the managed group
                .dependsOn(List.of(logGroup, role.policy()));
        props.vpc().ifPresent(vpc -> builder
                .vpcConfig(LambdaFunctionVpcConfig.builder()
                        .subnetIds(vpc.network().privateSubnetIds())
                        .securityGroupIds(List.of(vpc.securityGroupId()))
                        .build())
                // ENIs outlive a deleted function for many minutes; moving them to the empty
                // default group lets the function's security group be destroyed right away
                .replaceSecurityGroupsOnDestroy(true)
                .replacementSecurityGroupIds(List.of(vpc.network().defaultSecurityGroupId())));
        if (props.snapStart()) {
            builder.publish(true)
                    .snapStart(LambdaFunctionSnapStart.builder().applyOn("PublishedVersions").build());
        }
        function = builder.build();
    }

    /**
     * A function's environment variables (and a SnapStart snapshot) encrypted with {@code key}:
     * Lambda decrypts them for the function with the function's role, through Lambda only.
     */
    public static PolicyStatement decryptEnvironment(RegionContext region, EncryptionKey key) {
        return Iam.statement("DecryptEnvironment", List.of("kms:Decrypt"))
                .resources(List.of(key.arn()))
                .condition(List.of(Iam.condition("StringEquals", "kms:ViaService",
                        "lambda." + region.region() + ".amazonaws.com")))
                .build();
    }

    public LambdaFunction function() {
        return function;
    }

    public Iam.ServiceRole role() {
        return role;
    }
}
