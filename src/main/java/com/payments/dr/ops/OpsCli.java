package com.payments.dr.ops;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ./main --runbook} and {@code ./main --diagram}: the operator's commands that read files only
 * (an outputs file, the synthesized JSON), never jsii, so they cost one JVM start and add nothing to
 * {@code ./main}'s synthesis.
 */
public final class OpsCli {

    public static final String RUNBOOK = "docs/runbook.md";
    public static final String README = "README.md";
    public static final String STACK_JSON = "cdktf.out/stacks/payments-dr/cdk.tf.json";

    private OpsCli() {
    }

    /** Exit codes as {@code ./main}'s: 0 done, 1 failed, 2 bad input. */
    public static int run(String[] args, Map<String, String> env, Path dir, PrintStream out, PrintStream err) {
        try {
            if (args.length == 1 && args[0].equals("runbook")) {
                return runbook(env, dir, out, err);
            }
            if (args.length == 2 && args[0].equals("diagram")) {
                return diagram(dir.resolve(args[1]), dir.resolve(README), out);
            }
            err.println("error: usage: OpsMain runbook | OpsMain diagram STACK_JSON (see ./main --help)");
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private static int runbook(Map<String, String> env, Path dir, PrintStream out, PrintStream err)
            throws IOException {
        String file = env.getOrDefault(DeploymentOutputs.ENV, "");
        if (file.isBlank()) {
            err.println("error: set " + DeploymentOutputs.ENV + " to the outputs file of the deployment"
                    + " (cdktf deploy payments-dr --outputs-file FILE, or terraform output -json > FILE)");
            return 2;
        }
        DeploymentOutputs outputs = DeploymentOutputs.read(dir.resolve(file));
        out.print(Runbook.render(read(dir.resolve(RUNBOOK)), outputs));
        return 0;
    }

    private static int diagram(Path stackJson, Path readme, PrintStream out) throws IOException {
        if (!Files.isRegularFile(stackJson)) {
            throw new IllegalArgumentException(stackJson + " does not exist: synthesize first (./main)");
        }
        String mermaid = Diagram.mermaid(JsonParser.parseString(read(stackJson)).getAsJsonObject());
        String before = read(readme);
        String after = Diagram.replaceIn(before, mermaid);
        if (after.equals(before)) {
            out.println("diagram: " + readme.getFileName() + " is up to date");
            return 0;
        }
        Files.writeString(readme, after);
        out.println("diagram: updated in " + readme.getFileName());
        return 0;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
