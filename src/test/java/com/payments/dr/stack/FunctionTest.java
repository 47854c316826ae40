package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import static com.payments.dr.stack.Synth.props;

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

    @Test
    void everyFunctionOfTheStackRunsJava21OnArm64WithSnapStartWhereCallersWait() {
        List<JsonObject> functions = synth.resources("aws_lambda_function");
        // per region: the payment function, the migrator, the receipt function and the ops notifier;
        // in the DR region also the failover probe, in the primary the master secret's rotation
        assertEquals(10, functions.size());
        assertTrue(functions.stream().anyMatch(f -> f.get("function_name").getAsString().equals("lambda-probe-dev")));
        List<String> snapStarted = new java.util.ArrayList<>();
        for (JsonObject function : functions) {
            String name = function.get("function_name").getAsString();
            assertEquals("java21", function.get("runtime").getAsString(), name);
            assertEquals(List.of("arm64"), Synth.strings(function.getAsJsonArray("architectures")), name);
            // traced, and capped by a reservation (the payment function's from its connection budget)
            assertEquals("Active", function.getAsJsonObject("tracing_config").get("mode").getAsString(), name);
            assertTrue(function.get("reserved_concurrent_executions").getAsInt() > 0, name);
            if (function.has("snap_start")) {
                snapStarted.add(name);
            }
        }
        assertEquals(List.of("lambda-payment-dev", "lambda-payment-dev"), snapStarted);
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void sameJavaPackageInBothRegions(String role) {
        // one asset for both regions: the primary's file name, checked in the other region
        String filename = function("primary").get("filename").getAsString();
        assertTrue(filename.matches("assets/payment_function_package/[0-9A-F]{32}/payment-function\\.zip"), filename);
        synth.assertResource("aws_lambda_function", props("provider", "aws." + role,
                "function_name", "lambda-payment-dev", "runtime", "java21", "architectures", List.of("arm64"),
                "handler", "com.payments.dr.function.PaymentHandler::handleRequest",
                "filename", filename, "source_code_hash", "${filebase64sha256(\"" + filename + "\")}",
                "role", synth.ref("aws_iam_role", role + "_payment_function_role", "arn"),
                "memory_size", 1024, "timeout", 25, "publish", true,
                "snap_start", Map.of("apply_on", "PublishedVersions")));
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void runsInThePrivateSubnetsAndLeavesCleanlyOnDestroy(String role) {
        synth.assertResource("aws_lambda_function", props("provider", "aws." + role,
                "vpc_config", Map.of(
                        "subnet_ids", List.of(synth.ref("aws_subnet", role + "_network_private_subnet_1", "id"),
                                synth.ref("aws_subnet", role + "_network_private_subnet_2", "id")),
                        "security_group_ids", List.of(
                                synth.ref("aws_security_group", role + "_network_function_security_group", "id"))),
                "replace_security_groups_on_destroy", true,
                "replacement_security_group_ids", List.of(
                        synth.ref("aws_default_security_group", role + "_network_default_security_group", "id"))));
        JsonObject function = function(role);
        List<String> dependsOn = Synth.strings(function.getAsJsonArray("depends_on"));
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_iam_role_policy." + role + "_payment_function_role")),
                "ENIs are created with the role's permissions");
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_cloudwatch_log_group." + role + "_payment_function")));
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void environmentPointsAtThisRegionsDatabaseAndNoSecret(String role, String region) {
        synth.assertResource("aws_lambda_function", props("provider", "aws." + role,
                "environment", Map.of("variables", props("REGION_ROLE", role,
                        "DB_HOST", synth.ref("aws_rds_cluster", role + "_database_cluster", "endpoint"),
                        // the readiness probe's: active on a global secondary, the writer's is not
                        "DB_READER_HOST", synth.ref("aws_rds_cluster", role + "_database_cluster", "reader_endpoint"),
                        "DB_NAME", "payments", "DB_PORT", "5432", "DB_SSL_MODE", "verify-full",
                        "DB_SSL_ROOT_CERT", "/var/task/rds-ca/rds-ca-bundle.pem", "DB_USER", "payments_api",
                        "JAVA_TOOL_OPTIONS", "-Dsun.net.inetaddr.ttl=5 -Dsun.net.inetaddr.negative.ttl=1",
                        "IDEMPOTENCY_TABLE", synth.ref("aws_dynamodb_table", "global_state_table", "name"),
                        "ALLOWED_ORIGIN", "http://localhost:3000", "ALLOWED_CURRENCIES", "USD,EUR,GBP"))));
        JsonObject env = function(role).getAsJsonObject("environment").getAsJsonObject("variables");
        assertTrue(!env.has("AWS_REGION"), "reserved: Lambda sets it");
        assertTrue(!env.has("DB_SECRET_ARN"), "only the migrator is given the owner's secret");
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void roleGrantsExactlyWhatTheFunctionDoes(String role, String region) {
        JsonObject document = synth.policyOf("aws_iam_role_policy", role + "_payment_function_role_policy");
        Map<String, JsonObject> bySid = new java.util.HashMap<>();
        document.getAsJsonArray("statement").forEach(s -> bySid.put(s.getAsJsonObject().get("sid").getAsString(),
                s.getAsJsonObject()));
        assertEquals(List.of("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
                Synth.strings(bySid.get("IdempotencyRecords").getAsJsonArray("actions")));
        String table = Synth.strings(bySid.get("IdempotencyRecords").getAsJsonArray("resources")).get(0);
        assertTrue(table.startsWith("arn:${data.aws_partition." + role + "_partition"), table);
        assertTrue(table.contains(":dynamodb:" + region + ":"), "the replica in this region: " + table);
        // no Secrets Manager and no decryption through it: the owner's password is the migrator's only
        assertTrue(!document.toString().contains("secretsmanager"), document.toString());
        JsonObject connect = bySid.get("ConnectAsApplicationRole");
        assertEquals(List.of("rds-db:connect"), Synth.strings(connect.getAsJsonArray("actions")));
        String dbUser = Synth.strings(connect.getAsJsonArray("resources")).get(0);
        assertTrue(dbUser.matches("arn:\\$\\{data\\.aws_partition\\." + role + "_partition[^}]*}:rds-db:" + region
                + ":\\$\\{data\\.aws_caller_identity\\." + role + "_[^}]*}:dbuser:\\$\\{aws_rds_cluster\\." + role
                + "_database_cluster_[0-9A-F]+\\.cluster_resource_id}/payments_api"), dbUser);
        // and the primary's the acknowledgement mirror's writes into the DR replica (AckMirrorPathTest)
        java.util.Set<String> expected = new java.util.TreeSet<>(java.util.Set.of("WriteLogs",
                "ManageVpcNetworkInterfaces", "WriteTraces", "IdempotencyRecords", "DecryptEnvironment",
                "ConnectAsApplicationRole"));
        if (role.equals("primary")) {
            expected.add("MirrorAcknowledgements");
        }
        assertEquals(expected, new java.util.TreeSet<>(bySid.keySet()));
        assertEquals(List.of("xray:PutTelemetryRecords", "xray:PutTraceSegments"),
                Synth.strings(bySid.get("WriteTraces").getAsJsonArray("actions")));
        synth.assertResource("aws_iam_role", props("provider", "aws." + role,
                "name", "role-payment-function-" + role + "-dev"));
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void callersUseTheLiveAliasAndLogsAreManaged(String role) {
        synth.assertResource("aws_lambda_alias", props("provider", "aws." + role, "name", "live",
                "function_name", synth.ref("aws_lambda_function", role + "_payment_function_", "function_name")));
        JsonObject alias = synth.resource("aws_lambda_alias", role + "_payment_function_alias");
        assertTrue(alias.get("function_version").getAsString()
                .matches("\\$\\{terraform_data\\." + role + "_payment_function_snapshot_ready_[0-9A-F]+\\.output}"),
                "the alias moves only once the snapshot is ready: " + alias.get("function_version"));
        synth.assertResource("aws_cloudwatch_log_group", props("provider", "aws." + role,
                "name", "/aws/lambda/lambda-payment-dev", "retention_in_days", 30,
                "kms_key_id", synth.ref("aws_kms_key", role + "_logs_key_", "arn")));
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
