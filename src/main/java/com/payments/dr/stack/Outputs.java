package com.payments.dr.stack;

import com.hashicorp.cdktf.TerraformOutput;
import software.constructs.Construct;

/** Outputs are the stack's interface to runbooks and integration tests: stable, readable names. */
final class Outputs {

    private Outputs() {
    }

    static void add(Construct scope, String name, String description, Object value) {
        TerraformOutput output = TerraformOutput.Builder.create(scope, name)
                .value(value)
                .description(description)
                .build();
        output.overrideLogicalId(name);
    }
}
