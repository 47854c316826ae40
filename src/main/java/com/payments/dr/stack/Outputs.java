package com.payments.dr.stack;

import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformStack;

/** Outputs are the stack's interface to runbooks and integration tests: stable, readable names. */
final class Outputs {

    private Outputs() {
    }

    /**
     * An output directly in the stack: there cdktf takes its id as the Terraform name as it is,
     * without a path hash, so it needs no {@code overrideLogicalId} round trip.
     */
    static void add(TerraformStack stack, String name, String description, Object value) {
        TerraformOutput.Builder.create(stack, name)
                .value(value)
                .description(description)
                .build();
    }
}
