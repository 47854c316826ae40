package com.payments.dr.config;

/**
 * Where Terraform keeps this environment's state: an S3 object encrypted with a customer-managed
 * KMS key (the state holds the master password), with a DynamoDB lock.
 */
public record BackendSettings(String bucket, String key, String region, String lockTable, String kmsKeyId) {
}
