package com.payments.dr.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./main --runbook} and {@code ./main --diagram}: output, exit codes, one-line errors. */
class OpsCliTest {

    /** A stack with one region's VPC and a function in it, and a global table replicated to the other. */
    static final String STACK = """
            {"provider": {"aws": [{"alias": "primary", "region": "us-east-1"}, {"alias": "dr", "region": "us-east-2"}]},
             "resource": {
               "aws_vpc": {"primary_vpc_1": {"cidr_block": "10.0.0.0/16", "provider": "aws.primary"}},
               "aws_subnet": {"primary_subnet_1": {"vpc_id": "${aws_vpc.primary_vpc_1.id}", "provider": "aws.primary"}},
               "aws_lambda_function": {
                 "primary_fn_1": {"function_name": "fn", "provider": "aws.primary",
                   "vpc_config": {"subnet_ids": ["${aws_subnet.primary_subnet_1.id}"]},
                   "environment": {"variables": {"TABLE": "${aws_dynamodb_table.global_table_1.name}", "X": "1"}}},
                 "primary_plain_1": {"function_name": "plain", "provider": "aws.primary"}},
               "aws_api_gateway_rest_api": {"primary_api_1": {"name": "api", "provider": "aws.primary"}},
               "aws_api_gateway_integration": {
                 "primary_int_1": {"rest_api_id": "${aws_api_gateway_rest_api.primary_api_1.id}",
                   "uri": "${aws_lambda_function.primary_plain_1.invoke_arn}", "provider": "aws.primary"},
                 "primary_mock_1": {"rest_api_id": "${aws_api_gateway_rest_api.primary_api_1.id}", "type": "MOCK",
                   "provider": "aws.primary"}},
               "aws_dynamodb_table": {"global_table_1": {"name": "t", "provider": "aws.primary",
                 "replica": [{"region_name": "us-east-2"}]}}
             }}
            """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, Path workingDir, String... args) {
        return OpsCli.run(args, env, workingDir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runbookPrintsTheFilledCommands() {
        assertEquals(0, run(Map.of(DeploymentOutputs.ENV, RunbookTest.FIXTURE.toString()), Path.of("").toAbsolutePath(),
                "runbook"));
        assertTrue(out().contains("aws rds failover-global-cluster --region us-east-2"), out());
        assertEquals("", err());
    }

    @Test
    void runbookWithoutTheOutputsFileSaysWhatToSet() {
        assertEquals(2, run(Map.of(DeploymentOutputs.ENV, " "), dir, "runbook"));
        assertEquals("error: set DR_OUTPUTS_FILE to the outputs file of the deployment (cdktf deploy payments-dr"
                + " --outputs-file FILE, or terraform output -json > FILE)\n", err());
        assertEquals("", out());
    }

    @Test
    void runbookFailuresAreOneLine() throws IOException {
        assertEquals(1, run(Map.of(DeploymentOutputs.ENV, "missing.json"), dir, "runbook"));
        assertTrue(err().startsWith("error: cannot read " + dir.resolve("missing.json")), err());
        err.reset();
        Files.copy(RunbookTest.FIXTURE, dir.resolve("outputs.json"));
        assertEquals(1, run(Map.of(DeploymentOutputs.ENV, "outputs.json"), dir, "runbook"));
        assertEquals("error: NoSuchFileException: " + dir.resolve(OpsCli.RUNBOOK) + "\n", err());
        assertEquals(1, err().lines().count());
    }

    @Test
    void usageErrors() {
        assertEquals(2, run(Map.of(), dir));
        assertEquals(2, run(Map.of(), dir, "diagram"));
        assertEquals(2, run(Map.of(), dir, "runbook", "extra"));
        assertTrue(err().startsWith("error: usage: OpsMain runbook | OpsMain diagram STACK_JSON"), err());
    }

    @Test
    void diagramRewritesTheReadmeBetweenItsMarkersOnlyWhenItChanged() throws IOException {
        Files.writeString(dir.resolve("stack.json"), STACK);
        Path readme = dir.resolve(OpsCli.README);
        Files.writeString(readme, "# x\n\n" + Diagram.BEGIN + "\nold\n" + Diagram.END + "\ntail\n");
        assertEquals(0, run(Map.of(), dir, "diagram", "stack.json"));
        assertEquals("diagram: updated in README.md\n", out());
        String written = Files.readString(readme);
        assertEquals("# x\n\n" + Diagram.BEGIN + "\n```mermaid\n" + """
                flowchart LR
                    subgraph primary_region["primary: us-east-1"]
                        primary_api_1["REST API<br/>api"]
                        primary_plain_1["Lambda<br/>plain"]
                        subgraph primary_vpc_1["VPC<br/>10.0.0.0/16"]
                            primary_fn_1["Lambda<br/>fn"]
                        end
                    end
                    subgraph dr_region["dr: us-east-2"]
                        global_table_1_replica_us_east_2["DynamoDB replica<br/>t"]
                    end
                    subgraph global_region["global: spans both regions"]
                        global_table_1["DynamoDB global table<br/>t"]
                    end
                    global_table_1 <==>|global table replication| global_table_1_replica_us_east_2
                    primary_api_1 -->|/| primary_plain_1
                    primary_fn_1 -->|TABLE| global_table_1
                """ + "```\n" + Diagram.END + "\ntail\n", written);
        out.reset();
        assertEquals(0, run(Map.of(), dir, "diagram", "stack.json"));
        assertEquals("diagram: README.md is up to date\n", out());
        assertEquals(written, Files.readString(readme));
    }

    @Test
    void diagramNeedsTheSynthesizedStackAndTheMarkers() throws IOException {
        assertEquals(1, run(Map.of(), dir, "diagram", "none.json"));
        assertEquals("error: " + dir.resolve("none.json") + " does not exist: synthesize first (./main)\n", err());
        err.reset();
        Files.writeString(dir.resolve("stack.json"), STACK);
        Files.writeString(dir.resolve(OpsCli.README), "# no markers\n");
        assertEquals(1, run(Map.of(), dir, "diagram", "stack.json"));
        assertTrue(err().startsWith("error: the README has no diagram markers"), err());
        err.reset();
        Files.writeString(dir.resolve(OpsCli.README), Diagram.END + "\n" + Diagram.BEGIN + "\n");
        assertEquals(1, run(Map.of(), dir, "diagram", "stack.json"));
        assertTrue(err().startsWith("error: the README has no diagram markers"), err());
    }

    @Test
    void aStackWithoutResourcesIsEmptySubgraphFree() {
        assertEquals("flowchart LR\n", Diagram.mermaid(com.google.gson.JsonParser.parseString(
                "{\"provider\":{\"aws\":[{\"alias\":\"primary\",\"region\":\"us-east-1\"}]}}").getAsJsonObject()));
    }
}
