package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfiguration;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRule;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleFilter;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleTransition;
import com.hashicorp.cdktf.providers.aws.s3_bucket_ownership_controls.S3BucketOwnershipControls;
import com.hashicorp.cdktf.providers.aws.s3_bucket_ownership_controls.S3BucketOwnershipControlsRule;
import com.hashicorp.cdktf.providers.aws.s3_bucket_policy.S3BucketPolicy;
import com.hashicorp.cdktf.providers.aws.s3_bucket_public_access_block.S3BucketPublicAccessBlock;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningVersioningConfiguration;
import com.payments.dr.naming.ResourceType;
import java.util.List;
import software.constructs.Construct;

/**
 * A private, versioned, encrypted bucket: SSE-S3 by default (replication needs no KMS plumbing),
 * all public access blocked, ACLs disabled, TLS required, lifecycle rules that keep storage cheap,
 * and {@code force_destroy} so a versioned bucket can still be destroyed with the stack.
 */
public final class Bucket extends Construct {

    /** Current objects move to Infrequent Access after this many days. */
    static final int INFREQUENT_ACCESS_AFTER_DAYS = 30;
    /** ... and to Glacier Instant Retrieval (millisecond reads, for restores) after this many. */
    static final int GLACIER_IR_AFTER_DAYS = 90;
    static final int NONCURRENT_EXPIRY_DAYS = 30;
    static final int ABORT_MULTIPART_AFTER_DAYS = 7;

    private final Memo<String> bucketName;
    private final String bucketId;
    private final String bucketArn;
    private final S3BucketVersioningA versioning;

    public Bucket(Construct scope, String id, RegionContext region) {
        super(scope, id);
        S3Bucket bucket = S3Bucket.Builder.create(this, "bucket")
                .provider(region.provider())
                .bucket(region.naming().name(ResourceType.S3_BUCKET, region.accountId()))
                .forceDestroy(true)
                .build();
        bucketName = Memo.of(bucket::getBucket);
        bucketId = bucket.getId();
        bucketArn = bucket.getArn();
        versioning = S3BucketVersioningA.Builder.create(this, "versioning")
                .provider(region.provider())
                .bucket(bucketId)
                .versioningConfiguration(S3BucketVersioningVersioningConfiguration.builder().status("Enabled").build())
                .build();
        S3BucketServerSideEncryptionConfigurationA.Builder.create(this, "encryption")
                .provider(region.provider())
                .bucket(bucketId)
                .rule(List.of(S3BucketServerSideEncryptionConfigurationRuleA.builder()
                        .applyServerSideEncryptionByDefault(
                                S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA.builder()
                                        .sseAlgorithm("AES256").build())
                        .build()))
                .build();
        S3BucketPublicAccessBlock publicAccess = S3BucketPublicAccessBlock.Builder.create(this, "public_access_block")
                .provider(region.provider())
                .bucket(bucketId)
                .blockPublicAcls(true)
                .blockPublicPolicy(true)
                .ignorePublicAcls(true)
                .restrictPublicBuckets(true)
                .build();
        S3BucketOwnershipControls.Builder.create(this, "ownership")
                .provider(region.provider())
                .bucket(bucketId)
                .rule(S3BucketOwnershipControlsRule.builder().objectOwnership("BucketOwnerEnforced").build())
                .build();
        S3BucketPolicy.Builder.create(this, "policy")
                .provider(region.provider())
                .bucket(bucketId)
                .policy(Iam.policy(List.of(Iam.denyInsecureTransport("s3", List.of(bucketArn, bucketArn + "/*")))))
                // AWS rejects a policy while the public access block is still being applied
                .dependsOn(List.of(publicAccess))
                .build();
        S3BucketLifecycleConfiguration.Builder.create(this, "lifecycle")
                .provider(region.provider())
                .bucket(bucketId)
                .rule(List.of(S3BucketLifecycleConfigurationRule.builder()
                        .id("tiering-and-cleanup")
                        .status("Enabled")
                        .filter(S3BucketLifecycleConfigurationRuleFilter.builder().prefix("").build())
                        .transition(List.of(
                                S3BucketLifecycleConfigurationRuleTransition.builder()
                                        .days(INFREQUENT_ACCESS_AFTER_DAYS).storageClass("STANDARD_IA").build(),
                                S3BucketLifecycleConfigurationRuleTransition.builder()
                                        .days(GLACIER_IR_AFTER_DAYS).storageClass("GLACIER_IR").build()))
                        .noncurrentVersionExpiration(S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration.builder()
                                .noncurrentDays(NONCURRENT_EXPIRY_DAYS).build())
                        .abortIncompleteMultipartUpload(
                                S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload.builder()
                                        .daysAfterInitiation(ABORT_MULTIPART_AFTER_DAYS).build())
                        .build()))
                // lifecycle rules on a bucket whose versioning is still changing are rejected
                .dependsOn(List.of(versioning))
                .build();
    }

    public String name() {
        return bucketName.get();
    }

    public String id() {
        return bucketId;
    }

    public String arn() {
        return bucketArn;
    }

    /** Replication must wait until versioning is on at both ends. */
    public S3BucketVersioningA versioning() {
        return versioning;
    }
}
