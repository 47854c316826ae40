package com.payments.dr.stack;

import com.payments.dr.blocks.RegionContext;
import com.payments.dr.blocks.AlertTopic;
import com.payments.dr.blocks.AuroraCluster;
import com.payments.dr.blocks.Bucket;
import com.payments.dr.blocks.EncryptionKey;
import com.payments.dr.blocks.EventWorkflows;
import com.payments.dr.blocks.Iam;
import com.payments.dr.blocks.Network;
import com.payments.dr.blocks.PaymentApi;
import com.payments.dr.blocks.PaymentFunction;
import com.hashicorp.cdktf.TerraformAsset;
import java.util.Map;
import java.util.TreeMap;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Ipv4Cidr;
import java.util.List;
import software.constructs.Construct;

/**
 * Everything both regions run, from one definition: the primary and the DR region differ only in
 * how their database joins the global cluster ({@link PrimaryRegion}, {@link DrRegion}).
 */
public abstract class RegionalResources extends Construct {

    private final RegionContext region;
    private final DrConfig config;
    private final EncryptionKey logsKey;
    private final EncryptionKey dataKey;
    private final Network network;
    private final Bucket bucket;
    private final AlertTopic alerts;
    private AuroraCluster database;
    private PaymentFunction function;
    private PaymentApi api;

    /** Without NAT, the function reaches Secrets Manager through an interface endpoint. */
    static final List<String> INTERFACE_ENDPOINTS = List.of("secretsmanager");

    protected RegionalResources(Construct scope, RegionContext region, DrConfig config, Ipv4Cidr vpcCidr) {
        super(scope, region.role().label());
        this.region = region;
        this.config = config;
        logsKey = new EncryptionKey(this, "logs_key", region, "logs", "CloudWatch Logs encryption", List.of(
                Iam.statement("CloudWatchLogsInThisAccount", EncryptionKey.USE_ACTIONS)
                        .principals(List.of(Iam.service("logs." + region.region() + ".amazonaws.com")))
                        .resources(List.of("*"))
                        .condition(List.of(Iam.condition("ArnLike", "kms:EncryptionContext:aws:logs:arn",
                                region.arn("logs", "log-group:*"))))
                        .build()));
        dataKey = new EncryptionKey(this, "data_key", region, "data",
                "Aurora storage, Performance Insights and the database secret", List.of(
                Iam.statement("UseThroughRdsAndSecretsManager", dataKeyActions())
                        .principals(List.of(Iam.aws("arn:" + region.partition() + ":iam::" + region.accountId() + ":root")))
                        .resources(List.of("*"))
                        .condition(List.of(
                                Iam.condition("StringEquals", "kms:ViaService", List.of(
                                        "rds." + region.region() + ".amazonaws.com",
                                        "secretsmanager." + region.region() + ".amazonaws.com")),
                                Iam.condition("StringEquals", "kms:CallerAccount", region.accountId())))
                        .build()));
        network = new Network(this, "network",
                new Network.Props(region, vpcCidr, config.azCount(), config.logRetentionDays(), logsKey,
                        INTERFACE_ENDPOINTS));
        bucket = new Bucket(this, "bucket", region);
        alerts = new AlertTopic(this, "alerts", region, config.alarmEmail());

        String role = region.role().label();
        output("vpc_id", "VPC of the " + role + " region", network.vpcId());
        output("private_subnet_ids", "Private subnets of the " + role + " region", network.privateSubnetIds());
        output("bucket_name", "Data bucket of the " + role + " region", bucket.name());
        output("bucket_arn", "ARN of the data bucket of the " + role + " region", bucket.arn());
        output("alerts_topic_arn", "SNS alert topic of the " + role + " region", alerts.arn());
    }

    /** RDS and Secrets Manager create grants on the caller's behalf to use the key. */
    private static List<String> dataKeyActions() {
        List<String> actions = new java.util.ArrayList<>(EncryptionKey.USE_ACTIONS);
        actions.add("kms:CreateGrant");
        actions.add("kms:ListGrants");
        return actions;
    }

    /** Adds this region's member of the global database; called once the global cluster exists. */
    protected final AuroraCluster addDatabase(String globalClusterId, AuroraCluster.Membership membership,
                                              int instanceCount) {
        database = new AuroraCluster(this, "database", new AuroraCluster.Props(region, config.database(),
                globalClusterId, membership, instanceCount, network.privateSubnetIds(),
                network.availabilityZones(), network.databaseSecurityGroupId(), dataKey, logsKey,
                config.logRetentionDays()));
        String role = region.role().label();
        output("db_cluster_id", "Aurora cluster of the " + role + " region", database.clusterIdentifier());
        output("db_writer_endpoint", "Aurora cluster (writer) endpoint of the " + role + " region",
                database.writerEndpoint());
        output("db_reader_endpoint", "Aurora reader endpoint of the " + role + " region", database.readerEndpoint());
        return database;
    }

    /** Adds this region's payment function, wired to this region's database, secret and table. */
    public final PaymentFunction addPaymentFunction(GlobalResources global, TerraformAsset code) {
        Map<String, String> environment = new TreeMap<>();
        environment.put("REGION_ROLE", region.role().label());
        environment.put("IDEMPOTENCY_TABLE", global.tableName());
        environment.put("DB_SECRET_ARN", global.secretArn(region.region()));
        environment.put("DB_HOST", database.writerEndpoint());
        environment.put("DB_PORT", Integer.toString(AuroraCluster.PORT));
        environment.put("DB_NAME", GlobalResources.DATABASE_NAME);
        // encrypted; certificate verification needs the RDS CA bundle in the package (DB_SSL_ROOT_CERT)
        environment.put("DB_SSL_MODE", "require");
        environment.put("ALLOWED_ORIGIN", config.function().allowedOrigin());
        environment.put("ALLOWED_CURRENCIES", String.join(",", config.function().currencies()));
        function = new PaymentFunction(this, "payment_function", new PaymentFunction.Props(region, code, network,
                logsKey, dataKey, config.logRetentionDays(), global.secretArn(region.region()), global.tableName(),
                environment));
        String role = region.role().label();
        output("function_name", "Payment function of the " + role + " region", function.functionName());
        output("function_alias_arn", "The payment function's live alias in the " + role + " region",
                function.aliasArn());
        return function;
    }

    /** Adds this region's REST API in front of its payment function's live alias. */
    public final PaymentApi addPaymentApi() {
        api = new PaymentApi(this, "api", new PaymentApi.Props(region, function.functionName(), function.aliasArn(), logsKey, config.logRetentionDays(), config.api(),
                config.function().allowedOrigin(), config.function().currencies()));
        String role = region.role().label();
        output("api_invoke_url", "Invoke URL of the payments API stage in the " + role + " region", api.invokeUrl());
        output("api_health_url", "GET /health of the " + role + " region (no API key)", api.healthUrl());
        output("api_id", "REST API id in the " + role + " region", api.id());
        output("api_stage_name", "Stage of the payments API in the " + role + " region", api.stageName());
        output("api_key_id", "Id of the API key (never its value) in the " + role + " region", api.apiKeyId());
        return api;
    }

    /** Adds the payment-events and operations workflows of this region. */
    public final EventWorkflows addEventWorkflows(GlobalResources global, TerraformAsset code) {
        EventWorkflows events = new EventWorkflows(this, "events", new EventWorkflows.Props(region, code, logsKey,
                config.logRetentionDays(), global.streamArn(region.region()), bucket.name(), bucket.arn(), alerts,
                global.globalClusterId(), database.clusterIdentifier()));
        String role = region.role().label();
        output("events_bus_name", "Custom bus of payment events in the " + role + " region", events.busName());
        output("events_pipe_name", "Pipe from the state table's stream to the bus in the " + role + " region",
                events.pipeName());
        output("receipt_function_name", "Receipt function of the " + role + " region", events.receiptFunctionName());
        output("ops_notifier_function_name", "Ops notifier function of the " + role + " region",
                events.opsNotifierFunctionName());
        output("payment_events_dlq_url", "Dead letters of the payment workflow in the " + role + " region",
                events.paymentDlqUrl());
        output("ops_events_dlq_url", "Dead letters of the operations workflow in the " + role + " region",
                events.opsDlqUrl());
        return events;
    }

    private void output(String name, String description, Object value) {
        Outputs.add(this, region.role().label() + "_" + name, description, value);
    }

    public RegionContext region() {
        return region;
    }

    public EncryptionKey logsKey() {
        return logsKey;
    }

    public EncryptionKey dataKey() {
        return dataKey;
    }

    public Network network() {
        return network;
    }

    public Bucket bucket() {
        return bucket;
    }

    public AlertTopic alerts() {
        return alerts;
    }

    /** This region's payment function, or {@code null} before {@link #addPaymentFunction} ran. */
    public PaymentFunction paymentFunction() {
        return function;
    }

    /** This region's REST API, or {@code null} before {@link #addPaymentApi} ran. */
    public PaymentApi api() {
        return api;
    }

    /** This region's Aurora cluster, or {@code null} before {@link #addDatabase} ran. */
    public AuroraCluster database() {
        return database;
    }
}
