package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import static com.payments.dr.stack.Synth.props;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Aurora PostgreSQL Global Database, checked against the mistakes in the reference notes. */
class DatabaseTest {

    private static Synth synth;
    private static JsonObject global;
    private static JsonObject primary;
    private static JsonObject secondary;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
        global = synth.resource("aws_rds_global_cluster", "global_aurora_global_cluster");
        primary = synth.resource("aws_rds_cluster", "primary_database_cluster");
        secondary = synth.resource("aws_rds_cluster", "dr_database_cluster");
    }


    private static List<JsonObject> instances(String role) {
        List<JsonObject> found = new ArrayList<>();
        synth.blocks("resource", "aws_rds_cluster_instance").forEach((id, body) -> {
            if (id.startsWith(role + "_database_instance_")) {
                found.add(body.getAsJsonObject());
            }
        });
        return found;
    }

    @Test
    void globalClusterIsDestroyableAndPinsTheEngine() {
        synth.assertResource("aws_rds_global_cluster", props("provider", "aws.primary",
                "global_cluster_identifier", "aurora-global-dev", "engine", "aurora-postgresql",
                "engine_version", "16.6", "force_destroy", true, "deletion_protection", false,
                "storage_encrypted", true));
        assertFalse(global.has("tags"), "provider 5.2x: aws_rds_global_cluster takes no tags");
    }

    @Test
    void engineAndVersionAreIdenticalOnEveryMember() {
        for (JsonObject member : List.of(global, primary, secondary)) {
            assertEquals("aurora-postgresql", member.get("engine").getAsString());
            assertEquals("16.6", member.get("engine_version").getAsString());
        }
        for (JsonObject instance : synth.resources("aws_rds_cluster_instance")) {
            assertEquals("aurora-postgresql", instance.get("engine").getAsString());
            assertFalse(instance.has("engine_version"), "instances run their cluster's version");
        }
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void bothClustersAreServerlessV2EncryptedAndDestroyable(String role) {
        synth.assertResource("aws_rds_cluster", props("provider", "aws." + role,
                "cluster_identifier", "aurora-" + role + "-dev", "engine_mode", "provisioned",
                "serverlessv2_scaling_configuration", Map.of("min_capacity", 0.5, "max_capacity", 4),
                "global_cluster_identifier", synth.ref("aws_rds_global_cluster", "global_aurora_global_cluster", "id"),
                // each region encrypts with its own key
                "storage_encrypted", true, "kms_key_id", synth.ref("aws_kms_key", role + "_data_key_", "arn"),
                "iam_database_authentication_enabled", true, "backup_retention_period", 7,
                "preferred_backup_window", "03:00-04:00", "copy_tags_to_snapshot", true,
                "enabled_cloudwatch_logs_exports", List.of("postgresql"),
                "deletion_protection", false, "skip_final_snapshot", true,
                "db_subnet_group_name", synth.ref("aws_db_subnet_group", role + "_database_subnet_group", "name"),
                "vpc_security_group_ids", List.of(
                        synth.ref("aws_security_group", role + "_network_database_security_group", "id"))));
        JsonObject cluster = synth.resource("aws_rds_cluster", role + "_database_cluster");
        assertFalse(cluster.has("final_snapshot_identifier"));
        assertFalse(cluster.has("manage_master_user_password"), "not supported for global database members");
        List<String> ignored = Synth.strings(cluster.getAsJsonObject("lifecycle").getAsJsonArray("ignore_changes"));
        assertTrue(ignored.containsAll(List.of("replication_source_identifier", "global_cluster_identifier")));
    }

    @Test
    void primaryHoldsTheCredentialsWithoutRevealingThem() {
        synth.assertResource("aws_rds_cluster", props("provider", "aws.primary", "master_username", "payments_admin",
                "database_name", "payments"));
        assertTrue(primary.get("master_password").getAsString().matches("\\$\\{jsondecode\\("
                + "data\\.aws_secretsmanager_secret_version\\.global_master_secret_current_[0-9A-F]+\\.secret_string\\)"
                + "\\.password}"), "the secret's current value: " + primary.get("master_password"));
        assertFalse(Synth.strings(primary.getAsJsonObject("lifecycle").getAsJsonArray("ignore_changes"))
                .contains("master_password"), "the cluster follows the secret");
    }

    @Test
    void secondaryJoinsWithoutCredentialsFromTheSourceRegionAfterThePrimaryInstances() {
        for (String forbidden : List.of("master_username", "master_password", "database_name")) {
            assertFalse(secondary.has(forbidden), "secondary must not set " + forbidden);
        }
        synth.assertResource("aws_rds_cluster", props("provider", "aws.dr", "source_region", "us-east-1"));
        List<String> dependsOn = Synth.strings(secondary.getAsJsonArray("depends_on"));
        long primaryInstances = dependsOn.stream()
                .filter(d -> d.startsWith("aws_rds_cluster_instance.primary_database_instance_")).count();
        assertEquals(2, primaryInstances, dependsOn.toString());
    }

    @Test
    void primaryHasAWriterAndAReaderInDifferentZones() {
        List<JsonObject> instances = instances("primary");
        assertEquals(2, instances.size());
        Set<String> zones = new java.util.HashSet<>();
        for (JsonObject instance : instances) {
            zones.add(instance.get("availability_zone").getAsString());
        }
        assertEquals(2, zones.size(), zones.toString());
        JsonObject second = synth.resource("aws_rds_cluster_instance", "primary_database_instance_2");
        Synth.assertDependsFirstOn(second, "aws_rds_cluster_instance.primary_database_instance_1_",
                "instance 1 comes up first and so becomes the writer");
    }

    @Test
    void drHasTheConfiguredNumberOfInstances() {
        assertEquals(1, instances("dr").size());
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void instancesAreServerlessPrivatePinnedAndObservable(String role) {
        List<JsonObject> instances = instances(role);
        for (int n = 1; n <= instances.size(); n++) {
            synth.assertResource("aws_rds_cluster_instance", props("provider", "aws." + role,
                    "identifier", "aurora-" + n + "-" + role + "-dev",
                    "cluster_identifier", synth.ref("aws_rds_cluster", role + "_database_cluster", "id"),
                    "instance_class", "db.serverless", "publicly_accessible", false,
                    "auto_minor_version_upgrade", false, "performance_insights_enabled", true,
                    "performance_insights_kms_key_id", synth.ref("aws_kms_key", role + "_data_key_", "arn"),
                    "ca_cert_identifier", "rds-ca-rsa2048-g1"));
        }
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void tlsIsEnforcedByTheClusterParameterGroup(String role) {
        synth.assertResource("aws_rds_cluster_parameter_group", props("provider", "aws." + role,
                "family", "aurora-postgresql16", "parameter", List.of(Map.of("name", "rds.force_ssl", "value", "1"),
                        // the audit trail: who connected, what changed the schema, slow statements without
                        // their parameters (payment data)
                        Map.of("name", "log_connections", "value", "1"),
                        Map.of("name", "log_disconnections", "value", "1"),
                        Map.of("name", "log_statement", "value", "ddl"),
                        Map.of("name", "log_min_duration_statement", "value", "1000"),
                        Map.of("name", "log_parameter_max_length", "value", "0"))));
        synth.assertResource("aws_rds_cluster", props("provider", "aws." + role, "db_cluster_parameter_group_name",
                synth.ref("aws_rds_cluster_parameter_group", role + "_database_parameter_group", "name")));
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void subnetGroupSpansThePrivateSubnetsAndLogsAreManaged(String role) {
        synth.assertResource("aws_db_subnet_group", props("provider", "aws." + role,
                "subnet_ids", List.of(synth.ref("aws_subnet", role + "_network_private_subnet_1", "id"),
                        synth.ref("aws_subnet", role + "_network_private_subnet_2", "id"))));
        synth.assertResource("aws_cloudwatch_log_group", props("provider", "aws." + role,
                "name", "/aws/rds/cluster/aurora-" + role + "-dev/postgresql",
                "kms_key_id", synth.ref("aws_kms_key", role + "_logs_key_", "arn")));
        JsonObject cluster = synth.resource("aws_rds_cluster", role + "_database_cluster");
        Synth.assertDependsFirstOn(cluster, "aws_cloudwatch_log_group." + role + "_database_log_group");
    }

    @Test
    void masterSecretIsReplicatedDestroyableAndHoldsNoLiteralPassword() {
        synth.assertResource("aws_secretsmanager_secret", props("provider", "aws.primary",
                "name", "secret-aurora-master-dev", "recovery_window_in_days", 0,
                "kms_key_id", synth.ref("aws_kms_key", "primary_data_key_", "arn"),
                // a replica needs a key in its own region
                "replica", List.of(Map.of("region", "us-east-2",
                        "kms_key_id", synth.ref("aws_kms_key", "dr_data_key_", "arn")))));
        JsonObject value = synth.resource("aws_secretsmanager_secret_version", "global_master_secret_value");
        String secretString = value.get("secret_string").getAsString();
        assertTrue(secretString.startsWith("${jsonencode("), secretString);
        assertTrue(secretString.contains("data.aws_secretsmanager_random_password.global_master_password_"));
        assertEquals(List.of("secret_string"),
                Synth.strings(value.getAsJsonObject("lifecycle").getAsJsonArray("ignore_changes")));
        synth.assertDataSource("aws_secretsmanager_random_password", props("provider", "aws.primary",
                "password_length", 40, "exclude_punctuation", true));
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void dataKeyIsUsableOnlyThroughRdsAndSecretsManager(String role, String region) {
        JsonObject document = synth.policyOf("aws_kms_key", role + "_data_key_");
        JsonObject usage = document.getAsJsonArray("statement").get(1).getAsJsonObject();
        JsonObject viaService = usage.getAsJsonArray("condition").get(0).getAsJsonObject();
        assertEquals("kms:ViaService", viaService.get("variable").getAsString());
        assertEquals(List.of("rds." + region + ".amazonaws.com", "secretsmanager." + region + ".amazonaws.com",
                        "lambda." + region + ".amazonaws.com", "backup." + region + ".amazonaws.com"),
                Synth.strings(viaService.getAsJsonArray("values")));
        assertNotEquals(synth.resource("aws_kms_key", "primary_data_key_"), synth.resource("aws_kms_key", "dr_data_key_"));
    }

    @Test
    void outputsNameEveryEndpoint() {
        JsonObject outputs = synth.json().getAsJsonObject("output");
        for (String name : List.of("global_cluster_id", "db_secret_arn", "primary_db_writer_endpoint",
                "primary_db_reader_endpoint", "dr_db_writer_endpoint", "dr_db_reader_endpoint",
                "primary_db_cluster_id", "dr_db_cluster_id")) {
            assertTrue(outputs.has(name), name);
        }
        assertEquals("${aws_rds_cluster." + synth.blocks("resource", "aws_rds_cluster").keySet().stream()
                .filter(id -> id.startsWith("dr_")).findFirst().orElseThrow() + ".reader_endpoint}",
                outputs.getAsJsonObject("dr_db_reader_endpoint").get("value").getAsString());
    }
}
