package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
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
        JsonObject table = synth.resource("aws_dynamodb_table", "global_state_table");
        assertEquals("aws.primary", table.get("provider").getAsString());
        assertEquals("dynamodb-payment-state-dev", table.get("name").getAsString());
        assertEquals("PAY_PER_REQUEST", table.get("billing_mode").getAsString());
        assertEquals("pk", table.get("hash_key").getAsString());
        assertFalse(table.has("range_key"));
        JsonObject attribute = table.getAsJsonArray("attribute").get(0).getAsJsonObject();
        assertEquals("pk", attribute.get("name").getAsString());
        assertEquals("S", attribute.get("type").getAsString());
        assertEquals("expires_at", table.getAsJsonObject("ttl").get("attribute_name").getAsString());
        assertTrue(table.getAsJsonObject("ttl").get("enabled").getAsBoolean());
        assertTrue(table.get("stream_enabled").getAsBoolean());
        assertEquals("NEW_AND_OLD_IMAGES", table.get("stream_view_type").getAsString());
        assertTrue(table.getAsJsonObject("server_side_encryption").get("enabled").getAsBoolean());
        assertTrue(table.getAsJsonObject("point_in_time_recovery").get("enabled").getAsBoolean());
        assertFalse(table.get("deletion_protection_enabled").getAsBoolean());
    }

    @Test
    void onlyTheDrRegionIsAReplicaAndItKeepsRecoveryAndTags() {
        JsonArray replicas = synth.resource("aws_dynamodb_table", "global_state_table").getAsJsonArray("replica");
        assertEquals(1, replicas.size(), "the table's own region is not a replica");
        JsonObject replica = replicas.get(0).getAsJsonObject();
        assertEquals("us-east-2", replica.get("region_name").getAsString());
        assertTrue(replica.get("point_in_time_recovery").getAsBoolean());
        assertTrue(replica.get("propagate_tags").getAsBoolean());
        assertTrue(synth.resources("aws_dynamodb_table_replica").isEmpty(), "never mix replica blocks and resources");
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void bucketsArePrivateVersionedEncryptedAndDestroyable(String role) {
        JsonObject bucket = synth.resource("aws_s3_bucket", role + "_bucket_");
        assertEquals("aws." + role, bucket.get("provider").getAsString());
        assertTrue(bucket.get("bucket").getAsString().matches(
                "s3-payments-\\$\\{data\\.aws_caller_identity\\." + role + "_caller_identity\\.account_id}-" + role + "-dev"),
                bucket.get("bucket").getAsString());
        assertTrue(bucket.get("force_destroy").getAsBoolean());
        assertEquals("Enabled", synth.resource("aws_s3_bucket_versioning", role + "_bucket_versioning")
                .getAsJsonObject("versioning_configuration").get("status").getAsString());
        assertEquals("AES256", synth.resource("aws_s3_bucket_server_side_encryption_configuration",
                        role + "_bucket_encryption").getAsJsonArray("rule").get(0).getAsJsonObject()
                .getAsJsonObject("apply_server_side_encryption_by_default").get("sse_algorithm").getAsString());
        JsonObject block = synth.resource("aws_s3_bucket_public_access_block", role + "_bucket_public_access_block");
        for (String flag : List.of("block_public_acls", "block_public_policy", "ignore_public_acls",
                "restrict_public_buckets")) {
            assertTrue(block.get(flag).getAsBoolean(), flag);
        }
        assertEquals("BucketOwnerEnforced", synth.resource("aws_s3_bucket_ownership_controls", role + "_bucket_ownership")
                .getAsJsonObject("rule").get("object_ownership").getAsString());
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void bucketPolicyDeniesRequestsWithoutTls(String role) {
        JsonObject policy = synth.resource("aws_s3_bucket_policy", role + "_bucket_policy");
        assertTrue(Synth.strings(policy.getAsJsonArray("depends_on")).get(0)
                .startsWith("aws_s3_bucket_public_access_block." + role + "_bucket_public_access_block"));
        JsonObject statement = synth.policyDocument(policy.get("policy").getAsString())
                .getAsJsonArray("statement").get(0).getAsJsonObject();
        assertEquals("Deny", statement.get("effect").getAsString());
        JsonObject condition = statement.getAsJsonArray("condition").get(0).getAsJsonObject();
        assertEquals("aws:SecureTransport", condition.get("variable").getAsString());
        assertEquals("false", condition.getAsJsonArray("values").get(0).getAsString());
        assertEquals(2, statement.getAsJsonArray("resources").size(), "the bucket and its objects");
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void lifecycleTiersExpiresNoncurrentVersionsAndAbortsUploads(String role) {
        JsonObject lifecycle = synth.resource("aws_s3_bucket_lifecycle_configuration", role + "_bucket_lifecycle");
        JsonObject rule = lifecycle.getAsJsonArray("rule").get(0).getAsJsonObject();
        assertEquals("Enabled", rule.get("status").getAsString());
        JsonArray transitions = rule.getAsJsonArray("transition");
        assertEquals("STANDARD_IA", transitions.get(0).getAsJsonObject().get("storage_class").getAsString());
        assertEquals(30, transitions.get(0).getAsJsonObject().get("days").getAsInt());
        assertEquals("GLACIER_IR", transitions.get(1).getAsJsonObject().get("storage_class").getAsString());
        assertEquals(30, rule.getAsJsonObject("noncurrent_version_expiration").get("noncurrent_days").getAsInt());
        assertEquals(7, rule.getAsJsonObject("abort_incomplete_multipart_upload").get("days_after_initiation").getAsInt());
        assertTrue(Synth.strings(lifecycle.getAsJsonArray("depends_on")).get(0)
                .startsWith("aws_s3_bucket_versioning." + role + "_bucket_versioning"));
    }

    @Test
    void primaryReplicatesToDrWithDeleteMarkersAndTimeControlAfterVersioning() {
        JsonObject replication = synth.resource("aws_s3_bucket_replication_configuration", "global_bucket_replication");
        assertEquals("aws.primary", replication.get("provider").getAsString());
        assertTrue(replication.get("bucket").getAsString().startsWith("${aws_s3_bucket.primary_bucket_"));
        List<String> dependsOn = Synth.strings(replication.getAsJsonArray("depends_on"));
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_s3_bucket_versioning.primary_bucket_versioning")));
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_s3_bucket_versioning.dr_bucket_versioning")));
        JsonObject rule = replication.getAsJsonArray("rule").get(0).getAsJsonObject();
        assertEquals("Enabled", rule.get("status").getAsString());
        assertTrue(rule.has("filter"));
        assertEquals("Enabled", rule.getAsJsonObject("delete_marker_replication").get("status").getAsString());
        JsonObject destination = rule.getAsJsonObject("destination");
        assertTrue(destination.get("bucket").getAsString().startsWith("${aws_s3_bucket.dr_bucket_"));
        assertEquals(15, destination.getAsJsonObject("replication_time").getAsJsonObject("time").get("minutes").getAsInt());
        assertEquals("Enabled", destination.getAsJsonObject("replication_time").get("status").getAsString());
        assertEquals(15, destination.getAsJsonObject("metrics").getAsJsonObject("event_threshold")
                .get("minutes").getAsInt());
        assertFalse(rule.getAsJsonObject("source_selection_criteria").has("sse_kms_encrypted_objects"),
                "SSE-S3 objects need no KMS replication settings");
    }

    @Test
    void replicationRoleIsLeastPrivilege() {
        JsonObject role = synth.resource("aws_iam_role", "global_replication_role");
        assertEquals("role-s3-replication-dev", role.get("name").getAsString());
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
    void outputsNameTheTableAndBuckets() {
        JsonObject outputs = synth.json().getAsJsonObject("output");
        for (String name : List.of("state_table_name", "state_table_arn", "primary_bucket_name", "primary_bucket_arn",
                "dr_bucket_name", "dr_bucket_arn")) {
            assertTrue(outputs.has(name), name);
        }
    }
}
