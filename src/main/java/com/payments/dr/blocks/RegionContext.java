package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.payments.dr.config.Protection;
import com.payments.dr.naming.Naming;
import com.payments.dr.naming.RegionRole;

/**
 * What every building block needs to know about the region it builds in: the aliased provider
 * (no resource may fall back to a default provider), the region's role and name, the naming bound
 * to the role, the account id and partition as Terraform expressions, and the protection profile
 * (what a destroy may remove).
 */
public record RegionContext(
        RegionRole role,
        String region,
        AwsProvider provider,
        Naming naming,
        String accountId,
        String partition,
        Protection protection) {

    /** A region of the default (destroyable) profile. */
    public RegionContext(RegionRole role, String region, AwsProvider provider, Naming naming, String accountId,
                         String partition) {
        this(role, region, provider, naming, accountId, partition, Protection.DESTROYABLE);
    }

    /** The same region with another naming, e.g. global naming for a one-off account-wide resource. */
    public RegionContext withNaming(Naming other) {
        return new RegionContext(role, region, provider, other, accountId, partition, protection);
    }

    /** Production: what holds data or the audit trail survives a destroy (or blocks it). */
    public boolean production() {
        return protection.production();
    }

    /** {@code skip_destroy} for a log group: set (true) in production, absent otherwise. */
    public Boolean retainLogs() {
        return production() ? Boolean.TRUE : null;
    }

    /** {@code arn:<partition>:<service>:<region>:<account>:<resource>}. */
    public String arn(String service, String resource) {
        return "arn:" + partition + ":" + service + ":" + region + ":" + accountId + ":" + resource;
    }
}
