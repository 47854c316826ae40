package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stack's outputs are its interface to runbooks and the post-deploy suite: one flat, complete
 * set (issue 11), each with a description, none sensitive, and the names the suite reads unchanged.
 */
class OutputsTest {

    /** Every region's outputs, without the {@code primary_}/{@code dr_} prefix. */
    static final List<String> REGIONAL = List.of("vpc_id", "private_subnet_ids", "bucket_name", "bucket_arn",
            "alerts_topic_arn", "db_cluster_id", "db_writer_endpoint", "db_reader_endpoint", "db_subnet_group",
            "db_security_group_id", "data_key_arn", "function_name",
            "function_arn", "function_alias_arn", "migrator_function_name", "migrator_function_arn",
            "api_invoke_url", "api_health_url", "api_id", "api_stage_name", "events_bus_name",
            "events_pipe_name", "receipt_function_name", "receipt_function_arn", "ops_notifier_function_name",
            "ops_notifier_function_arn", "payment_events_dlq_url", "ops_events_dlq_url", "backup_vault_name", "backup_role_arn",
            "backup_retention_days");
    static final List<String> GLOBAL = List.of("dns_zone_id", "dns_name_servers", "api_failover_name",
            "primary_health_check_id", "dr_health_check_id", "dr_readiness_check_id", "fail_over_now_alarm_arn", "dashboard_name",
            "dashboard_url", "state_table_name", "state_table_arn", "global_cluster_id", "db_secret_arn",
            "db_secret_replica_status", "merchant_api_keys", "smoke_test_key_secret_arn", "dr_fail_over_now_alarm_arn",
            "dr_probe_function_name", "ack_mirror_endpoint", "ack_mirror_peering_id", "dns_ds_record",
            "primary_secret_rotation_function_name");
    /** What the post-deploy suite reads (by these names: renaming one breaks it). */
    static final List<String> POST_DEPLOY = List.of("primary_api_invoke_url", "dr_api_invoke_url",
            "primary_api_health_url", "dr_api_health_url", "merchant_api_keys",
            "primary_bucket_name", "dr_bucket_name", "state_table_name", "primary_health_check_id",
            "dr_health_check_id", "api_failover_name", "dashboard_name", "primary_alerts_topic_arn",
            "dr_alerts_topic_arn", "fail_over_now_alarm_arn", "dr_fail_over_now_alarm_arn", "global_cluster_id",
            "primary_db_cluster_id",
            "dr_db_cluster_id", "dns_zone_id");

    private static Synth synth;
    private static JsonObject outputs;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
        outputs = synth.json().getAsJsonObject("output");
    }

    @Test
    void exactlyTheDocumentedSet() {
        Set<String> expected = new TreeSet<>(GLOBAL);
        for (String role : List.of("primary", "dr")) {
            REGIONAL.forEach(name -> expected.add(role + "_" + name));
        }
        assertEquals(expected, new TreeSet<>(outputs.keySet()));
        assertTrue(outputs.keySet().containsAll(POST_DEPLOY));
    }

    @Test
    void everyOutputIsDescribedAndNoneIsSensitive() {
        for (String name : outputs.keySet()) {
            JsonObject output = outputs.getAsJsonObject(name);
            assertFalse(output.get("description").getAsString().isBlank(), name);
            assertFalse(output.has("sensitive"), name);
            // nothing from the secret's value or the generator, only its ARN and replica status
            assertFalse(output.get("value").toString().contains("secret_string")
                    || output.get("value").toString().contains("random_password"), name);
        }
    }

    @Test
    void functionArnsNameEachRegionsOwnFunctions() {
        for (String role : List.of("primary", "dr")) {
            assertEquals(synth.ref("aws_lambda_function", role + "_payment_function_", "arn"),
                    outputs.getAsJsonObject(role + "_function_arn").get("value").getAsString());
            assertEquals(synth.ref("aws_lambda_function", role + "_migrator_function_", "arn"),
                    outputs.getAsJsonObject(role + "_migrator_function_arn").get("value").getAsString());
            assertEquals(synth.ref("aws_lambda_function", role + "_events_receipt_", "arn"),
                    outputs.getAsJsonObject(role + "_receipt_function_arn").get("value").getAsString());
            assertEquals(synth.ref("aws_lambda_function", role + "_events_ops_notifier_", "arn"),
                    outputs.getAsJsonObject(role + "_ops_notifier_function_arn").get("value").getAsString());
        }
    }
}
