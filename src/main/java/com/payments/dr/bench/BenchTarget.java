package com.payments.dr.bench;

import com.payments.dr.Synthesizer;
import com.payments.dr.config.DrConfig;
import java.nio.file.Path;

/** What one benchmark JVM runs: {@code empty|full <outdir>}, one synthesis with the default config. */
public final class BenchTarget {

    private BenchTarget() {
    }

    public static void main(String[] args) {
        if (args.length != 2 || !(args[0].equals("empty") || args[0].equals("full"))) {
            throw new IllegalArgumentException("usage: BenchTarget empty|full <outdir>");
        }
        DrConfig config = DrConfig.builder().build();
        Path outdir = Path.of(args[1]);
        if (args[0].equals("empty")) {
            Synthesizer.synthesize(app -> new EmptyStack(app, config), outdir, true);
        } else {
            Synthesizer.synthesize(config, outdir);
        }
    }
}
