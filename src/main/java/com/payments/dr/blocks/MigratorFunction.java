package com.payments.dr.blocks;

import com.hashicorp.cdktf.ITerraformDependable;
import com.hashicorp.cdktf.LocalExecProvisioner;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceConfig;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunction;
import com.payments.dr.naming.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The schema migrator of one region: the payment package with its own handler, in the VPC with
 * the database and the Secrets Manager endpoint, invoked by the deployment (never by the API,
 * which has no permission or route to it). It alone may read the owner's secret. It migrates when
 * its region's database is writable and answers "skipped: reader" otherwise, so the same
 * definition serves both regions. An operator invokes it once more after an unplanned failover to
 * reconcile (it then reads the idempotency table's acknowledgement records).
 */
public final class MigratorFunction extends Construct {

    public static final String HANDLER = "com.payments.dr.function.MigrationHandler::handleRequest";
    static final int MEMORY_MB = 512;
    /** Above the migration's own bounds (10 s connect, 60 s statement and lock timeouts). */
    static final int TIMEOUT_SECONDS = 120;
    /** What the migrator does with the database secret (and all the endpoint policy lets through). */
    public static final List<String> SECRET_ACTIONS = List.of("secretsmanager:GetSecretValue");
    /**
     * Invokes the migrator once per change and fails the apply when it fails: the CLI's exit status
     * covers an invoke that did not happen, {@code FunctionError} (printed as None when absent) an
     * exception in the function, and the payload must be the migrator's answer. The CLI's read
     * timeout is above the function's, so a slow migration is not cut off and re-invoked. Values
     * come in through the environment, never the shell.
     */
    public static final String INVOKE_COMMAND = "out=\"$(mktemp)\" && trap 'rm -f \"$out\"' EXIT"
            + " && error=\"$(aws lambda invoke --region \"$FUNCTION_REGION\" --function-name \"$FUNCTION_NAME\""
            + " --cli-read-timeout 180 --query FunctionError --output text \"$out\")\""
            + " && cat \"$out\" && echo"
            + " && test \"$error\" = None && grep -q '\"result\":' \"$out\"";

    /**
     * @param code        the payment package, one asset for both regions
     * @param secretArn   the master secret's ARN in this region (the replica's in the DR region)
     * @param environment the function's settings (see {@code FunctionConfig}), DB_SECRET_ARN included
     * @param database    what must exist before the first invocation: the cluster's instances
     * @param migrationsHash a digest of the migration list, so a new migration re-runs the invocation
     */
    public record Props(RegionContext region, FunctionPackage code, Network network, EncryptionKey logsKey,
                        EncryptionKey dataKey, int logRetentionDays, String secretArn,
                        Map<String, String> environment, List<ITerraformDependable> database,
                        String databaseResourceId, String migrationsHash, String tableArn) {
    }

    /**
     * What the reconciliation after a failover does with the idempotency table: it reads the
     * acknowledgement records (a scan; it writes nothing there).
     */
    public static final List<String> TABLE_ACTIONS = List.of("dynamodb:Scan");

    private final LambdaFunction function;
    private final String functionName;
    private final Iam.ServiceRole role;
    private final TerraformResource invocation;

    public MigratorFunction(Construct scope, String id, Props props) {
        super(scope, id);
        RegionContext region = props.region();
        String name = region.naming().name(ResourceType.EVENT_FUNCTION, "migrator");

        VpcFunction vpcFunction = new VpcFunction(this, new VpcFunction.Props(region, name, "migrator",
                "Schema migrator, invoked at deploy time (" + region.role().label() + " region)", HANDLER,
                MEMORY_MB, TIMEOUT_SECONDS, props.code(), props.network(), props.network().migratorSecurityGroupId(),
                props.logsKey(), props.dataKey(), props.logRetentionDays(), props.environment(), List.of(
                        Iam.allow("OwnerCredentials", SECRET_ACTIONS, List.of(props.secretArn())),
                        Iam.statement("DecryptCredentials", List.of("kms:Decrypt"))
                                .resources(List.of(props.dataKey().arn()))
                                .condition(List.of(Iam.condition("StringEquals", "kms:ViaService",
                                        "secretsmanager." + region.region() + ".amazonaws.com")))
                                .build(),
                        PaymentFunction.decryptEnvironment(region, props.dataKey()),
                        Iam.allow("ReadAcknowledgementRecords", TABLE_ACTIONS, List.of(props.tableArn()))),
                // invoked once per deploy: no versions, no SnapStart, no reserved anything
                false));
        function = vpcFunction.function();
        role = vpcFunction.role();
        functionName = function.getFunctionName();

        List<ITerraformDependable> before = new ArrayList<>(props.database());
        before.add(function);
        before.addAll(props.network().endpointResources());
        // re-run when the package (hence the code and the migration list), the list itself or
        // the cluster (a replaced cluster starts empty) changes
        invocation = new TerraformResource(this, "migrate", TerraformResourceConfig.builder()
                .terraformResourceType("terraform_data")
                .dependsOn(before)
                .provisioners(List.of(LocalExecProvisioner.builder()
                        .type("local-exec")
                        .command(INVOKE_COMMAND)
                        .environment(Map.of(
                                "FUNCTION_REGION", region.region(),
                                "FUNCTION_NAME", functionName))
                        .build()))
                .build());
        invocation.addOverride("triggers_replace", List.of(function.getSourceCodeHash(), props.migrationsHash(),
                props.databaseResourceId()));
    }

    public String functionName() {
        return functionName;
    }

    public String functionArn() {
        return function.getArn();
    }

    /** The role the endpoint policy admits for Secrets Manager. */
    public String roleArn() {
        return role.arn();
    }
}
