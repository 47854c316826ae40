package com.payments.dr;

import com.payments.dr.config.ConfigException;
import com.payments.dr.config.ConfigLoader;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import com.payments.dr.stack.DrStack;
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
    static final String OUTDIR_ENV = "CDKTF_OUTDIR";
    static final String CORS_WARNING = "warning: ALLOWED_ORIGIN is not set: the deployed functions allow CORS only from "
            + Setting.ALLOWED_ORIGIN.defaultValue() + " (a developer's machine); set ALLOWED_ORIGIN or allowedOrigin in"
            + " cdktf.json to the checkout page's origin for any real environment";

    private Cli() {
    }

    public static int run(String[] args, Map<String, String> env, Path workingDir, PrintStream out, PrintStream err) {
        String outdirArg = null;
        if (args.length == 2 && args[0].equals("--outdir")) {
            outdirArg = args[1];
        } else if (args.length > 0) {
            err.println("error: unknown arguments " + String.join(" ", args)
                    + ": ./main takes none, or --outdir DIR (see ./main --help)");
            return BAD_INPUT;
        }
        DrConfig config;
        try {
            config = ConfigLoader.load(env, workingDir.resolve("cdktf.json"));
        } catch (ConfigException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return BAD_INPUT;
        }
        if (!ConfigLoader.isConfigured(Setting.ALLOWED_ORIGIN, env, workingDir.resolve("cdktf.json"))) {
            // a warning, not an error: the default is right on a developer's machine
            err.println(CORS_WARNING);
        }
        String fromEnv = env.getOrDefault(OUTDIR_ENV, "");
        String outdirSetting = outdirArg != null ? outdirArg : fromEnv.isBlank() ? "cdktf.out" : fromEnv;
        Path outdir = workingDir.resolve(outdirSetting);
        // jsii's Node process inherits this environment, and cdktf's App then writes straight into
        // CDKTF_OUTDIR whatever outdir it is given: only without it can the output be staged and
        // swapped in whole (./main passes the CLI's directory as --outdir and unsets the variable).
        boolean staged = !env.containsKey(OUTDIR_ENV);
        try {
            Synthesizer.synthesize(app -> new DrStack(app, config), outdir, staged);
        } catch (RuntimeException e) {
            err.println("error: synthesis failed: " + firstLine(e));
            return SYNTH_FAILED;
        }
        out.println("synthesized stack " + DrStack.NAME + " (suffix "
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
