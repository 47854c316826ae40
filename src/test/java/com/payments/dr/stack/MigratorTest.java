package com.payments.dr.stack;

import static com.payments.dr.stack.Synth.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.payments.dr.blocks.MigratorFunction;
import com.payments.dr.function.SchemaMigrator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schema migrator: its own function and role in both regions, invoked by the deployment. */
class MigratorTest {

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }

    private static JsonObject invocation(String role) {
        return synth.resource("terraform_data", role + "_migrator_migrate");
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void theMigratorIsThePaymentPackageWithItsOwnHandlerInTheVpc(String role, String region) {
        JsonObject payment = synth.resource("aws_lambda_function", role + "_payment_function_");
        String filename = payment.get("filename").getAsString();
        synth.assertResource("aws_lambda_function", props("provider", "aws." + role,
                "function_name", "lambda-migrator-dev", "runtime", "java21", "architectures", List.of("arm64"),
                "handler", "com.payments.dr.function.MigrationHandler::handleRequest",
                "filename", filename, "source_code_hash", "${filebase64sha256(\"" + filename + "\")}",
                "role", synth.ref("aws_iam_role", role + "_migrator_role", "arn"),
                "timeout", 900, "memory_size", 1024,
                "kms_key_arn", synth.ref("aws_kms_key", role + "_data_key_", "arn"),
                "vpc_config", Map.of(
                        "subnet_ids", List.of(synth.ref("aws_subnet", role + "_network_private_subnet_1", "id"),
                                synth.ref("aws_subnet", role + "_network_private_subnet_2", "id")),
                        "security_group_ids", List.of(
                                synth.ref("aws_security_group", role + "_network_migrator_security_group", "id")))));
        JsonObject migrator = synth.resource("aws_lambda_function", role + "_migrator_function");
        JsonObject env = migrator.getAsJsonObject("environment").getAsJsonObject("variables");
        assertFalse(env.has("DB_SECRET_ARN"), "it is handed the owner's credentials, it reads no secret");
        JsonObject paymentEnv = payment.getAsJsonObject("environment").getAsJsonObject("variables");
        // which merchant a key acts for is the payment function's business
        assertTrue(paymentEnv.has("MERCHANT_KEYS"));
        assertFalse(env.has("MERCHANT_KEYS"));
        // so is the acknowledgement mirror (the primary's only): the migrator reads its own replica
        assertEquals(role.equals("primary"), paymentEnv.has("ACK_MIRROR_ENDPOINT"));
        assertFalse(env.has("ACK_MIRROR_REGION") || env.has("ACK_MIRROR_ENDPOINT"));
        java.util.Set<String> notTheMigrators = java.util.Set.of("DB_READER_HOST", "MERCHANT_KEYS",
                "ACK_MIRROR_REGION", "ACK_MIRROR_ENDPOINT");
        for (String name : paymentEnv.keySet()) {
            if (!notTheMigrators.contains(name)) {
                assertEquals(paymentEnv.get(name), env.get(name), "the same settings: " + name);
            }
        }
        // the readiness probe's endpoint is the payment function's only: the migrator writes
        assertTrue(paymentEnv.has("DB_READER_HOST"));
        assertFalse(env.has("DB_READER_HOST"));
        assertFalse(migrator.has("publish") && migrator.get("publish").getAsBoolean(), "invoked as $LATEST");
        // nothing routes to it: API Gateway and EventBridge may invoke only the payment alias
        for (JsonObject permission : synth.resources("aws_lambda_permission")) {
            assertFalse(permission.get("function_name").getAsString().contains("_migrator_"), permission.toString());
        }
        synth.assertResource("aws_cloudwatch_log_group", props("provider", "aws." + role,
                "name", "/aws/lambda/lambda-migrator-dev",
                "kms_key_id", synth.ref("aws_kms_key", role + "_logs_key_", "arn")));
        assertTrue(synth.json().getAsJsonObject("output").has(role + "_migrator_function_name"));
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void theMigratorsRoleReadsNoSecretAndConnectsAsNoIamUser(String role, String region) {
        JsonObject policy = synth.resource("aws_iam_role_policy", role + "_migrator_role_policy");
        JsonObject document = synth.policyDocument(policy.get("policy").getAsString());
        Map<String, JsonObject> bySid = new HashMap<>();
        document.getAsJsonArray("statement").forEach(s -> bySid.put(s.getAsJsonObject().get("sid").getAsString(),
                s.getAsJsonObject()));
        assertEquals(java.util.Set.of("WriteLogs", "ManageVpcNetworkInterfaces", "WriteTraces", "DecryptEnvironment",
                "ReadAcknowledgementRecords"), bySid.keySet());
        assertFalse(document.toString().contains("secretsmanager"), "its invoker reads the secret, not the function");
        // the reconciliation after a failover scans its own region's replica of the table (and reads a
        // record per row only the snapshot holds), nothing more
        assertEquals(List.of("dynamodb:GetItem", "dynamodb:Scan"), Synth.strings(bySid.get("ReadAcknowledgementRecords")
                .getAsJsonArray("actions")));
        assertEquals(List.of("arn:${data.aws_partition." + role + "_partition.partition}:dynamodb:" + region + ":${data"
                + ".aws_caller_identity." + role + "_caller_identity.account_id}:table/${aws_dynamodb_table.global_state_table"
                + "_FB99B84E.name}"), Synth.strings(bySid.get("ReadAcknowledgementRecords").getAsJsonArray("resources")));
        assertFalse(document.toString().contains("rds-db:connect"), "the migrator is the owner, not the app role");
        synth.assertResource("aws_iam_role", props("provider", "aws." + role, "name", "role-migrator-" + role + "-dev"));
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void theDeploymentInvokesItOnceTheInstancesTheFunctionAndTheEndpointExistAndOnEveryChange(String role,
                                                                                            String region) {
        JsonObject migrate = invocation(role);
        List<String> dependsOn = Synth.strings(migrate.getAsJsonArray("depends_on"));
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_rds_cluster_instance." + role + "_database_instance_")),
                dependsOn.toString());
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_lambda_function." + role + "_migrator_function")));
        assertTrue(dependsOn.stream().anyMatch(d -> d.startsWith("aws_vpc_endpoint." + role + "_network_dynamodb")),
                "the network's endpoints, with their policies");
        List<String> triggers = Synth.strings(migrate.getAsJsonArray("triggers_replace"));
        assertEquals(List.of(synth.ref("aws_lambda_function", role + "_migrator_function", "source_code_hash"),
                SchemaMigrator.digest(SchemaMigrator.MIGRATIONS),
                synth.ref("aws_rds_cluster", role + "_database_cluster", "cluster_resource_id")), triggers);
        JsonObject exec = migrate.getAsJsonArray("provisioner").get(0).getAsJsonObject().getAsJsonObject("local-exec");
        assertEquals(MigratorFunction.INVOKE_COMMAND, exec.get("command").getAsString());
        // the owner's secret in the function's own region: the DR replica once its waiter saw it InSync
        String secret = role.equals("dr") ? synth.ref("terraform_data", "global_secret_replica_ready_", "output")
                : synth.ref("aws_secretsmanager_secret", "global_master_secret", "arn");
        Map<String, String> environment = new java.util.TreeMap<>();
        exec.getAsJsonObject("environment").asMap().forEach((k, v) -> environment.put(k, v.getAsString()));
        assertEquals(Map.of("FUNCTION_REGION", region,
                "FUNCTION_NAME", synth.ref("aws_lambda_function", role + "_migrator_function", "function_name"),
                "SECRET_REGION", region, "SECRET_ID", secret), environment);
    }

    @Test
    void theMigrationDigestChangesWithTheList() {
        String current = SchemaMigrator.digest(SchemaMigrator.MIGRATIONS);
        assertTrue(current.matches("[0-9a-f]{64}"));
        List<SchemaMigrator.Migration> more = new java.util.ArrayList<>(SchemaMigrator.MIGRATIONS);
        more.add(new SchemaMigrator.Migration(4, "next", "SELECT 1"));
        assertNotEquals(current, SchemaMigrator.digest(more));
    }

    private record Run(int exit, String output, List<String> secretArguments, List<String> arguments, String sent,
                       String sentMode) {
    }

    /** The master secret's SecretString as Secrets Manager returns it (a test value). */
    static final String SECRET_STRING = "{\"username\":\"payments_admin\",\"password\":\"pw%s-'x\\\"y\",\"engine\":\"postgres\"}";

    /**
     * Runs the invoke command against a stand-in {@code aws} that answers like the CLI would: the
     * secret's value for {@code secretsmanager get-secret-value}; for {@code lambda invoke} it keeps
     * the payload it was sent (and its file mode), writes the function's answer to the last
     * argument and prints the --query result.
     */
    private static Run invoke(Path dir, String functionError, String payload, int cliExit)
            throws IOException, InterruptedException {
        Path secretCalls = dir.resolve("secret-calls");
        Path calls = dir.resolve("calls");
        Path sent = dir.resolve("sent");
        Path aws = dir.resolve("aws");
        Files.deleteIfExists(sent);
        Files.writeString(dir.resolve("secret"), SECRET_STRING);
        Files.writeString(aws, "#!/bin/sh\n"
                + "if [ \"$1\" = secretsmanager ]; then\n"
                + "  for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + secretCalls + "'\n"
                + "  [ -e '" + dir.resolve("denied") + "' ] && { echo 'An error occurred (AccessDeniedException)' >&2; exit 254; }\n"
                + "  cat '" + dir.resolve("secret") + "'; echo; exit 0\n"
                + "fi\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + calls + "'\n"
                + "prev=; for a in \"$@\"; do if [ \"$prev\" = --payload ]; then f=\"${a#fileb://}\"; cp \"$f\" '" + sent
                + "'; stat -c %a \"$f\" > '" + sent + ".mode'; fi; prev=\"$a\"; last=\"$a\"; done\n"
                + "printf '%s' '" + payload + "' > \"$last\"\n"
                + "echo '" + functionError + "'\nexit " + cliExit + "\n");
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", MigratorFunction.INVOKE_COMMAND);
        shell.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        shell.environment().put("FUNCTION_REGION", "us-east-2");
        shell.environment().put("FUNCTION_NAME", "lambda-migrator-dev $(touch " + dir.resolve("pwned") + ")");
        shell.environment().put("SECRET_REGION", "us-east-2");
        shell.environment().put("SECRET_ID", "arn:aws:secretsmanager:us-east-2:123456789012:secret:secret-aurora-master-dev-AbC");
        Process process = shell.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(dir.resolve("pwned")), "values are never run by the shell");
        return new Run(process.exitValue(), output, Files.readAllLines(secretCalls),
                Files.exists(calls) ? Files.readAllLines(calls) : List.of(),
                Files.exists(sent) ? Files.readString(sent) : null,
                Files.exists(sent) ? Files.readString(dir.resolve("sent.mode")).strip() : null);
    }

    @Test
    void aSuccessfulMigrationPassesWithExactlyTheFunctionsCoordinates(@TempDir Path dir) throws Exception {
        Run run = invoke(dir, "None", "{\"result\":\"migrated\",\"applied\":3,\"schema_version\":3}", 0);
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("\"result\":\"migrated\""), "the answer is in the apply's log");
        // the invoker reads the owner's secret in the function's region, with its own credentials
        assertEquals(List.of("secretsmanager", "get-secret-value", "--region", "us-east-2", "--secret-id",
                "arn:aws:secretsmanager:us-east-2:123456789012:secret:secret-aurora-master-dev-AbC",
                "--query", "SecretString", "--output", "text"), run.secretArguments());
        List<String> args = run.arguments();
        assertEquals(List.of("lambda", "invoke", "--region", "us-east-2",
                "--function-name", "lambda-migrator-dev $(touch " + dir.resolve("pwned") + ")", "--payload"),
                args.subList(0, 7));
        assertEquals(List.of("--cli-read-timeout", "960", "--query", "FunctionError", "--output", "text"),
                args.subList(8, args.size() - 1));
        // the payload: the secret's value under "owner", from a file only its user reads, never an argument
        assertEquals("{\"owner\": " + SECRET_STRING + "}", run.sent());
        com.payments.dr.function.DbCredentials owner = ownerCredentialsOf(run.sent());
        assertEquals("payments_admin", owner.username());
        assertEquals("600", run.sentMode());
        assertFalse(String.join(" ", args).contains("pw%s"), "the password is on no command line");
        String payloadFile = args.get(7).substring("fileb://".length());
        assertFalse(Files.exists(Path.of(payloadFile)), "the payload file is removed");
        assertFalse(Files.exists(Path.of(args.get(args.size() - 1))), "the answer file is removed");
        assertEquals(0, invoke(dir, "None", "{\"result\":\"skipped: reader\",\"schema_version\":3}", 0).exit(),
                "a reader region passes");
    }

    /** What the migrator makes of the payload (MigrationHandler.ownerCredentials, package-private there). */
    private static com.payments.dr.function.DbCredentials ownerCredentialsOf(String payload) {
        JsonObject owner = com.google.gson.JsonParser.parseString(payload).getAsJsonObject().getAsJsonObject("owner");
        return new com.payments.dr.function.DbCredentials(owner.get("username").getAsString(),
                owner.get("password").getAsString());
    }

    @Test
    void aFunctionErrorAnInvokeFailureOrAForeignAnswerFailsTheApply(@TempDir Path dir) throws Exception {
        Run failed = invoke(dir, "Unhandled",
                "{\"errorMessage\":\"migration failed: database error 42P01\",\"errorType\":\"java.lang.IllegalStateException\"}", 0);
        assertNotEquals(0, failed.exit());
        assertTrue(failed.output().contains("migration failed: database error 42P01"), failed.output());
        assertEquals(255, invoke(dir, "", "", 255).exit(), "the invoke itself failed (throttled, denied)");
        assertNotEquals(0, invoke(dir, "None", "null", 0).exit(), "not the migrator's answer");
        // the deploying user may not read the owner's secret: the apply fails before any invocation
        Files.deleteIfExists(dir.resolve("calls"));
        Files.writeString(dir.resolve("denied"), "");
        Run denied = invoke(dir, "None", "{\"result\":\"migrated\"}", 0);
        assertNotEquals(0, denied.exit());
        assertTrue(denied.output().contains("AccessDeniedException"), denied.output());
        assertEquals(List.of(), denied.arguments(), "the migrator was not invoked");
    }
}
