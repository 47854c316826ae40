package com.payments.dr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The synthesis cache on its own (no synthesis): its key changes with each input that can change a
 * synthesis and with nothing else, a recorded digest is reused only while the file is provably
 * unchanged, and an entry that is broken or partial in any way is never served.
 */
class SynthCacheTest {

    @TempDir
    Path dir;

    private Path project;
    private Path jar;
    private Path classes;
    private Path paymentZip;
    private Path eventsZip;
    private Path node;
    private Map<String, String> env;
    private String config;
    private Path outdir;
    /** Files written now count as settled: as if the key were computed a minute later. */
    private final Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));
    /** Files written now have changed moments ago, however slowly the test runs. */
    private final Clock earlier = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-1));

    @BeforeEach
    void project() throws IOException {
        project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("cdktf.json"), "{\"context\": {\"environmentSuffix\": \"dev\"}}");
        Files.createDirectories(project.resolve("docs"));
        Files.writeString(project.resolve("docs/drill-results.json"), "{\"scenarios\": []}");
        Files.createDirectories(project.resolve("src/test/java"));
        Files.writeString(project.resolve("src/test/java/DrillClient.java"), "class DrillClient {}");
        jar = Files.write(dir.resolve("library.jar"), "jar bytes".getBytes(StandardCharsets.UTF_8));
        classes = Files.createDirectories(dir.resolve("classes/com/payments"));
        Files.writeString(classes.resolve("Stack.class"), "class bytes");
        classes = dir.resolve("classes");
        paymentZip = Files.writeString(dir.resolve("payment-function.zip"), "payment zip");
        eventsZip = Files.writeString(dir.resolve("events-function.zip"), "events zip");
        node = Files.writeString(dir.resolve("node"), "node binary");
        env = new HashMap<>(Map.of("ENVIRONMENT_SUFFIX", "dev", "HOME", "/root", "UNRELATED", "x",
                "NODE_OPTIONS", "--max-old-space-size=4096"));
        config = "DrConfig[environmentSuffix=dev]";
        outdir = project.resolve("cdktf.out");
    }

    private SynthCache cache(Clock clock) {
        return new SynthCache(project.resolve(SynthCache.DIR), clock);
    }

    private String key() {
        return key(cache(Clock.systemUTC()));
    }

    private String key(SynthCache cache) {
        return SynthCache.key(cache.keyText(new SynthCache.Inputs(env, project, outdir, config, List.of(jar, classes),
                Optional.of(node), List.of(paymentZip, eventsZip))));
    }

    /** Rewrites a file with other bytes of the same length, and its old modification time. */
    private static void rewriteKeepingSizeAndTime(Path file) throws IOException {
        FileTime time = Files.getLastModifiedTime(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] ^= 1;
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, time);
    }

    private void assertChangesTheKey(String what, IoAction change) throws IOException {
        String before = key();
        assertEquals(before, key(), "the key is stable");
        change.run();
        assertNotEquals(before, key(), what);
    }

    private interface IoAction {
        void run() throws IOException;
    }

    @Test
    void aSettingInTheEnvironmentChangesTheKey() throws IOException {
        assertChangesTheKey("ENVIRONMENT_SUFFIX", () -> env.put("ENVIRONMENT_SUFFIX", "qa"));
        assertChangesTheKey("a setting newly set", () -> env.put("DR_REGION", "us-west-2"));
    }

    @Test
    void theContextChangesTheKeyInCdktfJsonOrFromTheCli() throws IOException {
        assertChangesTheKey("cdktf.json's context", () -> Files.writeString(project.resolve("cdktf.json"),
                "{\"context\": {\"environmentSuffix\": \"qa\"}}"));
        assertChangesTheKey("the CLI's context", () -> env.put("CDKTF_CONTEXT_JSON", "{\"drRegion\": \"us-west-2\"}"));
    }

    @Test
    void theResolvedConfigurationChangesTheKey() throws IOException {
        assertChangesTheKey("a default that changed in the code", () -> config = "DrConfig[environmentSuffix=qa]");
    }

    @Test
    void aClassFileOrAJarChangesTheKeyEvenWithItsSizeAndTimeKept() throws IOException {
        assertChangesTheKey("a class file", () -> rewriteKeepingSizeAndTime(classes.resolve("com/payments/Stack.class")));
        assertChangesTheKey("a new class file", () -> Files.writeString(classes.resolve("com/payments/New.class"), "x"));
        assertChangesTheKey("a jar", () -> rewriteKeepingSizeAndTime(jar));
    }

    @Test
    void aFunctionPackageChangesTheKey() throws IOException {
        assertChangesTheKey("the payment function's zip", () -> rewriteKeepingSizeAndTime(paymentZip));
        assertChangesTheKey("the event functions' zip", () -> Files.writeString(eventsZip, "rebuilt events zip"));
        assertChangesTheKey("a package that is gone", () -> Files.delete(eventsZip));
    }

    @Test
    void theOutputDirectoryChangesTheKey() throws IOException {
        assertChangesTheKey("another outdir", () -> outdir = project.resolve("elsewhere/out"));
    }

    @Test
    void nodeAndTheEnvironmentOfJsiiAndNodeChangeTheKey() throws IOException {
        assertChangesTheKey("another Node", () -> rewriteKeepingSizeAndTime(node));
        assertChangesTheKey("NODE_OPTIONS", () -> env.put("NODE_OPTIONS", "--no-deprecation"));
        assertChangesTheKey("JSII_NODE", () -> env.put("JSII_NODE", "/opt/node22/bin/node"));
        assertChangesTheKey("cdktf's own variables", () -> env.put("CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS", "1"));
    }

    @Test
    void projectFilesASynthesisMayReadChangeTheKey() throws IOException {
        assertChangesTheKey("the drill's results", () -> Files.writeString(project.resolve("docs/drill-results.json"),
                "{\"scenarios\": [1]}"));
        assertChangesTheKey("the code the drill's results are checked against",
                () -> rewriteKeepingSizeAndTime(project.resolve("src/test/java/DrillClient.java")));
        assertChangesTheKey("a new file under docs", () -> Files.writeString(project.resolve("docs/new.md"), "new"));
    }

    @Test
    void whatASynthesisDoesNotReadLeavesTheKeyAlone() throws IOException {
        String before = key();
        env.put("UNRELATED", "y");
        env.put("HOME", "/home/other");
        Files.writeString(project.resolve("README.md"), "prose");
        Files.createDirectories(project.resolve("target"));
        Files.writeString(project.resolve("target/other-build-output"), "x");
        assertEquals(before, key());
    }

    @Test
    void theKeyTextHoldsNoValueOfTheEnvironmentOnlyItsDigest() {
        env.put("NODE_AUTH_TOKEN", "npm-secret-token");
        String text = cache(Clock.systemUTC()).keyText(new SynthCache.Inputs(env, project, outdir, config,
                List.of(jar), Optional.empty(), List.of(paymentZip)));
        assertFalse(text.contains("npm-secret-token"), text);
        assertTrue(text.contains("env NODE_AUTH_TOKEN " + SynthCache.sha256("npm-secret-token") + "\n"), text);
        assertTrue(text.contains("node none\n"), text);
        assertFalse(text.contains("UNRELATED"), text);
    }

    @Test
    void aRecordedDigestIsReusedWhileTheFileIsUnchangedAndAnyWriteIsSeen() throws Exception {
        SynthCache first = cache(later);
        String digest = first.digest(jar);
        assertEquals(1, first.filesRead());
        assertEquals(digest, first.digest(jar));
        assertEquals(1, first.filesRead(), "the second digest reads nothing");
        first.saveDigests();
        first.saveDigests();
        // the next run reads the recorded digests instead of the file
        SynthCache second = cache(later);
        assertEquals(digest, second.digest(jar));
        assertEquals(0, second.filesRead());
        // a write changes the change time, whatever it does to the size and the modification time
        Thread.sleep(50);
        rewriteKeepingSizeAndTime(jar);
        String rewritten = second.digest(jar);
        assertNotEquals(digest, rewritten);
        assertEquals(1, second.filesRead());
        assertEquals(SynthCache.sha256(Files.readAllBytes(jar)), rewritten);
    }

    @Test
    void aFileThatChangedMomentsAgoIsReadEveryTime() throws IOException {
        SynthCache now = cache(earlier);
        now.digest(jar);
        now.digest(jar);
        assertEquals(2, now.filesRead(), "written just now: the same clock tick could hide a second write");
        // and a file that became unsettled again loses its record
        SynthCache recorded = cache(later);
        recorded.digest(paymentZip);
        recorded.saveDigests();
        SynthCache again = cache(earlier);
        Files.writeString(paymentZip, "payment zip, rebuilt");
        again.digest(paymentZip);
        again.saveDigests();
        assertFalse(Files.readString(project.resolve(SynthCache.DIR).resolve("digests")).contains(paymentZip.toString()));
    }

    @Test
    void damagedRecordsAreIgnored() throws IOException {
        Path index = Files.createDirectories(project.resolve(SynthCache.DIR)).resolve("digests");
        Files.writeString(index, "garbage\n1 2 3 x 5 abc " + jar.toAbsolutePath() + "\n");
        SynthCache cache = cache(later);
        assertEquals(SynthCache.sha256(Files.readAllBytes(jar)), cache.digest(jar));
        assertEquals(1, cache.filesRead());
    }

    @Test
    void withoutUnixFileAttributesEveryDigestReadsTheFile() throws IOException {
        Path zip = dir.resolve("files.zip");
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            Path inside = Files.writeString(fs.getPath("/inside.txt"), "inside");
            SynthCache cache = cache(later);
            assertEquals(SynthCache.sha256("inside"), cache.digest(inside));
            assertEquals(SynthCache.sha256("inside"), cache.digest(inside));
            assertEquals(2, cache.filesRead());
        }
    }

    @Test
    void digestsThatCannotBeSavedAreReadAgainNextTime() throws IOException {
        Path root = dir.resolve("not-a-directory");
        Files.writeString(root, "x");
        SynthCache cache = new SynthCache(root, later);
        cache.digest(jar);
        cache.saveDigests();
        assertEquals("x", Files.readString(root));
    }

    // ---- entries: stored whole, served only whole ----

    /** A synthesized directory as cdktf writes it, and an entry stored from it under {@code key}. */
    private Path written(String marker) throws IOException {
        Path written = Files.createDirectories(dir.resolve("written-" + marker));
        Files.createDirectories(written.resolve("stacks/payments-dr"));
        Files.writeString(written.resolve("manifest.json"), "{\"version\": \"" + marker + "\"}");
        Files.writeString(written.resolve("stacks/payments-dr/cdk.tf.json"), "{\"resource\": \"" + marker + "\"}");
        Files.createDirectories(written.resolve("stacks/payments-dr/assets/payment/ABC"));
        Files.write(written.resolve("stacks/payments-dr/assets/payment/ABC/archive.zip"), new byte[100_000]);
        return written;
    }

    private void store(SynthCache cache, String key, Path written, String out, String err, boolean replace) {
        cache.snapshot(written).commit(key, out.getBytes(StandardCharsets.UTF_8), err.getBytes(StandardCharsets.UTF_8),
                "inputs of " + key, replace);
    }

    private Path entry(String key) {
        return project.resolve(SynthCache.DIR).resolve("entries").resolve(key);
    }

    private static void assertSameTree(Path expected, Path actual) {
        List<String> names = SynthCache.relativeFiles(expected);
        assertEquals(names, SynthCache.relativeFiles(actual));
        for (String name : names) {
            assertArrayEquals(SynthCache.io(() -> Files.readAllBytes(expected.resolve(name))),
                    SynthCache.io(() -> Files.readAllBytes(actual.resolve(name))), name);
        }
    }

    @Test
    void anEntryIsServedWholeInPlaceOfTheOutputAndReplaysWhatWasPrinted() throws IOException {
        SynthCache cache = cache(Clock.systemUTC());
        Path written = written("a");
        store(cache, "k1", written, "synthesized stack payments-dr … into cdktf.out\n", "warning: x\n", false);
        Files.createDirectories(outdir);
        Files.writeString(outdir.resolve("stale-file"), "from an earlier synth");
        SynthCache.Replay replay = cache.serve("k1", outdir).orElseThrow();
        assertEquals("synthesized stack payments-dr … into cdktf.out\n", new String(replay.out(), StandardCharsets.UTF_8));
        assertEquals("warning: x\n", new String(replay.err(), StandardCharsets.UTF_8));
        assertSameTree(written, outdir);
        assertEquals("inputs of k1", Files.readString(entry("k1").resolve("inputs")));
        // served again: the entry is unchanged by serving
        assertTrue(cache.serve("k1", outdir).isPresent());
        assertSameTree(written, outdir);
        assertNoStagingLeft();
        assertTrue(cache.serve("unknown-key", outdir).isEmpty());
    }

    @Test
    void anEntryCheckedOnceIsServedWithoutReadingItTwiceAndAWriteToItIsStillSeen() throws Exception {
        Path written = written("a");
        store(cache(Clock.systemUTC()), "k1", written, "out\n", "", false);
        SynthCache first = cache(later);
        assertTrue(first.serve("k1", outdir).isPresent());
        assertEquals(3, first.filesRead(), "each file checked while copied");
        first.saveDigests();
        SynthCache second = cache(later);
        assertTrue(second.serve("k1", outdir).isPresent());
        assertEquals(0, second.filesRead(), "unchanged since checked: copied, not checked again");
        assertSameTree(written, outdir);
        Thread.sleep(50);
        rewriteKeepingSizeAndTime(entry("k1").resolve("files/stacks/payments-dr/cdk.tf.json"));
        assertTrue(cache(later).serve("k1", outdir).isEmpty(), "written since: checked, and refused");
        assertSameTree(written, outdir);
    }

    private void assertNoStagingLeft() throws IOException {
        try (Stream<Path> siblings = Files.list(outdir.getParent())) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".cdktf.out")));
        }
    }

    /** What can happen to an entry between its run and the next: each must make it a miss. */
    @ParameterizedTest
    @ValueSource(strings = {"manifest-deleted", "manifest-truncated", "manifest-edited", "file-byte-flipped",
        "file-truncated", "file-deleted", "file-added", "files-deleted", "stdout-edited", "stderr-deleted",
        "another-keys-entry", "manifest-empty"})
    void aBrokenOrPartialEntryIsNeverServedAndIsRemoved(String damage) throws IOException {
        SynthCache cache = cache(Clock.systemUTC());
        store(cache, "k1", written("a"), "out\n", "err\n", false);
        store(cache, "k2", written("b"), "out b\n", "", false);
        Path entry = entry("k1");
        Path stack = entry.resolve("files/stacks/payments-dr/cdk.tf.json");
        Path manifest = entry.resolve("MANIFEST");
        switch (damage) {
            case "manifest-deleted" -> Files.delete(manifest);
            case "manifest-truncated" -> Files.writeString(manifest, Files.readString(manifest).substring(0, 80));
            case "manifest-edited" -> Files.writeString(manifest, Files.readString(manifest).replace("file ", "file  "));
            case "manifest-empty" -> Files.writeString(manifest, "end " + SynthCache.sha256("") + "\n");
            case "file-byte-flipped" -> rewriteKeepingSizeAndTime(stack);
            case "file-truncated" -> Files.write(entry.resolve("files/stacks/payments-dr/assets/payment/ABC/archive.zip"),
                    new byte[50_000]);
            case "file-deleted" -> Files.delete(stack);
            case "file-added" -> Files.writeString(entry.resolve("files/stacks/payments-dr/extra.tf.json"), "{}");
            case "files-deleted" -> Synthesizer.deleteTree(entry.resolve("files"));
            case "stdout-edited" -> Files.writeString(entry.resolve("stdout"), "tampered\n");
            case "stderr-deleted" -> Files.delete(entry.resolve("stderr"));
            case "another-keys-entry" -> {
                Synthesizer.deleteTree(entry);
                Files.move(entry("k2"), entry);
            }
            default -> throw new IllegalArgumentException(damage);
        }
        Files.createDirectories(outdir);
        Files.writeString(outdir.resolve("previous"), "the previous synthesis");
        assertEquals(Optional.empty(), cache.serve("k1", outdir).map(r -> "served"), damage);
        assertFalse(Files.exists(entry), "a broken entry is removed: " + damage);
        assertEquals("the previous synthesis", Files.readString(outdir.resolve("previous")), "the output is left alone");
        assertNoStagingLeft();
    }

    @Test
    void anEntryAppearsOnlyWhenCommittedAndADiscardedOneLeavesNothing() throws IOException {
        SynthCache cache = cache(Clock.systemUTC());
        SynthCache.Pending pending = cache.snapshot(written("a"));
        assertTrue(cache.serve("k1", outdir).isEmpty(), "written but not committed");
        pending.discard();
        try (Stream<Path> tmp = Files.list(project.resolve(SynthCache.DIR).resolve("tmp"))) {
            assertEquals(0, tmp.count());
        }
        assertNull(cache.snapshot(dir.resolve("no-such-synthesis")), "nothing to store");
    }

    @Test
    void aSecondRunStoringTheSameKeyKeepsTheFirstUnlessItRefreshes() throws IOException {
        SynthCache cache = cache(Clock.systemUTC());
        store(cache, "k1", written("a"), "first\n", "", false);
        store(cache, "k1", written("b"), "second\n", "", false);
        assertEquals("first\n", new String(cache.serve("k1", outdir).orElseThrow().out(), StandardCharsets.UTF_8));
        store(cache, "k1", written("c"), "refreshed\n", "", true);
        store(cache, "k2", written("d"), "refreshed, with nothing to replace\n", "", true);
        assertTrue(cache.serve("k2", outdir).isPresent());
        assertEquals("refreshed\n", new String(cache.serve("k1", outdir).orElseThrow().out(), StandardCharsets.UTF_8));
        assertSameTree(written("c"), outdir);
    }

    @Test
    void theNewestEntriesAreKeptAndAbandonedTemporaryDirectoriesRemoved() throws IOException {
        Instant start = Instant.now();
        Path abandoned = Files.createDirectories(project.resolve(SynthCache.DIR).resolve("tmp/12345-1"));
        Files.setLastModifiedTime(abandoned, FileTime.from(start.minus(Duration.ofHours(2))));
        for (int i = 0; i < SynthCache.KEEP + 2; i++) {
            Clock at = Clock.fixed(start.plusSeconds(i), ZoneOffset.UTC);
            store(new SynthCache(project.resolve(SynthCache.DIR), at), "k" + i, written("x" + i), "", "", false);
        }
        for (int i = 0; i < SynthCache.KEEP + 2; i++) {
            assertEquals(i >= 2, Files.isDirectory(entry("k" + i)), "k" + i);
        }
        assertFalse(Files.exists(abandoned));
    }

    @Test
    void aCacheThatCannotBeWrittenStoresNothingAndServesNothing() throws IOException {
        SynthCache cache = cache(Clock.systemUTC());
        SynthCache.Pending lost = cache.snapshot(written("a"));
        // its temporary directory gone (a full disk, a clean meanwhile): nothing is stored
        lost.discard();
        lost.commit("k1", new byte[0], new byte[0], "", false);
        assertTrue(cache.serve("k1", outdir).isEmpty());
        assertFalse(Files.exists(entry("k1")));
        Files.writeString(project.resolve(SynthCache.DIR).resolve("entries"), "not a directory");
        store(cache, "k2", written("b"), "", "", false);
        assertTrue(cache.serve("k2", outdir).isEmpty());
    }

    @Test
    void theModeComesFromTheEnvironment() {
        assertEquals("on", SynthCache.mode(Map.of()));
        assertEquals("on", SynthCache.mode(Map.of("SYNTH_CACHE", " ")));
        assertEquals("off", SynthCache.mode(Map.of("SYNTH_CACHE", "OFF")));
        assertEquals("refresh", SynthCache.mode(Map.of("SYNTH_CACHE", "refresh")));
        assertNull(SynthCache.mode(Map.of("SYNTH_CACHE", "no")));
    }

    @Test
    void nodeIsFoundAsJsiiFindsIt() throws IOException {
        assertTrue(node.toFile().setExecutable(true));
        assertEquals(Optional.of(node), SynthCache.node(Map.of("JSII_NODE", node.toString())));
        assertEquals(Optional.empty(), SynthCache.node(Map.of("JSII_NODE", dir.resolve("missing/node").toString())));
        assertEquals(Optional.of(node), SynthCache.node(Map.of("PATH", dir.resolve("empty") + "::" + dir)));
        assertEquals(Optional.of(node), SynthCache.node(Map.of("JSII_NODE", " ", "PATH", dir.toString())));
        assertEquals(Optional.empty(), SynthCache.node(Map.of("PATH", dir.resolve("empty").toString())));
        assertEquals(Optional.empty(), SynthCache.node(Map.of("PATH", "")));
    }

    @Test
    void theClasspathIsReadEntryByEntry() {
        assertEquals(List.of(Path.of("a.jar"), Path.of("classes")), SynthCache.classpath("a.jar::classes"));
    }

    @Test
    void aDirectoryIsDigestedByItsFilesAndAMissingFileIsNamedSo() throws IOException {
        SynthCache cache = cache(later);
        assertEquals("missing", cache.digest(dir.resolve("missing")));
        String empty = cache.digest(Files.createDirectories(dir.resolve("empty-dir")));
        assertEquals(SynthCache.sha256(""), empty);
    }

    @Test
    void aJvmWithoutTheDigestIsBrokenAndFileErrorsAreUnchecked() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SynthCache.digester("NO-SUCH-DIGEST"));
        assertEquals("this JVM has no NO-SUCH-DIGEST", e.getMessage());
        assertThrows(UncheckedIOException.class, () -> SynthCache.relativeFiles(dir.resolve("missing")));
    }

    @Test
    void theKeyTextNamesEachInput() {
        String text = cache(Clock.systemUTC()).keyText(new SynthCache.Inputs(env, project, outdir, config,
                List.of(jar), Optional.of(node), List.of(paymentZip)));
        Consumer<String> has = prefix -> assertTrue(text.lines().anyMatch(l -> l.startsWith(prefix)), prefix + "\n" + text);
        List.of(SynthCache.FORMAT, "jvm ", "locale ", "node " + node, "classpath " + jar, "env ENVIRONMENT_SUFFIX ",
                "env NODE_OPTIONS ", "config ", "project cdktf.json ", "project docs ", "project src ",
                "package " + paymentZip, "outdir " + outdir).forEach(has);
    }
}
