package com.payments.dr.stack;

import com.payments.dr.blocks.RegionContext;
import com.hashicorp.cdktf.AssetType;
import com.hashicorp.cdktf.S3Backend;
import com.hashicorp.cdktf.TerraformAsset;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.data_aws_caller_identity.DataAwsCallerIdentity;
import com.hashicorp.cdktf.providers.aws.data_aws_partition.DataAwsPartition;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.payments.dr.config.DrConfig;
import com.payments.dr.naming.Naming;
import com.payments.dr.naming.RegionRole;
import com.payments.dr.policy.PolicyGate;
import software.constructs.Construct;

/**
 * The one Terraform stack: two aliased AWS providers, the S3 backend, and the constructs for the
 * primary region, the DR region and what spans both.
 */
public final class DrStack extends TerraformStack {

    public static final String NAME = "payments-dr";

    private final PrimaryRegion primary;
    private final DrRegion dr;
    private final GlobalResources global;
    private final PolicyGate policyGate;

    public DrStack(Construct scope, DrConfig config) {
        super(scope, NAME);
        // Terraform >= 1.11 deprecates DynamoDB locking for S3 lock files; during the migration both
        // are configured (Terraform's documented path) and Terraform takes both locks, so runs on
        // the old and the new configuration still exclude each other. STATE_LOCK_TABLE=none ends it.
        S3Backend backend = S3Backend.Builder.create(this)
                .bucket(config.backend().bucket())
                .key(config.backend().key())
                .region(config.backend().region())
                .dynamodbTable(config.backend().dynamodbLocking() ? config.backend().lockTable() : null)
                .encrypt(true)
                // the state holds the master password: a customer-managed key, not SSE-S3
                .kmsKeyId(config.backend().kmsKeyId())
                .build();
        // cdktf 0.19's S3Backend predates the argument
        backend.addOverride("use_lockfile", true);

        Naming naming = Naming.global(config.environmentSuffix());
        RegionContext primaryRegion = region(RegionRole.PRIMARY, config.primaryRegion(), naming, config);
        RegionContext drRegion = region(RegionRole.DR, config.drRegion(), naming, config);

        // 1. what each region owns: keys, network, bucket
        primary = new PrimaryRegion(this, primaryRegion, config);
        dr = new DrRegion(this, drRegion, config);
        // 2. what spans both: global cluster, replicated secret, global table, bucket replication
        global = new GlobalResources(this, config, primary, dr);
        // 3. the database members, in AWS's order: the secondary joins once the primary's instances exist
        primary.addDatabase(global);
        dr.addDatabase(global, primary);
        // 4. the same function package in both regions, each wired to its own database and secret
        TerraformAsset code = TerraformAsset.Builder.create(this, "payment_function_package")
                .path(config.function().packagePath().toAbsolutePath().toString())
                .type(AssetType.FILE)
                .build();
        primary.addPaymentFunction(global, code);
        dr.addPaymentFunction(global, code);
        // 5. an identical REST API in front of each region's function
        primary.addPaymentApi();
        dr.addPaymentApi();
        // 6. the event workflows of each region, from the second package (receipt and ops functions)
        TerraformAsset events = TerraformAsset.Builder.create(this, "events_function_package")
                .path(config.eventsPackage().toAbsolutePath().toString())
                .type(AssetType.FILE)
                .build();
        primary.addEventWorkflows(global, events);
        dr.addEventWorkflows(global, events);
        // checked at synth, before anything is written: security, DR and convention rules
        policyGate = PolicyGate.attach(this, config.environmentSuffix());
    }

    private RegionContext region(RegionRole role, String regionName, Naming naming, DrConfig config) {
        AwsProvider provider = Providers.aws(this, role, regionName, config.environmentSuffix());
        DataAwsCallerIdentity identity = DataAwsCallerIdentity.Builder.create(this, role.label() + "_caller_identity")
                .provider(provider).build();
        DataAwsPartition partition = DataAwsPartition.Builder.create(this, role.label() + "_partition")
                .provider(provider).build();
        return new RegionContext(role, regionName, provider, naming.forRegion(role),
                identity.getAccountId(), partition.getPartition());
    }

    public PrimaryRegion primary() {
        return primary;
    }

    public DrRegion dr() {
        return dr;
    }

    public GlobalResources global() {
        return global;
    }

    public PolicyGate policyGate() {
        return policyGate;
    }
}
