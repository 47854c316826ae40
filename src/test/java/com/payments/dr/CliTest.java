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
import java.util.Map;
import java.util.stream.Stream;
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
        assertEquals(Cli.CORS_WARNING + "\n", first.err(), "no ALLOWED_ORIGIN: one warning line, nothing else");
        assertEquals("synthesized stack payments-dr (suffix dev, us-east-1 + us-east-2) into cdktf.out\n",
                first.out());
        assertTrue(Files.isRegularFile(dir.resolve("cdktf.out/manifest.json")));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().endsWith("into elsewhere/out\n"));
        assertEquals(0, third.code(), third.err());
        assertTrue(third.out().endsWith("into third\n"));
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
        // with the origin configured there is no CORS warning, so the error is the only line
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
        }, dir.resolve("cdktf.out"), true));
        assertEquals("boom", Cli.firstLine(e));
        assertArrayEquals(before, Files.readAllBytes(stackJson("cdktf.out")));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".cdktf.out")));
        }
    }

    @Test
    void firstLineCopesWithMessagelessErrors() {
        assertEquals("NullPointerException", Cli.firstLine(new NullPointerException()));
        assertEquals("one line", Cli.firstLine(new RuntimeException("  one line  ")));
    }
}
