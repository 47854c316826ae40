package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.kms_alias.KmsAlias;
import com.hashicorp.cdktf.providers.aws.kms_key.KmsKey;
import com.payments.dr.naming.ResourceType;
import com.payments.dr.naming.Tags;
import java.util.ArrayList;
import java.util.List;
import software.constructs.Construct;

/**
 * A customer-managed KMS key for one purpose in one region: rotation on, an alias, and a key policy
 * whose administration statement lists its actions instead of {@code kms:*}. Callers add the
 * statements that let services use it. Destroyable, it goes with the stack after the shortest
 * deletion window; in production it is never destroyed by Terraform ({@code prevent_destroy}: the
 * retained log groups, final snapshots and backup copies it encrypts would become unreadable) and
 * a scheduled deletion by hand waits the longest window.
 */
public final class EncryptionKey extends Construct {

    /** What the account's administrators may do with the key; usage is granted per service. */
    static final List<String> ADMIN_ACTIONS = List.of(
            "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
            "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy",
            "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies",
            "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RevokeGrant", "kms:ScheduleKeyDeletion",
            "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription");

    /** Envelope-encryption actions a service needs to use a key for data at rest. */
    public static final List<String> USE_ACTIONS = List.of(
            "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo");

    static final int DESTROYABLE_DELETION_WINDOW_DAYS = 7;
    static final int PRODUCTION_DELETION_WINDOW_DAYS = 30;

    private final KmsKey key;
    private final String keyArn;
    private final String keyKeyId;

    public EncryptionKey(Construct scope, String id, RegionContext region, String purpose, String description,
                         List<PolicyStatement> usage) {
        super(scope, id);
        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(Iam.statement("KeyAdministration", ADMIN_ACTIONS)
                .principals(List.of(Iam.aws("arn:" + region.partition() + ":iam::" + region.accountId() + ":root")))
                .resources(List.of("*"))
                .build());
        statements.addAll(usage);
        String name = region.naming().name(ResourceType.KMS_KEY, purpose);
        key = KmsKey.Builder.create(this, "key")
                .provider(region.provider())
                .description(description + " (" + name + ")")
                .enableKeyRotation(true)
                .deletionWindowInDays(region.production() ? PRODUCTION_DELETION_WINDOW_DAYS
                        : DESTROYABLE_DELETION_WINDOW_DAYS)
                .policy(Iam.policy(statements))
                .tags(Tags.name(name))
                .lifecycle(region.production()
                        ? com.hashicorp.cdktf.TerraformResourceLifecycle.builder().preventDestroy(true).build() : null)
                .build();
        keyArn = key.getArn();
        keyKeyId = key.getKeyId();
        KmsAlias.Builder.create(this, "alias")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.KMS_ALIAS, purpose))
                .targetKeyId(keyKeyId)
                .build();
    }

    public String arn() {
        return keyArn;
    }

    public String keyId() {
        return keyKeyId;
    }
}
