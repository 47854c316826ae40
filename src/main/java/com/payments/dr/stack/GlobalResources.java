package com.payments.dr.stack;

import com.hashicorp.cdktf.TerraformStack;
import com.payments.dr.blocks.RegionContext;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.LocalExecProvisioner;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceConfig;
import com.hashicorp.cdktf.Postcondition;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.Token;
import com.hashicorp.cdktf.providers.aws.data_aws_secretsmanager_secret_version.DataAwsSecretsmanagerSecretVersion;
import com.hashicorp.cdktf.providers.aws.data_aws_secretsmanager_random_password.DataAwsSecretsmanagerRandomPassword;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTable;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTableAttribute;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTablePointInTimeRecovery;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTableReplica;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTableServerSideEncryption;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTableTtl;
import com.hashicorp.cdktf.providers.aws.rds_global_cluster.RdsGlobalCluster;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRule;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRuleDeleteMarkerReplication;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRuleDestination;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRuleDestinationMetrics;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRuleDestinationMetricsEventThreshold;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRuleDestinationReplicationTime;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRuleDestinationReplicationTimeTime;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRuleFilter;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRuleSourceSelectionCriteria;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRuleSourceSelectionCriteriaReplicaModifications;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret.SecretsmanagerSecret;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret.SecretsmanagerSecretReplica;
import com.hashicorp.cdktf.providers.aws.secretsmanager_secret_version.SecretsmanagerSecretVersion;
import com.payments.dr.blocks.AuroraCluster;
import com.payments.dr.blocks.Bucket;
import com.payments.dr.blocks.Iam;
import com.payments.dr.blocks.Memo;
import com.payments.dr.blocks.MerchantKeySecrets;
import com.payments.dr.config.DrConfig;
import com.payments.dr.naming.Naming;
import com.payments.dr.naming.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * What spans both regions: the Aurora global cluster and its master secret (replicated to the DR
 * region), the DynamoDB global table for session and idempotency state, and the replication of
 * the primary bucket into the DR bucket. Resources are created through the primary region's
 * provider; their replicas live in the DR region.
 */
public final class GlobalResources extends Construct {

    // outputs go straight into the stack (see Outputs)
    private final TerraformStack stack;

    public static final String DATABASE_NAME = "payments";
    public static final String MASTER_USERNAME = "payments_admin";
    /** Partition key of the state table: {@code IDEMPOTENCY#<key>} or {@code SESSION#<id>}. */
    public static final String TABLE_PARTITION_KEY = "pk";
    /** Epoch seconds after which DynamoDB deletes an item for free. */
    public static final String TABLE_TTL_ATTRIBUTE = "expires_at";
    static final int PASSWORD_LENGTH = 40;
    static final int REPLICATION_TIME_MINUTES = 15;

    private final Memo<String> globalClusterId;
    private final DataAwsSecretsmanagerRandomPassword password;
    private final SecretsmanagerSecret secret;
    private final String secretArn;
    private final DataAwsSecretsmanagerSecretVersion currentCredentials;
    private final DynamodbTable table;
    private final String tableName;
    private final String tableArn;
    private final String homeRegion;
    private final String replicaRegion;
    private final Memo<String> syncedReplicaArn;
    private final MerchantKeySecrets merchantKeys;

    /** 120 polls 5 s apart: a replica normally syncs within a minute; ten minutes means it is stuck. */
    static final int REPLICA_WAIT_ATTEMPTS = 120;
    static final int REPLICA_WAIT_SECONDS = 5;
    /**
     * Polls the secret in its own region until the DR replica is InSync; fails at once on Failed
     * (printing AWS's status message) and after WAIT_ATTEMPTS polls. The CLI has no waiter for
     * this. Values come in through the environment, never the shell.
     */
    public static final String WAIT_FOR_REPLICA_COMMAND = "i=0; while :; do"
            + " status=$(aws secretsmanager describe-secret --region \"$SECRET_REGION\" --secret-id \"$SECRET_ID\""
            + " --query \"ReplicationStatus[?Region=='$REPLICA_REGION'] | [0].[Status, StatusMessage]\""
            + " --output text) || exit 1;"
            + " case \"$status\" in"
            + " InSync*) exit 0 ;;"
            + " Failed*) echo \"replica of $SECRET_ID in $REPLICA_REGION failed to sync: $status\" >&2; exit 1 ;;"
            + " esac;"
            + " i=$((i + 1));"
            + " if [ \"$i\" -ge \"$WAIT_ATTEMPTS\" ]; then"
            + " echo \"replica of $SECRET_ID in $REPLICA_REGION not InSync after $i polls: $status\" >&2; exit 1; fi;"
            + " sleep \"$WAIT_SECONDS\";"
            + " done";

    /** The replication rules' ids (S3's replication metrics name them). */
    public static final String PRIMARY_TO_DR_RULE = "replicate-everything-to-dr";
    public static final String DR_TO_PRIMARY_RULE = "replicate-everything-to-primary";

    public GlobalResources(TerraformStack scope, DrConfig config, PrimaryRegion primary, DrRegion dr) {
        super(scope, "global");
        stack = scope;
        RegionContext home = primary.region();
        homeRegion = home.region();
        Naming naming = Naming.global(config.environmentSuffix());

        RdsGlobalCluster globalCluster = RdsGlobalCluster.Builder.create(this, "aurora_global_cluster")
                .provider(home.provider())
                .globalClusterIdentifier(naming.name(ResourceType.RDS_GLOBAL_CLUSTER))
                .engine(AuroraCluster.ENGINE)
                .engineVersion(config.database().engineVersion())
                .storageEncrypted(true)
                .deletionProtection(home.protection().deletionProtection())
                // destroyable and decommission: removes the members' association so a destroy can proceed
                .forceDestroy(!home.protection().deletionProtection())
                .build();
        String globalClusterIdentifier = globalCluster.getGlobalClusterIdentifier();
        globalClusterId = Memo.of(globalCluster::getId);

        // The password exists only in Terraform state (kept encrypted in the S3 backend) and in the
        // secret: never in code or in the synthesized JSON.
        password = DataAwsSecretsmanagerRandomPassword.Builder.create(this, "master_password")
                .provider(home.provider())
                .passwordLength(PASSWORD_LENGTH)
                // RDS refuses / @ " and spaces in master passwords
                .excludePunctuation(true)
                .includeSpace(false)
                .build();
        secret = SecretsmanagerSecret.Builder.create(this, "master_secret")
                .provider(home.provider())
                .name(naming.name(ResourceType.SECRET, "aurora-master"))
                .description("Master credentials of the Aurora global database " + globalClusterIdentifier)
                .kmsKeyId(primary.dataKey().arn())
                .recoveryWindowInDays(secretRecoveryDays(home))
                .replica(List.of(SecretsmanagerSecretReplica.builder()
                        .region(dr.region().region())
                        .kmsKeyId(dr.dataKey().arn())
                        .build()))
                .forceOverwriteReplicaSecret(true)
                // The apply that creates the replica sees it InProgress (the provider never waits
                // for replication): replicaReady below fails that apply. This catches a replica that
                // fails later (e.g. its key is disabled): every later plan refreshes the status.
                .lifecycle(TerraformResourceLifecycle.builder().postcondition(List.of(Postcondition.builder()
                        .condition("${alltrue([for replica in self.replica : replica.status != \"Failed\"])}")
                        .errorMessage("The master secret's replica failed to sync: see status_message in"
                                + " `aws secretsmanager describe-secret` (usually the DR key's policy)")
                        .build())).build())
                .build();
        secretArn = secret.getArn();
        String secretId = secret.getId();
        replicaRegion = dr.region().region();
        // terraform_data is Terraform's built-in resource: rerun whenever the replica is created
        // anew (a new secret, another DR key); its output, the replica's ARN, is known only once the
        // replica is InSync, so whatever uses the DR secret through secretArn(dr) waits for it
        TerraformResource replicaReady = new TerraformResource(this, "secret_replica_ready", TerraformResourceConfig.builder()
                .terraformResourceType("terraform_data")
                .provisioners(List.of(LocalExecProvisioner.builder()
                        .type("local-exec")
                        .command(WAIT_FOR_REPLICA_COMMAND)
                        .environment(Map.of(
                                "SECRET_REGION", homeRegion,
                                "SECRET_ID", secretArn,
                                "REPLICA_REGION", replicaRegion,
                                "WAIT_ATTEMPTS", Integer.toString(REPLICA_WAIT_ATTEMPTS),
                                "WAIT_SECONDS", Integer.toString(REPLICA_WAIT_SECONDS)))
                        .build()))
                .build());
        replicaReady.addOverride("input", replicaArn(secretArn));
        replicaReady.addOverride("triggers_replace", List.of(secretArn, dr.dataKey().arn()));
        syncedReplicaArn = Memo.of(() -> replicaReady.getStringAttribute("output"));
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("username", MASTER_USERNAME);
        credentials.put("password", password.getRandomPassword());
        credentials.put("engine", "postgres");
        credentials.put("port", AuroraCluster.PORT);
        credentials.put("dbname", DATABASE_NAME);
        SecretsmanagerSecretVersion secretValue = SecretsmanagerSecretVersion.Builder.create(this, "master_secret_value")
                .provider(home.provider())
                .secretId(secretId)
                // no host: the secret is replicated, and each region's function connects to its own cluster
                .secretString(Fn.jsonencode(credentials))
                // the generator yields a new value on every plan: the first one is the one that counts
                .lifecycle(TerraformResourceLifecycle.builder().ignoreChanges(List.of("secret_string")).build())
                .build();
        // The one source of the master password: the secret's current value, read on every plan.
        // The cluster takes its password from here, so the database and the secret cannot disagree,
        // even after the secret or the cluster is replaced or the secret is changed by hand.
        currentCredentials = DataAwsSecretsmanagerSecretVersion.Builder.create(this, "master_secret_current")
                .provider(home.provider())
                .secretId(secretId)
                .dependsOn(List.of(secretValue))
                .build();

        table = DynamodbTable.Builder.create(this, "state_table")
                .provider(home.provider())
                .name(naming.name(ResourceType.DYNAMODB_TABLE, "payment-state"))
                .billingMode("PAY_PER_REQUEST")
                .hashKey(TABLE_PARTITION_KEY)
                .attribute(List.of(DynamodbTableAttribute.builder().name(TABLE_PARTITION_KEY).type("S").build()))
                .ttl(DynamodbTableTtl.builder().attributeName(TABLE_TTL_ATTRIBUTE).enabled(true).build())
                .streamEnabled(true)
                .streamViewType("NEW_AND_OLD_IMAGES")
                .serverSideEncryption(DynamodbTableServerSideEncryption.builder().enabled(true).build())
                .pointInTimeRecovery(DynamodbTablePointInTimeRecovery.builder().enabled(true).build())
                .replica(List.of(DynamodbTableReplica.builder()
                        .regionName(dr.region().region())
                        .pointInTimeRecovery(true)
                        .propagateTags(true)
                        .build()))
                .deletionProtectionEnabled(home.protection().deletionProtection())
                .build();
        tableName = table.getName();
        tableArn = table.getArn();

        replicate(config, primary, dr);
        merchantKeys = new MerchantKeySecrets(this, "merchant_keys", home.withNaming(naming), primary.dataKey().arn(),
                dr.region(), dr.dataKey().arn(), config.api().merchantKeys());
        Outputs.add(stack, "global_cluster_id", "Aurora global cluster", globalClusterIdentifier);
        Outputs.add(stack, "db_secret_arn", "Secrets Manager secret with the Aurora master credentials",
                secretArn);
        Outputs.add(stack, "db_secret_replica_status",
                "Sync status of the master secret's DR replica (InSync, InProgress or Failed)",
                secret.getReplica().get(0).getStatus());
        Outputs.add(stack, "state_table_name", "DynamoDB global table for session and idempotency state",
                tableName);
        Outputs.add(stack, "state_table_arn", "ARN of the state table in the primary region", tableArn);
    }

    /**
     * Both ways: the primary bucket into the DR bucket, and the DR bucket back into the primary,
     * each with replica modification sync. After a failover the DR region's new objects (and
     * changes to replicas) flow back, so fail-back needs no manual copy. S3 never replicates a
     * replica again, so the two rules cannot loop.
     */
    private void replicate(DrConfig config, PrimaryRegion primary, DrRegion dr) {
        RegionContext home = primary.region();
        Bucket primaryBucket = primary.bucket();
        Bucket drBucket = dr.bucket();
        List<String> buckets = List.of(drBucket.arn(), primaryBucket.arn());
        List<String> objects = List.of(drBucket.arn() + "/*", primaryBucket.arn() + "/*");
        Iam.ServiceRole role = Iam.serviceRole(this, "replication_role", home.withNaming(Naming.global(config.environmentSuffix())),
                "s3-replication", "s3.amazonaws.com", List.of(
                        Iam.allow("ReadReplicationConfiguration",
                                List.of("s3:GetReplicationConfiguration", "s3:ListBucket"), buckets),
                        Iam.allow("ReadSourceVersions",
                                List.of("s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication",
                                        "s3:GetObjectVersionTagging"),
                                objects),
                        Iam.allow("WriteReplicas",
                                List.of("s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"),
                                objects)));
        replication("bucket_replication", PRIMARY_TO_DR_RULE, primary.region(), primaryBucket, drBucket,
                role, config.replicationTimeControl());
        replication("failback_replication", DR_TO_PRIMARY_RULE, dr.region(), drBucket, primaryBucket,
                role, config.replicationTimeControl());
    }

    private void replication(String id, String ruleId, RegionContext sourceRegion, Bucket source, Bucket destination,
                             Iam.ServiceRole role, boolean timeControl) {
        S3BucketReplicationConfigurationRuleDestination.Builder target =
                S3BucketReplicationConfigurationRuleDestination.builder()
                        .bucket(destination.arn())
                        .storageClass("STANDARD");
        if (timeControl) {
            // RTC needs both the 15-minute time objective and the replication metrics
            target.replicationTime(S3BucketReplicationConfigurationRuleDestinationReplicationTime.builder()
                            .status("Enabled")
                            .time(S3BucketReplicationConfigurationRuleDestinationReplicationTimeTime.builder()
                                    .minutes(REPLICATION_TIME_MINUTES).build())
                            .build())
                    .metrics(S3BucketReplicationConfigurationRuleDestinationMetrics.builder()
                            .status("Enabled")
                            .eventThreshold(S3BucketReplicationConfigurationRuleDestinationMetricsEventThreshold.builder()
                                    .minutes(REPLICATION_TIME_MINUTES).build())
                            .build());
        }
        S3BucketReplicationConfigurationA.Builder.create(this, id)
                .provider(sourceRegion.provider())
                .role(role.arn())
                .bucket(source.id())
                .rule(List.of(S3BucketReplicationConfigurationRule.builder()
                        .id(ruleId)
                        .status("Enabled")
                        .priority(1)
                        .filter(S3BucketReplicationConfigurationRuleFilter.builder().prefix("").build())
                        // a rule with a filter (V2) must say what happens to delete markers
                        .deleteMarkerReplication(S3BucketReplicationConfigurationRuleDeleteMarkerReplication.builder()
                                .status("Enabled").build())
                        // metadata and tag changes made to a replica flow back to its source
                        .sourceSelectionCriteria(S3BucketReplicationConfigurationRuleSourceSelectionCriteria.builder()
                                .replicaModifications(
                                        S3BucketReplicationConfigurationRuleSourceSelectionCriteriaReplicaModifications
                                                .builder().status("Enabled").build())
                                .build())
                        .destination(target.build())
                        .build()))
                // S3 refuses replication until versioning is on at both ends; an object written
                // while the role's policy still propagates is marked FAILED and never retried
                .dependsOn(List.of(source.versioning(), destination.versioning(), role.policy()))
                .build();
    }

    /** Every merchant key's secret: the one value both regions' API keys are given. */
    public MerchantKeySecrets merchantKeys() {
        return merchantKeys;
    }

    /**
     * Days a deleted secret can still be restored: none when destroyable (the name is free again at
     * once), Secrets Manager's longest window in production.
     */
    public static int secretRecoveryDays(RegionContext region) {
        return region.production() ? 30 : 0;
    }

    public String globalClusterId() {
        return globalClusterId.get();
    }

    /** The master password as a Terraform expression (the secret's current value): resolves only inside Terraform. */
    public String masterPassword() {
        return Token.asString(Fn.lookup(Fn.jsondecode(currentCredentials.getSecretString()), "password"));
    }

    public String secretArn() {
        return secretArn;
    }

    /**
     * The secret's ARN in {@code region}. The DR replica's comes from its waiter, so a function (its
     * environment and role) there is created only once the replica holds the credentials.
     */
    public String secretArn(String region) {
        // the only other region is the replica's
        if (region.equals(homeRegion)) {
            return secretArn;
        }
        return syncedReplicaArn.get();
    }

    /** A replica keeps the secret's name and random suffix, in its own region. */
    private String replicaArn(String arn) {
        return Fn.replace(arn, ":" + homeRegion + ":", ":" + replicaRegion + ":");
    }

    /** The state table's stream in {@code region}: the DR replica has a stream of its own. */
    public String streamArn(String region) {
        if (region.equals(homeRegion)) {
            return table.getStreamArn();
        }
        return table.getReplica().get(0).getStreamArn();
    }

    /** The state table's ARN in {@code region}: the DR replica is a table of its own there. */
    public String tableArn(String region) {
        if (region.equals(homeRegion)) {
            return tableArn;
        }
        return table.getReplica().get(0).getArn();
    }

    public String tableName() {
        return tableName;
    }

    public String tableArn() {
        return tableArn;
    }
}
