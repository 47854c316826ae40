package com.payments.dr;

import com.payments.dr.config.Setting;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The synthesis cache of {@code ./main}: the output directory a successful synthesis wrote and what
 * {@code ./main} printed, stored under a digest of every input that can change them (docs/performance.md,
 * "The synthesis cache"). A run whose inputs are unchanged restores that output and replays what was
 * printed (the policy gate's verdict, the readiness report's summary) without starting jsii.
 *
 * <p>An entry is written into a temporary directory and renamed into place whole, its manifest
 * (the SHA-256 of every file, then its own) written last. An entry is served only once each file
 * has been checked against the manifest while being copied (or is provably unchanged since it was:
 * see {@link #SETTLED}), so a broken or partial entry is never served: it is removed, and the
 * synthesis runs.
 */
public final class SynthCache {

    /** Under the project directory ({@code mvn clean} removes it with the build). */
    public static final Path DIR = Path.of("target", "synth-cache");
    /** {@code off}: neither read nor write; {@code refresh}: synthesize, then replace the entry. */
    public static final String ENV = "SYNTH_CACHE";
    static final String FORMAT = "payments-dr synthesis cache 1";
    /** The environment a synthesis reads beside its settings: cdktf's App, jsii, Node. */
    static final List<String> ENV_PREFIXES = List.of("CDKTF_", "JSII_", "NODE_");
    static final Set<String> ENV_NAMES = Set.of("TERRAFORM_BINARY_NAME");
    private static final Set<String> SETTING_VARIABLES = java.util.Arrays.stream(Setting.values())
            .map(Setting::envVar).collect(java.util.stream.Collectors.toUnmodifiableSet());
    /**
     * Project files a synthesis reads (cdktf.json's context, docs/drill-results.json) and, to cover
     * whatever else it may read there later, everything under docs and src.
     */
    static final List<String> PROJECT_INPUTS = List.of("cdktf.json", "docs", "src");
    /**
     * A digest recorded for a file is reused while the file's size, modification and change times,
     * inode and device are those recorded, but is recorded only for a file that last changed longer
     * ago than this: a write in the same clock tick as the recording would keep its times. A write
     * always sets the change time to the current time (nothing but the clock can set it back).
     */
    static final Duration SETTLED = Duration.ofSeconds(3);
    /** Entries kept: the newest, by when they were stored. */
    static final int KEEP = 4;
    private static final String INDEX = "digests";
    private static final HexFormat HEX = HexFormat.of();

    /** What a served entry replays. */
    public record Replay(byte[] out, byte[] err) {
    }

    /** What a synthesis depends on, beside the project files under the working directory. */
    public record Inputs(Map<String, String> env, Path workingDir, Path outdir, String config, List<Path> classpath,
                         Optional<Path> node, List<Path> packages) {
    }

    /**
     * Digests recorded in this JVM, beside those read from the last run's file: a JVM that computes
     * keys in several directories (the tests) reads each unchanged file once.
     */
    private static final Map<Path, Recorded> SEEN = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path root;
    private final Clock clock;
    private Map<Path, Recorded> recorded;
    private boolean recordedChanged;
    private int filesRead;

    public SynthCache(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /** The mode {@link #ENV} selects; null when its value is not one of them. */
    static String mode(Map<String, String> env) {
        String value = env.getOrDefault(ENV, "").strip().toLowerCase(Locale.ROOT);
        return value.isEmpty() ? "on" : Set.of("on", "off", "refresh").contains(value) ? value : null;
    }

    /** The launcher jsii starts Node with: {@code JSII_NODE}, else {@code node}, found on {@code PATH}. */
    static Optional<Path> node(Map<String, String> env) {
        String command = env.getOrDefault("JSII_NODE", "").isBlank() ? "node" : env.get("JSII_NODE");
        if (command.contains(File.separator)) {
            return Optional.of(Path.of(command)).filter(Files::isRegularFile);
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** This JVM's classpath, entry by entry. */
    static List<Path> classpath(String property) {
        List<Path> entries = new ArrayList<>();
        for (String entry : property.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry));
            }
        }
        return entries;
    }

    /**
     * The key's text: one line per input, its value's SHA-256 (values of the environment too, so
     * that no token ends up in a file). The key is this text's digest.
     */
    public String keyText(Inputs in) {
        StringBuilder text = new StringBuilder(FORMAT).append('\n');
        text.append("jvm ").append(System.getProperty("java.home")).append(' ')
                .append(System.getProperty("java.vm.vendor")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        text.append("locale ").append(Locale.getDefault()).append(' ').append(Charset.defaultCharset()).append(' ')
                .append(TimeZone.getDefault().getID()).append('\n');
        text.append("node ").append(in.node().map(p -> p + " " + digest(p)).orElse("none")).append('\n');
        for (Path entry : in.classpath()) {
            text.append("classpath ").append(entry).append(' ').append(digest(entry)).append('\n');
        }
        new TreeMap<>(in.env()).forEach((name, value) -> {
            if (ENV_NAMES.contains(name) || ENV_PREFIXES.stream().anyMatch(name::startsWith)
                    || SETTING_VARIABLES.contains(name)) {
                text.append("env ").append(name).append(' ').append(sha256(value)).append('\n');
            }
        });
        text.append("config ").append(sha256(in.config())).append('\n');
        for (String name : PROJECT_INPUTS) {
            text.append("project ").append(name).append(' ').append(digest(in.workingDir().resolve(name))).append('\n');
        }
        for (Path p : in.packages()) {
            Path absolute = p.toAbsolutePath();
            text.append("package ").append(absolute).append(' ').append(digest(absolute)).append('\n');
        }
        text.append("outdir ").append(in.outdir().toAbsolutePath().normalize()).append('\n');
        return text.toString();
    }

    public static String key(String keyText) {
        return sha256(keyText);
    }

    /**
     * Restores the entry stored under {@code key} into {@code outdir} (staged beside it and swapped in
     * whole, as a synthesis is) and returns what to replay; empty when there is none, or when it is
     * broken or partial, which is then removed.
     */
    public Optional<Replay> serve(String key, Path outdir) {
        Path entry = root.resolve("entries").resolve(key);
        if (!Files.isDirectory(entry)) {
            return Optional.empty();
        }
        Path target = outdir.toAbsolutePath().normalize();
        Path staging = target.getParent().resolve(".cdktf.out.staging-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        try {
            Manifest manifest = Manifest.read(entry.resolve("MANIFEST"), key);
            Set<String> present = new java.util.TreeSet<>(relativeFiles(entry.resolve("files")));
            if (manifest == null || !present.equals(manifest.files().keySet())) {
                throw new Broken();
            }
            byte[] out = checked(entry.resolve("stdout"), manifest.streams().get("stdout"));
            byte[] err = checked(entry.resolve("stderr"), manifest.streams().get("stderr"));
            Files.createDirectories(target.getParent());
            Files.createDirectory(staging);
            for (Map.Entry<String, String> file : manifest.files().entrySet()) {
                Path from = entry.resolve("files").resolve(file.getKey()).toAbsolutePath().normalize();
                Path to = staging.resolve(file.getKey());
                Files.createDirectories(to.getParent());
                if (!copyIntact(from, to, file.getValue())) {
                    throw new Broken();
                }
            }
            Synthesizer.swap(staging, target);
            return Optional.of(new Replay(out, err));
        } catch (Broken | IOException | RuntimeException e) {
            // not what the manifest says (or no manifest): never served, removed, synthesized again
            remove(entry);
            return Optional.empty();
        } finally {
            Synthesizer.deleteTree(staging);
        }
    }

    /**
     * Copies an entry's file and says whether the copy holds the bytes whose digest is {@code
     * expected}: without reading them twice when the file is unchanged since that digest was
     * recorded (and was not written while being copied), else checking what was copied.
     */
    private boolean copyIntact(Path from, Path to, String expected) throws IOException {
        Stat stat = Stat.of(from);
        if (expected.equals(recordedDigest(from, stat))) {
            Files.copy(from, to);
            return stat.equals(Stat.of(from));
        }
        String copied = copy(from, to);
        filesRead++;
        remember(from, stat, copied);
        return copied.equals(expected);
    }

    /**
     * Copies {@code written} (a synthesized directory, before it is swapped in) into a new entry,
     * not yet visible: {@link Pending#commit} makes it so.
     */
    public Pending snapshot(Path written) {
        Path tmp = root.resolve("tmp").resolve(ProcessHandle.current().pid() + "-" + System.nanoTime());
        Map<String, String> files = new TreeMap<>();
        try {
            for (String name : relativeFiles(written)) {
                Path to = tmp.resolve("files").resolve(name);
                Files.createDirectories(to.getParent());
                files.put(name, copy(written.resolve(name), to));
            }
            return new Pending(tmp, files);
        } catch (IOException | UncheckedIOException e) {
            Synthesizer.deleteTree(tmp);
            return null;
        }
    }

    /** An entry written but not yet renamed into place. */
    public final class Pending {
        private final Path tmp;
        private final Map<String, String> files;

        private Pending(Path tmp, Map<String, String> files) {
            this.tmp = tmp;
            this.files = files;
        }

        /**
         * Writes what was printed and the manifest (last), renames the entry into place under
         * {@code key} (replacing one there when {@code replace}), and removes the oldest entries
         * beyond {@link #KEEP}. Nothing is stored when it cannot be written whole.
         */
        public void commit(String key, byte[] out, byte[] err, String keyText, boolean replace) {
            Path entries = root.resolve("entries");
            Path entry = entries.resolve(key);
            try {
                Files.write(tmp.resolve("stdout"), out);
                Files.write(tmp.resolve("stderr"), err);
                Files.writeString(tmp.resolve("inputs"), keyText);
                Files.writeString(tmp.resolve("MANIFEST"), Manifest.text(key, files, sha256(out), sha256(err)));
                Files.createDirectories(entries);
                if (replace) {
                    remove(entry);
                }
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
                Files.setLastModifiedTime(entry, FileTime.fromMillis(clock.millis()));
                prune(entries);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another run stored the same key meanwhile: its entry is as good
                } catch (IOException | UncheckedIOException e) {
                // a cache that cannot be written costs the next run a synthesis, nothing else
                } finally {
                Synthesizer.deleteTree(tmp);
            }
        }

        /** Removes the entry's files when it is not committed (the synthesis failed after all). */
        public void discard() {
            Synthesizer.deleteTree(tmp);
        }
    }

    /** Saves the digests recorded for unchanged files, for the next run (replacing the file whole). */
    public void saveDigests() {
        if (!recordedChanged) {
            return;
        }
        StringBuilder text = new StringBuilder();
        recorded.forEach((path, r) -> {
            // files since removed (entries pruned) are forgotten
            if (Files.exists(path)) {
                text.append(r.line()).append(' ').append(path).append('\n');
            }
        });
        Path tmp = root.resolve(INDEX + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(root);
            Files.writeString(tmp, text);
            Files.move(tmp, root.resolve(INDEX), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            recordedChanged = false;
        } catch (IOException e) {
            Synthesizer.deleteTree(tmp);
        }
    }

    /** How many files this cache has read to digest them (a recorded digest reads none). */
    int filesRead() {
        return filesRead;
    }

    /**
     * The SHA-256 of a file's bytes, or of a directory's files (their relative paths and digests),
     * or {@code missing}.
     */
    String digest(Path path) {
        if (Files.isDirectory(path)) {
            StringBuilder tree = new StringBuilder();
            for (String name : relativeFiles(path)) {
                tree.append(name).append(' ').append(digest(path.resolve(name))).append('\n');
            }
            return sha256(tree.toString());
        }
        if (!Files.isRegularFile(path)) {
            return "missing";
        }
        Path absolute = path.toAbsolutePath().normalize();
        Stat stat = Stat.of(absolute);
        String recordedDigest = recordedDigest(absolute, stat);
        if (recordedDigest != null) {
            return recordedDigest;
        }
        String digest = io(() -> copy(absolute, null));
        filesRead++;
        remember(absolute, stat, digest);
        return digest;
    }

    /** The digest recorded for {@code absolute} in the state {@code stat}, or null. */
    private String recordedDigest(Path absolute, Stat stat) {
        Recorded onDisk = recorded().get(absolute);
        if (stat != null && onDisk != null && onDisk.stat().equals(stat)) {
            return onDisk.digest();
        }
        Recorded seen = SEEN.get(absolute);
        if (stat != null && seen != null && seen.stat().equals(stat)) {
            recorded().put(absolute, seen);
            recordedChanged = true;
            return seen.digest();
        }
        return null;
    }

    /**
     * Records {@code digest} for a file that last changed before {@link #SETTLED}, and forgets any
     * record of one that changed since.
     */
    private void remember(Path absolute, Stat stat, String digest) {
        long settledBefore = TimeUnit.MILLISECONDS.toNanos(clock.millis() - SETTLED.toMillis());
        if (stat != null && stat.changedNanos() < settledBefore && stat.modifiedNanos() < settledBefore) {
            Recorded now = new Recorded(stat, digest);
            recorded().put(absolute, now);
            SEEN.put(absolute, now);
            recordedChanged = true;
        } else if (recorded().remove(absolute) != null) {
            recordedChanged = true;
        }
    }

    private Map<Path, Recorded> recorded() {
        if (recorded == null) {
            recorded = new LinkedHashMap<>();
            try {
                for (String line : Files.readAllLines(root.resolve(INDEX))) {
                    Recorded.parse(line, recorded);
                }
            } catch (IOException | UncheckedIOException e) {
                // none recorded yet, or unreadable: every file is read again
            }
        }
        return recorded;
    }

    /** What identifies a file's content without reading it: a write changes at least its change time. */
    record Stat(long size, long modifiedNanos, long changedNanos, long inode, long device) {
        static Stat of(Path path) {
            try {
                Map<String, Object> a = Files.readAttributes(path, "unix:size,lastModifiedTime,ctime,ino,dev");
                return new Stat((Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
                        ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS), (Long) a.get("ino"), (Long) a.get("dev"));
            } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
                // no unix attributes here: every digest reads the file
                return null;
            }
        }
    }

    /** A digest recorded for a file in the state {@code stat}. */
    record Recorded(Stat stat, String digest) {
        String line() {
            return stat.size() + " " + stat.modifiedNanos() + " " + stat.changedNanos() + " " + stat.inode() + " "
                    + stat.device() + " " + digest;
        }

        static void parse(String line, Map<Path, Recorded> into) {
            String[] f = line.split(" ", 7);
            if (f.length == 7) {
                try {
                    into.put(Path.of(f[6]), new Recorded(new Stat(Long.parseLong(f[0]), Long.parseLong(f[1]),
                            Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])), f[5]));
                } catch (NumberFormatException e) {
                    // a damaged line: that file is read again
                }
            }
        }
    }

    /** An entry's manifest: the digest and size of each file, then of the manifest itself. */
    record Manifest(Map<String, String> files, Map<String, String> streams) {

        static String text(String key, Map<String, String> files, String out, String err) {
            StringBuilder text = new StringBuilder(FORMAT).append('\n').append("key ").append(key).append('\n');
            files.forEach((name, digest) -> text.append("file ").append(digest).append(' ').append(name).append('\n'));
            text.append("stdout ").append(out).append('\n').append("stderr ").append(err).append('\n');
            String digest = sha256(text.toString());
            return text.append("end ").append(digest).append('\n').toString();
        }

        /** The manifest at {@code path} for {@code key}, or null unless it is whole and for that key. */
        static Manifest read(Path path, String key) throws IOException {
            String text;
            try {
                text = Files.readString(path);
            } catch (NoSuchFileException e) {
                return null;
            }
            int end = text.lastIndexOf("end ");
            if (end < 0 || !text.substring(end).equals("end " + sha256(text.substring(0, end)) + "\n")) {
                return null;
            }
            List<String> lines = text.substring(0, end).lines().toList();
            if (lines.size() < 2 || !lines.get(0).equals(FORMAT) || !lines.get(1).equals("key " + key)) {
                return null;
            }
            Map<String, String> files = new TreeMap<>();
            Map<String, String> streams = new TreeMap<>();
            for (String line : lines.subList(2, lines.size())) {
                String[] f = line.split(" ", 3);
                if (f[0].equals("file")) {
                    files.put(f[2], f[1]);
                } else {
                    streams.put(f[0], f[1]);
                }
            }
            return new Manifest(files, streams);
        }
    }

    /** Thrown inside {@link #serve} when the entry does not match its manifest. */
    private static final class Broken extends Exception {
        Broken() {
            super(null, null, false, false);
        }
    }

    /** A file's bytes, if their digest is {@code expected}. */
    private static byte[] checked(Path file, String expected) throws IOException, Broken {
        byte[] bytes = Files.readAllBytes(file);
        if (!sha256(bytes).equals(expected)) {
            throw new Broken();
        }
        return bytes;
    }

    /** Copies {@code from} to {@code to} (unless null) and returns the digest of the bytes read. */
    private static String copy(Path from, Path to) throws IOException {
        MessageDigest sha = digester("SHA-256");
        try (InputStream in = Files.newInputStream(from);
             OutputStream out = to == null ? OutputStream.nullOutputStream() : Files.newOutputStream(to)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return HEX.formatHex(sha.digest());
    }

    /** The regular files under {@code dir}, as relative paths with '/', sorted. */
    static List<String> relativeFiles(Path dir) {
        return io(() -> {
            try (Stream<Path> walk = Files.walk(dir)) {
                return walk.filter(Files::isRegularFile)
                        .map(p -> dir.relativize(p).toString().replace(File.separatorChar, '/'))
                        .sorted().toList();
            }
        });
    }

    /** A file operation. */
    interface Io<T> {
        T call() throws IOException;
    }

    /** {@code call}'s result, its IOException unchecked. */
    static <T> T io(Io<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Removes {@code entry} whole: renamed aside first, so no reader finds it half-deleted. */
    private void remove(Path entry) {
        Path aside = root.resolve("tmp").resolve("removed-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(aside.getParent());
            Files.move(entry, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            aside = entry;
        }
        Synthesizer.deleteTree(aside);
    }

    /** Keeps the newest {@link #KEEP} entries, and no temporary directory older than an hour. */
    private void prune(Path entries) throws IOException {
        List<Path> all;
        try (Stream<Path> list = Files.list(entries)) {
            all = list.sorted(Comparator.comparing(SynthCache::modified).reversed()).toList();
        }
        all.stream().skip(KEEP).forEach(this::remove);
        try (Stream<Path> list = Files.list(root.resolve("tmp"))) {
            long hourAgo = clock.millis() - Duration.ofHours(1).toMillis();
            list.filter(p -> modified(p) < hourAgo).forEach(Synthesizer::deleteTree);
        }
    }

    private static long modified(Path p) {
        return io(() -> Files.getLastModifiedTime(p)).toMillis();
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        return HEX.formatHex(digester("SHA-256").digest(bytes));
    }

    /** A digest every JVM has; lacking it, the JVM is broken, not the input. */
    static MessageDigest digester(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + algorithm, e);
        }
    }
}
