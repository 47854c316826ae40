package com.payments.dr.stack;

import com.payments.dr.blocks.RegionContext;
import com.hashicorp.cdktf.S3Backend;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.data_aws_caller_identity.DataAwsCallerIdentity;
import com.hashicorp.cdktf.providers.aws.data_aws_partition.DataAwsPartition;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.MerchantKey;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import com.payments.dr.blocks.AckMirrorPath;
import com.payments.dr.blocks.AlertTopic;
import com.payments.dr.blocks.Dashboard;
import com.payments.dr.blocks.FailoverDns;
import com.payments.dr.blocks.FunctionPackage;
import com.payments.dr.naming.Naming;
import com.payments.dr.naming.ResourceType;
import com.payments.dr.naming.RegionRole;
import software.constructs.Construct;

/**
 * The one Terraform stack: two aliased AWS providers, the S3 backend, and the constructs for the
 * primary region, the DR region and what spans both.
 */
public final class DrStack extends TerraformStack {

    public static final String NAME = "payments-dr";

    private final PrimaryRegion primary;
    private final DrRegion dr;
    private final GlobalResources global;
    private final Dashboard dashboard;
    private final FailoverDns dns;

    public DrStack(Construct scope, DrConfig config) {
        super(scope, NAME);
        // Terraform >= 1.11 deprecates DynamoDB locking for S3 lock files; during the migration both
        // are configured (Terraform's documented path) and Terraform takes both locks, so runs on
        // the old and the new configuration still exclude each other. STATE_LOCK_TABLE=none ends it.
        S3Backend backend = S3Backend.Builder.create(this)
                .bucket(config.backend().bucket())
                .key(config.backend().key())
                .region(config.backend().region())
                .dynamodbTable(config.backend().dynamodbLocking() ? config.backend().lockTable() : null)
                .encrypt(true)
                // the state holds the master password: a customer-managed key, not SSE-S3
                .kmsKeyId(config.backend().kmsKeyId())
                .build();
        // cdktf 0.19's S3Backend predates the argument
        backend.addOverride("use_lockfile", true);

        Naming naming = Naming.global(config.environmentSuffix());
        RegionContext primaryRegion = region(RegionRole.PRIMARY, config.primaryRegion(), naming, config);
        RegionContext drRegion = region(RegionRole.DR, config.drRegion(), naming, config);

        // 1. what each region owns: keys, network, bucket
        primary = new PrimaryRegion(this, primaryRegion, config);
        dr = new DrRegion(this, drRegion, config);
        // 2. what spans both: global cluster, replicated secret, global table, bucket replication
        global = new GlobalResources(this, config, primary, dr);
        // 3. the database members, in AWS's order: the secondary joins once the primary's instances exist
        primary.addDatabase(global);
        dr.addDatabase(global, primary);
        // 4. every merchant's key in both regions, with one value; the same function package in both
        // regions, each wired to its own database and to which merchant each of its key ids is
        primary.addMerchantKeys(global);
        dr.addMerchantKeys(global);
        merchantKeyOutputs(config);
        FunctionPackage code = new FunctionPackage(this, "payment_function_package", config.function().packagePath());
        // the primary's function records every acknowledgement in the DR replica first (ACK_MIRROR)
        java.util.Optional<AckMirrorPath> mirror = config.ackMirror()
                ? java.util.Optional.of(new AckMirrorPath(this, "ack_mirror", new AckMirrorPath.Props(primaryRegion,
                        primary.network(), drRegion, dr.network(), drRegion.arn("dynamodb", "table/" + global.tableName()))))
                : java.util.Optional.empty();
        primary.addPaymentFunction(global, code, mirror);
        mirror.ifPresent(m -> {
            Outputs.add(this, "ack_mirror_endpoint", "The DR region's DynamoDB interface endpoint the primary's "
                    + "function records acknowledgements through", m.endpointUrl());
            Outputs.add(this, "ack_mirror_peering_id", "The VPC peering that carries the acknowledgement mirror",
                    m.peeringId());
        });
        dr.addPaymentFunction(global, code);
        // 5. an identical REST API in front of each region's function
        primary.addPaymentApi();
        dr.addPaymentApi();
        // 6. the event workflows of each region, from the second package (receipt and ops functions)
        FunctionPackage events = new FunctionPackage(this, "events_function_package", config.eventsPackage());
        primary.addEventWorkflows(global, events);
        dr.addEventWorkflows(global, events);
        // the master secret rotates where it lives, through that region's migrator
        primary.addMasterSecretRotation(global, events);
        // 7. alarms on every tier in each region, from one watchlist per region, and the DR region's
        // own watch on the primary, heard there when the primary region (and us-east-1) is down
        primary.addAlarms(global, dr);
        dr.addAlarms(global, primary);
        dr.addDetection(primary, events, config.logRetentionDays());
        // 8. backups outside the blast radius: each region's stores, copied into the other region's vault
        primary.addBackups(global, dr);
        dr.addBackups(global, primary);
        // 9. DNS failover between the regions' APIs; its health-check alarms live where Route 53
        // publishes the metrics, us-east-1
        RouteMetricsHome home = routeMetricsHome(primaryRegion, drRegion, config);
        dns = new FailoverDns(this, "dns", new FailoverDns.Props(primaryRegion.provider(),
                home.region().provider(), home.topicArn(), naming, config.zoneName(), config.healthChecks(),
                endpoint(primary), endpoint(dr), config.customDomains()));
        com.payments.dr.blocks.ZoneProtection zone = new com.payments.dr.blocks.ZoneProtection(this, "dns_protection",
                home.region().withNaming(naming), dns.zoneId(), queryLogGroup(config), home.logsKey(),
                config.logRetentionDays(), home.topicArn());
        Outputs.add(this, "dns_ds_record", "DS record of the zone's DNSSEC key-signing key: enter it at the parent"
                + " zone (the registrar) so that resolvers validate " + config.zoneName(), zone.dsRecord());
        Outputs.add(this, "dns_zone_id", "Route 53 hosted zone of " + config.zoneName()
                + (config.dnsDomain().isPresent() ? "" : " (derived from the suffix, not delegated)"), dns.zoneId());
        Outputs.add(this, "dns_name_servers", "Name servers to delegate " + config.zoneName() + " to",
                dns.nameServers());
        Outputs.add(this, "api_failover_name", "The failover name: the primary's API while its health check "
                + "passes, else the DR region's once its own passes (after the promotion)", dns.failoverName());
        Outputs.add(this, "primary_health_check_id", "Route 53 health check of the primary region's /health",
                dns.primaryHealthCheckId());
        Outputs.add(this, "dr_health_check_id", "Route 53 health check of the DR region's /health (fails until "
                + "its database is promoted; the failover record follows it)", dns.drHealthCheckId());
        Outputs.add(this, "dr_readiness_check_id", "Route 53 health check of the DR region's "
                + "/health?probe=standby: could it take over once promoted", dns.drReadinessCheckId());
        dns.customDomains().ifPresent(domains -> {
            Outputs.add(this, "api_failover_url", "Base URL for clients (custom domains): follows the failover, "
                    + "e.g. POST <url>/payments", "https://" + dns.failoverName());
            for (RegionalResources region : java.util.List.of(primary, dr)) {
                String label = region.region().role().label();
                Outputs.add(this, label + "_api_custom_domain", "The " + label + " region's own custom name "
                        + "(its API only, whatever the failover)", domains.regionalName(label));
            }
        });
        Outputs.add(this, "fail_over_now_alarm_arn", "Composite alarm (us-east-1): primary down, DR ready, "
                + "DR not yet serving (clears once the DR region serves)",
                dns.failOverNowAlarmArn());
        Outputs.add(this, "dr_fail_over_now_alarm_arn", "The same composite seen from the DR region (its probe, its"
                + " topic): heard when the primary region and us-east-1 are down", dr.detection().failOverNowAlarmArn());
        Outputs.add(this, "dr_probe_function_name", "The DR region's failover probe (every minute)",
                dr.detection().functionName());
        // 10. one dashboard of both regions: the watchlists, alarm states and health checks
        dashboard = new Dashboard(this, "dashboard", primaryRegion.provider(), config.primaryRegion(),
                naming.name(ResourceType.DASHBOARD), java.util.List.of(primary.alarms(), dr.alarms()),
                java.util.List.of(new Dashboard.HealthCheck("primary", dns.primaryHealthCheckId(), FailoverDns.METRICS_REGION),
                        new Dashboard.HealthCheck("dr", dns.drHealthCheckId(), FailoverDns.METRICS_REGION,
                                dns.drReadinessCheckId())),
                List.of(new Dashboard.FailoverAlarms("Failover, Route 53's view (" + FailoverDns.METRICS_REGION
                                + ", where its health-check metrics live)", dns.failoverAlarmArns()),
                        new Dashboard.FailoverAlarms("Failover, the DR region's view (" + config.drRegion()
                                + ", its probe; heard when " + config.primaryRegion() + " is down)",
                                dr.detection().alarmArns())),
                new Dashboard.Probe(config.drRegion(), dr.detection().probeName()));
        Outputs.add(this, "dashboard_name", "CloudWatch dashboard of both regions", dashboard.name());
        Outputs.add(this, "dashboard_url", "Console link to the dashboard of both regions", dashboard.url());
    }

    /**
     * Per merchant key, where its value is kept and its id in each region (never the value), as one
     * JSON string (an outputs file flattens nested objects); and the newest key of the smoke-test
     * merchant, which the runbook's and the post-deploy suite's test payments are booked to.
     */
    private void merchantKeyOutputs(DrConfig config) {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (MerchantKey key : config.api().merchantKeys()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("merchant", key.merchant());
            entry.put("generation", key.generation());
            entry.put("secret_arn", global.merchantKeys().secret(key).arn());
            entry.put("secret_replica_arn", global.merchantKeys().secret(key).replicaArn());
            entry.put("primary_key_id", primary.merchantKeys().keyIds().get(key));
            entry.put("dr_key_id", dr.merchantKeys().keyIds().get(key));
            keys.put(key.toString(), entry);
        }
        Outputs.add(this, "merchant_api_keys", "Per merchant key (merchant:generation): the secret holding its"
                + " value (the same in both regions) and its key id in each region, as JSON",
                com.hashicorp.cdktf.Fn.jsonencode(keys));
        // its newest generation: during a rotation, the key the merchant moves to
        config.api().merchantKeys().stream()
                .filter(key -> key.merchant().equals(MerchantKey.SMOKE_TEST_MERCHANT))
                .max(java.util.Comparator.comparingInt(MerchantKey::generation))
                .ifPresent(smokeTest -> Outputs.add(this, "smoke_test_key_secret_arn", "Secret holding the API key"
                        + " of the " + MerchantKey.SMOKE_TEST_MERCHANT + " merchant (test payments; valid in both"
                        + " regions)", global.merchantKeys().secret(smokeTest).arn()));
    }

    /**
     * Where the health-check alarms live (us-east-1), the alert topic they notify there, and the key
     * of the zone's query logs there.
     */
    private record RouteMetricsHome(RegionContext region, String topicArn, com.payments.dr.blocks.EncryptionKey logsKey) {
    }

    private RouteMetricsHome routeMetricsHome(RegionContext primaryRegion, RegionContext drRegion, DrConfig config) {
        if (primaryRegion.region().equals(FailoverDns.METRICS_REGION)) {
            return new RouteMetricsHome(primaryRegion, primary.alerts().arn(), primary.logsKey());
        }
        if (drRegion.region().equals(FailoverDns.METRICS_REGION)) {
            return new RouteMetricsHome(drRegion, dr.alerts().arn(), dr.logsKey());
        }
        // neither region is us-east-1: a third provider there, with its own alert topic
        RegionContext metrics = new RegionContext(RegionRole.PRIMARY, FailoverDns.METRICS_REGION,
                Providers.aws(this, "route53_metrics", FailoverDns.METRICS_REGION, config.environmentSuffix()),
                primaryRegion.naming(), primaryRegion.accountId(), primaryRegion.partition(), config.protection());
        // its observability key: the alert topic and the zone's query logs
        com.payments.dr.blocks.EncryptionKey key = new com.payments.dr.blocks.EncryptionKey(this, "route53_key", metrics,
                "logs", "CloudWatch Logs and alert topic encryption (Route 53's region)", java.util.List.of(
                        RegionalResources.logsStatement(metrics, java.util.List.of(queryLogGroup(config))),
                        AlertTopic.keyStatements(metrics).get(0), AlertTopic.keyStatements(metrics).get(1)));
        return new RouteMetricsHome(metrics, new AlertTopic(this, "route53_alerts", metrics, key, config.alarmEmail()).arn(),
                key);
    }

    /** The zone's query log group (in us-east-1). */
    static String queryLogGroup(DrConfig config) {
        return Naming.global(config.environmentSuffix()).name(ResourceType.DNS_QUERY_LOG_GROUP);
    }

    private static FailoverDns.Endpoint endpoint(RegionalResources region) {
        return new FailoverDns.Endpoint(region.region().role().label(),
                region.api().id() + ".execute-api." + region.region().region() + ".amazonaws.com",
                region.api().stageName(), region.api().deployedStageName(), region.region().provider(),
                region.api().id());
    }

    private RegionContext region(RegionRole role, String regionName, Naming naming, DrConfig config) {
        AwsProvider provider = Providers.aws(this, role, regionName, config.environmentSuffix());
        DataAwsCallerIdentity identity = DataAwsCallerIdentity.Builder.create(this, role.label() + "_caller_identity")
                .provider(provider).build();
        DataAwsPartition partition = DataAwsPartition.Builder.create(this, role.label() + "_partition")
                .provider(provider).build();
        return new RegionContext(role, regionName, provider, naming.forRegion(role),
                identity.getAccountId(), partition.getPartition(), config.protection());
    }

    public PrimaryRegion primary() {
        return primary;
    }

    public DrRegion dr() {
        return dr;
    }

    public GlobalResources global() {
        return global;
    }

    public FailoverDns dns() {
        return dns;
    }

    public Dashboard dashboard() {
        return dashboard;
    }
}
