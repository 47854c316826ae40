package com.payments.dr.report;

import com.payments.dr.blocks.DrDetection;
import com.payments.dr.blocks.FailoverDns;
import com.payments.dr.blocks.WatchedMetric;
import com.payments.dr.blocks.Watchlist;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.MerchantKey;
import com.payments.dr.naming.Naming;
import com.payments.dr.naming.RegionRole;
import com.payments.dr.naming.ResourceType;
import com.payments.dr.stack.PrimaryRegion;
import com.payments.dr.stack.RegionalResources;
import java.util.List;
import java.util.Optional;

/**
 * What the configuration makes the stack create, counted by the code that creates it, in plain
 * Java before (and without) any construct: the watchlists {@link Watchlist#of} returns for each
 * region (the alarms {@code Alarms} creates one for one), the database instances, the interface
 * endpoints, the merchant keys, the replication rules with metrics, the health checks and their
 * alarms, and the DR region's probe alarms. The report and the cost estimate read only this, so a
 * new alarm or endpoint moves both without anyone typing a count.
 *
 * @param replicationRules the bucket replication rules with S3 Replication metrics (RTC turns them on)
 */
public record Inventory(
        List<WatchedMetric> primaryWatchlist,
        List<WatchedMetric> drWatchlist,
        int primaryDbInstances,
        int drDbInstances,
        List<String> primaryInterfaceEndpoints,
        List<String> drInterfaceEndpoints,
        List<MerchantKey> merchantKeys,
        int replicationRules,
        int healthChecks,
        List<String> healthCheckAlarms,
        String failOverNowAlarm,
        List<String> drProbeAlarms,
        String drFailOverNowAlarm,
        boolean separateMetricsRegion,
        Naming naming) {

    /** Customer-managed keys per region: logs and alerts, data and backups (RegionalResources). */
    static final int KEYS_PER_REGION = 2;
    /** The zone's DNSSEC key-signing key (ZoneProtection), in us-east-1. */
    static final int SIGNING_KEYS = 1;
    /** Both directions of the bucket replication (GlobalResources). */
    static final int REPLICATION_RULES = 2;

    public static Inventory of(DrConfig config) {
        Naming naming = Naming.global(config.environmentSuffix());
        List<String> checkAlarms = List.of(FailoverDns.PRIMARY_UNHEALTHY_ALARM, FailoverDns.DR_NOT_READY_ALARM,
                        FailoverDns.DR_SERVING_ALARM).stream()
                .map(qualifier -> naming.name(ResourceType.CLOUDWATCH_ALARM, qualifier))
                .toList();
        // without a region in us-east-1, the health-check alarms get a third provider and an alert
        // topic of their own there, with its own key (DrStack.routeMetricsHome)
        boolean separate = !config.primaryRegion().equals(FailoverDns.METRICS_REGION)
                && !config.drRegion().equals(FailoverDns.METRICS_REGION);
        Naming drNaming = naming.forRegion(RegionRole.DR);
        List<String> probeAlarms = DrDetection.METRIC_ALARMS.stream()
                .map(qualifier -> drNaming.name(ResourceType.CLOUDWATCH_ALARM, qualifier))
                .toList();
        return new Inventory(watchlist(RegionRole.PRIMARY, config), watchlist(RegionRole.DR, config),
                PrimaryRegion.DB_INSTANCES, config.database().drInstances(),
                RegionalResources.interfaceEndpoints(RegionRole.PRIMARY),
                RegionalResources.interfaceEndpoints(RegionRole.DR), config.api().merchantKeys(),
                config.replicationTimeControl() ? REPLICATION_RULES : 0, FailoverDns.HEALTH_CHECKS, checkAlarms,
                naming.name(ResourceType.CLOUDWATCH_ALARM, FailoverDns.FAIL_OVER_NOW_ALARM), probeAlarms,
                drNaming.name(ResourceType.CLOUDWATCH_ALARM, DrDetection.FAIL_OVER_NOW_ALARM), separate, naming);
    }

    /**
     * A region's watchlist as {@code RegionalResources.addAlarms} builds it. The dimension values
     * (resource names, known only to the constructs) are placeholders: which metrics are watched,
     * with what threshold, depends on the role and the settings alone.
     */
    private static List<WatchedMetric> watchlist(RegionRole role, DrConfig config) {
        boolean dr = role == RegionRole.DR;
        String region = dr ? config.drRegion() : config.primaryRegion();
        String other = dr ? config.primaryRegion() : config.drRegion();
        Optional<Watchlist.BucketReplication> replication = config.replicationTimeControl()
                ? Optional.of(new Watchlist.BucketReplication("source-bucket", "destination-bucket", "rule"))
                : Optional.empty();
        Watchlist.Targets targets = new Watchlist.Targets(region, other, "payment-function", "receipt-function",
                "ops-function", "payment-dlq", "ops-dlq", "api", "stage", "cluster", config.database().minAcu(),
                config.database().maxAcu(),
                Optional.of(role.label() + "-cluster"),
                "table", replication, replication, config.ackMirror() && role == RegionRole.PRIMARY);
        return Watchlist.of(targets, config.alarms());
    }

    /** Metric alarms in one region, one per watched metric. */
    public int metricAlarms(RegionRole role) {
        return (role == RegionRole.DR ? drWatchlist : primaryWatchlist).size();
    }

    public int dbInstances() {
        return primaryDbInstances + drDbInstances;
    }

    public int kmsKeys() {
        return 2 * KEYS_PER_REGION + (separateMetricsRegion ? 1 : 0) + SIGNING_KEYS;
    }

    /** The zone's DNSSEC signing alarms, in us-east-1 (ZoneProtection): the zone is always signed. */
    public List<String> zoneAlarms() {
        return com.payments.dr.blocks.ZoneProtection.ALARMS.keySet().stream().sorted()
                .map(qualifier -> naming.name(ResourceType.CLOUDWATCH_ALARM, qualifier))
                .toList();
    }

    /** The alarm names (in both regions) watching the metrics whose keys start with {@code prefix}. */
    public List<String> alarmNames(RegionRole role, String prefix) {
        return (role == RegionRole.DR ? drWatchlist : primaryWatchlist).stream()
                .filter(m -> m.key().startsWith(prefix))
                .map(m -> m.alarmName(naming))
                .toList();
    }

    /** The watched metric with {@code key} in the DR region's list, if watched there. */
    public Optional<WatchedMetric> drMetric(String key) {
        return drWatchlist.stream().filter(m -> m.key().equals(key)).findFirst();
    }
}
