package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.backup_plan.BackupPlan;
import com.hashicorp.cdktf.providers.aws.backup_plan.BackupPlanRule;
import com.hashicorp.cdktf.providers.aws.backup_plan.BackupPlanRuleCopyAction;
import com.hashicorp.cdktf.providers.aws.backup_plan.BackupPlanRuleCopyActionLifecycle;
import com.hashicorp.cdktf.providers.aws.backup_plan.BackupPlanRuleLifecycle;
import com.hashicorp.cdktf.providers.aws.backup_selection.BackupSelection;
import com.hashicorp.cdktf.providers.aws.backup_vault.BackupVault.Builder;
import com.hashicorp.cdktf.providers.aws.backup_vault_lock_configuration.BackupVaultLockConfiguration;
import com.hashicorp.cdktf.providers.aws.iam_role.IamRole;
import com.hashicorp.cdktf.providers.aws.iam_role_policy_attachment.IamRolePolicyAttachment;
import com.payments.dr.naming.ResourceType;
import java.util.List;
import software.constructs.Construct;

/**
 * One region's AWS Backup vault, encrypted with the region's data key, and (once the other
 * region's vault exists) the plan that backs up this region's stores every day and copies each
 * recovery point into the other region's vault: a copy that neither a regional outage nor the loss
 * of the stores themselves takes with it. Destroyable, the vault empties itself on destroy
 * ({@code force_destroy}, provider 5.100; the 5.23 bindings predate it); in production it keeps its
 * recovery points, and a vault lock in compliance mode keeps anyone, an administrator or stolen
 * credentials included, from deleting them before their retention ends.
 */
public final class BackupVault extends Construct {

    /** Daily, at 06:00 UTC: after the clusters' backup window (03:00-04:00) and Sunday maintenance. */
    public static final String SCHEDULE = "cron(0 6 ? * * *)";
    static final int START_WINDOW_MINUTES = 60;
    static final int COMPLETION_WINDOW_MINUTES = 360;
    /**
     * A week in the source vault: AWS Backup takes incremental backups only while the previous one
     * is still in warm storage (AWS Backup Developer Guide, "Metering, costs, and billing").
     */
    public static final int SOURCE_RETENTION_DAYS = 7;
    /** Copies in the other region: two weeks when destroyable, 35 days in production. */
    public static final int DESTROYABLE_COPY_RETENTION_DAYS = 14;
    public static final int PRODUCTION_COPY_RETENTION_DAYS = 35;
    /**
     * The vault lock's grace period: for these days after the apply the lock can still be removed;
     * then it is immutable (compliance mode). AWS's minimum is 3 days.
     */
    public static final int LOCK_CHANGEABLE_FOR_DAYS = 3;
    /** AWS managed policies of the AWS Backup service role (backups and restores, S3 included). */
    static final List<String> SERVICE_ROLE_POLICIES = List.of(
            "service-role/AWSBackupServiceRolePolicyForBackup", "service-role/AWSBackupServiceRolePolicyForRestores",
            "AWSBackupServiceRolePolicyForS3Backup", "AWSBackupServiceRolePolicyForS3Restore");

    private final RegionContext region;
    private final com.hashicorp.cdktf.providers.aws.backup_vault.BackupVault vault;
    private final String vaultArn;
    private final String vaultName;
    private String roleArn;

    public BackupVault(Construct scope, String id, RegionContext region, EncryptionKey key) {
        super(scope, id);
        this.region = region;
        vault = Builder.create(this, "vault")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.BACKUP_VAULT))
                .kmsKeyArn(key.arn())
                .build();
        // destroyable: a destroy deletes the recovery points first (provider >= 5.x, after the bindings)
        vault.addOverride("force_destroy", !region.production());
        vaultArn = vault.getArn();
        vaultName = vault.getName();
        if (region.production()) {
            BackupVaultLockConfiguration.Builder.create(this, "lock")
                    .provider(region.provider())
                    .backupVaultName(vaultName)
                    .minRetentionDays(SOURCE_RETENTION_DAYS)
                    .maxRetentionDays(PRODUCTION_COPY_RETENTION_DAYS)
                    .changeableForDays(LOCK_CHANGEABLE_FOR_DAYS)
                    .build();
        }
    }

    /**
     * The daily plan of this region: {@code resources} (ARNs of this region's cluster, table and
     * buckets) into this vault, each recovery point copied into {@code other}.
     */
    public void backUp(List<String> resources, BackupVault other) {
        int copyDays = copyRetentionDays();
        // No aws_backup_region_settings: a selection that names its resources by ARN backs them up whatever
        // the Region's service opt-in (AWS Backup API Reference, UpdateRegionSettings), and a backup plan
        // opts the account into advanced DynamoDB backups, which cross-region copies need (AWS Backup
        // Developer Guide, "Advanced DynamoDB backup"). The setting is the account's, per Region, and the
        // provider's destroy leaves it as the apply set it: nothing of it is this stack's to manage.
        BackupPlan plan = BackupPlan.Builder.create(this, "plan")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.BACKUP_PLAN))
                .rule(List.of(BackupPlanRule.builder()
                        .ruleName("daily-copied-to-" + other.region.role().label())
                        .targetVaultName(vaultName)
                        .schedule(SCHEDULE)
                        .startWindow(START_WINDOW_MINUTES)
                        .completionWindow(COMPLETION_WINDOW_MINUTES)
                        .lifecycle(BackupPlanRuleLifecycle.builder().deleteAfter(SOURCE_RETENTION_DAYS).build())
                        .copyAction(List.of(BackupPlanRuleCopyAction.builder()
                                .destinationVaultArn(other.vaultArn)
                                .lifecycle(BackupPlanRuleCopyActionLifecycle.builder().deleteAfter(copyDays).build())
                                .build()))
                        .build()))
                .build();
        IamRole role = IamRole.Builder.create(this, "role")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.IAM_ROLE, "backup"))
                // no aws:SourceAccount condition: AWS Backup's own service role (AWSBackupDefaultServiceRole)
                // trusts the service without one, and a condition it never satisfies would fail every job
                .assumeRolePolicy(Iam.policy(List.of(Iam.statement("AssumedByAwsBackup", List.of("sts:AssumeRole"))
                        .principals(List.of(Iam.service("backup.amazonaws.com")))
                        .build())))
                .build();
        List<IamRolePolicyAttachment> attachments = new java.util.ArrayList<>();
        for (int i = 0; i < SERVICE_ROLE_POLICIES.size(); i++) {
            attachments.add(IamRolePolicyAttachment.Builder.create(this, "role_policy_" + (i + 1))
                    .provider(region.provider())
                    .role(role.getName())
                    .policyArn("arn:" + region.partition() + ":iam::aws:policy/" + SERVICE_ROLE_POLICIES.get(i))
                    .build());
        }
        roleArn = role.getArn();
        BackupSelection.Builder.create(this, "selection")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.BACKUP_SELECTION))
                .planId(plan.getId())
                .iamRoleArn(role.getArn())
                .resources(resources)
                .dependsOn(List.copyOf(attachments))
                .build();
    }

    public String name() {
        return vaultName;
    }

    /**
     * Days a copy in this region's vault is kept: also the retention of an on-demand job into it (the
     * runbook's), which the production vault's lock accepts only between its minimum and maximum.
     */
    public int copyRetentionDays() {
        return region.production() ? PRODUCTION_COPY_RETENTION_DAYS : DESTROYABLE_COPY_RETENTION_DAYS;
    }

    /** The role AWS Backup assumes for this region's plan, and for an on-demand job (the runbook's). */
    public String roleArn() {
        return roleArn;
    }
}
