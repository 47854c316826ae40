package com.payments.dr;

import com.payments.dr.blocks.FunctionPackage;
import com.payments.dr.config.ConfigException;
import com.payments.dr.config.ConfigLoader;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.RealEnvironment;
import com.payments.dr.policy.Finding;
import com.payments.dr.policy.PolicyGate;
import com.payments.dr.policy.Report;
import com.payments.dr.report.DrillResults;
import com.payments.dr.report.ReadinessReport;
import com.payments.dr.stack.DrStack;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.constructs.Construct;

/**
 * The {@code ./main} command: reads and validates the configuration before jsii starts (a bad
 * setting costs no Node start and prints one line), computes the readiness report while jsii's Node
 * process loads, then synthesizes.
 */
public final class Cli {

    public static final int OK = 0;
    public static final int SYNTH_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int POLICY_FAILED = 3;
    static final String OUTDIR_ENV = "CDKTF_OUTDIR";

    private Cli() {
    }

    public static int run(String[] args, Map<String, String> env, Path workingDir, PrintStream out, PrintStream err) {
        return run(args, env, workingDir, out, err, DrStack::new, true);
    }

    /**
     * As {@link #run(String[], Map, Path, PrintStream, PrintStream)}, with the stack built by {@code
     * stackFactory}; never through the synthesis cache, whose key does not cover the factory.
     */
    static int run(String[] args, Map<String, String> env, Path workingDir, PrintStream out, PrintStream err,
                   StackFactory stackFactory) {
        return run(args, env, workingDir, out, err, stackFactory, false);
    }

    /**
     * The synthesis; {@code cacheable}: {@code stackFactory} builds the real stack, so the run may
     * be served from the synthesis cache ({@link SynthCache}) and stored there.
     */
    static int run(String[] args, Map<String, String> env, Path workingDir, PrintStream out, PrintStream err,
                   StackFactory stackFactory, boolean cacheable) {
        String outdirArg = null;
        boolean noCache = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--no-cache")) {
                noCache = true;
            } else if (args[i].equals("--outdir") && i + 1 < args.length && outdirArg == null) {
                outdirArg = args[++i];
            } else {
                err.println("error: unknown arguments " + String.join(" ", args)
                        + ": ./main takes none, or --outdir DIR, or --no-cache (see ./main --help)");
                return BAD_INPUT;
            }
        }
        String cacheMode = SynthCache.mode(env);
        if (cacheMode == null) {
            err.println("error: invalid " + SynthCache.ENV + "=\"" + env.get(SynthCache.ENV)
                    + "\": allowed: on (the default), off, refresh");
            return BAD_INPUT;
        }
        DrConfig config;
        List<String> notes;
        try {
            config = ConfigLoader.load(env, workingDir.resolve("cdktf.json"));
            // advice, not a problem: on stdout, since the cdktf CLI shows every stderr line as an [ERROR]
            notes = RealEnvironment.notes(ConfigLoader.configured(env, workingDir.resolve("cdktf.json")));
        } catch (ConfigException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return BAD_INPUT;
        }
        String fromEnv = env.getOrDefault(OUTDIR_ENV, "");
        String outdirSetting = outdirArg != null ? outdirArg : fromEnv.isBlank() ? "cdktf.out" : fromEnv;
        Path outdir = workingDir.resolve(outdirSetting);
        // jsii's Node process inherits this environment, and cdktf's App then writes straight into
        // CDKTF_OUTDIR whatever outdir it is given: only without it can the output be staged and
        // swapped in whole (./main passes the CLI's directory as --outdir and unsets the variable).
        boolean staged = !env.containsKey(OUTDIR_ENV);
        // the synthesis cache: decided before jsii starts, so an unchanged run never starts it
        Cached cached = null;
        if (cacheable && staged && !noCache && !cacheMode.equals("off")) {
            cached = Cached.open(env, workingDir, outdir, config);
            if (cached != null && cacheMode.equals("on") && cached.serve(outdir, out, err)) {
                return OK;
            }
        }
        if (cached != null) {
            cached.replace = cacheMode.equals("refresh");
            cached.out = new Recording(out);
            cached.err = new Recording(err);
            return synthesize(env, workingDir, cached.out, cached.err, stackFactory, config, notes, outdir, staged,
                    cached);
        }
        return synthesize(env, workingDir, out, err, stackFactory, config, notes, outdir, staged, null);
    }

    /** The synthesis proper, after the settings were read and the cache missed (or is off). */
    private static int synthesize(Map<String, String> env, Path workingDir, PrintStream out, PrintStream err,
                                  StackFactory stackFactory, DrConfig config, List<String> notes, Path outdir,
                                  boolean staged, Cached cached) {
        // plain Java, while jsii's Node process loads the provider: an estimate over budget stops
        // here with nothing written (once the loading thread has finished, about 4 s)
        Synthesizer.HeadStart<ReadinessReport> prepared;
        try {
            prepared = Synthesizer.whileJsiiLoads(
                    () -> prepare(config, workingDir.resolve(DrillResults.PATH)), step -> { });
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return BAD_INPUT;
        }
        ReadinessReport readiness = prepared.value();
        String overBudget = readiness.cost().overBudget();
        if (overBudget != null) {
            err.println("error: " + overBudget);
            return BAD_INPUT;
        }
        config.warnings().forEach(err::println);
        Report[] gate = new Report[1];
        Consumer<Path> check = afterSynth(config, readiness, gate);
        if (cached != null) {
            check = check.andThen(cached::snapshot);
        }
        try {
            prepared.rethrowLoadFailure();
            Synthesizer.synthesize(app -> stackFactory.create(app, config), outdir, staged, check);
        } catch (RuntimeException e) {
            if (cached != null) {
                cached.discard();
            }
            Report report = gate[0];
            if (report == null || report.passed()) {
                err.println("error: synthesis failed: " + firstLine(e));
                return SYNTH_FAILED;
            }
            printWarnings(report, err);
            err.println("error: policy gate: " + report.errors().size() + " violation(s), nothing written"
                    + " (fix them, or waive one with a reason in policy/Waivers.java):");
            for (Finding error : report.errors()) {
                err.println("  " + error.line());
            }
            return POLICY_FAILED;
        }
        Report report = gate[0];
        printWarnings(report, err);
        out.println("synthesized stack " + DrStack.NAME + " (suffix "
                + config.environmentSuffix() + ", " + config.primaryRegion() + " + " + config.drRegion()
                + ") into " + workingDir.relativize(outdir.toAbsolutePath().normalize()));
        out.println("policy gate: " + report.rules() + " rules, no errors, " + report.warningLines().size()
                + " warning(s), " + report.waived().size() + " finding(s) waived:");
        report.waived().forEach(w -> out.println("  waived " + w.line()));
        out.println("readiness report: " + ReadinessReport.MARKDOWN + ", " + ReadinessReport.JSON + " beside the stack;"
                + " cost estimate " + readiness.cost().summary());
        notes.forEach(out::println);
        if (cached != null) {
            cached.store(env, workingDir, outdir, config);
        }
        return OK;
    }

    /** The synthesis cache for one run: its key, what the run printed, and the entry it writes. */
    private static final class Cached {
        final SynthCache cache;
        final String keyText;
        Recording out;
        Recording err;
        SynthCache.Pending pending;
        boolean replace;

        private Cached(SynthCache cache, String keyText) {
            this.cache = cache;
            this.keyText = keyText;
        }

        /** The cache under the working directory, or null when its inputs cannot be read (no cache then). */
        static Cached open(Map<String, String> env, Path workingDir, Path outdir, DrConfig config) {
            SynthCache cache = new SynthCache(workingDir.resolve(SynthCache.DIR), Clock.systemUTC());
            try {
                return new Cached(cache, cache.keyText(inputs(env, workingDir, outdir, config)));
            } catch (UncheckedIOException e) {
                return null;
            }
        }

        /** Restores the stored output and replays what its synthesis printed; false when there is none. */
        boolean serve(Path outdir, PrintStream out, PrintStream err) {
            String key = SynthCache.key(keyText);
            Optional<SynthCache.Replay> hit = cache.serve(key, outdir);
            cache.saveDigests();
            if (hit.isEmpty()) {
                return false;
            }
            out.print(new String(hit.get().out(), StandardCharsets.UTF_8));
            err.print(new String(hit.get().err(), StandardCharsets.UTF_8));
            out.println("synthesis cache: no input changed since entry " + key.substring(0, 12) + " in "
                    + SynthCache.DIR + ": its output restored, its report above (--no-cache or SYNTH_CACHE=off"
                    + " synthesizes anyway)");
            return true;
        }

        void snapshot(Path written) {
            pending = cache.snapshot(written);
        }

        void discard() {
            if (pending != null) {
                pending.discard();
            }
        }

        /**
         * Stores the synthesis under its key, unless an input changed while it ran (the output
         * could then be either's).
         */
        void store(Map<String, String> env, Path workingDir, Path outdir, DrConfig config) {
            String after;
            try {
                after = cache.keyText(inputs(env, workingDir, outdir, config));
            } catch (UncheckedIOException e) {
                after = null;
            }
            String printed = out.text();
            String warned = err.text();
            if (pending != null && keyText.equals(after) && printed != null && warned != null) {
                pending.commit(SynthCache.key(keyText), printed.getBytes(StandardCharsets.UTF_8),
                        warned.getBytes(StandardCharsets.UTF_8), keyText, replace);
            } else {
                discard();
            }
            cache.saveDigests();
        }

        static SynthCache.Inputs inputs(Map<String, String> env, Path workingDir, Path outdir,
                                                DrConfig config) {
            return new SynthCache.Inputs(env, workingDir, outdir, config.toString(),
                    SynthCache.classpath(System.getProperty("java.class.path", "")), SynthCache.node(env),
                    List.of(config.function().packagePath(), config.eventsPackage()));
        }
    }

    /**
     * The plain-Java part of a synthesis, run while jsii's Node process loads (here and in the
     * benchmark): the function packages' asset hashes, then the readiness report.
     */
    public static ReadinessReport prepare(DrConfig config, Path drillResults) {
        FunctionPackage.assetHash(config.function().packagePath());
        FunctionPackage.assetHash(config.eventsPackage());
        return ReadinessReport.of(config, drillResults);
    }

    /**
     * What runs on the written directory before it is swapped in (here and in the benchmark): the
     * policy gate on exactly what was written (its report into {@code gate[0]}; a failure throws),
     * then the readiness report beside the stack.
     */
    public static java.util.function.Consumer<Path> afterSynth(DrConfig config, ReadinessReport readiness,
                                                             Report[] gate) {
        return written -> {
            gate[0] = PolicyGate.evaluate(Synthesizer.readStack(written, DrStack.NAME), config.environmentSuffix(),
                    config.protection());
            if (!gate[0].passed()) {
                throw new IllegalStateException("policy gate failed");
            }
            readiness.writeInto(written);
        };
    }

    /**
     * Prints to {@code target} and records, as text, what {@code println(String)} printed (all that
     * a synthesis prints), so that a cache hit prints the same characters in the stream's own
     * encoding. Anything printed otherwise reaches {@code target} too, but makes the record unusable:
     * {@link #text()} is then null and the run is not stored.
     */
    static final class Recording extends PrintStream {
        private final PrintStream target;
        private final StringBuilder text = new StringBuilder();
        private boolean unrecorded;

        Recording(PrintStream target) {
            super(target, true);
            this.target = target;
        }

        @Override
        public void println(String line) {
            target.println(line);
            text.append(line).append(System.lineSeparator());
        }

        @Override
        public void write(int b) {
            unrecorded = true;
            super.write(b);
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            unrecorded = true;
            super.write(buf, off, len);
        }

        /** What was printed, or null if anything was printed but by {@code println(String)}. */
        String text() {
            return unrecorded ? null : text.toString();
        }
    }

    /** Builds the stack to synthesize (tests substitute one that violates the policy gate). */
    @FunctionalInterface
    interface StackFactory {
        DrStack create(Construct app, DrConfig config);
    }

    private static void printWarnings(Report report, PrintStream err) {
        report.warningLines().forEach(line -> err.println("warning: " + line));
    }

    /** jsii wraps JavaScript errors with their stack; the first line is what the user needs. */
    static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
