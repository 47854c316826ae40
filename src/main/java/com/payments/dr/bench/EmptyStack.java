package com.payments.dr.bench;

import com.hashicorp.cdktf.TerraformStack;
import com.payments.dr.config.DrConfig;
import com.payments.dr.naming.RegionRole;
import com.payments.dr.stack.DrStack;
import com.payments.dr.stack.Providers;
import software.constructs.Construct;

/**
 * The benchmark's baseline: the same stack name and the same two providers as {@link DrStack},
 * nothing else, so the difference to the full stack is the cost of the resources themselves.
 */
public final class EmptyStack extends TerraformStack {

    public EmptyStack(Construct scope, DrConfig config) {
        super(scope, DrStack.NAME);
        Providers.aws(this, RegionRole.PRIMARY, config.primaryRegion(), config.environmentSuffix());
        Providers.aws(this, RegionRole.DR, config.drRegion(), config.environmentSuffix());
    }
}
