package com.payments.dr.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Protection;
import com.payments.dr.config.Setting;
import com.payments.dr.stack.Synth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decommission profile, applied before a production stack's destroy, lifts deletion protection
 * and nothing else: every setting that keeps the audit trail or the data is production's.
 */
class DecommissionProfileTest {

    /** What decommission may change: (resource type, attribute). */
    private static final Map<String, List<String>> LIFTED = Map.of(
            "aws_rds_cluster", List.of("deletion_protection"),
            "aws_rds_global_cluster", List.of("deletion_protection", "force_destroy"),
            "aws_dynamodb_table", List.of("deletion_protection_enabled"));

    private static JsonObject production;
    private static JsonObject decommission;

    @BeforeAll
    static void synthesize() {
        production = Fixtures.synth(Synth.of(config("production")).stack());
        decommission = Fixtures.synth(Synth.of(config("decommission")).stack());
    }

    private static DrConfig config(String profile) {
        return DrConfig.builder().set(Setting.PROTECTION, profile)
                .set(Setting.ALLOWED_ORIGIN, "https://shop.payments.io").build();
    }

    private static JsonObject resources(JsonObject stack) {
        return stack.getAsJsonObject("resource");
    }

    /** The stack's resources without what decommission may change. */
    private static JsonObject withoutLifted(JsonObject stack) {
        JsonObject copy = resources(stack).deepCopy();
        LIFTED.forEach((type, attributes) -> {
            JsonObject ofType = copy.getAsJsonObject(type);
            for (Map.Entry<String, JsonElement> resource : ofType.entrySet()) {
                attributes.forEach(resource.getValue().getAsJsonObject()::remove);
            }
        });
        return copy;
    }

    @Test
    void onlyDeletionProtectionDiffers() {
        assertEquals(withoutLifted(production), withoutLifted(decommission));
        assertNotEquals(resources(production), resources(decommission));
        LIFTED.forEach((type, attributes) -> {
            for (Map.Entry<String, JsonElement> r : resources(decommission).getAsJsonObject(type).entrySet()) {
                for (String attribute : attributes) {
                    JsonElement value = r.getValue().getAsJsonObject().get(attribute);
                    boolean lifted = attribute.equals("force_destroy") ? value.getAsBoolean() : !value.getAsBoolean();
                    assertTrue(lifted, type + "." + r.getKey() + "." + attribute);
                }
            }
        });
    }

    @Test
    void theAuditTrailAndTheRecordsStayAsInProduction() {
        JsonObject all = resources(decommission);
        for (Map.Entry<String, JsonElement> group : all.getAsJsonObject("aws_cloudwatch_log_group").entrySet()) {
            assertTrue(group.getValue().getAsJsonObject().get("skip_destroy").getAsBoolean(), group.getKey());
        }
        assertTrue(all.getAsJsonObject("aws_cloudwatch_log_group").entrySet().stream()
                .anyMatch(g -> g.getValue().getAsJsonObject().get("retention_in_days").getAsInt()
                        == Protection.AUDIT_LOG_RETENTION_DAYS), "the audit logs keep a year");
        for (Map.Entry<String, JsonElement> cluster : all.getAsJsonObject("aws_rds_cluster").entrySet()) {
            JsonObject body = cluster.getValue().getAsJsonObject();
            assertFalse(body.get("skip_final_snapshot").getAsBoolean(), cluster.getKey());
            assertTrue(body.get("final_snapshot_identifier").getAsString().startsWith("final-"), cluster.getKey());
        }
        for (Map.Entry<String, JsonElement> bucket : all.getAsJsonObject("aws_s3_bucket").entrySet()) {
            assertFalse(bucket.getValue().getAsJsonObject().get("force_destroy").getAsBoolean(), bucket.getKey());
        }
        assertEquals(2, all.getAsJsonObject("aws_backup_vault_lock_configuration").size(), "both vaults stay locked");
        for (Map.Entry<String, JsonElement> key : all.getAsJsonObject("aws_kms_key").entrySet()) {
            assertTrue(key.getValue().getAsJsonObject().getAsJsonObject("lifecycle").get("prevent_destroy")
                    .getAsBoolean(), key.getKey() + ": a destroy refuses until the key is removed from the state");
        }
    }

    @Test
    void theGatePassesTheDecommissionStackWithItsOwnWaivers() {
        Report report = PolicyGate.evaluate(decommission, "dev", Protection.DECOMMISSION);
        assertEquals(List.of(), report.errors().stream().map(Finding::line).toList());
        assertEquals(List.of(), report.unusedWaivers());
        // production's gate fires on exactly what decommission lifts
        Report asProduction = PolicyGate.evaluate(decommission, "dev", Protection.PRODUCTION);
        assertEquals(java.util.Set.of("aws_rds_cluster", "aws_rds_global_cluster", "aws_dynamodb_table"),
                asProduction.errors().stream().map(f -> f.resource().type())
                        .collect(java.util.stream.Collectors.toSet()));
    }
}
