package com.payments.dr.stack;

import com.payments.dr.blocks.RegionContext;
import com.payments.dr.blocks.AuroraCluster;
import com.payments.dr.config.DrConfig;
import com.hashicorp.cdktf.TerraformStack;

/** The active region: takes all writes while it is healthy. */
public final class PrimaryRegion extends RegionalResources {

    /** In-region high availability: a writer and a reader in different zones. */
    public static final int DB_INSTANCES = 2;

    public PrimaryRegion(TerraformStack scope, RegionContext region, DrConfig config) {
        super(scope, region, config, config.primaryVpcCidr());
    }

    /** The writer cluster of the global database, holding the master credentials. */
    public AuroraCluster addDatabase(GlobalResources global) {
        return addDatabase(global.globalClusterId(), new AuroraCluster.Primary(
                GlobalResources.MASTER_USERNAME, global.masterPassword(), GlobalResources.DATABASE_NAME),
                DB_INSTANCES);
    }
}
