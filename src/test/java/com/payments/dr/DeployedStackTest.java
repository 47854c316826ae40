package com.payments.dr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.config.ConfigLoader;
import com.payments.dr.config.DrConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.GlobalCluster;
import software.amazon.awssdk.services.rds.model.GlobalClusterMember;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;

/**
 * Checks a deployed stack through the AWS APIs: the global database's members, the global table's
 * replica, the bucket replication, and each region's health endpoint (writable primary, read-only
 * DR). It reads the outputs that {@code cdktf deploy payments-dr --outputs-file <file>} (or
 * {@code terraform output -json}) wrote to {@code $DR_STACK_OUTPUTS}, default
 * {@code cdktf-outputs.json}, with the configuration the stack was deployed with (same
 * environment variables and cdktf.json); without that file it is skipped.
 */
class DeployedStackTest {

    static final String OUTPUTS_ENV = "DR_STACK_OUTPUTS";

    private static Map<String, JsonElement> outputs;
    private static DrConfig config;

    @BeforeAll
    static void readOutputs() throws IOException {
        Path file = Path.of(System.getenv().getOrDefault(OUTPUTS_ENV, "cdktf-outputs.json"));
        assumeTrue(Files.isRegularFile(file), "no deployed stack: " + file + " does not exist");
        outputs = flatten(JsonParser.parseString(Files.readString(file)));
        config = ConfigLoader.load(System.getenv(), Path.of("cdktf.json"));
    }

    /**
     * Leaf outputs by name, from either format: cdktf's outputs file nests them by stack and
     * construct, terraform's wraps each in {@code {"value": …, "type": …}}.
     */
    static Map<String, JsonElement> flatten(JsonElement json) {
        Map<String, JsonElement> leaves = new HashMap<>();
        json.getAsJsonObject().entrySet().forEach(e -> {
            JsonElement value = e.getValue();
            if (value.isJsonObject() && value.getAsJsonObject().has("value")
                    && value.getAsJsonObject().has("type")) {
                leaves.put(e.getKey(), value.getAsJsonObject().get("value"));
            } else if (value.isJsonObject()) {
                leaves.putAll(flatten(value));
            } else {
                leaves.put(e.getKey(), value);
            }
        });
        return leaves;
    }

    private static String output(String name) {
        JsonElement value = outputs.get(name);
        assertTrue(value != null, "output " + name + " missing from " + outputs.keySet());
        return value.getAsString();
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C client(B builder,
                                                                                                  String region) {
        return builder.region(Region.of(region)).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void globalDatabaseHasThePrimaryAsWriterAndTheDrClusterAsSecondary() {
        try (RdsClient rds = client(RdsClient.builder(), config.primaryRegion())) {
            GlobalCluster global = rds.describeGlobalClusters(r -> r.globalClusterIdentifier(output("global_cluster_id")))
                    .globalClusters().get(0);
            assertEquals(2, global.globalClusterMembers().size());
            for (GlobalClusterMember member : global.globalClusterMembers()) {
                boolean primary = member.dbClusterArn().contains(":" + config.primaryRegion() + ":");
                assertEquals(primary, member.isWriter(), member.dbClusterArn());
                assertTrue(member.dbClusterArn().endsWith(":cluster:" + output(
                        (primary ? "primary" : "dr") + "_db_cluster_id")));
            }
        }
    }

    @Test
    void stateTableIsReplicatedToTheDrRegion() {
        try (DynamoDbClient dynamo = client(DynamoDbClient.builder(), config.primaryRegion())) {
            TableDescription table = dynamo.describeTable(r -> r.tableName(output("state_table_name"))).table();
            List<ReplicaDescription> replicas = table.replicas();
            assertTrue(replicas.stream().anyMatch(r -> r.regionName().equals(config.drRegion())
                    && r.replicaStatusAsString().equals("ACTIVE")), replicas.toString());
        }
    }

    @Test
    void primaryBucketReplicatesIntoTheDrBucket() {
        try (S3Client s3 = client(S3Client.builder(), config.primaryRegion())) {
            ReplicationRule rule = s3.getBucketReplication(r -> r.bucket(output("primary_bucket_name")))
                    .replicationConfiguration().rules().get(0);
            assertEquals("Enabled", rule.statusAsString());
            assertEquals(output("dr_bucket_arn"), rule.destination().bucket());
        }
    }

    @Test
    void drBucketReplicatesBackIntoThePrimaryBucketForFailBack() {
        try (S3Client s3 = client(S3Client.builder(), config.drRegion())) {
            ReplicationRule rule = s3.getBucketReplication(r -> r.bucket(output("dr_bucket_name")))
                    .replicationConfiguration().rules().get(0);
            assertEquals("Enabled", rule.statusAsString());
            assertEquals(output("primary_bucket_arn"), rule.destination().bucket());
            assertEquals("Enabled", rule.sourceSelectionCriteria().replicaModifications().statusAsString());
        }
    }

    @Test
    void masterSecretReplicaIsInSync() {
        try (SecretsManagerClient secrets = client(SecretsManagerClient.builder(), config.primaryRegion())) {
            List<ReplicationStatusType> replicas = secrets.describeSecret(r -> r.secretId(output("db_secret_arn")))
                    .replicationStatus();
            assertTrue(replicas.stream().anyMatch(r -> r.region().equals(config.drRegion())
                    && r.statusAsString().equals("InSync")), replicas.toString());
        }
    }

    @Test
    void healthIsGreenInThePrimaryAndReportsTheReadOnlyDrRegion() {
        JsonObject primary = health(config.primaryRegion(), output("primary_function_alias_arn"));
        assertEquals(200, primary.get("statusCode").getAsInt(), primary.toString());
        JsonObject dr = health(config.drRegion(), output("dr_function_alias_arn"));
        assertEquals(503, dr.get("statusCode").getAsInt(), dr.toString());
        // a secondary cluster takes no writes; its writer endpoint may not even resolve until promotion
        String failed = JsonParser.parseString(dr.get("body").getAsString()).getAsJsonObject()
                .get("failed_check").getAsString();
        assertTrue(List.of("database_writable", "database_connection").contains(failed), failed);
    }

    private static JsonObject health(String region, String aliasArn) {
        String event = "{\"httpMethod\":\"GET\",\"path\":\"/health\",\"headers\":{},\"body\":null}";
        try (LambdaClient lambda = client(LambdaClient.builder(), region)) {
            InvokeResponse response = lambda.invoke(r -> r.functionName(aliasArn).payload(SdkBytes.fromUtf8String(event)));
            assertEquals(null, response.functionError(), response.payload().asUtf8String());
            return JsonParser.parseString(response.payload().asUtf8String()).getAsJsonObject();
        }
    }
}
