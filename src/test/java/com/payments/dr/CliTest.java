package com.payments.dr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceConfig;
import com.payments.dr.policy.Waiver;
import com.payments.dr.policy.Waivers;
import com.payments.dr.stack.DrStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./main} end to end, with the real App: output directory handling and error reporting. */
class CliTest {

    @TempDir
    static Path dir;

    private static Result first;
    private static Result second;
    private static Result third;

    record Result(int code, String out, String err) {
    }

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, env, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(Cli.StackFactory factory, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, env, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), factory);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The real stack plus what a careless change might add: {@code rogue_*} constructs. */
    static Cli.StackFactory withRogue(boolean violation) {
        return (app, config) -> {
            DrStack stack = new DrStack(app, config);
            rogue(stack, "rogue_endpoint", "aws_vpc_endpoint", Map.of("vpc_id", "vpc-1",
                    "service_name", "com.amazonaws.us-east-1.s3"));
            if (violation) {
                rogue(stack, "rogue_topic", "aws_sns_topic", Map.of("name", "alerts"));
            }
            return stack;
        };
    }

    private static void rogue(DrStack stack, String id, String type, Map<String, Object> attributes) {
        TerraformResource resource = new TerraformResource(stack, id, TerraformResourceConfig.builder()
                .terraformResourceType(type).build());
        resource.addOverride("provider", "aws.primary");
        attributes.forEach(resource::addOverride);
    }

    @BeforeAll
    static void synthesizeTwice() throws IOException {
        Path old = Files.createDirectories(dir.resolve("cdktf.out"));
        Files.writeString(old.resolve("stale-file"), "from an earlier synth");
        first = run(Map.of());
        // as the cdktf CLI runs the app command: the variable is set, so App writes in place
        second = run(Map.of("CDKTF_OUTDIR", "elsewhere/out"));
        // as ./main runs it under the CLI: the directory comes as an argument, staged
        third = run(Map.of(), "--outdir", dir.resolve("third").toString());
    }

    private static Path stackJson(String outdir) {
        return dir.resolve(outdir).resolve("stacks/payments-dr/cdk.tf.json");
    }

    @Test
    void synthesizesIntoCdktfOutByDefaultAndIntoCdktfOutdirWhenSet() {
        assertEquals(0, first.code(), first.err());
        // a first run with no settings: nothing on stderr, which the cdktf CLI would show as [ERROR] lines
        assertEquals("", first.err());
        assertEquals("synthesized stack payments-dr (suffix dev, us-east-1 + us-east-2) into cdktf.out",
                first.out().lines().findFirst().orElseThrow());
        // the advice about the CORS origin still reaches the user, as the last line on stdout
        assertEquals("note: ALLOWED_ORIGIN is not set: the deployed functions allow CORS only from http://localhost:3000"
                + " (a developer's machine); set ALLOWED_ORIGIN (or allowedOrigin in cdktf.json) to the checkout page's"
                + " origin (scheme://host[:port]) for any real environment (required once DNS_DOMAIN is set or PROTECTION=production)",
                first.out().lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(Files.isRegularFile(dir.resolve("cdktf.out/manifest.json")));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("into elsewhere/out\n"));
        assertEquals(0, third.code(), third.err());
        assertTrue(third.out().contains("into third\n"));
        assertTrue(Files.isRegularFile(dir.resolve("elsewhere/out/manifest.json")));
        assertTrue(Files.isRegularFile(dir.resolve("third/manifest.json")));
    }

    @Test
    void outputIsByteIdenticalAcrossRunsAndHasNoMachinePaths() throws IOException {
        byte[] a = Files.readAllBytes(stackJson("cdktf.out"));
        byte[] b = Files.readAllBytes(stackJson("elsewhere/out"));
        assertArrayEquals(a, b);
        assertArrayEquals(a, Files.readAllBytes(stackJson("third")));
        String text = new String(a, StandardCharsets.UTF_8) + Files.readString(dir.resolve("cdktf.out/manifest.json"));
        assertFalse(text.contains(dir.toString()), "absolute path in output");
        assertFalse(text.contains("\"stubbed\""), "real cdktf version, not the test stub");
    }

    @Test
    void aSuccessfulSynthReplacesThePreviousOutputWhole() throws IOException {
        assertFalse(Files.exists(dir.resolve("cdktf.out/stale-file")));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".cdktf.out")),
                    "no staging or previous directories left behind");
        }
        assertTrue(Files.getPosixFilePermissions(dir.resolve("cdktf.out")).contains(PosixFilePermission.OTHERS_READ));
    }

    @Test
    void theSynthListsThePolicyGatesWaiversWithTheirReasons() {
        List<String> lines = first.out().lines().toList();
        assertTrue(lines.get(1).matches("policy gate: \\d+ rules, no errors, \\d+ warning\\(s\\), "
                + "\\d+ finding\\(s\\) waived:"), lines.get(1));
        // the default stack is destroyable: another profile's waivers are not in force
        for (Waiver waiver : Waivers.ALL.stream()
                .filter(w -> w.appliesTo(com.payments.dr.config.Protection.DESTROYABLE)).toList()) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("  waived " + waiver.ruleId() + " ")
                    && l.endsWith(": " + waiver.reason())), "waiver listed: " + waiver.line());
        }
    }

    @Test
    void warningsArePrintedOnceAsPlainLinesAndDoNotFailTheSynth() {
        Result warned = run(withRogue(false), Map.of(), "--outdir", dir.resolve("warned").toString());
        assertEquals(Cli.OK, warned.code(), warned.err());
        List<String> rogue = warned.err().lines().filter(l -> l.contains("payments-dr/rogue_endpoint")).toList();
        assertEquals(List.of("warning: VPCE-POLICY payments-dr/rogue_endpoint (aws_vpc_endpoint.rogue_endpoint): "
                + "endpoint allows full access to com.amazonaws.us-east-1.s3; set a policy limited to this stack's "
                + "resources"), rogue);
        assertTrue(warned.err().lines().allMatch(l -> l.startsWith("warning: ")), warned.err());
        assertTrue(Files.isRegularFile(dir.resolve("warned/manifest.json")));
    }

    @Test
    void aPolicyViolationFailsTheSynthWithAReadableListAndWritesNothing() throws IOException {
        byte[] before = Files.readAllBytes(stackJson("cdktf.out"));
        Result failed = run(withRogue(true), Map.of());
        assertEquals(Cli.POLICY_FAILED, failed.code());
        assertEquals("", failed.out());
        List<String> lines = failed.err().lines().toList();
        int header = lines.indexOf("error: policy gate: 3 violation(s), nothing written (fix them, or waive one "
                + "with a reason in policy/Waivers.java):");
        assertTrue(header >= 0, failed.err());
        assertEquals(List.of(
                "  ENC-AT-REST payments-dr/rogue_topic (aws_sns_topic.rogue_topic): no customer-managed key; "
                        + "set kms_master_key_id to a KMS key with rotation",
                "  TLS-ONLY payments-dr/rogue_topic (aws_sns_topic.rogue_topic): allows requests without TLS; "
                        + "add to its topic policy a Deny of sns:* for principal * when aws:SecureTransport is false",
                "  NAME-SUFFIX payments-dr/rogue_topic (aws_sns_topic.rogue_topic): name \"alerts\" lacks the "
                        + "environment suffix; build it with Naming (…-dev)"),
                lines.subList(header + 1, lines.size()));
        assertTrue(lines.subList(0, header).stream().allMatch(l -> l.startsWith("warning: ")), failed.err());
        assertEquals(1, lines.stream().filter(l -> l.contains("payments-dr/rogue_endpoint")).count(),
                "a warning is printed once");
        assertArrayEquals(before, Files.readAllBytes(stackJson("cdktf.out")));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".cdktf.out")));
        }
    }

    @Test
    void aPolicyViolationInPlaceRemovesWhatCdktfWrote() {
        // in place (CDKTF_OUTDIR set for the app itself), App has written before the gate can read:
        // the gate then removes the stacks and the manifest rather than leave a failing stack there
        Result failed = run(withRogue(true), Map.of("CDKTF_OUTDIR", "in-place/out"));
        assertEquals(Cli.POLICY_FAILED, failed.code());
        assertTrue(Files.isDirectory(dir.resolve("in-place/out")), "cdktf wrote there first");
        assertFalse(Files.exists(dir.resolve("in-place/out/stacks")));
        assertFalse(Files.exists(dir.resolve("in-place/out/manifest.json")));
    }

    @Test
    void badSettingFailsWithOneLineAndLeavesTheOutputAlone() throws IOException {
        byte[] before = Files.readAllBytes(stackJson("cdktf.out"));
        Result bad = run(Map.of("ENVIRONMENT_SUFFIX", "Prod_1"));
        assertEquals(Cli.BAD_INPUT, bad.code());
        assertEquals("", bad.out());
        assertTrue(bad.err().startsWith("error: invalid ENVIRONMENT_SUFFIX=\"Prod_1\": allowed: lowercase letters"),
                bad.err());
        assertEquals(1, bad.err().lines().count(), bad.err());
        assertArrayEquals(before, Files.readAllBytes(stackJson("cdktf.out")));
    }

    @Test
    void aRealEnvironmentWithoutItsOriginStopsWithOneLineAndLeavesTheOutputAlone() throws IOException {
        byte[] before = Files.readAllBytes(stackJson("cdktf.out"));
        Result bad = run(Map.of("DNS_DOMAIN", "pay.acme.io"));
        assertEquals(Cli.BAD_INPUT, bad.code());
        assertEquals("", bad.out());
        assertEquals("error: ALLOWED_ORIGIN is not set, and DNS_DOMAIN=pay.acme.io makes this a real environment"
                + " (a real domain means a real environment): set ALLOWED_ORIGIN (or allowedOrigin in cdktf.json) to the"
                + " checkout page's origin (scheme://host[:port]); unset, the deployed functions allow CORS only from"
                + " http://localhost:3000 (a developer's machine)\n", bad.err());
        assertArrayEquals(before, Files.readAllBytes(stackJson("cdktf.out")));
    }

    @Test
    void malformedContextIsABadInputToo() {
        Result bad = run(Map.of("CDKTF_CONTEXT_JSON", "not json"));
        assertEquals(Cli.BAD_INPUT, bad.code());
        assertEquals("error: CDKTF_CONTEXT_JSON is not a JSON object\n", bad.err());
    }

    @Test
    void unknownArgumentsAreRefused() {
        Result bad = run(Map.of(), "--frobnicate");
        assertEquals(Cli.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("unknown arguments --frobnicate: ./main takes none, or --outdir DIR"), bad.err());
        assertEquals(Cli.BAD_INPUT, run(Map.of(), "--outdir").code(), "--outdir needs a directory");
    }

    @Test
    void anUnwritableOutputDirectoryIsReportedInOneLine() throws IOException {
        Files.writeString(dir.resolve("a-file"), "x");
        // the error is the only line on stderr
        Result bad = run(Map.of("CDKTF_OUTDIR", "a-file/out", "ALLOWED_ORIGIN", "https://shop.payments.io"));
        assertEquals(Cli.SYNTH_FAILED, bad.code());
        assertTrue(bad.err().startsWith("error: synthesis failed: cannot write "), bad.err());
        assertEquals(1, bad.err().lines().count());
    }

    @Test
    void aFailureWhileBuildingKeepsThePreviousOutput() throws IOException {
        byte[] before = Files.readAllBytes(stackJson("cdktf.out"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> Synthesizer.synthesize(app -> {
            throw new IllegalStateException("boom\n  at somewhere");
        }, dir.resolve("cdktf.out"), true, written -> { }));
        assertEquals("boom", Cli.firstLine(e));
        assertArrayEquals(before, Files.readAllBytes(stackJson("cdktf.out")));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".cdktf.out")));
        }
    }

    @Test
    void theReadinessReportIsWrittenBesideTheStackByteIdenticallyEveryTime() throws IOException {
        for (String name : List.of("dr-readiness.md", "dr-readiness.json")) {
            Path report = dir.resolve("cdktf.out/stacks/payments-dr").resolve(name);
            byte[] bytes = Files.readAllBytes(report);
            // staged (first, third) and written in place (second, as under the cdktf CLI)
            assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("elsewhere/out/stacks/payments-dr").resolve(name)));
            assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("third/stacks/payments-dr").resolve(name)));
            assertFalse(new String(bytes, StandardCharsets.UTF_8).contains(dir.toString()), "no machine paths");
        }
        assertTrue(Files.readString(dir.resolve("cdktf.out/stacks/payments-dr/dr-readiness.md"))
                .contains("No drill recorded"));
        assertEquals("readiness report: dr-readiness.md, dr-readiness.json beside the stack; cost estimate idle"
                + " $193.58/month (budget $200.00), at 1 payment(s)/s $290.41/month",
                first.out().lines().filter(l -> l.startsWith("readiness report: ")).findFirst().orElseThrow());
        assertTrue(Files.readString(dir.resolve("cdktf.out/stacks/payments-dr/dr-readiness.md"))
                .contains("\n- `ALLOWED_ORIGIN` is `http://localhost:3000`, its development default: "), "the report repeats it");
    }

    @Test
    void anEstimateOverTheBudgetStopsTheSynthWithOneLineAndWritesNothing() {
        Path outdir = dir.resolve("over-budget");
        Result over = run(Map.of("DR_DB_INSTANCES", "2"), "--outdir", outdir.toString());
        assertEquals(Cli.BAD_INPUT, over.code());
        assertEquals("", over.out());
        assertEquals("error: estimated idle cost $237.38/month exceeds MONTHLY_BUDGET_USD=200 (largest: Aurora"
                + " Serverless v2 instances, primary us-east-1, $87.60); reduce the configuration or raise"
                + " MONTHLY_BUDGET_USD explicitly\n", over.err());
        assertFalse(Files.exists(outdir));
    }

    @Test
    void aDrillFileThatIsNotTheDrillsSchemaIsABadInput() throws IOException {
        Path drill = dir.resolve("docs/drill-results.json");
        Files.createDirectories(drill.getParent());
        Files.writeString(drill, "{}");
        try {
            Result bad = run(Map.of(), "--outdir", dir.resolve("bad-drill").toString());
            assertEquals(Cli.BAD_INPUT, bad.code());
            assertEquals("error: " + drill + " is not a drill result (IllegalStateException: missing \"schema\")\n",
                    bad.err());
            assertFalse(Files.exists(dir.resolve("bad-drill")));
        } finally {
            Files.delete(drill);
        }
    }

    @Test
    void firstLineCopesWithMessagelessErrors() {
        assertEquals("NullPointerException", Cli.firstLine(new NullPointerException()));
        assertEquals("one line", Cli.firstLine(new RuntimeException("  one line  ")));
    }
}
