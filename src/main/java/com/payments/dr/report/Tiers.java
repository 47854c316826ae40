package com.payments.dr.report;

import com.payments.dr.blocks.FailoverDns;
import com.payments.dr.blocks.WatchedMetric;
import com.payments.dr.config.DrConfig;
import com.payments.dr.naming.RegionRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tiers of the payment system with their designed RPO and RTO, derived from the configuration
 * and from AWS's documented behaviour (the sources are listed in {@link #SOURCES}).
 */
final class Tiers {

    /**
     * Aurora global database failover or switchover once started: the project's assumption. AWS gives
     * no figure ("RTO can be in the order of minutes", {@link #SOURCES_AURORA_FAILOVER}).
     */
    static final double DATABASE_FAILOVER_SECONDS = 120;
    /** Aurora's cross-region storage replication lag, typically under a second. */
    static final double DATABASE_TYPICAL_LAG_SECONDS = 1;
    /** DynamoDB global tables replicate typically within a second. */
    static final double TABLE_TYPICAL_LAG_SECONDS = 1;
    /** S3 RTC: 99.99 % of objects within 15 minutes (the SLA). */
    static final double S3_RTC_SECONDS = 900;

    /** Where the designed figures come from. */
    static final Map<String, String> SOURCES = sources();

    static final String SOURCES_AURORA_FAILOVER =
            "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html";
    static final String SOURCES_ROUTE53 =
            "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html";
    static final String SOURCES_SWITCHOVER =
            "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html";
    static final String SOURCES_ALIAS =
            "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html";

    private static Map<String, String> sources() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("Aurora global database: switchover (RPO 0) and failover (RPO = lag), \"RTO can be in the order of"
                + " minutes\"", SOURCES_AURORA_FAILOVER);
        s.put("Aurora global database switchover: the database is unavailable \"for a short time\"", SOURCES_SWITCHOVER);
        s.put("Aurora global database: RPO lag and the rds.global_db_rpo cap (PostgreSQL)",
                "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora_global_db_status.html");
        s.put("DynamoDB global tables: asynchronous replication, typically within a second, last writer wins",
                "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html");
        s.put("S3 Replication Time Control: 99.99 % of objects within 15 minutes",
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html");
        s.put("Route 53 failover: health-check interval, failure threshold, 4 s to connect and 2 s to answer",
                SOURCES_ROUTE53);
        s.put("Route 53 alias records: no TTL of their own, the alias target's is used", SOURCES_ALIAS);
        return java.util.Collections.unmodifiableMap(s);
    }

    private Tiers() {
    }

    static List<Tier> of(DrConfig config, Inventory inventory, Optional<DrillResults> drill) {
        List<Tier> tiers = new ArrayList<>();
        tiers.add(traffic(config, inventory));
        tiers.add(database(config, inventory, drill));
        tiers.add(table(config, inventory, drill));
        tiers.add(bucket(config, inventory));
        tiers.add(secrets(config));
        tiers.add(functions(config, inventory, drill));
        return List.copyOf(tiers);
    }

    /** The client steps of a failover without custom domains: the runbook's "Move the clients" says the same. */
    static final String MANUAL_CLIENT_STEP = "clients switch to the DR region's URL (output dr_api_invoke_url) with"
            + " the same API key (valid in both regions), and back to primary_api_invoke_url at fail back";
    /** ... and with custom domains. */
    static final String AUTOMATIC_CLIENT_STEP = "nothing by hand: clients keep https://api.<zone> (output"
            + " api_failover_url) and the same API key";

    private static Tier traffic(DrConfig config, Inventory inventory) {
        int interval = config.healthChecks().intervalSeconds();
        int threshold = config.healthChecks().failureThreshold();
        double rto = interval * threshold + FailoverDns.TTL_SECONDS;
        List<Tier.Alarm> alarms = new ArrayList<>();
        inventory.healthCheckAlarms().forEach(name -> alarms.add(new Tier.Alarm(name, FailoverDns.METRICS_REGION)));
        alarms.add(new Tier.Alarm(inventory.failOverNowAlarm(), FailoverDns.METRICS_REGION));
        inventory.zoneAlarms().forEach(name -> alarms.add(new Tier.Alarm(name, FailoverDns.METRICS_REGION)));
        // the DR region's own view: heard when the primary region (and us-east-1) is down
        inventory.drProbeAlarms().forEach(name -> alarms.add(new Tier.Alarm(name, config.drRegion())));
        alarms.add(new Tier.Alarm(inventory.drFailOverNowAlarm(), config.drRegion()));
        String records = "failover records on api." + config.zoneName() + ": PRIMARY with the primary's health check,"
                + " SECONDARY with the DR region's; " + config.healthChecks().regions().size() + " checker regions"
                + " call each region's /health";
        if (config.customDomains()) {
            return new Tier("traffic", "Traffic (Route 53 failover, custom domains)",
                    records + "; both regions serve https://api." + config.zoneName() + " (ACM certificate and"
                            + " regional custom domain each), so the name follows the failover",
                    new Tier.Objective(null, "none: DNS holds no data"),
                    new Tier.Objective(rto, "about " + interval + " s interval x " + threshold + " checks"
                            + " (HEALTH_CHECK_INTERVAL, HEALTH_CHECK_FAILURE_THRESHOLD; approximate: a check may wait"
                            + " up to 4 s to connect and 2 s for the answer) + the alias records' TTL, which is the"
                            + " alias target's (API Gateway's, undocumented; " + FailoverDns.TTL_SECONDS + " s"
                            + " assumed) = " + CostEstimate.num(rto) + " s after the DR region's /health passes"
                            + " (after the database's promotion) until resolvers answer with the DR region"),
                    Map.of(), alarms,
                    AUTOMATIC_CLIENT_STEP + "; Route 53 answers with the DR region once the primary's check fails"
                            + " and the DR region's passes (its /health passes only after the database promotion)");
        }
        return new Tier("traffic", "Traffic (clients switch by hand: no custom domains)",
                records + "; without custom domains (CUSTOM_DOMAINS, DNS_DOMAIN) the records are CNAMEs to the"
                        + " execute-api hosts, which refuse the zone's name (TLS certificate, Host routing): the"
                        + " name moves, clients cannot follow it",
                new Tier.Objective(null, "none: DNS holds no data"),
                new Tier.Objective(null, "not automatic: as fast as the clients switch once told (the failover"
                        + " alarms, the runbook); set DNS_DOMAIN to a delegated domain for automatic failover"),
                Map.of(), alarms, MANUAL_CLIENT_STEP);
    }

    private static Tier database(DrConfig config, Inventory inventory, Optional<DrillResults> drill) {
        Optional<WatchedMetric> lag = inventory.drMetric("db-global-replication-lag");
        String alarmAt = lag.map(m -> ", alarm at " + CostEstimate.num(m.threshold() / 1000) + " s").orElse("");
        Map<String, Long> measured = new LinkedHashMap<>();
        drill.ifPresent(d -> {
            d.scenario("unplanned-failover").ifPresent(s -> {
                measured.put("unplannedLostAtPromotion", s.lostAtPromotion());
                measured.put("unplannedRecoveredByRetry", s.recoveredByRetry());
                measured.put("unplannedRecoveredByReconciliation", s.recoveredByReconciliation());
                measured.put("unplannedWaitedForPrimaryRegion", s.waitedForPrimaryRegion());
                measured.put("unplannedLostForGood", s.lostForGood());
            });
            d.scenarios().stream().filter(s -> !s.name().equals("unplanned-failover"))
                    .forEach(s -> measured.merge("switchoverLostForGood", s.lostForGood(), Long::sum));
        });
        return new Tier("database", "Aurora PostgreSQL global database",
                "asynchronous storage-level replication " + config.primaryRegion() + " -> " + config.drRegion()
                        + " into a secondary cluster of " + inventory.drDbInstances() + " instance(s) (DR_DB_INSTANCES)",
                new Tier.Objective(DATABASE_TYPICAL_LAG_SECONDS, "planned switchover: 0 (the secondary catches up "
                        + "first); unplanned failover: the replication lag at the fault, typically under "
                        + CostEstimate.num(DATABASE_TYPICAL_LAG_SECONDS) + " s" + alarmAt + "; no cap: the stack "
                        + "does not set rds.global_db_rpo. "
                        + (config.ackMirror() ? "Acknowledged payments among those rows whose record was mirrored into "
                        + "the DR region are stored again from it (a client's retry, or the reconciliation in the "
                        + "runbook); those acknowledged while " + mirrorAlarm(inventory) + " was firing come back only "
                        + "when the primary region returns" : "With ACK_MIRROR=false the acknowledgement records of "
                        + "the last moments are in the primary's replica only: those payments come back only when the "
                        + "primary region returns (its replica's records; the Aurora snapshot holds the rows, not the "
                        + "records)")),
                new Tier.Objective(DATABASE_FAILOVER_SECONDS, CostEstimate.num(DATABASE_FAILOVER_SECONDS) + " s assumed"
                        + " for switchover-global-cluster or failover-global-cluster once started (AWS gives no"
                        + " figure: \"RTO can be in the order of minutes\")"),
                measured, alarms(inventory, RegionRole.DR, config.drRegion(), "db-global-replication-lag"),
                "planned: aws rds switchover-global-cluster; outage: aws rds failover-global-cluster "
                        + "--allow-data-loss; then invoke the DR migrator if a deploy is pending");
    }

    private static Tier table(DrConfig config, Inventory inventory, Optional<DrillResults> drill) {
        Map<String, Long> measured = new LinkedHashMap<>();
        drill.ifPresent(d -> measured.put("duplicates",
                d.scenarios().stream().mapToLong(DrillResults.Scenario::duplicates).sum()));
        List<Tier.Alarm> alarms = new ArrayList<>(alarms(inventory, RegionRole.PRIMARY, config.primaryRegion(),
                "table-replication-latency"));
        alarms.addAll(alarms(inventory, RegionRole.DR, config.drRegion(), "table-replication-latency"));
        return new Tier("table", "DynamoDB global table (idempotency state)",
                "asynchronous multi-active replication between " + config.primaryRegion() + " and "
                        + config.drRegion() + ", last writer wins",
                new Tier.Objective(TABLE_TYPICAL_LAG_SECONDS, "the replication latency at the fault, typically "
                        + "under " + CostEstimate.num(TABLE_TYPICAL_LAG_SECONDS) + " s; "
                        + (config.ackMirror() ? "each acknowledged payment's record is written in the DR replica "
                        + "before its answer (ACK_MIRROR) unless the mirror fails: then it is written in the primary's "
                        + "replica (" + mirrorAlarm(inventory) + " fires) and returns only when the primary region does, "
                        + "if the table had not replicated it before the fault" : "acknowledgement records are "
                        + "written in the primary's replica and replicate like the rest (ACK_MIRROR=false): those of "
                        + "the last moments return only when the primary region does") + "; a retry of a lost "
                        + "payment stores it again under the same payment id"),
                new Tier.Objective(0.0, "0: the replica takes writes at all times"),
                measured, alarms, "nothing: the DR replica is already writable");
    }

    private static Tier bucket(DrConfig config, Inventory inventory) {
        boolean rtc = config.replicationTimeControl();
        List<Tier.Alarm> alarms = new ArrayList<>(alarms(inventory, RegionRole.PRIMARY, config.primaryRegion(),
                "s3-replication"));
        alarms.addAll(alarms(inventory, RegionRole.DR, config.drRegion(), "s3-replication"));
        return new Tier("bucket", "S3 buckets (receipts)",
                "replication both ways, delete markers and replica modifications included"
                        + (rtc ? ", with Replication Time Control" : ", without Replication Time Control"),
                rtc ? new Tier.Objective(S3_RTC_SECONDS, "15 min for 99.99 % of objects (RTC SLA)")
                        : new Tier.Objective(null, "no SLA without RTC (S3_REPLICATION_TIME_CONTROL=false): most "
                                + "objects within minutes, some later"),
                new Tier.Objective(0.0, "0: the DR bucket is readable and writable at all times"),
                Map.of(), alarms, "nothing: objects written in the DR region replicate back on their own");
    }

    private static Tier secrets(DrConfig config) {
        return new Tier("secrets", "Secrets Manager (database owner's secret, merchant API keys)",
                "a replica of each in " + config.drRegion() + " under the DR region's key; the apply waits until the"
                        + " owner's is InSync; the merchant keys' values are in both regions' API Gateway as well",
                new Tier.Objective(0.0, "0: the secrets change only by deliberate rotation, which replicates"),
                new Tier.Objective(0.0, "0: whoever invokes the DR migrator reads the owner's replica there; clients"
                        + " keep their keys"),
                Map.of(), List.of(), "nothing while the primary region lives; after losing it for good, promote the "
                        + "replica (aws secretsmanager stop-replication-to-replica); status in the output "
                        + "db_secret_replica_status");
    }

    private static Tier functions(DrConfig config, Inventory inventory, Optional<DrillResults> drill) {
        double retry = com.payments.dr.function.Timings.DEPLOYED.dbRetryAfterSeconds();
        Map<String, Long> measured = new LinkedHashMap<>();
        drill.ifPresent(d -> {
            measured.put("status503", d.scenarios().stream().mapToLong(DrillResults.Scenario::status503).sum());
            measured.put("otherErrors", d.scenarios().stream().mapToLong(DrillResults.Scenario::otherErrors).sum());
        });
        List<Tier.Alarm> alarms = new ArrayList<>(alarms(inventory, RegionRole.DR, config.drRegion(), "payment-"));
        alarms.addAll(alarms(inventory, RegionRole.DR, config.drRegion(), "api-5xx"));
        return new Tier("functions", "Functions and API",
                "none needed: the same package and API are deployed in both regions, warm (SnapStart)",
                new Tier.Objective(null, "none: stateless"),
                new Tier.Objective(DATABASE_FAILOVER_SECONDS + retry, "the database's RTO + " + CostEstimate.num(retry)
                        + " s: the DR function answers 503 database_unavailable (Retry-After " + CostEstimate.num(retry)
                        + " s) while its cluster's writer endpoint is inactive; the first request after the promotion "
                        + "succeeds"),
                measured, alarms, "nothing: clients retry with the same Idempotency-Key");
    }

    /** The mirror's alarm, by the name the stack gives it (from the primary's watchlist). */
    private static String mirrorAlarm(Inventory inventory) {
        return "`" + String.join("`, `", inventory.alarmNames(RegionRole.PRIMARY, "ack-mirror-failed")) + "`";
    }

    private static List<Tier.Alarm> alarms(Inventory inventory, RegionRole role, String region, String prefix) {
        return inventory.alarmNames(role, prefix).stream().map(name -> new Tier.Alarm(name, region)).toList();
    }
}
