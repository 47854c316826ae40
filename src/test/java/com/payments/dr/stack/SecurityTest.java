package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import static com.payments.dr.stack.Synth.props;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Secure-by-default properties that hold across the whole stack. */
class SecurityTest {

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }

    @Test
    void noAllowStatementUsesAWildcardAction() {
        List<JsonObject> documents = synth.policies();
        assertTrue(documents.size() >= 10, "found " + documents.size() + " policy documents");
        int denies = 0;
        for (JsonObject document : documents) {
            for (JsonElement statement : document.getAsJsonArray("statement")) {
                JsonObject s = statement.getAsJsonObject();
                assertFalse(s.has("not_actions"), "NotAction grants everything else");
                if (s.get("effect").getAsString().equals("Deny")) {
                    // the only Denies: refuse every request made without TLS
                    assertEquals("aws:SecureTransport", s.getAsJsonArray("condition").get(0).getAsJsonObject()
                            .get("variable").getAsString());
                    denies++;
                    continue;
                }
                assertEquals("Allow", s.get("effect").getAsString());
                for (JsonElement action : s.getAsJsonArray("actions")) {
                    assertFalse(action.getAsString().contains("*"), action.getAsString());
                }
            }
        }
        assertEquals(10, denies, "TLS-only policies per region: the bucket and its log bucket, the alert topic, two"
                + " dead-letter queues");
    }

    @Test
    void policiesAreWrittenAsPolicyJson() {
        for (JsonObject role : synth.resources("aws_iam_role")) {
            assertTrue(role.get("assume_role_policy").getAsString().startsWith("{\"Version\":\"2012-10-17\""));
        }
        for (JsonObject policy : synth.resources("aws_iam_role_policy")) {
            assertTrue(policy.get("policy").getAsString().startsWith("{\"Version\":\"2012-10-17\""));
        }
        // managed policies only for AWS Backup's service role, and only AWS's own for that service
        List<JsonObject> attachments = synth.resources("aws_iam_role_policy_attachment");
        assertEquals(8, attachments.size(), "four per region");
        for (JsonObject attachment : attachments) {
            assertTrue(attachment.get("role").getAsString().matches("\\$\\{aws_iam_role\\.(primary|dr)_backup_role_[0-9A-F]{8}\\.name}"),
                    attachment.toString());
            assertTrue(attachment.get("policy_arn").getAsString().matches(
                    "arn:\\$\\{data\\.aws_partition\\.(primary|dr)_partition\\.partition}:iam::aws:policy/(service-role/)?"
                            + "AWSBackupServiceRolePolicyFor(Backup|Restores|S3Backup|S3Restore)"), attachment.toString());
        }
    }

    @Test
    void serviceRolesGuardAgainstTheConfusedDeputy() {
        for (JsonObject document : synth.policies()) {
            for (JsonElement statement : document.getAsJsonArray("statement")) {
                JsonObject s = statement.getAsJsonObject();
                if (s.getAsJsonArray("actions").get(0).getAsString().equals("sts:AssumeRole")) {
                    String principal = s.getAsJsonArray("principals").get(0).getAsJsonObject()
                            .getAsJsonArray("identifiers").get(0).getAsString();
                    if (principal.equals("apigateway.amazonaws.com") || principal.equals("backup.amazonaws.com")) {
                        // AWS's documented trusts for the API Gateway logging role and AWS Backup's service role
                        assertFalse(s.has("condition"), principal + " is not documented to send aws:SourceAccount");
                        continue;
                    }
                    JsonObject condition = s.getAsJsonArray("condition").get(0).getAsJsonObject();
                    assertEquals("aws:SourceAccount", condition.get("variable").getAsString(), principal);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"primary, logs", "primary, data", "dr, logs", "dr, data"})
    void eachRegionHasItsOwnRotatingDestroyableKeysWithAliases(String role, String purpose) {
        synth.assertResource("aws_kms_key", props("provider", "aws." + role, "enable_key_rotation", true,
                "deletion_window_in_days", 7, "tags", Map.of("Name", "cmk-" + purpose + "-dev")));
        synth.assertResource("aws_kms_alias", props("provider", "aws." + role, "name", "alias/cmk-" + purpose + "-dev",
                "target_key_id", synth.ref("aws_kms_key", role + "_" + purpose + "_key_", "key_id")));
    }

    @Test
    void customerManagedKeysRotateAndCanBeDestroyed() {
        List<JsonObject> keys = synth.resources("aws_kms_key");
        assertFalse(keys.isEmpty());
        for (JsonObject key : keys) {
            assertEquals(7, key.get("deletion_window_in_days").getAsInt());
            assertTrue(key.get("policy").getAsString().startsWith("{\"Version\":\"2012-10-17\""));
            assertFalse(key.has("lifecycle"), "destroyable: no prevent_destroy");
            if (key.has("customer_master_key_spec")) {
                // the zone's DNSSEC key-signing key: asymmetric, which KMS cannot rotate
                assertEquals("ECC_NIST_P256", key.get("customer_master_key_spec").getAsString());
                assertEquals("SIGN_VERIFY", key.get("key_usage").getAsString());
                continue;
            }
            assertTrue(key.get("enable_key_rotation").getAsBoolean());
        }
        assertEquals(5, keys.size(), "per region logs-and-alerts and data; the signing key");
        assertEquals(keys.size() - 1, synth.resources("aws_kms_alias").size());
    }

    @Test
    void nothingIsRetainedOrProtectedFromDestroy() {
        String text = synth.text();
        assertFalse(text.contains("\"prevent_destroy\": true"));
        assertFalse(text.contains("\"deletion_protection\": true"));
    }
}
