package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.s3_bucket.S3Bucket;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfiguration;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRule;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload;
import com.hashicorp.cdktf.providers.aws.s3_bucket_lifecycle_configuration.S3BucketLifecycleConfigurationRuleExpiration;
import com.hashicorp.cdktf.providers.aws.s3_bucket_logging.S3BucketLoggingA;
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
 * and, destroyable, {@code force_destroy} so a versioned bucket can still be destroyed with the stack.
 * Its server access logs go to a log bucket of its own in the same region (S3 delivers them only
 * there, and only to SSE-S3 buckets), kept as long as the audit trail
 * ({@link com.payments.dr.config.Protection#auditRetentionDays}).
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
    private final String logBucketArn;

    public Bucket(Construct scope, String id, RegionContext region, int logRetentionDays) {
        super(scope, id);
        S3Bucket bucket = S3Bucket.Builder.create(this, "bucket")
                .provider(region.provider())
                .bucket(region.naming().name(ResourceType.S3_BUCKET, region.accountId()))
                // destroyable: a versioned bucket still goes with the stack; production: never with its objects
                .forceDestroy(!region.production())
                .build();
        bucketName = Memo.of(bucket::getBucket);
        bucketId = bucket.getId();
        bucketArn = bucket.getArn();
        versioning = harden(region, bucketId, bucketArn, "").versioning();
        logBucketArn = accessLogs(region, logRetentionDays);
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
                        .noncurrentVersionExpiration(noncurrentExpiry())
                        .abortIncompleteMultipartUpload(abortIncompleteUploads())
                        .build()))
                // lifecycle rules on a bucket whose versioning is still changing are rejected
                .dependsOn(List.of(versioning))
                .build();
    }

    /** Every bucket's versions that are no longer current expire after the same days. */
    private static S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration noncurrentExpiry() {
        return S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration.builder()
                .noncurrentDays(NONCURRENT_EXPIRY_DAYS).build();
    }

    /** Parts of an upload never completed are not kept (nor billed) past a few days. */
    private static S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload abortIncompleteUploads() {
        return S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload.builder()
                .daysAfterInitiation(ABORT_MULTIPART_AFTER_DAYS).build();
    }

    /**
     * The log bucket: private, versioned, SSE-S3, TLS only, writable by S3's log delivery for this
     * bucket alone; logs expire after the audit retention. Returns its ARN.
     */
    private String accessLogs(RegionContext region, int logRetentionDays) {
        S3Bucket logs = S3Bucket.Builder.create(this, "access_logs")
                .provider(region.provider())
                .bucket(region.naming().name(ResourceType.S3_LOG_BUCKET, region.accountId()))
                .forceDestroy(!region.production())
                .build();
        String logsId = logs.getId();
        String logsArn = logs.getArn();
        Hardened logsHardened = harden(region, logsId, logsArn, "access_logs_",
                Iam.statement("S3ServerAccessLogDelivery", List.of("s3:PutObject"))
                        .principals(List.of(Iam.service("logging.s3.amazonaws.com")))
                        .resources(List.of(logsArn + "/" + LOG_PREFIX + "*"))
                        .condition(List.of(
                                Iam.condition("StringEquals", "aws:SourceAccount", region.accountId()),
                                Iam.condition("ArnLike", "aws:SourceArn", bucketArn)))
                        .build());
        S3BucketVersioningA logsVersioning = logsHardened.versioning();
        int days = region.protection().auditRetentionDays(logRetentionDays);
        S3BucketLifecycleConfiguration.Builder.create(this, "access_logs_lifecycle")
                .provider(region.provider())
                .bucket(logsId)
                .rule(List.of(S3BucketLifecycleConfigurationRule.builder()
                        .id("audit-retention")
                        .status("Enabled")
                        .filter(S3BucketLifecycleConfigurationRuleFilter.builder().prefix("").build())
                        .expiration(S3BucketLifecycleConfigurationRuleExpiration.builder().days(days).build())
                        .noncurrentVersionExpiration(noncurrentExpiry())
                        .abortIncompleteMultipartUpload(abortIncompleteUploads())
                        .build()))
                .dependsOn(List.of(logsVersioning))
                .build();
        S3BucketLoggingA.Builder.create(this, "logging")
                .provider(region.provider())
                .bucket(bucketId)
                .targetBucket(logsId)
                .targetPrefix(LOG_PREFIX)
                // logging starts once the log bucket's policy lets S3's log delivery write there
                .dependsOn(List.of(logsVersioning, logsHardened.policy()))
                .build();
        return logsArn;
    }

    /** Where the access logs go in the log bucket. */
    static final String LOG_PREFIX = "s3-access/";

    /** A hardened bucket's versioning and policy, for what must wait on either. */
    private record Hardened(S3BucketVersioningA versioning, S3BucketPolicy policy) {
    }

    /**
     * Versioning, SSE-S3, all public access blocked, ACLs off and a TLS-only policy (with {@code grants}
     * before it) on one bucket.
     */
    private Hardened harden(RegionContext region, String id, String arn, String prefix,
                                       PolicyStatement... grants) {
        S3BucketVersioningA versioned = S3BucketVersioningA.Builder.create(this, prefix + "versioning")
                .provider(region.provider())
                .bucket(id)
                .versioningConfiguration(S3BucketVersioningVersioningConfiguration.builder().status("Enabled").build())
                .build();
        S3BucketServerSideEncryptionConfigurationA.Builder.create(this, prefix + "encryption")
                .provider(region.provider())
                .bucket(id)
                .rule(List.of(S3BucketServerSideEncryptionConfigurationRuleA.builder()
                        .applyServerSideEncryptionByDefault(
                                S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA.builder()
                                        .sseAlgorithm("AES256").build())
                        .build()))
                .build();
        S3BucketPublicAccessBlock publicAccess = S3BucketPublicAccessBlock.Builder.create(this, prefix + "public_access_block")
                .provider(region.provider())
                .bucket(id)
                .blockPublicAcls(true)
                .blockPublicPolicy(true)
                .ignorePublicAcls(true)
                .restrictPublicBuckets(true)
                .build();
        S3BucketOwnershipControls.Builder.create(this, prefix + "ownership")
                .provider(region.provider())
                .bucket(id)
                .rule(S3BucketOwnershipControlsRule.builder().objectOwnership("BucketOwnerEnforced").build())
                .build();
        List<PolicyStatement> statements = new java.util.ArrayList<>(List.of(grants));
        statements.add(Iam.denyInsecureTransport("s3", List.of(arn, arn + "/*")));
        S3BucketPolicy policy = S3BucketPolicy.Builder.create(this, prefix + "policy")
                .provider(region.provider())
                .bucket(id)
                .policy(Iam.policy(statements))
                // AWS rejects a policy while the public access block is still being applied
                .dependsOn(List.of(publicAccess))
                .build();
        return new Hardened(versioned, policy);
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

    /** The log bucket's ARN (AWS Backup selects it with the bucket). */
    public String logBucketArn() {
        return logBucketArn;
    }

    /** Replication must wait until versioning is on at both ends. */
    public S3BucketVersioningA versioning() {
        return versioning;
    }
}
