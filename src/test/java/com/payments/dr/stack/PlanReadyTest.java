package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.payments.dr.blocks.PaymentFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 8's review findings, fixed: what a plan and an apply need beyond a valid synthesis. */
class PlanReadyTest {

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }

    private static Map<String, JsonObject> statements(String policyReference) {
        Map<String, JsonObject> bySid = new HashMap<>();
        synth.policyDocument(policyReference).getAsJsonArray("statement").forEach(s ->
                bySid.put(s.getAsJsonObject().get("sid").getAsString(), s.getAsJsonObject()));
        return bySid;
    }

    private static JsonObject snapshotWait(String role) {
        return synth.blocks("resource", "terraform_data").entrySet().stream()
                .filter(e -> e.getKey().startsWith(role + "_payment_function_snapshot_ready_"))
                .map(e -> e.getValue().getAsJsonObject()).findFirst().orElseThrow();
    }

    // --- finding 2: the alias moves only to a version whose SnapStart snapshot is ready

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void theAliasWaitsForThePublishedVersionToBecomeActive(String role, String region) {
        JsonObject function = synth.resource("aws_lambda_function", role + "_payment_function_");
        assertTrue(function.get("publish").getAsBoolean());
        assertEquals("PublishedVersions", function.getAsJsonObject("snap_start").get("apply_on").getAsString());
        JsonObject wait = snapshotWait(role);
        String version = "${aws_lambda_function." + role + "_payment_function_";
        assertTrue(wait.get("input").getAsString().startsWith(version), wait.toString());
        assertTrue(wait.get("input").getAsString().endsWith(".version}"));
        assertEquals(wait.get("input"), wait.getAsJsonArray("triggers_replace").get(0),
                "every new version is waited for");
        JsonObject exec = wait.getAsJsonArray("provisioner").get(0).getAsJsonObject().getAsJsonObject("local-exec");
        assertEquals(PaymentFunction.WAIT_FOR_VERSION_COMMAND, exec.get("command").getAsString());
        JsonObject env = exec.getAsJsonObject("environment");
        assertEquals(region, env.get("FUNCTION_REGION").getAsString());
        assertEquals(wait.get("input"), env.get("FUNCTION_VERSION"));
        assertTrue(env.get("FUNCTION_NAME").getAsString().startsWith(version));
        JsonObject alias = synth.resource("aws_lambda_alias", role + "_payment_function_alias");
        assertTrue(alias.get("function_version").getAsString().startsWith("${terraform_data." + role
                + "_payment_function_snapshot_ready_"), "never the function's version directly");
    }

    @Test
    void theWaitCommandPassesExactlyTheFunctionsCoordinatesToTheAwsCliWaiter(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path calls = dir.resolve("calls");
        Path aws = dir.resolve("aws");
        Files.writeString(aws, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + calls + "'\nexit 0\n");
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", PaymentFunction.WAIT_FOR_VERSION_COMMAND);
        shell.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        shell.environment().put("FUNCTION_REGION", "us-east-2");
        // values arrive through the environment: nothing in them is run by the shell
        shell.environment().put("FUNCTION_NAME", "lambda-payment-dev $(touch " + dir.resolve("pwned") + ")");
        shell.environment().put("FUNCTION_VERSION", "7");
        Process process = shell.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertEquals(List.of("lambda", "wait", "published-version-active", "--region", "us-east-2",
                "--function-name", "lambda-payment-dev $(touch " + dir.resolve("pwned") + ")", "--qualifier", "7"),
                Files.readAllLines(calls));
        assertFalse(Files.exists(dir.resolve("pwned")));
    }

    @Test
    void aFailedWaitFailsTheApplyBeforeTheAliasMoves(@TempDir Path dir) throws IOException, InterruptedException {
        Path aws = dir.resolve("aws");
        // what the CLI's waiter does when the version's State becomes Failed
        Files.writeString(aws, "#!/bin/sh\necho 'Waiter PublishedVersionActive failed: terminal failure state' >&2\nexit 255\n");
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", PaymentFunction.WAIT_FOR_VERSION_COMMAND);
        shell.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        Process process = shell.redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(255, process.exitValue(), "local-exec fails the terraform_data, and the alias depends on it");
    }

    // --- issue 9's building-block items: environment encrypted with the region's key, VPC permissions

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void environmentIsEncryptedWithTheRegionsDataKeyAndTheRoleMayDecryptItThroughLambda(String role, String region) {
        JsonObject function = synth.resource("aws_lambda_function", role + "_payment_function_");
        assertTrue(function.get("kms_key_arn").getAsString().startsWith("${aws_kms_key." + role + "_data_key_"),
                function.get("kms_key_arn").toString());
        Map<String, JsonObject> role_ = statements(synth.resource("aws_iam_role_policy",
                role + "_payment_function_role_policy").get("policy").getAsString());
        JsonObject decrypt = role_.get("DecryptEnvironment");
        assertEquals(List.of("kms:Decrypt"), Synth.strings(decrypt.getAsJsonArray("actions")));
        assertEquals(function.get("kms_key_arn"), decrypt.getAsJsonArray("resources").get(0));
        JsonObject via = decrypt.getAsJsonArray("condition").get(0).getAsJsonObject();
        assertEquals("kms:ViaService", via.get("variable").getAsString());
        assertEquals("lambda." + region + ".amazonaws.com", via.getAsJsonArray("values").get(0).getAsString());
        // the key policy lets Lambda use the key for the account (grants, encrypt at create, decrypt)
        JsonObject keyPolicy = synth.policyDocument(synth.resource("aws_kms_key", role + "_data_key_")
                .get("policy").getAsString());
        JsonObject usage = keyPolicy.getAsJsonArray("statement").get(1).getAsJsonObject();
        List<String> actions = Synth.strings(usage.getAsJsonArray("actions"));
        assertTrue(actions.containsAll(List.of("kms:CreateGrant", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")));
        List<String> services = Synth.strings(usage.getAsJsonArray("condition").get(0).getAsJsonObject()
                .getAsJsonArray("values"));
        assertTrue(services.contains("lambda." + region + ".amazonaws.com"), services.toString());
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void lambdaMayDescribeTheSubnetsItPlacesEnisIn(String role) {
        Map<String, JsonObject> bySid = statements(synth.resource("aws_iam_role_policy",
                role + "_payment_function_role_policy").get("policy").getAsString());
        assertTrue(Synth.strings(bySid.get("ManageVpcNetworkInterfaces").getAsJsonArray("actions"))
                .contains("ec2:DescribeSubnets"));
    }

    // --- finding 3: the global cluster drives upgrades; parameter groups survive a major upgrade

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void membersIgnoreTheEngineVersionTheGlobalClusterDrives(String role) {
        JsonObject cluster = synth.resource("aws_rds_cluster", role + "_database_cluster");
        assertTrue(Synth.strings(cluster.getAsJsonObject("lifecycle").getAsJsonArray("ignore_changes"))
                .contains("engine_version"));
        assertEquals("16.6", synth.resource("aws_rds_global_cluster", "global_").get("engine_version").getAsString());
        for (Map.Entry<String, JsonElement> instance : synth.blocks("resource", "aws_rds_cluster_instance").entrySet()) {
            JsonObject body = instance.getValue().getAsJsonObject();
            assertFalse(body.has("engine_version"), instance.getKey());
            assertFalse(body.get("auto_minor_version_upgrade").getAsBoolean(), instance.getKey());
        }
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void parameterGroupsAreReplacedCreateBeforeDestroyUnderAGeneratedName(String role) {
        JsonObject group = synth.resource("aws_rds_cluster_parameter_group", role + "_database_parameter_group");
        assertFalse(group.has("name"), "a fixed name could not exist twice during the replacement");
        assertEquals("aurora-params-pg16-dev-", group.get("name_prefix").getAsString());
        assertTrue(group.getAsJsonObject("lifecycle").get("create_before_destroy").getAsBoolean());
        assertEquals("aurora-postgresql16", group.get("family").getAsString());
    }

    // --- finding 4: one source for the master password, sensitive values stay out of outputs, state under KMS

    @Test
    void theClusterReadsThePasswordFromTheSecretsCurrentValue() {
        JsonObject current = synth.data("aws_secretsmanager_secret_version").get(0);
        assertTrue(current.get("secret_id").getAsString().startsWith("${aws_secretsmanager_secret.global_master_secret_"));
        assertTrue(Synth.strings(current.getAsJsonArray("depends_on")).get(0)
                .startsWith("aws_secretsmanager_secret_version.global_master_secret_value_"));
        JsonObject primary = synth.resource("aws_rds_cluster", "primary_database_cluster");
        assertTrue(primary.get("master_password").getAsString().contains("data.aws_secretsmanager_secret_version."));
        assertFalse(primary.get("master_password").getAsString().contains("random_password"),
                "the generator only seeds the secret");
    }

    @Test
    void noOutputCarriesASensitiveValue() {
        JsonObject outputs = synth.json().getAsJsonObject("output");
        List<String> leaking = new ArrayList<>();
        outputs.entrySet().forEach(e -> {
            String value = e.getValue().getAsJsonObject().get("value").toString();
            if (value.matches(".*(random_password|secret_string|master_password|secretsmanager_secret_version).*")
                    && !e.getValue().getAsJsonObject().has("sensitive")) {
                leaking.add(e.getKey());
            }
        });
        assertEquals(List.of(), leaking);
    }

    @Test
    void theStateIsEncryptedWithACustomerManagedKey() {
        JsonObject s3 = synth.json().getAsJsonObject("terraform").getAsJsonObject("backend").getAsJsonObject("s3");
        assertTrue(s3.get("encrypt").getAsBoolean());
        assertEquals("alias/payments-dr-terraform-state", s3.get("kms_key_id").getAsString());
    }
}
