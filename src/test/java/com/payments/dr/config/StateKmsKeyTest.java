package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** STATE_KMS_KEY accepts what Terraform's S3 backend accepts as kms_key_id, and nothing AWS-managed. */
class StateKmsKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"alias/payments-dr-terraform-state", "alias/team/state_key",
            "1234abcd-12ab-44cd-86ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-44cd-86ef-1234567890ab",
            "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab"})
    void keysTheBackendAccepts(String key) {
        // key ids as Terraform checks them: random (version 4) UUIDs or multi-Region mrk- ids
        assertEquals(key, DrConfig.builder().set(Setting.STATE_KMS_KEY, key).build().backend().kmsKeyId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"payments-dr-terraform-state", "alias/", "alias/a b", "1234",
            "arn:aws:kms:us-east-1:123456789012:alias/state", "arn:aws:s3:::bucket", "alias/aws/s3"})
    void anythingElseIsOneLineNamingTheSetting(String key) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DrConfig.builder().set(Setting.STATE_KMS_KEY, key).build());
        assertEquals(Setting.STATE_KMS_KEY, e.setting());
        assertEquals(1, e.getMessage().lines().count());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("invalid STATE_KMS_KEY=\"" + key + "\""));
    }
}
