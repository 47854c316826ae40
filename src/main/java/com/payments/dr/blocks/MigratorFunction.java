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
import java.util.Optional;
import software.constructs.Construct;

/**
 * The schema migrator of one region: the payment package with its own handler, in the VPC with
 * the database, invoked by the deployment (never by the API, which has no permission or route to
 * it). It migrates when its region's database is writable and answers "skipped: reader"
 * otherwise, so the same definition serves both regions. An operator invokes it once more after
 * an unplanned failover to reconcile (it then reads the idempotency table's acknowledgement
 * records), handing over the owner's credentials the same way.
 *
 * <p>It logs in as the schema owner, whose password only the master secret holds, yet it reads no
 * secret and needs no Secrets Manager endpoint in the VPC ($7.30 per zone-month): whoever invokes
 * it (the deployment's command below, or an operator) reads the secret with their own credentials
 * through Secrets Manager's public endpoint and hands the owner's credentials over in the
 * invocation's payload, which Lambda does not keep and the migrator never logs. The deploying
 * machine holds the password anyway: it is in the Terraform state.
 */
public final class MigratorFunction extends Construct {

    public static final String HANDLER = "com.payments.dr.function.MigrationHandler::handleRequest";
    /**
     * Twice the smallest useful size: Lambda gives CPU in proportion to memory, and the
     * reconciliation parses every page of a full-table scan (the pages themselves are held one at a
     * time). Invoked at deploy time and after a failover only, so it costs nothing idle.
     */
    static final int MEMORY_MB = 1024;
    /**
     * Lambda's maximum: the reconciliation scans the whole table (at 1 payment/s about 690,000
     * items, some 700 pages), far beyond what 2 minutes read; a migration stays bounded by its own
     * limits (10 s connect, 60 s statement and lock timeouts).
     */
    static final int TIMEOUT_SECONDS = 900;
    /** The CLI's read timeout on an invocation: above the function's, so a long run is not cut off and re-invoked. */
    public static final int CLI_READ_TIMEOUT_SECONDS = TIMEOUT_SECONDS + 60;
    /**
     * Invokes the migrator once per change and fails the apply when it fails. The owner's
     * credentials are read from the master secret in the function's region (the DR replica there)
     * into a payload file only the deploying user can read ({@code umask 077}), removed on exit,
     * and never on a command line ({@code printf} is the shell's own). The CLI's exit status covers
     * an invoke that did not happen, {@code FunctionError} (printed as None when absent) an
     * exception in the function, and the answer must be the migrator's. The CLI's read timeout is
     * above the function's, so a slow migration is not cut off and re-invoked. Values come in
     * through the environment, never the shell.
     */
    public static final String INVOKE_COMMAND = "umask 077 && payload=\"$(mktemp)\" && out=\"$(mktemp)\""
            + " && trap 'rm -f \"$payload\" \"$out\"' EXIT"
            + " && owner=\"$(aws secretsmanager get-secret-value --region \"$SECRET_REGION\" --secret-id \"$SECRET_ID\""
            + " --query SecretString --output text)\""
            + " && printf '{\"owner\": %s}' \"$owner\" > \"$payload\""
            + " && error=\"$(aws lambda invoke --region \"$FUNCTION_REGION\" --function-name \"$FUNCTION_NAME\""
            + " --payload \"fileb://$payload\" --cli-read-timeout " + CLI_READ_TIMEOUT_SECONDS + " --query FunctionError --output text \"$out\")\""
            + " && cat \"$out\" && echo"
            + " && test \"$error\" = None && grep -q '\"result\":' \"$out\"";

    /**
     * @param code        the payment package, one asset for both regions
     * @param secretArn   the master secret's ARN in this region (the replica's in the DR region): the
     *                    deployment's invocation reads it, the function does not
     * @param environment the function's settings (see {@code FunctionConfig})
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
     * acknowledgement records (a scan, and one read per row only the old primary's snapshot holds);
     * it writes nothing there.
     */
    public static final List<String> TABLE_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:Scan");

    private final LambdaFunction function;
    private final String functionName;
    private final TerraformResource invocation;

    /** One migration (or rotation step) at a time: the schema owner's work is never parallel. */
    public static final int RESERVED_CONCURRENCY = 1;

    public MigratorFunction(Construct scope, String id, Props props) {
        super(scope, id);
        RegionContext region = props.region();
        String name = region.naming().name(ResourceType.EVENT_FUNCTION, "migrator");

        JavaFunction javaFunction = new JavaFunction(this, new JavaFunction.Props(region, JavaFunction.Ids.SOLE,
                name, "migrator", "Schema migrator, invoked at deploy time (" + region.role().label() + " region)",
                HANDLER, MEMORY_MB, TIMEOUT_SECONDS, props.code(), props.logsKey(), props.dataKey(),
                props.logRetentionDays(), props.environment(), List.of(
                        JavaFunction.decryptEnvironment(region, props.dataKey()),
                        Iam.allow("ReadAcknowledgementRecords", TABLE_ACTIONS, List.of(props.tableArn()))),
                Optional.of(new JavaFunction.Vpc(props.network(), props.network().migratorSecurityGroupId())),
                // invoked once per deploy and per rotation step: no versions, no SnapStart; one at a
                // time, on one of the database's connections
                false, RESERVED_CONCURRENCY));
        function = javaFunction.function();
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
                                "FUNCTION_NAME", functionName,
                                "SECRET_REGION", region.region(),
                                "SECRET_ID", props.secretArn()))
                        .build()))
                .build());
        invocation.addOverride("triggers_replace", List.of(function.getSourceCodeHash(), props.migrationsHash(),
                props.databaseResourceId()));
    }

    public String functionName() {
        return functionName;
    }

    /** The deployment's invocation: the schema exists (and the owner's password works) once it ran. */
    public TerraformResource invocation() {
        return invocation;
    }

    public String functionArn() {
        return function.getArn();
    }

}
