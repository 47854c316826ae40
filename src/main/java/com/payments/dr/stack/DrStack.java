package com.payments.dr.stack;

import com.payments.dr.blocks.RegionContext;
import com.hashicorp.cdktf.S3Backend;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.data_aws_caller_identity.DataAwsCallerIdentity;
import com.hashicorp.cdktf.providers.aws.data_aws_partition.DataAwsPartition;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.payments.dr.config.DrConfig;
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
        // 4. the same function package in both regions, each wired to its own database and secret
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
        // 7. alarms on every tier in each region, from one watchlist per region
        primary.addAlarms(global, dr);
        dr.addAlarms(global, primary);
        // 8. DNS failover between the regions' APIs; its health-check alarms live where Route 53
        // publishes the metrics, us-east-1
        RouteMetricsHome home = routeMetricsHome(primaryRegion, drRegion, config);
        dns = new FailoverDns(this, "dns", new FailoverDns.Props(primaryRegion.provider(),
                home.region().provider(), home.topicArn(), naming, config.zoneName(), config.healthChecks(),
                endpoint(primary), endpoint(dr), config.customDomains()));
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
        // 9. one dashboard of both regions: the watchlists, alarm states and health checks
        dashboard = new Dashboard(this, "dashboard", primaryRegion.provider(), config.primaryRegion(),
                naming.name(ResourceType.DASHBOARD), java.util.List.of(primary.alarms(), dr.alarms()),
                java.util.List.of(new Dashboard.HealthCheck("primary", dns.primaryHealthCheckId(), FailoverDns.METRICS_REGION),
                        new Dashboard.HealthCheck("dr", dns.drHealthCheckId(), FailoverDns.METRICS_REGION,
                                dns.drReadinessCheckId())),
                new Dashboard.FailoverAlarms(FailoverDns.METRICS_REGION, dns.failoverAlarmArns()));
        Outputs.add(this, "dashboard_name", "CloudWatch dashboard of both regions", dashboard.name());
        Outputs.add(this, "dashboard_url", "Console link to the dashboard of both regions", dashboard.url());
    }

    /** Where the health-check alarms live (us-east-1) and the alert topic they notify there. */
    private record RouteMetricsHome(RegionContext region, String topicArn) {
    }

    private RouteMetricsHome routeMetricsHome(RegionContext primaryRegion, RegionContext drRegion, DrConfig config) {
        if (primaryRegion.region().equals(FailoverDns.METRICS_REGION)) {
            return new RouteMetricsHome(primaryRegion, primary.alerts().arn());
        }
        if (drRegion.region().equals(FailoverDns.METRICS_REGION)) {
            return new RouteMetricsHome(drRegion, dr.alerts().arn());
        }
        // neither region is us-east-1: a third provider there, with its own alert topic
        RegionContext metrics = new RegionContext(RegionRole.PRIMARY, FailoverDns.METRICS_REGION,
                Providers.aws(this, "route53_metrics", FailoverDns.METRICS_REGION, config.environmentSuffix()),
                primaryRegion.naming(), primaryRegion.accountId(), primaryRegion.partition());
        return new RouteMetricsHome(metrics, new AlertTopic(this, "route53_alerts", metrics, config.alarmEmail()).arn());
    }

    private static FailoverDns.Endpoint endpoint(RegionalResources region) {
        return new FailoverDns.Endpoint(region.region().role().label(),
                region.api().id() + ".execute-api." + region.region().region() + ".amazonaws.com",
                region.api().stageName(), region.region().provider(), region.api().id());
    }

    private RegionContext region(RegionRole role, String regionName, Naming naming, DrConfig config) {
        AwsProvider provider = Providers.aws(this, role, regionName, config.environmentSuffix());
        DataAwsCallerIdentity identity = DataAwsCallerIdentity.Builder.create(this, role.label() + "_caller_identity")
                .provider(provider).build();
        DataAwsPartition partition = DataAwsPartition.Builder.create(this, role.label() + "_partition")
                .provider(provider).build();
        return new RegionContext(role, regionName, provider, naming.forRegion(role),
                identity.getAccountId(), partition.getPartition());
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
