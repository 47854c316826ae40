package com.payments.dr.stack;

import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderDefaultTags;
import com.payments.dr.naming.RegionRole;
import com.payments.dr.naming.Tags;
import java.util.List;
import software.constructs.Construct;

/** The aliased AWS provider of one region, carrying the mandatory tags as {@code default_tags}. */
public final class Providers {

    private Providers() {
    }

    public static AwsProvider aws(Construct stack, RegionRole role, String region, String environmentSuffix) {
        return AwsProvider.Builder.create(stack, "aws_" + role.label())
                .alias(role.label())
                .region(region)
                .defaultTags(List.of(AwsProviderDefaultTags.builder()
                        .tags(Tags.defaults(environmentSuffix)).build()))
                .build();
    }
}
