package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Settings other than the defaults reach the resources they govern. */
class VariantsTest {

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.of(DrConfig.builder()
                .environmentSuffix("qa")
                .set(Setting.PRIMARY_REGION, "us-west-2")
                .set(Setting.DR_REGION, "eu-west-1")
                .set(Setting.AZ_COUNT, "3")
                .set(Setting.LOG_RETENTION_DAYS, "90")
                .set(Setting.AURORA_ENGINE_VERSION, "15.10")
                .set(Setting.AURORA_MIN_ACU, "1")
                .set(Setting.AURORA_MAX_ACU, "8.5")
                .set(Setting.BACKUP_RETENTION_DAYS, "14")
                .set(Setting.DR_DB_INSTANCES, "3")
                .set(Setting.S3_REPLICATION_TIME_CONTROL, "false")
                .set(Setting.STATE_LOCK_TABLE, "none")
                .build());
    }

    @Test
    void regionsAndZonesFollowTheConfiguration() {
        assertEquals(6, synth.resources("aws_subnet").size());
        synth.assertProvider("aws", Map.of("alias", "primary", "region", "us-west-2",
                "default_tags", List.of(Map.of("tags", Map.of("EnvironmentSuffix", "qa")))));
        synth.assertProvider("aws", Map.of("alias", "dr", "region", "eu-west-1"));
        synth.assertResource("aws_vpc_endpoint", Map.of("provider", "aws.dr",
                "service_name", "com.amazonaws.eu-west-1.s3"));
        synth.assertResource("aws_rds_cluster", Map.of("provider", "aws.dr", "source_region", "us-west-2"));
        synth.assertResource("aws_dynamodb_table", Map.of("name", "dynamodb-payment-state-qa",
                "replica", List.of(Map.of("region_name", "eu-west-1"))));
        synth.assertResource("aws_cloudwatch_log_group", Map.of("provider", "aws.primary",
                "name", "vpc-flow-logs-qa", "retention_in_days", 90));
    }

    @Test
    void databaseSettingsReachBothClusters() {
        for (String role : new String[] {"primary", "dr"}) {
            synth.assertResource("aws_rds_cluster", Map.of("provider", "aws." + role, "engine_version", "15.10",
                    "serverlessv2_scaling_configuration", Map.of("min_capacity", 1, "max_capacity", 8.5),
                    "backup_retention_period", 14));
            synth.assertResource("aws_rds_cluster_parameter_group", Map.of("provider", "aws." + role,
                    "family", "aurora-postgresql15"));
        }
        long drInstances = synth.blocks("resource", "aws_rds_cluster_instance").keySet().stream()
                .filter(id -> id.startsWith("dr_")).count();
        assertEquals(3, drInstances);
    }

    @Test
    void stateLockTableNoneLocksWithTheS3LockFileAlone() {
        JsonObject s3 = synth.json().getAsJsonObject("terraform").getAsJsonObject("backend").getAsJsonObject("s3");
        assertTrue(s3.get("use_lockfile").getAsBoolean());
        assertFalse(s3.has("dynamodb_table"), s3.toString());
    }

    @Test
    void replicationTimeControlCanBeSwitchedOff() {
        JsonObject destination = synth.resource("aws_s3_bucket_replication_configuration", "global_bucket_replication")
                .getAsJsonArray("rule").get(0).getAsJsonObject().getAsJsonObject("destination");
        assertFalse(destination.has("replication_time"));
        assertFalse(destination.has("metrics"));
        synth.assertResource("aws_s3_bucket_replication_configuration", Map.of("rule", List.of(Map.of(
                "status", "Enabled", "delete_marker_replication", Map.of("status", "Enabled"),
                "destination", Map.of("storage_class", "STANDARD")))));
    }
}
