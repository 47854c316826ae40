package com.payments.dr.blocks;

import com.hashicorp.cdktf.LocalExecProvisioner;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceConfig;
import com.hashicorp.cdktf.providers.aws.lambda_alias.LambdaAlias;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunction;
import com.payments.dr.naming.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.constructs.Construct;

/**
 * The payment Lambda of one region: the same package in both regions, inside the VPC's private
 * subnets, with a role that may do exactly what the function does, an encrypted log group the
 * stack owns, SnapStart on published versions (the DR copy starts cold on failover day) and a
 * {@code live} alias for callers.
 */
public final class PaymentFunction extends Construct {

    public static final String HANDLER = "com.payments.dr.function.PaymentHandler::handleRequest";
    /** Java initializes faster with more CPU, which Lambda grants in proportion to memory. */
    static final int MEMORY_MB = 1024;
    /**
     * Above the function's own time budget (at most 20 s, {@code Deadline}) so the function always
     * answers itself, and below API Gateway's 29-second integration timeout so an invocation that
     * does run long ends before API Gateway gives up on it (and far below the 60-second lease).
     */
    public static final int TIMEOUT_SECONDS = 25;
    public static final String ALIAS = "live";
    /** What the function does with the idempotency table (and all an endpoint policy lets through). */
    public static final List<String> TABLE_ACTIONS = List.of("dynamodb:DeleteItem", "dynamodb:GetItem",
            "dynamodb:PutItem", "dynamodb:UpdateItem");
    /**
     * Waits until a published version's SnapStart snapshot is ready (State Active). Provider 5.x
     * does not wait for it (terraform-provider-aws#42693): without this the alias would move to a
     * Pending version and invocations through it would fail for minutes after every deploy. AWS CLI
     * v2's waiter polls every 5 s for up to 26 minutes and fails on a Failed version, which fails
     * the apply before the alias moves. Values come in through the environment, never the shell.
     */
    public static final String WAIT_FOR_VERSION_COMMAND = "aws lambda wait published-version-active"
            + " --region \"$FUNCTION_REGION\" --function-name \"$FUNCTION_NAME\" --qualifier \"$FUNCTION_VERSION\"";

    /**
     * @param code        the function package, one asset for both regions
     * @param tableName   the global table, the same name in every region
     * @param environment the function's settings (see {@code FunctionConfig})
     * @param databaseUserArn the {@code rds-db:dbuser} ARN of the application role in this region's
     *                        cluster, for IAM database authentication
     * @param reservedConcurrency its cap, from the cluster's connection budget
     *                        ({@code Watchlist.paymentConcurrency}): past it Lambda refuses the
     *                        invocation and API Gateway answers 500
     * @param more        what else the function does (the acknowledgement mirror's writes)
     */
    public record Props(RegionContext region, FunctionPackage code, Network network, EncryptionKey logsKey,
                        EncryptionKey dataKey, int logRetentionDays, String tableName,
                        Map<String, String> environment, String databaseUserArn, int reservedConcurrency,
                        List<PolicyStatement> more) {
    }

    private final LambdaFunction function;
    private final String functionName;
    private final Memo<String> aliasArn;
    private final String roleArn;

    public PaymentFunction(Construct scope, String id, Props props) {
        super(scope, id);
        RegionContext region = props.region();
        String name = region.naming().name(ResourceType.LAMBDA_FUNCTION);

        List<PolicyStatement> permissions = new ArrayList<>(List.of(
                Iam.allow("IdempotencyRecords", TABLE_ACTIONS,
                        List.of(region.arn("dynamodb", "table/" + props.tableName()))),
                // no Secrets Manager, no owner's password: migrations are the migrator's
                // (MigratorFunction)
                JavaFunction.decryptEnvironment(region, props.dataKey()),
                // payments log in as the application role with an IAM token, in this cluster only
                Iam.allow("ConnectAsApplicationRole", List.of("rds-db:connect"),
                        List.of(props.databaseUserArn()))));
        permissions.addAll(props.more());
        JavaFunction javaFunction = new JavaFunction(this, new JavaFunction.Props(region, JavaFunction.Ids.SOLE,
                name, "payment-function", "Payment API handler (" + region.role().label() + " region)", HANDLER,
                MEMORY_MB, TIMEOUT_SECONDS, props.code(), props.logsKey(), props.dataKey(),
                props.logRetentionDays(), props.environment(), permissions,
                Optional.of(new JavaFunction.Vpc(props.network(), props.network().functionSecurityGroupId())),
                // the DR copy starts cold on failover day
                true, props.reservedConcurrency()));
        function = javaFunction.function();
        roleArn = javaFunction.role().arn();
        functionName = function.getFunctionName();
        String version = function.getVersion();
        // terraform_data is Terraform's built-in resource: replaced (and the wait rerun) whenever a
        // new version is published; its output is the version, known only once the wait succeeded
        TerraformResource snapshotReady = new TerraformResource(this, "snapshot_ready",
                TerraformResourceConfig.builder()
                        .terraformResourceType("terraform_data")
                        .provisioners(List.of(LocalExecProvisioner.builder()
                                .type("local-exec")
                                .command(WAIT_FOR_VERSION_COMMAND)
                                .environment(Map.of(
                                        "FUNCTION_REGION", region.region(),
                                        "FUNCTION_NAME", functionName,
                                        "FUNCTION_VERSION", version))
                                .build()))
                        .build());
        snapshotReady.addOverride("input", version);
        snapshotReady.addOverride("triggers_replace", List.of(version));
        LambdaAlias alias = LambdaAlias.Builder.create(this, "alias")
                .provider(region.provider())
                .name(ALIAS)
                .description("The published version callers invoke, once its SnapStart snapshot is ready")
                .functionName(functionName)
                .functionVersion(snapshotReady.getStringAttribute("output"))
                .build();
        aliasArn = Memo.of(alias::getArn);
    }

    public String functionName() {
        return functionName;
    }

    /** The function's role, which the acknowledgement mirror's endpoint admits. */
    public String roleArn() {
        return roleArn;
    }

    public String functionArn() {
        return function.getArn();
    }

    /** What API Gateway and EventBridge invoke: the alias, so SnapStart snapshots are used. */
    public String aliasArn() {
        return aliasArn.get();
    }
}
