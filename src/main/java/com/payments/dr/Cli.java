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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        return run(args, env, workingDir, out, err, DrStack::new);
    }

    /** As {@link #run(String[], Map, Path, PrintStream, PrintStream)}, with the stack built by {@code stackFactory}. */
    static int run(String[] args, Map<String, String> env, Path workingDir, PrintStream out, PrintStream err,
                   StackFactory stackFactory) {
        String outdirArg = null;
        if (args.length == 2 && args[0].equals("--outdir")) {
            outdirArg = args[1];
        } else if (args.length > 0) {
            err.println("error: unknown arguments " + String.join(" ", args)
                    + ": ./main takes none, or --outdir DIR (see ./main --help)");
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
        String fromEnv = env.getOrDefault(OUTDIR_ENV, "");
        String outdirSetting = outdirArg != null ? outdirArg : fromEnv.isBlank() ? "cdktf.out" : fromEnv;
        Path outdir = workingDir.resolve(outdirSetting);
        // jsii's Node process inherits this environment, and cdktf's App then writes straight into
        // CDKTF_OUTDIR whatever outdir it is given: only without it can the output be staged and
        // swapped in whole (./main passes the CLI's directory as --outdir and unsets the variable).
        boolean staged = !env.containsKey(OUTDIR_ENV);
        Report[] gate = new Report[1];
        try {
            prepared.rethrowLoadFailure();
            Synthesizer.synthesize(app -> stackFactory.create(app, config), outdir, staged,
                    afterSynth(config, readiness, gate));
        } catch (RuntimeException e) {
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
        return OK;
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
