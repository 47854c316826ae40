package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
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
                .build());
    }

    @Test
    void regionsAndZonesFollowTheConfiguration() {
        assertEquals(6, synth.resources("aws_subnet").size());
        assertEquals("com.amazonaws.eu-west-1.s3",
                synth.resource("aws_vpc_endpoint", "dr_network_s3_endpoint").get("service_name").getAsString());
        assertEquals("us-west-2", synth.resource("aws_rds_cluster", "dr_database_cluster")
                .get("source_region").getAsString());
        assertEquals("eu-west-1", synth.resource("aws_dynamodb_table", "global_state_table")
                .getAsJsonArray("replica").get(0).getAsJsonObject().get("region_name").getAsString());
        assertEquals(90, synth.resource("aws_cloudwatch_log_group", "primary_network_flow_log_group")
                .get("retention_in_days").getAsInt());
    }

    @Test
    void databaseSettingsReachBothClusters() {
        for (String role : new String[] {"primary", "dr"}) {
            JsonObject cluster = synth.resource("aws_rds_cluster", role + "_database_cluster");
            assertEquals("15.10", cluster.get("engine_version").getAsString());
            assertEquals(1.0, cluster.getAsJsonObject("serverlessv2_scaling_configuration")
                    .get("min_capacity").getAsDouble());
            assertEquals(8.5, cluster.getAsJsonObject("serverlessv2_scaling_configuration")
                    .get("max_capacity").getAsDouble());
            assertEquals(14, cluster.get("backup_retention_period").getAsInt());
            assertEquals("aurora-postgresql15", synth.resource("aws_rds_cluster_parameter_group",
                    role + "_database_parameter_group").get("family").getAsString());
        }
        long drInstances = synth.blocks("resource", "aws_rds_cluster_instance").keySet().stream()
                .filter(id -> id.startsWith("dr_")).count();
        assertEquals(3, drInstances);
    }

    @Test
    void replicationTimeControlCanBeSwitchedOff() {
        JsonObject destination = synth.resource("aws_s3_bucket_replication_configuration", "global_bucket_replication")
                .getAsJsonArray("rule").get(0).getAsJsonObject().getAsJsonObject("destination");
        assertFalse(destination.has("replication_time"));
        assertFalse(destination.has("metrics"));
        assertEquals("Enabled", synth.resource("aws_s3_bucket_replication_configuration", "global_bucket_replication")
                .getAsJsonArray("rule").get(0).getAsJsonObject().getAsJsonObject("delete_marker_replication")
                .get("status").getAsString());
    }
}
