package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import static com.payments.dr.stack.Synth.props;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DynamoDB global table and the replicated S3 buckets. */
class StorageTest {

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }



    @Test
    void stateTableIsAnOnDemandGlobalTableWithTtlStreamsAndRecovery() {
        synth.assertResource("aws_dynamodb_table", props("provider", "aws.primary",
                "name", "dynamodb-payment-state-dev", "billing_mode", "PAY_PER_REQUEST", "hash_key", "pk",
                "attribute", List.of(Map.of("name", "pk", "type", "S")),
                "ttl", Map.of("attribute_name", "expires_at", "enabled", true),
                "stream_enabled", true, "stream_view_type", "NEW_AND_OLD_IMAGES",
                "server_side_encryption", Map.of("enabled", true),
                "point_in_time_recovery", Map.of("enabled", true), "deletion_protection_enabled", false));
        assertFalse(synth.resource("aws_dynamodb_table", "global_state_table").has("range_key"));
    }

    @Test
    void onlyTheDrRegionIsAReplicaAndItKeepsRecoveryAndTags() {
        // one element: the table's own region is not a replica
        synth.assertResource("aws_dynamodb_table", props("name", "dynamodb-payment-state-dev",
                "replica", List.of(Map.of("region_name", "us-east-2", "point_in_time_recovery", true,
                        "propagate_tags", true))));
        // never mix replica blocks and resources
        synth.assertNoResource("aws_dynamodb_table_replica");
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void bucketsArePrivateVersionedEncryptedAndDestroyable(String role) {
        String bucket = synth.ref("aws_s3_bucket", role + "_bucket_", "id");
        synth.assertResource("aws_s3_bucket", props("provider", "aws." + role, "force_destroy", true,
                "bucket", "s3-payments-${data.aws_caller_identity." + role + "_caller_identity.account_id}-" + role + "-dev"));
        synth.assertResource("aws_s3_bucket_versioning", props("provider", "aws." + role, "bucket", bucket,
                "versioning_configuration", Map.of("status", "Enabled")));
        synth.assertResource("aws_s3_bucket_server_side_encryption_configuration", props("provider", "aws." + role,
                "bucket", bucket, "rule", List.of(Map.of("apply_server_side_encryption_by_default",
                        Map.of("sse_algorithm", "AES256")))));
        synth.assertResource("aws_s3_bucket_public_access_block", props("provider", "aws." + role, "bucket", bucket,
                "block_public_acls", true, "block_public_policy", true, "ignore_public_acls", true,
                "restrict_public_buckets", true));
        synth.assertResource("aws_s3_bucket_ownership_controls", props("provider", "aws." + role, "bucket", bucket,
                "rule", Map.of("object_ownership", "BucketOwnerEnforced")));
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void bucketPolicyDeniesRequestsWithoutTls(String role) {
        JsonObject policy = synth.resource("aws_s3_bucket_policy", role + "_bucket_policy");
        Synth.assertDependsFirstOn(policy, "aws_s3_bucket_public_access_block." + role + "_bucket_public_access_block");
        String bucket = synth.ref("aws_s3_bucket", role + "_bucket_", "arn");
        // the bucket and its objects, only through TLS: the whole policy, as IAM will read it
        synth.assertResource("aws_s3_bucket_policy", props("provider", "aws." + role,
                "bucket", synth.ref("aws_s3_bucket", role + "_bucket_", "id"),
                "policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyInsecureTransport\","
                        + "\"Effect\":\"Deny\",\"Principal\":{\"AWS\":[\"*\"]},\"Action\":[\"s3:*\"],"
                        + "\"Resource\":[\"" + bucket + "\",\"" + bucket + "/*\"],"
                        + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":[\"false\"]}}}]}"));
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void lifecycleTiersExpiresNoncurrentVersionsAndAbortsUploads(String role) {
        synth.assertResource("aws_s3_bucket_lifecycle_configuration", props("provider", "aws." + role,
                "bucket", synth.ref("aws_s3_bucket", role + "_bucket_", "id"),
                "rule", List.of(props("status", "Enabled", "filter", Map.of("prefix", ""),
                        "transition", List.of(Map.of("days", 30, "storage_class", "STANDARD_IA"),
                                Map.of("days", 90, "storage_class", "GLACIER_IR")),
                        "noncurrent_version_expiration", Map.of("noncurrent_days", 30),
                        "abort_incomplete_multipart_upload", Map.of("days_after_initiation", 7)))));
        JsonObject lifecycle = synth.resource("aws_s3_bucket_lifecycle_configuration", role + "_bucket_lifecycle");
        Synth.assertDependsFirstOn(lifecycle, "aws_s3_bucket_versioning." + role + "_bucket_versioning");
    }

    @Test
    void primaryReplicatesToDrWithDeleteMarkersAndTimeControlAfterVersioning() {
        synth.assertResource("aws_s3_bucket_replication_configuration", props("provider", "aws.primary",
                "bucket", synth.ref("aws_s3_bucket", "primary_bucket_", "id"),
                "role", synth.ref("aws_iam_role", "global_replication_role", "arn"),
                "rule", List.of(props("status", "Enabled", "filter", Map.of("prefix", ""),
                        "delete_marker_replication", Map.of("status", "Enabled"),
                        "destination", props("bucket", synth.ref("aws_s3_bucket", "dr_bucket_", "arn"),
                                "replication_time", Map.of("status", "Enabled", "time", Map.of("minutes", 15)),
                                "metrics", Map.of("status", "Enabled", "event_threshold", Map.of("minutes", 15)))))));
        JsonObject replication = synth.resource("aws_s3_bucket_replication_configuration", "global_bucket_replication");
        List<String> dependsOn = Synth.strings(replication.getAsJsonArray("depends_on"));
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_s3_bucket_versioning.primary_bucket_versioning")));
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_s3_bucket_versioning.dr_bucket_versioning")));
        JsonObject rule = replication.getAsJsonArray("rule").get(0).getAsJsonObject();
        assertFalse(rule.getAsJsonObject("source_selection_criteria").has("sse_kms_encrypted_objects"),
                "SSE-S3 objects need no KMS replication settings");
    }

    @Test
    void replicationRoleIsLeastPrivilege() {
        synth.assertResource("aws_iam_role", props("provider", "aws.primary", "name", "role-s3-replication-dev"));
        JsonObject role = synth.resource("aws_iam_role", "global_replication_role");
        JsonObject trust = synth.policyDocument(role.get("assume_role_policy").getAsString())
                .getAsJsonArray("statement").get(0).getAsJsonObject();
        assertEquals("s3.amazonaws.com", trust.getAsJsonArray("principals").get(0).getAsJsonObject()
                .getAsJsonArray("identifiers").get(0).getAsString());
        JsonObject policy = synth.resource("aws_iam_role_policy", "global_replication_role_policy");
        JsonArray statements = synth.policyDocument(policy.get("policy").getAsString()).getAsJsonArray("statement");
        assertEquals(3, statements.size());
        JsonObject write = statements.get(2).getAsJsonObject();
        assertEquals(List.of("s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"),
                Synth.strings(write.getAsJsonArray("actions")));
        assertTrue(Synth.strings(write.getAsJsonArray("resources")).get(0).startsWith("${aws_s3_bucket.dr_bucket_"));
        for (JsonElement statement : statements) {
            for (String action : Synth.strings(statement.getAsJsonObject().getAsJsonArray("actions"))) {
                assertTrue(action.startsWith("s3:Get") || action.startsWith("s3:List") || action.startsWith("s3:Replicate"),
                        action);
            }
        }
    }

    @Test
    void backupsCoverThePrimaryClusterOnlyAndLeaveTheAccountsSettingsAlone() {
        // the primary region: its cluster, the table and both of its buckets
        synth.assertResource("aws_backup_selection", props("provider", "aws.primary",
                "plan_id", synth.ref("aws_backup_plan", "primary_backup_plan", "id"),
                "resources", List.of(synth.ref("aws_rds_cluster", "primary_database_cluster", "arn"),
                        synth.ref("aws_dynamodb_table", "global_state_table", "arn"),
                        synth.ref("aws_s3_bucket", "primary_bucket_", "arn"),
                        synth.ref("aws_s3_bucket", "primary_bucket_access_logs", "arn"))));
        // the DR region: the table's replica and its buckets, not the global database's secondary (AWS
        // documents no AWS Backup of one; the primary's recovery points are copied into this region)
        List<String> dr = Synth.strings(synth.resource("aws_backup_selection", "dr_backup_selection")
                .getAsJsonArray("resources"));
        assertEquals(List.of("${tolist(" + synth.ref("aws_dynamodb_table", "global_state_table", "replica")
                        .replace("${", "").replace("}", "") + ").0.arn}",
                synth.ref("aws_s3_bucket", "dr_bucket_", "arn"),
                synth.ref("aws_s3_bucket", "dr_bucket_access_logs", "arn")), dr);
        // each plan copies into the other region's vault
        for (String[] pair : List.of(new String[] {"primary", "dr"}, new String[] {"dr", "primary"})) {
            JsonObject rule = synth.resource("aws_backup_plan", pair[0] + "_backup_plan")
                    .getAsJsonArray("rule").get(0).getAsJsonObject();
            assertEquals(synth.ref("aws_backup_vault", pair[1] + "_backup_vault", "arn"), rule
                    .getAsJsonArray("copy_action").get(0).getAsJsonObject().get("destination_vault_arn").getAsString());
        }
        // no account-wide, per-region setting: selections by ARN ignore the service opt-in, and a plan
        // turns on the advanced DynamoDB backups that cross-region copies need
        synth.assertNoResource("aws_backup_region_settings");
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void accessLoggingStartsOnceTheLogBucketAcceptsDeliveries(String role) {
        synth.assertResource("aws_s3_bucket_logging", props("provider", "aws." + role,
                "bucket", synth.ref("aws_s3_bucket", role + "_bucket_", "id"),
                "target_bucket", synth.ref("aws_s3_bucket", role + "_bucket_access_logs", "id"),
                "target_prefix", "s3-access/"));
        List<String> dependsOn = Synth.strings(synth.resource("aws_s3_bucket_logging", role + "_bucket_logging")
                .getAsJsonArray("depends_on"));
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_s3_bucket_policy." + role
                + "_bucket_access_logs_policy")), dependsOn.toString());
    }

    @Test
    void outputsNameTheTableAndBuckets() {
        JsonObject outputs = synth.json().getAsJsonObject("output");
        for (String name : List.of("state_table_name", "state_table_arn", "primary_bucket_name", "primary_bucket_arn",
                "dr_bucket_name", "dr_bucket_arn")) {
            assertTrue(outputs.has(name), name);
        }
    }
}
