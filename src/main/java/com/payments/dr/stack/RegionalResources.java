package com.payments.dr.stack;

import com.hashicorp.cdktf.TerraformStack;
import com.payments.dr.blocks.AckMirrorPath;
import com.payments.dr.blocks.RegionContext;
import com.payments.dr.blocks.AlertTopic;
import com.payments.dr.blocks.Alarms;
import com.payments.dr.blocks.FunctionPackage;
import com.payments.dr.blocks.Watchlist;
import com.payments.dr.blocks.AuroraCluster;
import com.payments.dr.blocks.Bucket;
import com.payments.dr.blocks.EncryptionKey;
import com.payments.dr.blocks.EventWorkflows;
import com.payments.dr.blocks.Iam;
import com.payments.dr.blocks.PolicyStatement;
import com.payments.dr.blocks.Network;
import com.payments.dr.blocks.PaymentApi;
import com.payments.dr.blocks.PaymentFunction;
import com.payments.dr.blocks.MigratorFunction;
import com.payments.dr.blocks.MerchantApiKeys;
import com.payments.dr.function.SchemaMigrator;
import com.hashicorp.cdktf.providers.aws.data_aws_rds_orderable_db_instance.DataAwsRdsOrderableDbInstance;
import java.util.Map;
import java.util.TreeMap;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Ipv4Cidr;
import com.payments.dr.naming.Naming;
import com.payments.dr.naming.ResourceType;
import java.util.List;
import software.constructs.Construct;

/**
 * Everything both regions run, from one definition: the primary and the DR region differ only in
 * how their database joins the global cluster ({@link PrimaryRegion}, {@link DrRegion}).
 */
public abstract class RegionalResources extends Construct {

    // outputs go straight into the stack (see Outputs)
    private final TerraformStack stack;

    private final RegionContext region;
    private final DrConfig config;
    private final EncryptionKey logsKey;
    private final EncryptionKey dataKey;
    private final Network network;
    private final Bucket bucket;
    private final com.payments.dr.blocks.BackupVault backupVault;
    private final AlertTopic alerts;
    private AuroraCluster database;
    private PaymentFunction function;
    private MigratorFunction migrator;
    private MerchantApiKeys merchantKeys;
    private PaymentApi api;
    private EventWorkflows events;
    private Alarms alarms;

    /**
     * The interface endpoints (about $7.30 per zone-month each) a region's VPC gets: none. Nothing
     * in the VPCs calls an AWS API but DynamoDB (a free gateway endpoint): the payment function logs
     * in with an IAM token signed locally, and the schema migrator is handed the owner's
     * credentials by whoever invokes it (MigratorFunction). A function that must call Secrets
     * Manager from the primary VPC (a rotation function for the master secret) adds
     * {@code "secretsmanager"} for the primary role here, and its access in {@link #endpointAccess}.
     */
    public static List<String> interfaceEndpoints(com.payments.dr.naming.RegionRole role) {
        return List.of();
    }
    /** The gateway endpoints the function calls (it uses no S3): the only ones its group may reach. */
    static final List<String> FUNCTION_GATEWAY_SERVICES = List.of("dynamodb");
    /** The function's database role for payments (DML only); migration 3 creates it. */
    public static final String FUNCTION_DB_USER = "payments_api";
    /** Where the package's RDS CA bundle lands: Lambda unpacks the zip into /var/task. */
    public static final String FUNCTION_CA_BUNDLE = "/var/task/rds-ca/rds-ca-bundle.pem";
    /**
     * The JVM caches DNS answers for 30 s by default; Aurora's endpoints have 5 s TTLs and move on
     * failover, so the function follows them within 5 s (failed lookups are retried after 1 s).
     */
    public static final String FUNCTION_JVM_OPTIONS = "-Dsun.net.inetaddr.ttl=5 -Dsun.net.inetaddr.negative.ttl=1";

    protected RegionalResources(TerraformStack scope, RegionContext region, DrConfig config, Ipv4Cidr vpcCidr) {
        super(scope, region.role().label());
        stack = scope;
        this.region = region;
        this.config = config;
        // observability data: the log groups and the alert topic (decision 0031: one key per region
        // for both, each service with a statement of its own)
        logsKey = new EncryptionKey(this, "logs_key", region, "logs", "CloudWatch Logs and alert topic encryption",
                concat(List.of(logsStatement(region, logGroupPatterns(region, config.environmentSuffix()))),
                        AlertTopic.keyStatements(region)));
        dataKey = new EncryptionKey(this, "data_key", region, "data",
                "Aurora storage, Performance Insights, the database secret, the function's environment and the"
                        + " backup vault", concat(List.of(
                Iam.statement("UseThroughRdsSecretsManagerAndLambda", dataKeyActions())
                        .principals(List.of(Iam.aws("arn:" + region.partition() + ":iam::" + region.accountId() + ":root")))
                        .resources(List.of("*"))
                        .condition(dataKeyServices(region))
                        .build(),
                // grants only for the services' own use of the key (RDS storage, Lambda's environment
                // and SnapStart), never a grant a principal could hand itself through them
                Iam.statement("GrantsForAwsResourcesOnly", List.of("kms:CreateGrant"))
                        .principals(List.of(Iam.aws("arn:" + region.partition() + ":iam::" + region.accountId() + ":root")))
                        .resources(List.of("*"))
                        .condition(concat(dataKeyServices(region), List.of(
                                Iam.condition("Bool", "kms:GrantIsForAWSResource", "true"))))
                        .build()), secretReplicaStatements(region, config)));
        network = new Network(this, "network",
                new Network.Props(region, vpcCidr, config.azCount(), config.logRetentionDays(), logsKey,
                        interfaceEndpoints(region.role()), FUNCTION_GATEWAY_SERVICES,
                        List.of(serverlessZones(region, config))));
        bucket = new Bucket(this, "bucket", region, config.logRetentionDays());
        // the same key as the stores it backs up: one purpose (the data at rest), no key per vault
        backupVault = new com.payments.dr.blocks.BackupVault(this, "backup", region, dataKey);
        alerts = new AlertTopic(this, "alerts", region, logsKey, config.alarmEmail());

        String role = region.role().label();
        output("vpc_id", "VPC of the " + role + " region", network.vpcId());
        output("private_subnet_ids", "Private subnets of the " + role + " region", network.privateSubnetIds());
        output("bucket_name", "Data bucket of the " + role + " region", bucket.name());
        output("bucket_arn", "ARN of the data bucket of the " + role + " region", bucket.arn());
        output("alerts_topic_arn", "SNS alert topic of the " + role + " region", alerts.arn());
    }

    /**
     * The master secret is replicated by the primary region's Secrets Manager (ReplicateSecretToRegions
     * runs there, and replication is driven from there), so the DR key's use for the replica can
     * arrive through {@code secretsmanager.<primary>} as well as through the DR region's own
     * endpoint: allow both, still only for this account and only through Secrets Manager.
     */
    private static List<PolicyStatement> secretReplicaStatements(RegionContext region,
                                                                                   DrConfig config) {
        if (region.region().equals(config.primaryRegion())) {
            return List.of();
        }
        return List.of(Iam.statement("EncryptSecretReplicaFromPrimaryRegion", EncryptionKey.USE_ACTIONS)
                .principals(List.of(Iam.aws("arn:" + region.partition() + ":iam::" + region.accountId() + ":root")))
                .resources(List.of("*"))
                .condition(List.of(
                        Iam.condition("StringEquals", "kms:ViaService",
                                "secretsmanager." + config.primaryRegion() + ".amazonaws.com"),
                        Iam.condition("StringEquals", "kms:CallerAccount", region.accountId())))
                .build());
    }

    /** CloudWatch Logs of this region may use the key for the log groups named by {@code patterns} only. */
    public static PolicyStatement logsStatement(RegionContext region, List<String> patterns) {
        return Iam.statement("CloudWatchLogsInThisAccount", EncryptionKey.USE_ACTIONS)
                .principals(List.of(Iam.service("logs." + region.region() + ".amazonaws.com")))
                .resources(List.of("*"))
                .condition(List.of(Iam.condition("ArnLike", "kms:EncryptionContext:aws:logs:arn",
                        patterns.stream().map(pattern -> region.arn("logs", "log-group:" + pattern)).toList())))
                .build();
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** What the services using the data key do with it; their grants are a statement of their own. */
    private static List<String> dataKeyActions() {
        List<String> actions = new java.util.ArrayList<>(EncryptionKey.USE_ACTIONS);
        actions.add("kms:ListGrants");
        return actions;
    }

    /** The data key is used through RDS, Secrets Manager, Lambda and AWS Backup in its region, by this account only. */
    private static List<PolicyStatement.Condition> dataKeyServices(RegionContext region) {
        return List.of(
                Iam.condition("StringEquals", "kms:ViaService", List.of(
                        "rds." + region.region() + ".amazonaws.com",
                        "secretsmanager." + region.region() + ".amazonaws.com",
                        "lambda." + region.region() + ".amazonaws.com",
                        // the backup vault's recovery points (DynamoDB's and the buckets')
                        "backup." + region.region() + ".amazonaws.com")),
                Iam.condition("StringEquals", "kms:CallerAccount", region.accountId()));
    }

    /**
     * The log groups the stack encrypts with the logs key, as name patterns: only AWS-generated
     * parts (a REST API's id) and the functions' varying names are wildcards, and every pattern
     * carries the suffix, so the key serves this stack's log groups and no one else's.
     */
    static List<String> logGroupPatterns(RegionContext region, String suffix) {
        Naming naming = region.naming();
        List<String> patterns = new java.util.ArrayList<>(List.of(
                "/aws/lambda/*-" + suffix,
                naming.name(ResourceType.VPC_FLOW_LOG_GROUP),
                "/aws/apigateway/" + naming.name(ResourceType.API_GATEWAY) + "/access",
                "API-Gateway-Execution-Logs_*/" + naming.name(ResourceType.API_STAGE),
                "/aws/rds/cluster/" + naming.name(ResourceType.RDS_CLUSTER) + "/postgresql",
                naming.name(ResourceType.WAF_LOG_GROUP)));
        if (region.region().equals(com.payments.dr.blocks.FailoverDns.METRICS_REGION)) {
            // Route 53 writes the zone's query logs in us-east-1 only
            patterns.add(Naming.global(suffix).name(ResourceType.DNS_QUERY_LOG_GROUP));
        }
        return List.copyOf(patterns);
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
        // where the reconciliation restores the old primary's snapshot beside the writer (runbook)
        output("db_subnet_group", "Aurora subnet group of the " + role + " region", database.subnetGroupName());
        output("db_security_group_id", "Security group of the " + role + " region's Aurora cluster (the migrator"
                + " reaches what carries it)", network.databaseSecurityGroupId());
        output("data_key_arn", "The " + role + " region's data key (Aurora storage, snapshots copied into the"
                + " region)", dataKey.arn());
        return database;
    }

    /** Adds this region's API key of every merchant key, with the value its secret holds. */
    public final MerchantApiKeys addMerchantKeys(GlobalResources global) {
        merchantKeys = new MerchantApiKeys(this, "merchant_keys", region, global.merchantKeys());
        return merchantKeys;
    }

    /**
     * Adds this region's payment function, wired to this region's database and table, and to this
     * region's merchant keys (which merchant each key id acts for).
     */
    public final PaymentFunction addPaymentFunction(GlobalResources global, FunctionPackage code) {
        return addPaymentFunction(global, code, java.util.Optional.empty());
    }

    /**
     * As {@link #addPaymentFunction(GlobalResources, FunctionPackage)}, the function recording every
     * acknowledgement through {@code mirror} into the other region's replica when there is one.
     */
    public final PaymentFunction addPaymentFunction(GlobalResources global, FunctionPackage code,
                                                    java.util.Optional<AckMirrorPath> mirror) {
        Map<String, String> environment = new TreeMap<>();
        environment.put("REGION_ROLE", region.role().label());
        environment.put("IDEMPOTENCY_TABLE", global.tableName());
        environment.put("DB_HOST", database.writerEndpoint());
        // the readiness probe's: a global secondary's writer endpoint is inactive until promotion
        environment.put("DB_READER_HOST", database.readerEndpoint());
        environment.put("DB_PORT", Integer.toString(AuroraCluster.PORT));
        environment.put("DB_NAME", GlobalResources.DATABASE_NAME);
        environment.put("DB_USER", FUNCTION_DB_USER);
        // the server is authenticated: the CA bundle ships in the package, the name must match
        environment.put("DB_SSL_MODE", "verify-full");
        environment.put("DB_SSL_ROOT_CERT", FUNCTION_CA_BUNDLE);
        environment.put("JAVA_TOOL_OPTIONS", FUNCTION_JVM_OPTIONS);
        environment.put("ALLOWED_ORIGIN", config.function().allowedOrigin());
        environment.put("ALLOWED_CURRENCIES", String.join(",", config.function().currencies()));
        environment.put(MerchantApiKeys.ENVIRONMENT_VARIABLE, merchantKeys.merchantsByKeyId());
        Map<String, String> functionEnvironment = new TreeMap<>(environment);
        mirror.ifPresent(m -> functionEnvironment.putAll(m.functionEnvironment()));
        function = new PaymentFunction(this, "payment_function", new PaymentFunction.Props(region, code, network,
                logsKey, dataKey, config.logRetentionDays(), global.tableName(), functionEnvironment,
                region.arn("rds-db", "dbuser:" + database.clusterResourceId() + "/" + FUNCTION_DB_USER),
                Watchlist.paymentConcurrency(config.database().minAcu(), config.database().maxAcu()),
                mirror.map(m -> List.of(m.functionStatement())).orElse(List.of())));
        mirror.ifPresent(m -> m.restrictTo(function.roleArn()));
        // the same database settings; whoever invokes it hands it the owner's credentials
        Map<String, String> migratorEnvironment = new TreeMap<>(environment);
        // it migrates the writer only: the readiness probe's endpoint is the payment function's
        migratorEnvironment.remove("DB_READER_HOST");
        // it serves no request: which merchant a key acts for is the payment function's business
        migratorEnvironment.remove(MerchantApiKeys.ENVIRONMENT_VARIABLE);
        migrator = new MigratorFunction(this, "migrator", new MigratorFunction.Props(region, code, network, logsKey,
                dataKey, config.logRetentionDays(), global.secretArn(region.region()), migratorEnvironment,
                database.instances(), database.clusterResourceId(), SchemaMigrator.digest(SchemaMigrator.MIGRATIONS),
                region.arn("dynamodb", "table/" + global.tableName())));
        // the reconciliation after a failover reads the table's acknowledgement records
        network.allowMigratorTo("dynamodb");
        network.restrictEndpoints(endpointAccess(global));
        String role = region.role().label();
        output("function_name", "Payment function of the " + role + " region", function.functionName());
        output("function_arn", "ARN of the payment function of the " + role + " region (unqualified)",
                function.functionArn());
        output("function_alias_arn", "The payment function's live alias in the " + role + " region",
                function.aliasArn());
        output("migrator_function_name", "Schema migrator of the " + role + " region (invoke after a failover"
                + " if a deploy is needed)", migrator.functionName());
        output("migrator_function_arn", "ARN of the schema migrator of the " + role + " region",
                migrator.functionArn());
        return function;
    }

    /**
     * The zones where Aurora PostgreSQL offers Serverless v2 instances for a global database. No
     * engine version here: every plan and destroy's refresh read this data source, and the pinned
     * version leaving AWS's offer (it does, minor by minor) must not make them fail while running
     * clusters keep it. An instance class is offered in zones of the region, whichever minor AWS
     * lists it for; whether the pinned version is still orderable is a check block's warning.
     */
    private List<String> serverlessZones(RegionContext region, DrConfig config) {
        pinnedVersionCheck(region, config.database().engineVersion());
        return DataAwsRdsOrderableDbInstance.Builder.create(this, "serverless_offering")
                .provider(region.provider())
                .engine(AuroraCluster.ENGINE)
                // preferred, not instance_class: the class is listed once per storage type and
                // version, and a single preferred class picks one instead of failing on several
                .preferredInstanceClasses(List.of(AuroraCluster.INSTANCE_CLASS))
                .supportsGlobalDatabases(true)
                .build()
                .getAvailabilityZones();
    }

    /** The check block's name for the region: {@code aurora_version_orderable_<role>}. */
    public static String pinnedVersionCheckName(RegionContext region) {
        return "aurora_version_orderable_" + region.role().label();
    }

    /**
     * A Terraform check block whose scoped data source asks whether the pinned engine version is
     * still orderable as a Serverless v2 global-database member here. A check never fails a plan,
     * an apply or a destroy: a version AWS no longer offers is a warning on every plan (a new
     * deployment would then fail at the global cluster; a running one keeps its version until it
     * is upgraded through the global cluster), where a plain data source failed them all.
     * cdktf 0.19 has no construct for check blocks: the block goes into the JSON as it is.
     */
    private void pinnedVersionCheck(RegionContext region, String engineVersion) {
        String name = pinnedVersionCheckName(region);
        Map<String, Object> offering = new TreeMap<>();
        offering.put("provider", "aws." + region.role().label());
        offering.put("engine", AuroraCluster.ENGINE);
        offering.put("engine_version", engineVersion);
        offering.put("preferred_instance_classes", List.of(AuroraCluster.INSTANCE_CLASS));
        offering.put("supports_global_databases", true);
        stack.addOverride("check." + name, Map.of(
                "data", Map.of("aws_rds_orderable_db_instance", Map.of(name, offering)),
                "assert", List.of(Map.of(
                        "condition", "${data.aws_rds_orderable_db_instance." + name + ".engine_version == \""
                                + engineVersion + "\"}",
                        "error_message", "AURORA_ENGINE_VERSION=" + engineVersion + " is no longer orderable as "
                                + AuroraCluster.INSTANCE_CLASS + " for a global database in " + region.region()
                                + ": a new deployment would fail at the global cluster; upgrade a running one"
                                + " through the global cluster, then set the new version"))));
    }

    /**
     * What each of this region's endpoints may be used for, by service: this region's table and
     * bucket, with the function's own actions. A service the network has no endpoint for is simply
     * unused, so the same map fits whichever endpoints the region runs.
     */
    private Map<String, Network.EndpointAccess> endpointAccess(GlobalResources global) {
        Map<String, Network.EndpointAccess> access = new TreeMap<>();
        java.util.Set<String> tableActions = new java.util.TreeSet<>(PaymentFunction.TABLE_ACTIONS);
        tableActions.addAll(MigratorFunction.TABLE_ACTIONS);
        access.put("dynamodb", new Network.EndpointAccess(List.copyOf(tableActions),
                List.of(region.arn("dynamodb", "table/" + global.tableName()))));
        // nothing in the VPC uses S3 today: the endpoint serves only this region's bucket
        access.put("s3", new Network.EndpointAccess(List.of("s3:GetObject", "s3:ListBucket", "s3:PutObject"),
                List.of(bucket.arn(), bucket.arn() + "/*")));
        return access;
    }

    /** Adds this region's REST API in front of its payment function's live alias. */
    public final PaymentApi addPaymentApi() {
        api = new PaymentApi(this, "api", new PaymentApi.Props(region, function.functionName(), function.aliasArn(),
                logsKey, config.logRetentionDays(), config.api(), config.function().allowedOrigin(),
                config.function().currencies(), merchantKeys.idsByQualifier()));
        new com.payments.dr.blocks.WebAcl(this, "waf", region, api.stageArn(), "/health", logsKey,
                config.logRetentionDays());
        String role = region.role().label();
        output("api_invoke_url", "Invoke URL of the payments API stage in the " + role + " region", api.invokeUrl());
        output("api_health_url", "GET /health of the " + role + " region (no API key)", api.healthUrl());
        output("api_id", "REST API id in the " + role + " region", api.id());
        output("api_stage_name", "Stage of the payments API in the " + role + " region", api.stageName());
        return api;
    }

    /** Adds the payment-events and operations workflows of this region. */
    public final EventWorkflows addEventWorkflows(GlobalResources global, FunctionPackage code) {
        events = new EventWorkflows(this, "events", new EventWorkflows.Props(region, code, logsKey, dataKey,
                config.logRetentionDays(), global.streamArn(region.region()), bucket.name(), bucket.arn(), alerts,
                global.globalClusterId(), database.clusterIdentifier()));
        String role = region.role().label();
        output("events_bus_name", "Custom bus of payment events in the " + role + " region", events.busName());
        output("events_pipe_name", "Pipe from the state table's stream to the bus in the " + role + " region",
                events.pipeName());
        output("receipt_function_name", "Receipt function of the " + role + " region", events.receiptFunctionName());
        output("receipt_function_arn", "ARN of the receipt function of the " + role + " region",
                events.receiptFunctionArn());
        output("ops_notifier_function_name", "Ops notifier function of the " + role + " region",
                events.opsNotifierFunctionName());
        output("ops_notifier_function_arn", "ARN of the ops notifier function of the " + role + " region",
                events.opsNotifierFunctionArn());
        output("payment_events_dlq_url", "Dead letters of the payment workflow in the " + role + " region",
                events.paymentDlqUrl());
        output("ops_events_dlq_url", "Dead letters of the operations workflow in the " + role + " region",
                events.opsDlqUrl());
        return events;
    }

    /**
     * Adds this region's alarms on every tier of the payment path, to this region's alert topic.
     *
     * @param other the other region, where this region's table writes replicate to, its bucket's
     *              replication rule delivers and whose bucket's rule delivers here
     */
    public final Alarms addAlarms(GlobalResources global, RegionalResources other) {
        boolean secondary = region.role() == com.payments.dr.naming.RegionRole.DR;
        java.util.Optional<Watchlist.BucketReplication> inbound = config.replicationTimeControl()
                ? java.util.Optional.of(new Watchlist.BucketReplication(other.bucket().name(), bucket.name(),
                        secondary ? GlobalResources.PRIMARY_TO_DR_RULE : GlobalResources.DR_TO_PRIMARY_RULE))
                : java.util.Optional.empty();
        java.util.Optional<Watchlist.BucketReplication> outbound = config.replicationTimeControl()
                ? java.util.Optional.of(new Watchlist.BucketReplication(bucket.name(), other.bucket().name(),
                        secondary ? GlobalResources.DR_TO_PRIMARY_RULE : GlobalResources.PRIMARY_TO_DR_RULE))
                : java.util.Optional.empty();
        Watchlist.Targets targets = new Watchlist.Targets(region.region(), other.region().region(),
                function.functionName(), events.receiptFunctionName(), events.opsNotifierFunctionName(),
                events.paymentDlqName(), events.opsDlqName(), api.name(),
                api.stageName(), database.clusterIdentifier(), config.database().minAcu(),
                config.database().maxAcu(),
                java.util.Optional.of(database.clusterIdentifier()),
                global.tableName(), inbound, outbound,
                config.ackMirror() && region.role() == com.payments.dr.naming.RegionRole.PRIMARY);
        alarms = new Alarms(this, "alarms", region, Watchlist.of(targets, config.alarms()), alerts.arn());
        return alarms;
    }

    /**
     * Backs up this region's table (the DR replica in the DR region) and buckets every day, and in the
     * primary region the database cluster, with a copy of each recovery point in {@code other}'s vault.
     * The DR cluster is a global database's secondary: AWS documents no backup of one by AWS Backup
     * (decision 0034), and the primary cluster's copies already land in the DR region's vault.
     */
    public final void addBackups(GlobalResources global, RegionalResources other) {
        List<String> stores = new java.util.ArrayList<>();
        if (region.role() == com.payments.dr.naming.RegionRole.PRIMARY) {
            stores.add(database.clusterArn());
        }
        stores.addAll(List.of(global.tableArn(region.region()), bucket.arn(), bucket.logBucketArn()));
        backupVault.backUp(stores, other.backupVault);
        output("backup_vault_name", "AWS Backup vault of the " + region.role().label() + " region (copies of the"
                + " other region's recovery points too)", backupVault.name());
        output("backup_role_arn", "The role AWS Backup assumes in the " + region.role().label() + " region (its"
                + " plan's, and an on-demand job's: docs/runbook.md)", backupVault.roleArn());
        output("backup_retention_days", "Days a recovery point in the " + region.role().label() + " region's vault"
                + " is kept (the copies'; an on-demand job's: docs/runbook.md)", backupVault.copyRetentionDays());
    }

    /**
     * Rotates the master secret (which lives in this region) every
     * {@value com.payments.dr.blocks.MasterSecretRotator#ROTATION_DAYS} days through this region's migrator.
     */
    public final void addMasterSecretRotation(GlobalResources global, FunctionPackage events) {
        com.payments.dr.blocks.MasterSecretRotator rotator = new com.payments.dr.blocks.MasterSecretRotator(this,
                "master_secret_rotation", new com.payments.dr.blocks.MasterSecretRotator.Props(region, events, logsKey,
                        dataKey, config.logRetentionDays(), global.secretArn(region.region()), migrator));
        output("secret_rotation_function_name", "Rotates the Aurora master secret through the migrator (every "
                + com.payments.dr.blocks.MasterSecretRotator.ROTATION_DAYS + " days)", rotator.functionName());
    }

    /** This region's alarms, or {@code null} before {@link #addAlarms} ran. */
    public Alarms alarms() {
        return alarms;
    }

    private void output(String name, String description, Object value) {
        Outputs.add(stack, region.role().label() + "_" + name, description, value);
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

    /** This region's merchant keys, or {@code null} before {@link #addMerchantKeys} ran. */
    public MerchantApiKeys merchantKeys() {
        return merchantKeys;
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
