package com.payments.dr.stack;

import com.payments.dr.config.DrConfig;
import software.constructs.Construct;

/** The passive region: a warm copy that serves reads and is promoted on failover. */
public final class DrRegion extends RegionalResources {

    public DrRegion(Construct scope, RegionContext region, DrConfig config) {
        super(scope, region, config, config.drVpcCidr());
    }
}
