package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.payments.dr.blocks.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The infrastructure review's findings, fixed: replica wait, destroy timeouts, ordering, key scoping. */
class InfraReviewTest {

    private static final String QUERY = "ReplicationStatus[?Region=='us-east-2'] | [0].[Status, StatusMessage]";

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }

    // --- 1. the apply that creates the secret's replica waits until it is InSync

    @Test
    void theReplicaWaiterPollsThePrimaryRegionForTheDrReplica() {
        JsonObject wait = synth.resource("terraform_data", "global_secret_replica_ready_");
        String secretArn = synth.ref("aws_secretsmanager_secret", "global_master_secret_", "arn");
        JsonObject exec = wait.getAsJsonArray("provisioner").get(0).getAsJsonObject().getAsJsonObject("local-exec");
        assertEquals(GlobalResources.WAIT_FOR_REPLICA_COMMAND, exec.get("command").getAsString());
        JsonObject env = exec.getAsJsonObject("environment");
        assertEquals("us-east-1", env.get("SECRET_REGION").getAsString());
        assertEquals("us-east-2", env.get("REPLICA_REGION").getAsString());
        assertEquals(secretArn, env.get("SECRET_ID").getAsString());
        assertEquals(600, env.get("WAIT_ATTEMPTS").getAsInt() * env.get("WAIT_SECONDS").getAsInt(),
                "bounded: ten minutes");
        assertEquals(List.of(secretArn, synth.ref("aws_kms_key", "dr_data_key_", "arn")),
                Synth.strings(wait.getAsJsonArray("triggers_replace")), "rerun for every new replica");
        assertEquals("${replace(" + secretArn.substring(2, secretArn.length() - 1)
                + ", \":us-east-1:\", \":us-east-2:\")}", wait.get("input").getAsString());
        // the postcondition stays: later plans refresh the status and catch a replica failing afterwards
        assertTrue(synth.resource("aws_secretsmanager_secret", "global_master_secret_")
                .getAsJsonObject("lifecycle").has("postcondition"));
    }

    @Test
    void theDrMigratorIsInvokedOnlyOnceTheReplicaIsInSync() {
        // its invocation reads the owner's credentials from the replica: the waiter's output names it
        String ready = synth.ref("terraform_data", "global_secret_replica_ready_", "output");
        JsonObject dr = synth.resource("terraform_data", "dr_migrator_migrate");
        assertEquals(ready, dr.getAsJsonArray("provisioner").get(0).getAsJsonObject().getAsJsonObject("local-exec")
                .getAsJsonObject("environment").get("SECRET_ID").getAsString());
        // the primary's reads the secret in its own region and does not wait for the DR replica
        assertEquals(synth.ref("aws_secretsmanager_secret", "global_master_secret_", "arn"),
                synth.resource("terraform_data", "primary_migrator_migrate").getAsJsonArray("provisioner").get(0)
                        .getAsJsonObject().getAsJsonObject("local-exec").getAsJsonObject("environment")
                        .get("SECRET_ID").getAsString());
    }

    /** Runs the waiter's command with a stand-in {@code aws} answering {@code statuses}, one a call (the last repeats). */
    private static Result waitFor(Path dir, String secretId, String attempts, String... statuses)
            throws IOException, InterruptedException {
        Path calls = dir.resolve("calls");
        Path count = dir.resolve("count");
        Files.write(dir.resolve("statuses"), List.of(statuses));
        Path aws = dir.resolve("aws");
        Files.writeString(aws, "#!/bin/sh\n"
                + "n=$(cat '" + count + "' 2>/dev/null || echo 0); n=$((n + 1)); echo \"$n\" > '" + count + "'\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + calls + "'\n"
                + "line=$(sed -n \"${n}p\" '" + dir.resolve("statuses") + "')\n"
                + "[ -n \"$line\" ] || line=$(tail -n 1 '" + dir.resolve("statuses") + "')\n"
                + "[ \"$line\" = ERROR ] && { echo 'An error occurred (AccessDeniedException)' >&2; exit 254; }\n"
                + "printf '%s\\n' \"$line\"\n");
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", GlobalResources.WAIT_FOR_REPLICA_COMMAND);
        shell.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        shell.environment().put("SECRET_REGION", "us-east-1");
        shell.environment().put("REPLICA_REGION", "us-east-2");
        shell.environment().put("SECRET_ID", secretId);
        shell.environment().put("WAIT_ATTEMPTS", attempts);
        shell.environment().put("WAIT_SECONDS", "0");
        Process process = shell.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output, Integer.parseInt(Files.readString(count).trim()),
                Files.readAllLines(calls));
    }

    private record Result(int exit, String output, int polls, List<String> lastCall) {
    }

    /** The waiter failed the apply after {@code polls} polls, saying {@code says}. */
    private static void assertFailedTheApply(Result result, int polls, String says) {
        assertEquals(1, result.exit(), result.output());
        assertEquals(polls, result.polls());
        assertTrue(result.output().contains(says), result.output());
    }

    @Test
    void theWaiterPollsUntilTheReplicaIsInSyncWithValuesOnlyFromTheEnvironment(@TempDir Path dir)
            throws IOException, InterruptedException {
        String id = "arn:aws:secretsmanager:us-east-1:123456789012:secret:x $(touch " + dir.resolve("pwned") + ")";
        Result result = waitFor(dir, id, "120", "None", "InProgress\tReplication in progress",
                "InSync\tReplication succeeded");
        assertEquals(0, result.exit(), result.output());
        assertEquals(3, result.polls());
        assertEquals(List.of("secretsmanager", "describe-secret", "--region", "us-east-1", "--secret-id", id,
                "--query", QUERY, "--output", "text"), result.lastCall());
        assertFalse(Files.exists(dir.resolve("pwned")));
    }

    @Test
    void aFailedReplicaFailsTheApplyAtOnceWithAwsReason(@TempDir Path dir) throws IOException, InterruptedException {
        Result result = waitFor(dir, "s", "120", "InProgress\tReplication in progress",
                "Failed\tAccess to KMS is not allowed");
        assertFailedTheApply(result, 2, "replica of s in us-east-2 failed to sync: Failed\tAccess to KMS is not allowed");
    }

    @Test
    void aReplicaStuckInProgressFailsTheApplyAfterTheLastPoll(@TempDir Path dir) throws IOException, InterruptedException {
        Result result = waitFor(dir, "s", "4", "InProgress\tReplication in progress");
        assertFailedTheApply(result, 4, "not InSync after 4 polls");
    }

    @Test
    void anAwsCliErrorFailsTheApply(@TempDir Path dir) throws IOException, InterruptedException {
        Result result = waitFor(dir, "s", "120", "ERROR");
        assertFailedTheApply(result, 1, "AccessDeniedException");
    }

    // --- 2. a destroy outlasts Lambda's release of the function's ENIs

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void subnetsAndTheFunctionGroupWaitLongForEnisOnDestroy(String role) {
        int subnets = 0;
        for (Map.Entry<String, JsonElement> subnet : synth.blocks("resource", "aws_subnet").entrySet()) {
            if (subnet.getKey().startsWith(role + "_")) {
                subnets++;
                assertEquals("45m", subnet.getValue().getAsJsonObject().getAsJsonObject("timeouts")
                        .get("delete").getAsString(), subnet.getKey());
            }
        }
        assertEquals(2, subnets);
        assertEquals("45m", Network.ENI_RELEASE_TIMEOUT);
        synth.assertResource("aws_security_group", Synth.props("provider", "aws." + role,
                "name", "secgroup-function-dev", "timeouts", Map.of("delete", "45m")));
    }

    // --- 3. replication starts only once the role's policy exists

    @ParameterizedTest
    @CsvSource({"global_bucket_replication", "global_failback_replication"})
    void replicationWaitsForTheRolesPolicy(String id) {
        List<String> dependsOn = Synth.strings(synth.resource("aws_s3_bucket_replication_configuration", id)
                .getAsJsonArray("depends_on"));
        assertTrue(dependsOn.contains("aws_iam_role_policy." + synth.id("aws_iam_role_policy",
                "global_replication_role_policy")), dependsOn.toString());
    }

    // --- 4. grants on the data key only for AWS resources

    private static List<JsonObject> keyStatements(String keyPrefix) {
        List<JsonObject> statements = new ArrayList<>();
        synth.policyOf("aws_kms_key", keyPrefix)
                .getAsJsonArray("statement").forEach(s -> statements.add(s.getAsJsonObject()));
        return statements;
    }

    private static List<String> conditions(JsonObject statement) {
        List<String> conditions = new ArrayList<>();
        JsonArray array = statement.getAsJsonArray("condition");
        if (array != null) {
            array.forEach(c -> conditions.add(c.getAsJsonObject().get("test").getAsString() + " "
                    + c.getAsJsonObject().get("variable").getAsString() + "="
                    + Synth.strings(c.getAsJsonObject().getAsJsonArray("values"))));
        }
        return conditions;
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void theDataKeyGrantsOnlyForAwsResources(String role) {
        int grantStatements = 0;
        for (JsonObject statement : keyStatements(role + "_data_key_")) {
            List<String> actions = Synth.strings(statement.getAsJsonArray("actions"));
            List<String> conditions = conditions(statement);
            if (actions.contains("kms:CreateGrant")) {
                grantStatements++;
                assertEquals(List.of("kms:CreateGrant"), actions, "Encrypt/Decrypt keep their own statement");
                assertTrue(conditions.contains("Bool kms:GrantIsForAWSResource=[true]"), conditions.toString());
                assertTrue(conditions.stream().anyMatch(c -> c.startsWith("StringEquals kms:ViaService=")));
                assertTrue(conditions.stream().anyMatch(c -> c.startsWith("StringEquals kms:CallerAccount=")));
            } else {
                assertTrue(conditions.stream().noneMatch(c -> c.contains("GrantIsForAWSResource")), conditions.toString());
            }
        }
        assertEquals(1, grantStatements);
    }

    // --- 5. the logs key serves this stack's log groups only

    /** An ArnLike pattern as a regex: {@code *} any run of characters, {@code ?} one. */
    private static Pattern arnLike(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }

    private static List<String> logsKeyPatterns(String role) {
        List<String> patterns = null;
        for (JsonObject statement : keyStatements(role + "_logs_key_")) {
            for (JsonElement condition : statement.getAsJsonArray("condition") == null ? new JsonArray()
                    : statement.getAsJsonArray("condition")) {
                if (condition.getAsJsonObject().get("variable").getAsString().equals("kms:EncryptionContext:aws:logs:arn")) {
                    assertEquals("ArnLike", condition.getAsJsonObject().get("test").getAsString());
                    patterns = Synth.strings(condition.getAsJsonObject().getAsJsonArray("values"));
                }
            }
        }
        assertTrue(patterns != null, "no encryption-context condition on the " + role + " logs key");
        return patterns;
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void everyLogGroupOnTheLogsKeyMatchesItsPolicyAndNoOtherStacksDoes(String role, String region) {
        List<String> patterns = logsKeyPatterns(role);
        String prefix = "arn:${data.aws_partition." + synth.blocks("data", "aws_partition").keySet().stream()
                .filter(id -> id.startsWith(role + "_")).findFirst().orElseThrow() + ".partition}:logs:" + region
                + ":${data.aws_caller_identity." + synth.blocks("data", "aws_caller_identity").keySet().stream()
                .filter(id -> id.startsWith(role + "_")).findFirst().orElseThrow() + ".account_id}:log-group:";
        for (String pattern : patterns) {
            assertTrue(pattern.startsWith(prefix), pattern);
            assertTrue(pattern.contains("-dev"), "every pattern carries the suffix: " + pattern);
        }
        String key = synth.ref("aws_kms_key", role + "_logs_key_", "arn");
        int groups = 0;
        for (Map.Entry<String, JsonElement> group : synth.blocks("resource", "aws_cloudwatch_log_group").entrySet()) {
            JsonObject body = group.getValue().getAsJsonObject();
            if (!key.equals(body.get("kms_key_id").getAsString())) {
                continue;
            }
            groups++;
            // an API's id is known only at apply: any id stands for it
            String arn = prefix + body.get("name").getAsString().replaceAll("\\$\\{[^}]*}", "a1b2c3d4e5");
            assertTrue(patterns.stream().anyMatch(p -> arnLike(p).matcher(arn).matches()), group.getKey() + ": " + arn);
        }
        // the DR region also has the failover probe's; the primary (us-east-1) the rotation function's and
        // the zone's query log
        assertEquals(role.equals("dr") ? 10 : 11, groups, "functions (3) and the migrator, flow logs, API access and"
                + " execution logs, the database, the web ACL (and the probe; or the rotation and the DNS queries)");
        for (String foreign : List.of("/aws/lambda/lambda-payment-prod", "vpc-flow-logs-prod", "/aws/apigateway/x/access",
                "API-Gateway-Execution-Logs_a1b2c3d4e5/v1-prod", "/aws/rds/cluster/aurora-other-dev/postgresql",
                "/aws/lambda/anything")) {
            assertTrue(patterns.stream().noneMatch(p -> arnLike(p).matcher(prefix + foreign).matches()), foreign);
        }
    }
}
