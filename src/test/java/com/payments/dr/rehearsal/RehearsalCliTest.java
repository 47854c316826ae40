package com.payments.dr.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java half of ./main --rehearse: guard, override files, and the verdict on Terraform's documents. */
class RehearsalCliTest {

    static final String FIRST_PLAN = """
            {"resource_changes": [
              {"address": "aws_vpc.v", "mode": "managed", "type": "aws_vpc", "change": {"actions": ["create"]}},
              {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function",
               "change": {"actions": ["create"]}},
              {"address": "terraform_data.w", "mode": "managed", "type": "terraform_data", "change": {"actions": ["create"]}}]}
            """;
    static final String APPLIED = """
            {"values": {"root_module": {"resources": [{"mode": "managed"}, {"mode": "managed"}, {"mode": "managed"},
              {"mode": "data"}]}}}
            """;
    static final String SECOND_PLAN = """
            {"resource_changes": [
              {"address": "aws_vpc.v", "mode": "managed", "type": "aws_vpc", "change": {"actions": ["no-op"]}},
              {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function",
               "change": {"actions": ["update"], "before": {"kms_key_arn": ""}, "after": {"kms_key_arn": "arn:k|x"}}}]}
            """;
    static final String REPLACING_PLAN = """
            {"resource_changes": [
              {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function",
               "change": {"actions": ["update"], "before": {"kms_key_arn": ""}, "after": {"kms_key_arn": "arn:k"}}},
              {"address": "terraform_data.w", "mode": "managed", "type": "terraform_data",
               "change": {"actions": ["delete", "create"], "before": {"input": "1"}, "after": {"input": "2"}}}]}
            """;
    static final String GAPS = "# gaps\naws_lambda_function.kms_key_arn moto does not store a function's key\n";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return RehearsalCli.run(args, env, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A work directory as rehearse.sh leaves it after every phase ran. */
    private Path work(String secondPlan, String destroyed, String phases) throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("phases.tsv"), phases);
        Files.writeString(work.resolve("first-plan.json"), FIRST_PLAN);
        Files.writeString(work.resolve("applied.json"), APPLIED);
        Files.writeString(work.resolve("second-plan.json"), secondPlan);
        Files.writeString(work.resolve("destroyed.json"), destroyed);
        Files.writeString(dir.resolve("gaps.txt"), GAPS);
        Path accounts = Files.createDirectories(work.resolve("after-destroy"));
        // what GetAccount answers once reset_on_delete cleared the role, and an unrelated file
        Files.writeString(accounts.resolve("apigateway-account-us-east-1.json"),
                "{\"throttleSettings\": {\"burstLimit\": 5000}, \"apiKeyVersion\": \"1\"}");
        Files.writeString(accounts.resolve("apigateway-account-us-east-2.json"), "{\"cloudwatchRoleArn\": \"\"}");
        Files.writeString(accounts.resolve("apigateway-account-us-west-2.json"), "{\"cloudwatchRoleArn\": null}");
        Files.writeString(accounts.resolve("notes.txt"), "not an account");
        Files.writeString(accounts.resolve("apigateway-account-eu-west-1.txt"), "not json");
        return work;
    }

    static final String PHASES = "init\t0\t2\nfirst plan\t0\t15\napply\t0\t540\nsecond plan\t2\t40\ndestroy\t0\t200\n";

    @Test
    void aCleanRehearsalIsOneSummaryLineAndAReport() throws IOException {
        Path work = work(SECOND_PLAN, "{\"format_version\": \"1.0\"}", PHASES);
        assertEquals(0, run(Map.of(), "report", "work", "gaps.txt"));
        assertEquals("rehearsal: created 3/3; second plan: 1 diff(s) on 1 attribute(s), 1 listed emulator gap(s),"
                + " 0 unlisted, 0 vanished, 0 replacement(s); left after destroy: 0 -- passed in 13m17s (details: "
                + work.resolve("report.md") + ")\n", out());
        String report = Files.readString(work.resolve("report.md"));
        assertTrue(report.contains("Result: **passed**."), report);
        assertTrue(report.contains("| apply | 0 | 9m00s |"), report);
        assertTrue(report.contains("| second plan | 2 | 40s |"), report);
        assertTrue(report.contains("Created 3 of the 3 managed resources the first plan creates; left after destroy: 0."));
        assertTrue(report.contains("| `aws_lambda_function.f` | kms_key_arn | update | \"\" | \"arn:k\\|x\" |"
                + " moto does not store a function's key |"), report);
        assertTrue(report.contains("a local emulation: no AWS account was used"));
        assertTrue(report.contains("API Gateway account settings in us-east-1 after destroy: no CloudWatch role"
                + " (cleared)."), report);
        assertTrue(report.contains("API Gateway account settings in us-east-2 after destroy: no CloudWatch role"));
        assertTrue(report.contains("API Gateway account settings in us-west-2 after destroy: no CloudWatch role"));
        assertTrue(!report.contains("eu-west-1"), report);
        assertEquals("", err());
    }

    @Test
    void anUnlistedDiffAVanishedGapAReplacementAndALeftoverEachFail() throws IOException {
        Files.writeString(dir.resolve("gaps2.txt"), GAPS + "aws_rds_cluster_instance.performance_insights_enabled"
                + " moto does not store it either\n");
        Path work = work(REPLACING_PLAN, APPLIED, PHASES);
        // what the provider leaves without reset_on_delete: the setting names the deleted role
        Files.writeString(work.resolve("after-destroy/apigateway-account-us-east-2.json"),
                "{\"cloudwatchRoleArn\": \"arn:aws:iam::1:role/role-apigw-cloudwatch-dr-dev\"}");
        assertEquals(1, run(Map.of(), "report", "work", "gaps2.txt"));
        List<String> lines = out().lines().toList();
        assertEquals("rehearsal: created 3/3; second plan: 2 diff(s) on 2 attribute(s), 1 listed emulator gap(s),"
                + " 1 unlisted, 1 vanished, 1 replacement(s); left after destroy: 3 -- FAILED in 13m17s (details: "
                + work.resolve("report.md") + ")", lines.get(0));
        assertEquals(List.of(
                "  second-plan diffs not in the gap list (fix the stack, or list an emulator gap with its reason):"
                        + " terraform_data.input",
                "  listed gaps that no longer show (remove them from the list):"
                        + " aws_rds_cluster_instance.performance_insights_enabled",
                "  the second plan replaces terraform_data.w",
                "  3 resource(s) left after destroy",
                "  after destroy, API Gateway's account settings in us-east-2 still name"
                        + " arn:aws:iam::1:role/role-apigw-cloudwatch-dr-dev"), lines.subList(1, lines.size()));
        String report = Files.readString(work.resolve("report.md"));
        assertTrue(report.contains("Result: **failed**:\n\n- second-plan diffs not in the gap list"), report);
        assertTrue(report.contains("| **not listed** |"), report);
        assertTrue(report.contains("Listed but not seen: `aws_rds_cluster_instance.performance_insights_enabled`"));
        assertTrue(report.contains("in us-east-2 after destroy: still arn:aws:iam::1:role/role-apigw-cloudwatch-dr-dev."));
    }

    /** A production stack: its keys carry prevent_destroy (one in each form Terraform's JSON allows). */
    static final String GUARDED_STACK = """
            {"resource": {"aws_kms_key": {"data_key": {"lifecycle": {"prevent_destroy": true}},
                                          "logs_key": {"lifecycle": {"prevent_destroy": "true"}},
                                          "plain_key": {"lifecycle": {"create_before_destroy": true}}},
                          "aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}}}}
            """;
    /** What terraform destroy prints for them, wrapped as Terraform wraps its diagnostics. */
    static final String REFUSED = """
            Error: Instance cannot be destroyed

              on cdk.tf.json line 12:
              (source code not available)

            Resource aws_kms_key.data_key has lifecycle.prevent_destroy set, but the plan
            calls for this resource to be destroyed.

            Error: Instance cannot be destroyed

            Resource aws_kms_key.logs_key has
            lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.
            """;

    @Test
    void aGuardedStacksDestroyMustBeRefusedForExactlyItsGuardedResources() throws IOException {
        Path work = work(SECOND_PLAN, APPLIED, PHASES.replace("destroy\t0\t200", "destroy\t1\t20"));
        Files.createDirectories(work.resolve("stack"));
        Files.writeString(work.resolve("stack/cdk.tf.json"), GUARDED_STACK);
        Files.writeString(work.resolve("destroy.log"), REFUSED);
        // the role is still set: nothing was destroyed, and that is not held against it
        Files.writeString(work.resolve("after-destroy/apigateway-account-us-east-2.json"),
                "{\"cloudwatchRoleArn\": \"arn:aws:iam::1:role/r\"}");
        assertEquals(0, run(Map.of(), "report", "work", "gaps.txt"));
        assertEquals("rehearsal: created 3/3; second plan: 1 diff(s) on 1 attribute(s), 1 listed emulator gap(s),"
                + " 0 unlisted, 0 vanished, 0 replacement(s); destroy: refused as designed, prevent_destroy on 2"
                + " resource(s) -- passed in 10m17s (details: " + work.resolve("report.md") + ")\n", out());
        String report = Files.readString(work.resolve("report.md"));
        assertTrue(report.contains("The stack guards 2 resource(s) with `prevent_destroy` (the production profile):"
                + " Terraform must refuse the destroy before it starts. Refused: `aws_kms_key.data_key`,"
                + " `aws_kms_key.logs_key`."), report);
        assertTrue(!report.contains("API Gateway account settings"), report);

        // refusing too little, a destroy that went through, or one that removed things first all fail
        out.reset();
        Files.writeString(work.resolve("destroy.log"), REFUSED.substring(0, REFUSED.indexOf("Error", 10)));
        Files.writeString(work.resolve("destroyed.json"), "{\"values\": {\"root_module\": {\"resources\":"
                + " [{\"mode\": \"managed\"}]}}}");
        Files.writeString(work.resolve("phases.tsv"), PHASES);
        assertEquals(1, run(Map.of(), "report", "work", "gaps.txt"));
        assertEquals(List.of("  destroy succeeded although 2 resource(s) have prevent_destroy",
                "  destroy refused aws_kms_key.data_key; the stack guards aws_kms_key.data_key, aws_kms_key.logs_key",
                "  destroy removed 2 resource(s) before it was refused"), out().lines().skip(1).toList());
        out.reset();
        Files.delete(work.resolve("destroyed.json"));
        Files.delete(work.resolve("destroy.log"));
        assertEquals(1, run(Map.of(), "report", "work", "gaps.txt"));
        assertEquals(List.of("  no destroy"), out().lines().skip(1).toList());
    }

    @Test
    void aFailedApplyStopsBeforeTheSecondPlanAndSaysSo() throws IOException {
        Path work = work("", "{}", "init\t0\t1\nfirst plan\t0\t9\napply\t1\t75\ndestroy\t0\t30\nbroken line\n");
        Files.writeString(work.resolve("applied.json"), "{\"values\": {\"root_module\": {\"resources\":"
                + " [{\"mode\": \"managed\"}]}}}");
        assertEquals(1, run(Map.of(), "report", "work", "gaps.txt"));
        assertTrue(out().startsWith("rehearsal: created 1/3; second plan: not run; left after destroy: 0 -- FAILED"
                + " in 1m55s"), out());
        assertTrue(out().contains("\n  apply failed (exit 1; log: apply.log)\n  apply created 1 of 3\n  no second plan\n"),
                out());
        assertEquals("first-plan.log", new RehearsalReport.Phase("first plan", 1, 9).log(), "as rehearse.sh names it");
    }

    @Test
    void nothingRunIsAFailureNotAPass() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("gaps.txt"), GAPS);
        assertEquals(1, run(Map.of(), "report", "empty", "gaps.txt"));
        assertTrue(out().startsWith("rehearsal: created 0/0; second plan: not run; left after destroy: not run --"
                + " FAILED in 0s"), out());
        assertTrue(out().contains("  the first plan creates nothing\n  no second plan\n  no state after destroy\n"));
        String report = Files.readString(dir.resolve("empty/report.md"));
        assertTrue(report.contains("left after destroy: not run."), report);
    }

    @Test
    void anUnchangedSecondPlanAndAnEmptyGapListPass() throws IOException {
        Path work = work("{\"resource_changes\": []}", "{}", "second plan\t0\t3\n");
        Files.writeString(dir.resolve("gaps.txt"), "# none\n");
        assertEquals(0, run(Map.of(), "report", "work", "gaps.txt"));
        assertTrue(out().contains("second plan: 0 diff(s) on 0 attribute(s), 0 listed emulator gap(s)"), out());
        assertTrue(Files.readString(work.resolve("report.md")).contains("No changes."));
    }

    @Test
    void theGuardRefusesWithOneLineOrSaysNothing() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        assertEquals(0, run(Map.of("HOME", home.toString()), "guard"));
        assertEquals("", out() + err());
        assertEquals(2, run(Map.of("HOME", home.toString(), "AWS_PROFILE", "prod"), "guard"));
        assertEquals(CredentialGuard.refusal(List.of("AWS_PROFILE is set")) + "\n", err());
        err.reset();
        // no HOME at all: nothing to read there
        assertEquals(0, run(Map.of(), "guard"));
    }

    @Test
    void theOverrideFilesComeFromTheStackAndTheProvidersSchema() throws IOException {
        Files.writeString(dir.resolve("cdk.tf.json"), EmulatorOverrideTest.STACK);
        Files.writeString(dir.resolve("schema.json"), EmulatorOverrideTest.SCHEMA);
        Files.writeString(dir.resolve("aliases.txt"), "# second names\ns3api   eventbridge  # s3, events\n\n");
        assertEquals(0, run(Map.of(), "providers", "cdk.tf.json", "schema.json", "aliases.txt", "http://127.0.0.1:9",
                "empty"));
        JsonObject providers = JsonParser.parseString(out()).getAsJsonObject();
        assertEquals("{\"events\":\"http://127.0.0.1:9\",\"lambda\":\"http://127.0.0.1:9\",\"s3\":\"http://127.0.0.1:9\","
                + "\"sts\":\"http://127.0.0.1:9\"}", providers.getAsJsonObject("provider").getAsJsonArray("aws").get(0)
                .getAsJsonObject().getAsJsonArray("endpoints").get(0).toString());
        assertEquals(dir.resolve("empty").toString(), providers.getAsJsonObject("provider").getAsJsonArray("aws").get(2)
                .getAsJsonObject().getAsJsonArray("shared_config_files").get(0).getAsString());
        out.reset();
        assertEquals(0, run(Map.of(), "backend", "state/terraform.tfstate"));
        assertTrue(out().contains(dir.resolve("state/terraform.tfstate").toString()), out());
    }

    @Test
    void theRegionsAreTheStacksAwsProvidersOnceEach() throws IOException {
        Files.writeString(dir.resolve("cdk.tf.json"), EmulatorOverrideTest.STACK);
        assertEquals(0, run(Map.of(), "regions", "cdk.tf.json"));
        assertEquals("us-east-1\nus-east-2\n", out());
    }

    @Test
    void theCheckedInAliasesAreSecondNamesOnly() throws IOException {
        var aliases = RehearsalCli.aliases(Path.of("src/rehearsal/endpoint-aliases.txt"));
        assertTrue(aliases.containsAll(List.of("s3api", "eventbridge", "cloudwatchlogs")), aliases.toString());
        for (String firstName : List.of("s3", "events", "logs", "lambda", "rds", "sts", "iam", "dynamodb")) {
            assertTrue(!aliases.contains(firstName), firstName + " must stay on the emulator");
        }
    }

    @Test
    void aLongValueIsShortenedToOneTableCell() throws IOException {
        String key = "arn:aws:kms:us-east-1:123456789012:key/" + "0123456789".repeat(12);
        Path work = work(SECOND_PLAN.replace("arn:k|x", key + "\\nsecond line"), "{}", PHASES);
        assertEquals(0, run(Map.of(), "report", "work", "gaps.txt"));
        String report = Files.readString(work.resolve("report.md"));
        String cell = ("\"" + key).substring(0, 117) + "...";
        assertTrue(report.contains("| \"\" | " + cell + " |"), report);
    }

    @Test
    void aWrongNumberOfArgumentsIsAUsageError() {
        for (String[] args : List.of(new String[] {"guard", "x"}, new String[] {"backend"},
                new String[] {"providers", "a"}, new String[] {"regions"}, new String[] {"nothing"})) {
            assertEquals(2, run(Map.of(), args), String.join(" ", args));
        }
        assertEquals(5, err().lines().filter(l -> l.startsWith("error: usage: RehearsalMain")).count(), err());
    }

    @Test
    void badInputIsOneLine() throws IOException {
        assertEquals(2, run(Map.of()));
        assertTrue(err().startsWith("error: usage: RehearsalMain guard | backend STATE_FILE"), err());
        err.reset();
        assertEquals(2, run(Map.of(), "report", "work"));
        err.reset();
        Files.writeString(dir.resolve("bad-gaps.txt"), "not-a-key reason\n");
        assertEquals(2, run(Map.of(), "report", ".", "bad-gaps.txt"));
        assertEquals("error: emulator gap list, line 1: 'not-a-key' is not <resource type>.<attribute>\n", err());
        err.reset();
        assertEquals(1, run(Map.of(), "report", ".", "missing-gaps.txt"));
        assertTrue(err().startsWith("error: NoSuchFileException: "), err());
        err.reset();
        Files.writeString(dir.resolve("cdk.tf.json"), "{}");
        assertEquals(1, run(Map.of(), "providers", "missing.json", "cdk.tf.json", "a", "u", "e"));
        assertTrue(err().startsWith("error: NoSuchElementException: "), err());
        err.reset();
        Files.writeString(dir.resolve("broken.json"), "{\"resource_changes\": [");
        Files.writeString(dir.resolve("gaps.txt"), GAPS);
        Files.createDirectories(dir.resolve("w"));
        Files.copy(dir.resolve("broken.json"), dir.resolve("w/first-plan.json"));
        assertEquals(1, run(Map.of(), "report", "w", "gaps.txt"));
        assertTrue(err().startsWith("error: JsonSyntaxException: "), err());
    }
}
