package com.payments.dr.config;

/** Where Terraform keeps this environment's state: an encrypted S3 object with a DynamoDB lock. */
public record BackendSettings(String bucket, String key, String region, String lockTable) {
}
