package com.payments.dr.stack;

import com.payments.dr.blocks.RegionContext;
import com.payments.dr.blocks.AuroraCluster;
import com.payments.dr.config.DrConfig;
import com.hashicorp.cdktf.TerraformStack;

/** The passive region: a warm copy that serves reads and is promoted on failover. */
public final class DrRegion extends RegionalResources {

    private final int dbInstances;

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
}
