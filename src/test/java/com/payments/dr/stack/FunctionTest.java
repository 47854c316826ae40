package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The payment function deployed from the one package into both regions. */
class FunctionTest {

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }


    private static JsonObject function(String role) {
        return synth.resource("aws_lambda_function", role + "_payment_function_");
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void sameJavaPackageInBothRegions(String role) {
        JsonObject function = function(role);
        assertEquals("aws." + role, function.get("provider").getAsString());
        assertEquals("lambda-payment-dev", function.get("function_name").getAsString());
        assertEquals("java17", function.get("runtime").getAsString());
        assertEquals("com.payments.dr.function.PaymentHandler::handleRequest", function.get("handler").getAsString());
        String filename = function.get("filename").getAsString();
        assertTrue(filename.matches("assets/payment_function_package/[0-9A-F]{32}/payment-function\\.zip"), filename);
        assertEquals(function("primary").get("filename").getAsString(), filename, "one asset for both regions");
        assertEquals("${filebase64sha256(\"" + filename + "\")}", function.get("source_code_hash").getAsString());
        assertEquals(30, function.get("timeout").getAsInt());
        assertTrue(function.get("publish").getAsBoolean());
        assertEquals("PublishedVersions", function.getAsJsonObject("snap_start").get("apply_on").getAsString());
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void runsInThePrivateSubnetsAndLeavesCleanlyOnDestroy(String role) {
        JsonObject function = function(role);
        JsonObject vpc = function.getAsJsonObject("vpc_config");
        assertEquals(2, vpc.getAsJsonArray("subnet_ids").size());
        Synth.strings(vpc.getAsJsonArray("subnet_ids")).forEach(s -> assertTrue(s.contains(role + "_network_private_subnet_")));
        assertTrue(Synth.strings(vpc.getAsJsonArray("security_group_ids")).get(0)
                .contains(role + "_network_function_security_group"));
        assertTrue(function.get("replace_security_groups_on_destroy").getAsBoolean());
        assertTrue(Synth.strings(function.getAsJsonArray("replacement_security_group_ids")).get(0)
                .contains(role + "_network_default_security_group"));
        List<String> dependsOn = Synth.strings(function.getAsJsonArray("depends_on"));
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_iam_role_policy." + role + "_payment_function_role")),
                "ENIs are created with the role's permissions");
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_cloudwatch_log_group." + role + "_payment_function")));
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void environmentPointsAtThisRegionsDatabaseAndSecret(String role, String region) {
        JsonObject env = function(role).getAsJsonObject("environment").getAsJsonObject("variables");
        assertEquals(role, env.get("REGION_ROLE").getAsString());
        assertTrue(env.get("DB_HOST").getAsString().startsWith("${aws_rds_cluster." + role + "_database_cluster"));
        assertTrue(env.get("DB_HOST").getAsString().endsWith(".endpoint}"));
        assertEquals("payments", env.get("DB_NAME").getAsString());
        assertEquals("5432", env.get("DB_PORT").getAsString());
        assertEquals("verify-full", env.get("DB_SSL_MODE").getAsString());
        assertEquals("/var/task/rds-ca/rds-ca-bundle.pem", env.get("DB_SSL_ROOT_CERT").getAsString());
        assertEquals("payments_api", env.get("DB_USER").getAsString());
        assertEquals("-Dsun.net.inetaddr.ttl=5 -Dsun.net.inetaddr.negative.ttl=1",
                env.get("JAVA_TOOL_OPTIONS").getAsString());
        assertTrue(env.get("IDEMPOTENCY_TABLE").getAsString().startsWith("${aws_dynamodb_table.global_state_table"));
        assertEquals("http://localhost:3000", env.get("ALLOWED_ORIGIN").getAsString());
        assertEquals("USD,EUR,GBP", env.get("ALLOWED_CURRENCIES").getAsString());
        String secret = env.get("DB_SECRET_ARN").getAsString();
        if (role.equals("primary")) {
            assertTrue(secret.matches("\\$\\{aws_secretsmanager_secret\\.global_master_secret_[0-9A-F]+\\.arn}"), secret);
        } else {
            assertTrue(secret.matches("\\$\\{replace\\(aws_secretsmanager_secret\\.global_master_secret_[0-9A-F]+\\.arn, "
                    + "\":us-east-1:\", \":" + region + ":\"\\)}"), "the replica in the DR region: " + secret);
        }
        assertTrue(!env.has("AWS_REGION"), "reserved: Lambda sets it");
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void roleGrantsExactlyWhatTheFunctionDoes(String role, String region) {
        JsonObject policy = synth.resource("aws_iam_role_policy", role + "_payment_function_role_policy");
        String ref = policy.get("policy").getAsString();
        JsonObject document = synth.policyDocument(ref);
        Map<String, JsonObject> bySid = new java.util.HashMap<>();
        document.getAsJsonArray("statement").forEach(s -> bySid.put(s.getAsJsonObject().get("sid").getAsString(),
                s.getAsJsonObject()));
        assertEquals(List.of("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
                Synth.strings(bySid.get("IdempotencyRecords").getAsJsonArray("actions")));
        String table = Synth.strings(bySid.get("IdempotencyRecords").getAsJsonArray("resources")).get(0);
        assertTrue(table.startsWith("arn:${data.aws_partition." + role + "_partition"), table);
        assertTrue(table.contains(":dynamodb:" + region + ":"), "the replica in this region: " + table);
        assertEquals(List.of("secretsmanager:GetSecretValue"),
                Synth.strings(bySid.get("DatabaseCredentials").getAsJsonArray("actions")));
        JsonObject decrypt = bySid.get("DecryptCredentials");
        assertEquals(List.of("kms:Decrypt"), Synth.strings(decrypt.getAsJsonArray("actions")));
        assertTrue(Synth.strings(decrypt.getAsJsonArray("resources")).get(0).startsWith("${aws_kms_key." + role + "_data_key_"));
        assertEquals("secretsmanager." + region + ".amazonaws.com",
                decrypt.getAsJsonArray("condition").get(0).getAsJsonObject().getAsJsonArray("values").get(0).getAsString());
        JsonObject connect = bySid.get("ConnectAsApplicationRole");
        assertEquals(List.of("rds-db:connect"), Synth.strings(connect.getAsJsonArray("actions")));
        String dbUser = Synth.strings(connect.getAsJsonArray("resources")).get(0);
        assertTrue(dbUser.matches("arn:\\$\\{data\\.aws_partition\\." + role + "_partition[^}]*}:rds-db:" + region
                + ":\\$\\{data\\.aws_caller_identity\\." + role + "_[^}]*}:dbuser:\\$\\{aws_rds_cluster\\." + role
                + "_database_cluster_[0-9A-F]+\\.cluster_resource_id}/payments_api"), dbUser);
        assertEquals(6, bySid.size());
        assertEquals("role-payment-function-" + role + "-dev",
                synth.resource("aws_iam_role", role + "_payment_function_role").get("name").getAsString());
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void callersUseTheLiveAliasAndLogsAreManaged(String role) {
        JsonObject alias = synth.resource("aws_lambda_alias", role + "_payment_function_alias");
        assertEquals("live", alias.get("name").getAsString());
        assertTrue(alias.get("function_version").getAsString().endsWith(".version}"));
        JsonObject logs = synth.resource("aws_cloudwatch_log_group", role + "_payment_function_log_group");
        assertEquals("/aws/lambda/lambda-payment-dev", logs.get("name").getAsString());
        assertTrue(logs.get("kms_key_id").getAsString().contains(role + "_logs_key"));
        JsonObject outputs = synth.json().getAsJsonObject("output");
        assertTrue(outputs.has(role + "_function_name") && outputs.has(role + "_function_alias_arn"));
    }

    @Test
    void aCodeChangeChangesTheAssetHash(@TempDir Path dir) throws IOException {
        Path changed = Files.copy(Path.of("target", "payment-function.zip"), dir.resolve("payment-function.zip"));
        Files.write(changed, new byte[] {0}, StandardOpenOption.APPEND);
        Synth other = Synth.of(DrConfig.builder().set(Setting.FUNCTION_PACKAGE, changed.toString()).build());
        String before = function("primary").get("filename").getAsString();
        String after = other.resource("aws_lambda_function", "primary_payment_function_").get("filename").getAsString();
        assertNotEquals(before, after);
        assertEquals(before.replaceAll("[0-9A-F]{32}", "H"), after.replaceAll("[0-9A-F]{32}", "H"));
    }
}
