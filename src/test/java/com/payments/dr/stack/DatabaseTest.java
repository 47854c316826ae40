package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
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
        assertEquals("aws.primary", global.get("provider").getAsString());
        assertEquals("aurora-global-dev", global.get("global_cluster_identifier").getAsString());
        assertTrue(global.get("force_destroy").getAsBoolean());
        assertFalse(global.get("deletion_protection").getAsBoolean());
        assertTrue(global.get("storage_encrypted").getAsBoolean());
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
        JsonObject cluster = synth.resource("aws_rds_cluster", role + "_database_cluster");
        assertEquals("aws." + role, cluster.get("provider").getAsString());
        assertEquals("aurora-" + role + "-dev", cluster.get("cluster_identifier").getAsString());
        assertEquals("provisioned", cluster.get("engine_mode").getAsString());
        JsonObject scaling = cluster.getAsJsonObject("serverlessv2_scaling_configuration");
        assertEquals(0.5, scaling.get("min_capacity").getAsDouble());
        assertEquals(4.0, scaling.get("max_capacity").getAsDouble());
        assertTrue(cluster.get("global_cluster_identifier").getAsString()
                .startsWith("${aws_rds_global_cluster.global_aurora_global_cluster"));
        assertTrue(cluster.get("storage_encrypted").getAsBoolean());
        assertTrue(cluster.get("kms_key_id").getAsString().startsWith("${aws_kms_key." + role + "_data_key_"),
                "each region encrypts with its own key");
        assertTrue(cluster.get("iam_database_authentication_enabled").getAsBoolean());
        assertEquals(7, cluster.get("backup_retention_period").getAsInt());
        assertEquals("03:00-04:00", cluster.get("preferred_backup_window").getAsString());
        assertTrue(cluster.get("copy_tags_to_snapshot").getAsBoolean());
        assertEquals(List.of("postgresql"), Synth.strings(cluster.getAsJsonArray("enabled_cloudwatch_logs_exports")));
        assertFalse(cluster.get("deletion_protection").getAsBoolean());
        assertTrue(cluster.get("skip_final_snapshot").getAsBoolean());
        assertFalse(cluster.has("final_snapshot_identifier"));
        assertFalse(cluster.has("manage_master_user_password"), "not supported for global database members");
        assertTrue(cluster.get("db_subnet_group_name").getAsString().contains(role + "_database_subnet_group"));
        assertTrue(cluster.getAsJsonArray("vpc_security_group_ids").get(0).getAsString()
                .contains(role + "_network_database_security_group"));
        List<String> ignored = Synth.strings(cluster.getAsJsonObject("lifecycle").getAsJsonArray("ignore_changes"));
        assertTrue(ignored.containsAll(List.of("replication_source_identifier", "global_cluster_identifier")));
    }

    @Test
    void primaryHoldsTheCredentialsWithoutRevealingThem() {
        assertEquals("payments_admin", primary.get("master_username").getAsString());
        assertEquals("payments", primary.get("database_name").getAsString());
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
        assertEquals("us-east-1", secondary.get("source_region").getAsString());
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
        assertTrue(Synth.strings(second.getAsJsonArray("depends_on")).get(0)
                .startsWith("aws_rds_cluster_instance.primary_database_instance_1_"),
                "instance 1 comes up first and so becomes the writer");
    }

    @Test
    void drHasTheConfiguredNumberOfInstances() {
        assertEquals(1, instances("dr").size());
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void instancesAreServerlessPrivatePinnedAndObservable(String role) {
        for (JsonObject instance : instances(role)) {
            assertEquals("aws." + role, instance.get("provider").getAsString());
            assertEquals("db.serverless", instance.get("instance_class").getAsString());
            assertFalse(instance.get("publicly_accessible").getAsBoolean());
            assertFalse(instance.get("auto_minor_version_upgrade").getAsBoolean());
            assertTrue(instance.get("performance_insights_enabled").getAsBoolean());
            assertTrue(instance.get("performance_insights_kms_key_id").getAsString()
                    .startsWith("${aws_kms_key." + role + "_data_key_"));
            assertEquals("rds-ca-rsa2048-g1", instance.get("ca_cert_identifier").getAsString());
            assertTrue(instance.get("identifier").getAsString().matches("aurora-[1-3]-" + role + "-dev"));
        }
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void tlsIsEnforcedByTheClusterParameterGroup(String role) {
        JsonObject group = synth.resource("aws_rds_cluster_parameter_group", role + "_database_parameter_group");
        assertEquals("aurora-postgresql16", group.get("family").getAsString());
        JsonObject parameter = group.getAsJsonArray("parameter").get(0).getAsJsonObject();
        assertEquals("rds.force_ssl", parameter.get("name").getAsString());
        assertEquals("1", parameter.get("value").getAsString());
        JsonObject cluster = synth.resource("aws_rds_cluster", role + "_database_cluster");
        assertTrue(cluster.get("db_cluster_parameter_group_name").getAsString()
                .contains(role + "_database_parameter_group"));
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void subnetGroupSpansThePrivateSubnetsAndLogsAreManaged(String role) {
        JsonObject subnets = synth.resource("aws_db_subnet_group", role + "_database_subnet_group");
        List<String> ids = Synth.strings(subnets.getAsJsonArray("subnet_ids"));
        assertEquals(2, ids.size());
        ids.forEach(id -> assertTrue(id.contains(role + "_network_private_subnet_"), id));
        JsonObject logs = synth.resource("aws_cloudwatch_log_group", role + "_database_log_group");
        assertEquals("/aws/rds/cluster/aurora-" + role + "-dev/postgresql", logs.get("name").getAsString());
        assertTrue(logs.get("kms_key_id").getAsString().contains(role + "_logs_key"));
        JsonObject cluster = synth.resource("aws_rds_cluster", role + "_database_cluster");
        assertTrue(Synth.strings(cluster.getAsJsonArray("depends_on")).get(0)
                .startsWith("aws_cloudwatch_log_group." + role + "_database_log_group"));
    }

    @Test
    void masterSecretIsReplicatedDestroyableAndHoldsNoLiteralPassword() {
        JsonObject secret = synth.resource("aws_secretsmanager_secret", "global_master_secret");
        assertEquals("secret-aurora-master-dev", secret.get("name").getAsString());
        assertEquals(0, secret.get("recovery_window_in_days").getAsInt());
        assertTrue(secret.get("kms_key_id").getAsString().startsWith("${aws_kms_key.primary_data_key_"));
        JsonObject replica = secret.getAsJsonArray("replica").get(0).getAsJsonObject();
        assertEquals("us-east-2", replica.get("region").getAsString());
        assertTrue(replica.get("kms_key_id").getAsString().startsWith("${aws_kms_key.dr_data_key_"),
                "a replica needs a key in its own region");
        JsonObject value = synth.resource("aws_secretsmanager_secret_version", "global_master_secret_value");
        String secretString = value.get("secret_string").getAsString();
        assertTrue(secretString.startsWith("${jsonencode("), secretString);
        assertTrue(secretString.contains("data.aws_secretsmanager_random_password.global_master_password_"));
        assertEquals(List.of("secret_string"),
                Synth.strings(value.getAsJsonObject("lifecycle").getAsJsonArray("ignore_changes")));
        JsonObject generator = synth.data("aws_secretsmanager_random_password").get(0);
        assertTrue(generator.get("password_length").getAsInt() >= 32);
        assertTrue(generator.get("exclude_punctuation").getAsBoolean());
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void dataKeyIsUsableOnlyThroughRdsAndSecretsManager(String role, String region) {
        JsonObject key = synth.resource("aws_kms_key", role + "_data_key_");
        String policyRef = key.get("policy").getAsString();
        JsonObject document = synth.policyDocument(policyRef);
        JsonObject usage = document.getAsJsonArray("statement").get(1).getAsJsonObject();
        JsonObject viaService = usage.getAsJsonArray("condition").get(0).getAsJsonObject();
        assertEquals("kms:ViaService", viaService.get("variable").getAsString());
        assertEquals(List.of("rds." + region + ".amazonaws.com", "secretsmanager." + region + ".amazonaws.com",
                        "lambda." + region + ".amazonaws.com"),
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
