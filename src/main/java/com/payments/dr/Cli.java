package com.payments.dr;

import com.payments.dr.config.ConfigException;
import com.payments.dr.config.ConfigLoader;
import com.payments.dr.config.DrConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code ./main} command: reads and validates the configuration before jsii starts (a bad
 * setting costs no Node start and prints one line), then synthesizes.
 */
public final class Cli {

    public static final int OK = 0;
    public static final int SYNTH_FAILED = 1;
    public static final int BAD_INPUT = 2;

    private Cli() {
    }

    public static int run(String[] args, Map<String, String> env, Path workingDir, PrintStream out, PrintStream err) {
        if (args.length > 0) {
            err.println("error: unknown argument \"" + args[0] + "\": ./main takes no arguments (see ./main --help)");
            return BAD_INPUT;
        }
        DrConfig config;
        try {
            config = ConfigLoader.load(env, workingDir.resolve("cdktf.json"));
        } catch (ConfigException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return BAD_INPUT;
        }
        String outdirSetting = env.getOrDefault("CDKTF_OUTDIR", "");
        Path outdir = workingDir.resolve(outdirSetting.isBlank() ? "cdktf.out" : outdirSetting);
        try {
            Synthesizer.synthesize(config, outdir);
        } catch (RuntimeException e) {
            err.println("error: synthesis failed: " + firstLine(e));
            return SYNTH_FAILED;
        }
        out.println("synthesized stack " + com.payments.dr.stack.DrStack.NAME + " (suffix "
                + config.environmentSuffix() + ", " + config.primaryRegion() + " + " + config.drRegion()
                + ") into " + workingDir.relativize(outdir.toAbsolutePath().normalize()));
        return OK;
    }

    /** jsii wraps JavaScript errors with their stack; the first line is what the user needs. */
    static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
