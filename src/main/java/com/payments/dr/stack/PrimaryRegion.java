package com.payments.dr.stack;

import com.payments.dr.config.DrConfig;
import software.constructs.Construct;

/** The active region: takes all writes while it is healthy. */
public final class PrimaryRegion extends RegionalResources {

    public PrimaryRegion(Construct scope, RegionContext region, DrConfig config) {
        super(scope, region, config, config.primaryVpcCidr());
    }
}
