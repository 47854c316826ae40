package com.payments.dr.stack;

import com.hashicorp.cdktf.TerraformOutput;
import com.payments.dr.blocks.EncryptionKey;
import com.payments.dr.blocks.Iam;
import com.payments.dr.blocks.Network;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Ipv4Cidr;
import java.util.List;
import software.constructs.Construct;

/**
 * Everything both regions run, from one definition: the primary and the DR region differ only in
 * what {@link PrimaryRegion} and {@link DrRegion} add on top.
 */
public abstract class RegionalResources extends Construct {

    private final RegionContext region;
    private final EncryptionKey logsKey;
    private final Network network;

    protected RegionalResources(Construct scope, RegionContext region, DrConfig config, Ipv4Cidr vpcCidr) {
        super(scope, region.role().label());
        this.region = region;
        logsKey = new EncryptionKey(this, "logs_key", region, "logs", "CloudWatch Logs encryption", List.of(
                Iam.statement("CloudWatchLogsInThisAccount", EncryptionKey.USE_ACTIONS)
                        .principals(List.of(Iam.service("logs." + region.region() + ".amazonaws.com")))
                        .resources(List.of("*"))
                        .condition(List.of(Iam.condition("ArnLike", "kms:EncryptionContext:aws:logs:arn",
                                region.arn("logs", "log-group:*"))))
                        .build()));
        network = new Network(this, "network",
                new Network.Props(region, vpcCidr, config.azCount(), config.logRetentionDays(), logsKey));
        output("vpc_id", "VPC of the " + region.role().label() + " region", network.vpcId());
        output("private_subnet_ids", "Private subnets of the " + region.role().label() + " region",
                network.privateSubnetIds());
    }

    /** Outputs get stable, readable names ({@code primary_vpc_id}) instead of path hashes. */
    protected final void output(String name, String description, Object value) {
        TerraformOutput output = TerraformOutput.Builder.create(this, name)
                .value(value)
                .description(description)
                .build();
        output.overrideLogicalId(region.role().label() + "_" + name);
    }

    public RegionContext region() {
        return region;
    }

    public EncryptionKey logsKey() {
        return logsKey;
    }

    public Network network() {
        return network;
    }
}
