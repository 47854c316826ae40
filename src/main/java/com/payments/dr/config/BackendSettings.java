package com.payments.dr.config;

/**
 * Where Terraform keeps this environment's state: an S3 object encrypted with a customer-managed
 * KMS key (the state holds the master password), locked with an S3 lock file and, while runners
 * migrate to it, a DynamoDB lock too.
 */
public record BackendSettings(String bucket, String key, String region, String lockTable, String kmsKeyId) {

    /** The {@code STATE_LOCK_TABLE} value that drops DynamoDB locking: the S3 lock file alone. */
    public static final String NO_LOCK_TABLE = "none";

    /** Whether the backend also takes the DynamoDB lock (Terraform's migration path to lock files). */
    public boolean dynamodbLocking() {
        return !NO_LOCK_TABLE.equals(lockTable);
    }
}
