package com.payments.dr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.stack.DrStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./main} through the synthesis cache, with the real stack: an unchanged run is served
 * byte for byte without building the stack, every file the synthesis reads is an input of the key,
 * and whatever turns the cache off, changes an input or breaks the entry gets a full synthesis.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliCacheTest {

    @TempDir
    static Path dir;

    /** Stacks built: a run served from the cache builds none. */
    private static final AtomicInteger BUILT = new AtomicInteger();
    /** When set, a run that would build the stack fails instead (cheaper than synthesizing). */
    private static volatile boolean refuse;
    /** When set, the build also does this (an input changing while the synthesis runs). */
    private static volatile Runnable duringBuild;
    private static final Cli.StackFactory REAL = (app, config) -> {
        BUILT.incrementAndGet();
        if (refuse) {
            throw new IllegalStateException("would synthesize");
        }
        if (duringBuild != null) {
            duringBuild.run();
        }
        return new DrStack(app, config);
    };

    private static Result first;
    private static List<String> readDuringTheFirst;
    private static Path firstOutput;

    record Result(int code, String out, String err) {
    }

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, env, dir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), REAL, true);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv().getOrDefault("PATH", "")));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** The first synthesis, with the files this JVM reads meanwhile recorded (JFR's file-read events). */
    @BeforeAll
    static void synthesizeOnce() throws IOException {
        Path events = dir.resolve("reads.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.FileRead").withThreshold(Duration.ZERO).withoutStackTrace();
            recording.start();
            first = run(env());
            recording.stop();
            recording.dump(events);
        }
        String thread = Thread.currentThread().getName();
        readDuringTheFirst = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(events)) {
            String path = event.getString("path");
            String by = event.getThread() == null ? "" : event.getThread().getJavaName();
            if (path != null && (thread.equals(by) || "jsii-load".equals(by))) {
                readDuringTheFirst.add(path);
            }
        }
        Files.delete(events);
        firstOutput = dir.resolve("first-output");
        copyTree(dir.resolve("cdktf.out"), firstOutput);
    }

    private static void copyTree(Path from, Path to) {
        for (String name : SynthCache.relativeFiles(from)) {
            SynthCache.io(() -> {
                Files.createDirectories(to.resolve(name).getParent());
                return Files.copy(from.resolve(name), to.resolve(name));
            });
        }
    }

    private static void assertSameOutputAsTheFirst() {
        List<String> names = SynthCache.relativeFiles(firstOutput);
        assertEquals(names, SynthCache.relativeFiles(dir.resolve("cdktf.out")));
        for (String name : names) {
            assertArrayEquals(SynthCache.io(() -> Files.readAllBytes(firstOutput.resolve(name))),
                    SynthCache.io(() -> Files.readAllBytes(dir.resolve("cdktf.out").resolve(name))), name);
        }
    }

    private static Path entry() throws IOException {
        try (Stream<Path> entries = Files.list(dir.resolve(SynthCache.DIR).resolve("entries"))) {
            List<Path> all = entries.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    private static String cacheNote(Result result) {
        return result.out().lines().reduce((a, b) -> b).orElseThrow();
    }

    @Test
    @Order(1)
    void anUnchangedRunIsServedByteForByteWithoutBuildingTheStack() {
        assertEquals(Cli.OK, first.code(), first.err());
        assertEquals(1, BUILT.get());
        Result second = run(env());
        assertEquals(Cli.OK, second.code(), second.err());
        assertEquals(1, BUILT.get(), "served: the stack was not built, jsii not called");
        // the same report, the policy gate's verdict included, then one line saying where it came from
        assertEquals(first.out(), second.out().substring(0, second.out().lastIndexOf(cacheNote(second))));
        assertTrue(cacheNote(second).startsWith("synthesis cache: no input changed since entry "), cacheNote(second));
        assertEquals(first.err(), second.err());
        assertSameOutputAsTheFirst();
        // an output directory removed since is restored whole
        Synthesizer.deleteTree(dir.resolve("cdktf.out"));
        assertEquals(Cli.OK, run(env()).code());
        assertEquals(1, BUILT.get());
        assertSameOutputAsTheFirst();
    }

    /**
     * Every file the synthesis read is an input of the key (the classpath, the JVM's own files, the
     * project's context, docs and sources, the function packages) or its own output and cache: a
     * file read from anywhere else would be an input the key misses.
     */
    @Test
    @Order(2)
    void everyFileTheSynthesisReadsIsAnInputOfTheKey() {
        List<Path> covered = new ArrayList<>(SynthCache.classpath(System.getProperty("java.class.path")));
        covered.add(Path.of(System.getProperty("java.home")));
        SynthCache.PROJECT_INPUTS.forEach(name -> covered.add(dir.resolve(name)));
        covered.add(Path.of("target", "payment-function.zip").toAbsolutePath());
        covered.add(Path.of("target", "events-function.zip").toAbsolutePath());
        covered.add(dir.resolve(SynthCache.DIR));
        covered.add(dir.resolve("cdktf.out"));
        SynthCache.node(env()).ifPresent(covered::add);
        java.util.Set<String> outside = new java.util.TreeSet<>();
        for (String read : readDuringTheFirst) {
            Path path = Path.of(read).toAbsolutePath().normalize();
            boolean staging = path.startsWith(dir) && dir.relativize(path).getName(0).toString()
                    .startsWith(".cdktf.out.staging-");
            if (!staging && !read.startsWith("/proc/") && !read.startsWith("/sys/") && !read.startsWith("/dev/")
                    && covered.stream().noneMatch(c -> path.startsWith(c.toAbsolutePath().normalize()))) {
                outside.add(read);
            }
        }
        assertEquals(java.util.Set.of(), outside, "read by the synthesis, not in the key");
        assertTrue(readDuringTheFirst.stream().anyMatch(r -> r.endsWith(".cdktf.out.staging-") || r.contains(
                "/.cdktf.out.staging-")), "the recording saw the policy gate read the written stack: " + readDuringTheFirst);
    }

    @Test
    @Order(3)
    void whatTurnsTheCacheOffSynthesizes() {
        refuse = true;
        try {
            int built = BUILT.get();
            List<Map<String, String>> envs = List.of(env(), env("SYNTH_CACHE", "off"), env("SYNTH_CACHE", "refresh"), env());
            List<String[]> args = List.of(new String[] {"--no-cache"}, new String[0], new String[0],
                    new String[] {"--no-cache", "--outdir", "cdktf.out"});
            for (int i = 0; i < envs.size(); i++) {
                Result off = run(envs.get(i), args.get(i));
                assertEquals(Cli.SYNTH_FAILED, off.code(), off.out());
                assertEquals("error: synthesis failed: would synthesize\n", off.err());
                assertEquals(++built, BUILT.get());
            }
            // under the cdktf CLI's own CDKTF_OUTDIR, App writes in place: never cached
            assertEquals(Cli.SYNTH_FAILED, run(env("CDKTF_OUTDIR", "cdktf.out")).code());
            assertEquals(++built, BUILT.get());
            Result bad = run(env("SYNTH_CACHE", "sometimes"));
            assertEquals(Cli.BAD_INPUT, bad.code());
            assertEquals("error: invalid SYNTH_CACHE=\"sometimes\": allowed: on (the default), off, refresh\n", bad.err());
            assertEquals(built, BUILT.get());
            // and none of them touched the entry
            assertEquals(Cli.OK, run(env()).code());
            assertEquals(built, BUILT.get());
        } finally {
            refuse = false;
        }
    }

    @Test
    @Order(4)
    void aChangedInputIsSynthesizedNotServed() throws IOException {
        refuse = true;
        try {
            int built = BUILT.get();
            assertEquals(Cli.SYNTH_FAILED, run(env("ENVIRONMENT_SUFFIX", "qa")).code(), "a setting");
            assertEquals(++built, BUILT.get());
            assertEquals(Cli.SYNTH_FAILED, run(env(), "--outdir", "other").code(), "the output directory");
            assertEquals(++built, BUILT.get());
            assertEquals(Cli.SYNTH_FAILED, run(env("CDKTF_CONTEXT_JSON", "{\"drRegion\": \"us-west-2\"}")).code());
            assertEquals(++built, BUILT.get());
            Files.writeString(dir.resolve("cdktf.json"), "{\"context\": {\"environmentSuffix\": \"dev\"}}");
            assertEquals(Cli.SYNTH_FAILED, run(env()).code(), "cdktf.json, even with the same values");
            assertEquals(++built, BUILT.get());
            Files.delete(dir.resolve("cdktf.json"));
            Files.createDirectories(dir.resolve("docs"));
            Files.writeString(dir.resolve("docs/drill-results.json"), "{}");
            // not served: the synthesis reads the file and refuses it
            assertEquals(Cli.BAD_INPUT, run(env()).code(), "the drill's results");
            Synthesizer.deleteTree(dir.resolve("docs"));
            // an input that cannot be read: no cache for that run, a synthesis
            assertEquals(Cli.SYNTH_FAILED, run(env("JSII_NODE", "/proc/self/mem")).code());
            assertEquals(++built, BUILT.get());
            // all back as they were: served
            assertEquals(Cli.OK, run(env()).code());
            assertEquals(built, BUILT.get());
        } finally {
            refuse = false;
        }
    }

    @Test
    @Order(5)
    void aCorruptedEntryIsNeverServedTheSynthesisRunsAndItsOutputIsTheSame() throws IOException {
        Path stack = entry().resolve("files/stacks/payments-dr/cdk.tf.json");
        byte[] bytes = Files.readAllBytes(stack);
        bytes[bytes.length / 2] ^= 1;
        Files.write(stack, bytes);
        int built = BUILT.get();
        Result again = run(env());
        assertEquals(Cli.OK, again.code(), again.err());
        assertEquals(built + 1, BUILT.get(), "synthesized");
        assertEquals(first.out(), again.out());
        assertSameOutputAsTheFirst();
        // stored again, whole: the next run is served
        assertTrue(run(env()).out().contains("synthesis cache: no input changed"));
        assertEquals(built + 1, BUILT.get());
    }

    @Test
    @Order(6)
    void anInputThatChangesWhileTheSynthesisRunsKeepsItOutOfTheCache() throws IOException {
        Path entry = entry();
        Files.createDirectories(dir.resolve("src"));
        duringBuild = () -> SynthCache.io(() -> Files.createSymbolicLink(dir.resolve("src/unreadable"),
                Path.of("/proc/self/mem")));
        try {
            int built = BUILT.get();
            assertEquals(Cli.OK, run(env()).code(), "synthesized");
            assertEquals(built + 1, BUILT.get());
            assertEquals(entry, entry(), "nothing stored under a key the synthesis may not match");
        } finally {
            duringBuild = null;
            Files.delete(dir.resolve("src/unreadable"));
        }
    }

    @Test
    void aRecordOfWhatWasPrintedIsOnlyKeptWhenItIsComplete() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Cli.Recording recording = new Cli.Recording(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        recording.println("a line …");
        assertEquals("a line …" + System.lineSeparator(), recording.text());
        recording.print('x');
        assertNull(recording.text(), "printed otherwise: not recorded, so not stored");
        recording.write('y');
        assertEquals("a line …" + System.lineSeparator() + "xy", bytes.toString(StandardCharsets.UTF_8));
        assertFalse(bytes.toString(StandardCharsets.UTF_8).isEmpty());
    }
}
