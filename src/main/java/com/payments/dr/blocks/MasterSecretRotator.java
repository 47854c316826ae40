package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunction;
import com.hashicorp.cdktf.providers.aws.lambda_permission.LambdaPermission;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret_rotation.SecretsmanagerSecretRotation;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret_rotation.SecretsmanagerSecretRotationRotationRules;
import com.payments.dr.naming.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.constructs.Construct;

/**
 * The master secret's rotation, in the secret's region: the rotation function (events package,
 * outside the VPC, on Secrets Manager's public endpoint) and the schedule. The function may read
 * and stage versions of this secret only, ask Secrets Manager for a password, and invoke this
 * region's migrator, which changes the password in the database
 * ({@code events.MasterSecretRotation}, decision 0032).
 */
public final class MasterSecretRotator extends Construct {

    public static final String HANDLER = "com.payments.dr.events.MasterSecretRotation::handleRequest";
    /** PCI DSS 8.3.9 asks for at most 90 days; a month keeps a leaked password short-lived. */
    public static final int ROTATION_DAYS = 30;
    static final int MEMORY_MB = 512;
    /**
     * A step's migrator invocation may wait up to 150 s (a cold migrator runs up to its 120 s
     * timeout), and the step's Secrets Manager calls up to 30 s each: well above both, within
     * Lambda's 900 s maximum.
     */
    static final int TIMEOUT_SECONDS = 300;

    public record Props(RegionContext region, FunctionPackage code, EncryptionKey logsKey, EncryptionKey dataKey,
                        int logRetentionDays, String secretArn, MigratorFunction migrator) {
    }

    private final String functionName;

    public MasterSecretRotator(Construct scope, String id, Props props) {
        super(scope, id);
        RegionContext region = props.region();
        String name = region.naming().name(ResourceType.EVENT_FUNCTION, "rotation");
        String secretArn = props.secretArn();
        LambdaFunction function = new JavaFunction(this, new JavaFunction.Props(region, JavaFunction.Ids.SOLE, name,
                "rotation-fn", "Rotates the Aurora master secret through the schema migrator", HANDLER, MEMORY_MB,
                TIMEOUT_SECONDS, props.code(), props.logsKey(), props.dataKey(), props.logRetentionDays(),
                Map.of("MIGRATOR_FUNCTION", props.migrator().functionName()), List.of(
                        JavaFunction.decryptEnvironment(region, props.dataKey()),
                        Iam.allow("RotateTheMasterSecret", List.of("secretsmanager:DescribeSecret",
                                "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
                                "secretsmanager:UpdateSecretVersionStage"), List.of(secretArn)),
                        Iam.allow("NewPasswords", List.of("secretsmanager:GetRandomPassword"), List.of("*")),
                        // the secret's values are encrypted with the data key, through Secrets Manager only
                        Iam.statement("SecretValuesThroughSecretsManager", List.of("kms:Decrypt", "kms:GenerateDataKey"))
                                .resources(List.of(props.dataKey().arn()))
                                .condition(List.of(Iam.condition("StringEquals", "kms:ViaService",
                                        "secretsmanager." + region.region() + ".amazonaws.com")))
                                .build(),
                        Iam.allow("DatabaseStepsByTheMigrator", List.of("lambda:InvokeFunction"),
                                List.of(props.migrator().functionArn()))),
                // outside the VPC: Secrets Manager's public endpoint, no interface endpoint ($29 a month)
                Optional.empty(), false, 1)).function();
        functionName = function.getFunctionName();
        LambdaPermission permission = LambdaPermission.Builder.create(this, "permission")
                .provider(region.provider())
                .statementId("AllowSecretsManagerRotation")
                .action("lambda:InvokeFunction")
                .functionName(functionName)
                .principal("secretsmanager.amazonaws.com")
                .sourceArn(secretArn)
                .build();
        SecretsmanagerSecretRotation.Builder.create(this, "rotation")
                .provider(region.provider())
                .secretId(secretArn)
                .rotationLambdaArn(function.getArn())
                .rotationRules(SecretsmanagerSecretRotationRotationRules.builder()
                        .automaticallyAfterDays(ROTATION_DAYS).build())
                // not at once: the first rotation comes a rotation period after the deployment
                // (`aws secretsmanager rotate-secret` tries one now)
                .dependsOn(List.of(permission, props.migrator().invocation()))
                .build()
                .addOverride("rotate_immediately", false);
    }

    public String functionName() {
        return functionName;
    }
}
