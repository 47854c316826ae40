package com.payments.dr.stack;

import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderDefaultTags;
import com.payments.dr.naming.RegionRole;
import com.payments.dr.naming.Tags;
import java.util.List;
import software.constructs.Construct;

/** The aliased AWS provider of one region, carrying the mandatory tags as {@code default_tags}. */
public final class Providers {

    /**
     * The AWS provider release the stack declares and CI validates against: the last 5.x. The
     * bindings are generated from 5.23.1, and 5.x never removes an argument, so everything they
     * write is still accepted; later releases fix bugs this stack hits (a global-cluster member's
     * destroy needed a second run before 5.81). Exact, so that what CI validates is what deploys.
     */
    public static final String AWS_PROVIDER_VERSION = "5.100.0";
    public static final String AWS_PROVIDER_SOURCE = "hashicorp/aws";

    private Providers() {
    }

    public static AwsProvider aws(Construct stack, RegionRole role, String region, String environmentSuffix) {
        return aws(stack, role.label(), region, environmentSuffix);
    }

    /** A provider under another alias, for what must live in a region neither role runs in. */
    public static AwsProvider aws(Construct stack, String alias, String region, String environmentSuffix) {
        TerraformStack terraform = TerraformStack.of(stack);
        // required_providers would otherwise say the bindings' version (5.23.1)
        terraform.addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_VERSION);
        terraform.addOverride("terraform.required_providers.aws.source", AWS_PROVIDER_SOURCE);
        return AwsProvider.Builder.create(stack, "aws_" + alias)
                .alias(alias)
                .region(region)
                .defaultTags(List.of(AwsProviderDefaultTags.builder()
                        .tags(Tags.defaults(environmentSuffix)).build()))
                .build();
    }
}
