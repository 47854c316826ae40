package com.payments.dr.blocks;

import com.hashicorp.cdktf.ITerraformDependable;
import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.db_subnet_group.DbSubnetGroup;
import com.hashicorp.cdktf.providers.aws.rds_cluster.RdsCluster;
import com.hashicorp.cdktf.providers.aws.rds_cluster.RdsClusterServerlessv2ScalingConfiguration;
import com.hashicorp.cdktf.providers.aws.rds_cluster_instance.RdsClusterInstance;
import com.hashicorp.cdktf.providers.aws.rds_cluster_parameter_group.RdsClusterParameterGroup;
import com.hashicorp.cdktf.providers.aws.rds_cluster_parameter_group.RdsClusterParameterGroupParameter;
import com.payments.dr.config.DatabaseSettings;
import com.payments.dr.naming.ResourceType;
import java.util.ArrayList;
import java.util.List;
import software.constructs.Construct;

/**
 * One regional member of the Aurora PostgreSQL Global Database, Serverless v2: subnet group,
 * TLS-only parameter group, the cluster, its {@code db.serverless} instances spread over the
 * zones, and its PostgreSQL log group (created first, so it is encrypted, retained for a bounded
 * time and destroyed with the stack instead of being left behind by RDS).
 */
public final class AuroraCluster extends Construct {

    public static final String ENGINE = "aurora-postgresql";
    public static final String INSTANCE_CLASS = "db.serverless";
    public static final int PORT = 5432;
    static final String BACKUP_WINDOW = "03:00-04:00";
    static final String MAINTENANCE_WINDOW = "sun:04:30-sun:05:30";
    /** Performance Insights' free tier. */
    static final int PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
    /** The RSA 2048 CA: supported by the JDK's TLS stack and valid into the 2060s. */
    static final String CA_CERTIFICATE = "rds-ca-rsa2048-g1";
    /** A production cluster's final snapshot: {@code final-<cluster identifier>}. */
    public static final String FINAL_SNAPSHOT_PREFIX = "final-";

    /** How the cluster joins the global database. */
    public sealed interface Membership permits Primary, Secondary {
    }

    /** The writer region: owns the master credentials and the initial database. */
    public record Primary(String masterUsername, String masterPassword, String databaseName) implements Membership {
    }

    /**
     * A read-only replica region. It must not set credentials or a database name, it replicates
     * from {@code sourceRegion}, and it can only be added once the primary's instances exist.
     */
    public record Secondary(String sourceRegion, List<ITerraformDependable> after) implements Membership {
    }

    public record Props(RegionContext region, DatabaseSettings settings, String globalClusterId,
                        Membership membership, int instanceCount, List<String> subnetIds,
                        List<String> availabilityZones, String securityGroupId, EncryptionKey key,
                        EncryptionKey logsKey, int logRetentionDays) {
    }

    private final List<RdsClusterInstance> instances = new ArrayList<>();
    private final Memo<String> clusterIdentifier;
    private final Memo<String> clusterArn;
    private final Memo<String> clusterResourceId;
    private final Memo<String> writerEndpoint;
    private final Memo<String> readerEndpoint;
    private final String subnetGroupName;

    public AuroraCluster(Construct scope, String id, Props props) {
        super(scope, id);
        RegionContext region = props.region();
        var naming = region.naming();
        DatabaseSettings settings = props.settings();
        String clusterId = naming.name(ResourceType.RDS_CLUSTER);

        subnetGroupName = DbSubnetGroup.Builder.create(this, "subnet_group")
                .provider(region.provider())
                .name(naming.name(ResourceType.DB_SUBNET_GROUP))
                .description("Private subnets of " + clusterId)
                .subnetIds(props.subnetIds())
                .build()
                .getName();

        String family = settings.parameterGroupFamily();
        // A major upgrade changes the family, which replaces the group: a generated name and
        // create-before-destroy let the new group exist (and the cluster move to it) before the
        // old one, still in use, is deleted.
        RdsClusterParameterGroup parameters = RdsClusterParameterGroup.Builder.create(this, "parameter_group")
                .provider(region.provider())
                .namePrefix(naming.name(ResourceType.DB_PARAMETER_GROUP, family.replace("aurora-postgresql", "pg")) + "-")
                .family(family)
                .description("TLS-only connections for " + clusterId)
                .parameter(parameters())
                .lifecycle(TerraformResourceLifecycle.builder().createBeforeDestroy(true).build())
                .build();

        CloudwatchLogGroup logGroup = CloudwatchLogGroup.Builder.create(this, "log_group")
                .provider(region.provider())
                .name("/aws/rds/cluster/" + clusterId + "/postgresql")
                // the database's audit log (connections, DDL, slow statements): a year in production
                .retentionInDays(region.protection().auditRetentionDays(props.logRetentionDays()))
                .kmsKeyId(props.logsKey().arn())
                .skipDestroy(region.retainLogs())
                .build();

        // engine_version: the global cluster drives upgrades of its members (provider docs), and
        // an upgrade AWS applies must not turn into a downgrade in the next plan
        List<String> ignored = new ArrayList<>(List.of("replication_source_identifier", "global_cluster_identifier",
                "engine_version"));
        List<ITerraformDependable> dependsOn = new ArrayList<>(List.of(logGroup));
        RdsCluster.Builder builder = RdsCluster.Builder.create(this, "cluster")
                .provider(region.provider())
                .clusterIdentifier(clusterId)
                .engine(ENGINE)
                .engineVersion(settings.engineVersion())
                .engineMode("provisioned")
                .globalClusterIdentifier(props.globalClusterId())
                .port(PORT)
                .dbSubnetGroupName(subnetGroupName)
                .vpcSecurityGroupIds(List.of(props.securityGroupId()))
                .dbClusterParameterGroupName(parameters.getName())
                .storageEncrypted(true)
                .kmsKeyId(props.key().arn())
                .iamDatabaseAuthenticationEnabled(true)
                .backupRetentionPeriod(settings.backupRetentionDays())
                .preferredBackupWindow(BACKUP_WINDOW)
                .preferredMaintenanceWindow(MAINTENANCE_WINDOW)
                .copyTagsToSnapshot(true)
                .enabledCloudwatchLogsExports(List.of("postgresql"))
                .serverlessv2ScalingConfiguration(RdsClusterServerlessv2ScalingConfiguration.builder()
                        .minCapacity(settings.minAcu()).maxCapacity(settings.maxAcu()).build())
                // production: a destroy or a mistaken replacement fails instead of deleting the
                // database, and a deliberate deletion (decommission lifts the protection) leaves a final snapshot
                .deletionProtection(region.protection().deletionProtection())
                .skipFinalSnapshot(!region.production())
                .finalSnapshotIdentifier(region.production() ? FINAL_SNAPSHOT_PREFIX + clusterId : null)
                .applyImmediately(true);
        if (props.membership() instanceof Primary primary) {
            // the password is read from the secret's current value: if the secret is ever
            // replaced or changed, the next apply sets the cluster to match, never the reverse
            builder.masterUsername(primary.masterUsername())
                    .masterPassword(primary.masterPassword())
                    .databaseName(primary.databaseName());
        } else {
            Secondary secondary = (Secondary) props.membership();
            builder.sourceRegion(secondary.sourceRegion());
            dependsOn.addAll(secondary.after());
        }
        RdsCluster cluster = builder
                .dependsOn(dependsOn)
                .lifecycle(TerraformResourceLifecycle.builder().ignoreChanges(ignored).build())
                .build();
        clusterIdentifier = Memo.of(cluster::getClusterIdentifier);
        clusterArn = Memo.of(cluster::getArn);
        clusterResourceId = Memo.of(cluster::getClusterResourceId);
        writerEndpoint = Memo.of(cluster::getEndpoint);
        readerEndpoint = Memo.of(cluster::getReaderEndpoint);

        String clusterRef = cluster.getId();
        for (int i = 0; i < props.instanceCount(); i++) {
            String index = Integer.toString(i + 1);
            RdsClusterInstance.Builder instance = RdsClusterInstance.Builder.create(this, "instance_" + index)
                    .provider(region.provider())
                    .identifier(naming.name(ResourceType.RDS_INSTANCE, index))
                    .clusterIdentifier(clusterRef)
                    .instanceClass(INSTANCE_CLASS)
                    // no engine_version: instances run their cluster's, which the global cluster drives
                    .engine(ENGINE)
                    .dbSubnetGroupName(subnetGroupName)
                    .availabilityZone(props.availabilityZones().get(i % props.availabilityZones().size()))
                    .publiclyAccessible(false)
                    // a global database's members must run the same version; AWS upgrades each
                    // instance in its own window, so automatic minors would split the members
                    // (docs/security.md, "Deliberate choices")
                    .autoMinorVersionUpgrade(false)
                    .promotionTier(i)
                    .caCertIdentifier(CA_CERTIFICATE)
                    .copyTagsToSnapshot(true)
                    .performanceInsightsEnabled(true)
                    .performanceInsightsKmsKeyId(props.key().arn())
                    .performanceInsightsRetentionPeriod(PERFORMANCE_INSIGHTS_RETENTION_DAYS)
                    .applyImmediately(true);
            if (!instances.isEmpty()) {
                // the first instance to come up becomes the writer: make that instance 1
                instance.dependsOn(List.of(instances.get(0)));
            }
            instances.add(instance.build());
        }
    }

    /** The slowest statement that is not logged: slower ones are, with their duration. */
    static final int LOG_STATEMENTS_SLOWER_THAN_MS = 1000;

    /**
     * TLS only, and the audit trail PostgreSQL writes into the exported log: every connection and
     * disconnection (who, from where, how long), every DDL statement (ALTER ROLE among them, which
     * the rotation sends with a SCRAM verifier, never the password) and slow statements. Payment
     * statements themselves are not logged: their parameters would put payment data in the log.
     */
    static List<RdsClusterParameterGroupParameter> parameters() {
        return List.of(
                parameter("rds.force_ssl", "1"),
                parameter("log_connections", "1"),
                parameter("log_disconnections", "1"),
                parameter("log_statement", "ddl"),
                parameter("log_min_duration_statement", Integer.toString(LOG_STATEMENTS_SLOWER_THAN_MS)),
                // a slow statement's bind parameters (payment data) stay out of the log
                parameter("log_parameter_max_length", "0"));
    }

    private static RdsClusterParameterGroupParameter parameter(String name, String value) {
        return RdsClusterParameterGroupParameter.builder().name(name).value(value).build();
    }

    public String clusterIdentifier() {
        return clusterIdentifier.get();
    }

    /** The cluster's subnet group: where a restored snapshot goes beside it (the reconciliation). */
    public String subnetGroupName() {
        return subnetGroupName;
    }

    /** The cluster's ARN (what AWS Backup selects). */
    public String clusterArn() {
        return clusterArn.get();
    }

    /** The cluster's resource id ({@code cluster-…}), which IAM database authentication ARNs name. */
    public String clusterResourceId() {
        return clusterResourceId.get();
    }

    public String writerEndpoint() {
        return writerEndpoint.get();
    }

    public String readerEndpoint() {
        return readerEndpoint.get();
    }

    public List<ITerraformDependable> instances() {
        return List.copyOf(instances);
    }
}
