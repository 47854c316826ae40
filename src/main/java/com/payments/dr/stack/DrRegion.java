package com.payments.dr.stack;

import com.payments.dr.blocks.RegionContext;
import com.payments.dr.blocks.AuroraCluster;
import com.payments.dr.blocks.DrDetection;
import com.payments.dr.blocks.FunctionPackage;
import com.payments.dr.config.DrConfig;
import com.hashicorp.cdktf.TerraformStack;

/** The passive region: a warm copy that serves reads and is promoted on failover. */
public final class DrRegion extends RegionalResources {

    private final int dbInstances;
    private DrDetection detection;

    public DrRegion(TerraformStack scope, RegionContext region, DrConfig config) {
        super(scope, region, config, config.drVpcCidr());
        this.dbInstances = config.database().drInstances();
    }

    /** The secondary cluster: joins the global database after the primary's instances exist. */
    public AuroraCluster addDatabase(GlobalResources global, PrimaryRegion primary) {
        return addDatabase(global.globalClusterId(),
                new AuroraCluster.Secondary(primary.region().region(), primary.database().instances()),
                dbInstances);
    }

    /**
     * Adds the detection of a primary-region failure from this region: the probe of both regions'
     * /health and its alarms, to this region's topic. Needs both APIs.
     */
    public DrDetection addDetection(PrimaryRegion primary, FunctionPackage events, int logRetentionDays) {
        detection = new DrDetection(this, "detection", new DrDetection.Props(region(), events, logsKey(), dataKey(),
                logRetentionDays, primary.api().healthUrl(), api().healthUrl(), alerts().arn()));
        return detection;
    }

    /** The detection from this region, or {@code null} before {@link #addDetection} ran. */
    public DrDetection detection() {
        return detection;
    }
}
