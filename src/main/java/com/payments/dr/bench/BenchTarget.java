package com.payments.dr.bench;

import com.payments.dr.Cli;
import com.payments.dr.Synthesizer;
import com.payments.dr.config.DrConfig;
import com.payments.dr.policy.Report;
import com.payments.dr.report.DrillResults;
import com.payments.dr.report.ReadinessReport;
import com.payments.dr.stack.DrStack;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Consumer;
import software.constructs.Construct;

/**
 * What one benchmark JVM runs: {@code empty|full <outdir>}, one synthesis with the default config.
 * On stdout it reports when each phase ended ({@code bench-phase <name> <epoch ms>}; the
 * benchmark adds its launch of the JVM as {@code start}): the JVM reaching {@code main}, jsii's
 * Node process answering, the cdktf and constructs assemblies and then the AWS provider's loaded
 * into it, the stack built, the synthesis written. The assemblies load as in {@code ./main}: on
 * another thread, while the full synthesis computes its readiness report.
 */
public final class BenchTarget {

    static final String PHASE = "bench-phase ";

    private BenchTarget() {
    }

    public static void main(String[] args) {
        main(args, System.out);
    }

    static void main(String[] args, PrintStream out) {
        if (args.length != 2 || !(args[0].equals("empty") || args[0].equals("full"))) {
            throw new IllegalArgumentException("usage: BenchTarget empty|full <outdir>");
        }
        mark(out, "jvm", System.currentTimeMillis());
        DrConfig config = DrConfig.builder().build();
        boolean empty = args[0].equals("empty");
        // as ./main: the full synthesis computes its readiness report while Node loads
        Synthesizer.HeadStart<ReadinessReport> prepared = Synthesizer.whileJsiiLoads(
                () -> empty ? null : Cli.prepare(config, DrillResults.PATH),
                step -> mark(out, step, System.currentTimeMillis()));
        prepared.rethrowLoadFailure();
        ReadinessReport readiness = prepared.value();
        Consumer<Construct> stack = empty
                ? app -> new EmptyStack(app, config)
                : app -> new DrStack(app, config);
        // the full synthesis is what ./main does: the policy gate and the readiness report
        Consumer<Path> check = empty ? written -> { }
                : Cli.afterSynth(config, readiness, new Report[1]);
        Synthesizer.synthesize(app -> {
            stack.accept(app);
            mark(out, "construct", System.currentTimeMillis());
        }, Path.of(args[1]), true, check);
        mark(out, "synth", System.currentTimeMillis());
    }

    private static void mark(PrintStream out, String phase, long epochMillis) {
        out.println(PHASE + phase + " " + epochMillis);
        out.flush();
    }
}
