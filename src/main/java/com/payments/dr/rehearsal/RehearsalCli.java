package com.payments.dr.rehearsal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Java half of {@code ./main --rehearse}: ./main runs the processes (emulator, terraform) and
 * calls this for what is worth testing: the credential guard, the override files, and the verdict.
 *
 * <pre>
 * guard                                         exit 2 with one line when real credentials are around
 * backend STATE_FILE                            the backend override, on stdout
 * providers STACK_JSON SCHEMA_JSON ALIASES URL EMPTY_FILE   the provider override, on stdout
 * regions STACK_JSON                            the regions of the stack's AWS providers, one a line
 * report WORK_DIR GAP_LIST                      the summary line; WORK_DIR/report.md; exit 1 when failed
 * </pre>
 *
 * {@code WORK_DIR} holds {@code phases.tsv} (name, exit code, seconds per line) and Terraform's JSON:
 * {@code first-plan.json}, {@code applied.json}, {@code second-plan.json}, {@code destroyed.json},
 * {@code after-destroy/apigateway-account-<region>.json} (GetAccount in each region after destroy), the
 * stack copy {@code stack/cdk.tf.json} (its {@code prevent_destroy} resources) and {@code destroy.log}
 * (what a guarded stack's destroy refused).
 */
public final class RehearsalCli {

    public static final String REPORT = "report.md";
    /** Where rehearse.sh puts what it asks the emulator after destroy, e.g. apigateway-account-us-east-1.json. */
    static final String AFTER_DESTROY = "after-destroy";
    static final String ACCOUNT_PREFIX = "apigateway-account-";
    /** The stack copy Terraform ran on, as rehearse.sh writes it. */
    static final String STACK = "stack/cdk.tf.json";

    private RehearsalCli() {
    }

    /** Exit codes as {@code ./main}'s: 0 done, 1 failed, 2 bad input or refused. */
    public static int run(String[] args, Map<String, String> env, Path dir, PrintStream out, PrintStream err) {
        try {
            String command = args.length == 0 ? "" : args[0];
            if (command.equals("guard") && args.length == 1) {
                List<String> reasons = CredentialGuard.reasons(env, Path.of(env.getOrDefault("HOME", "/nonexistent")));
                if (!reasons.isEmpty()) {
                    err.println(CredentialGuard.refusal(reasons));
                    return 2;
                }
                return 0;
            }
            if (command.equals("backend") && args.length == 2) {
                out.print(EmulatorOverride.backend(dir.resolve(args[1]).toString()));
                return 0;
            }
            if (command.equals("providers") && args.length == 6) {
                JsonObject stack = json(dir.resolve(args[1])).orElseThrow();
                JsonObject schema = json(dir.resolve(args[2])).orElseThrow();
                List<String> keys = EmulatorOverride.endpointKeys(schema, aliases(dir.resolve(args[3])));
                out.print(EmulatorOverride.providers(stack, keys, args[4], dir.resolve(args[5]).toString()));
                return 0;
            }
            if (command.equals("regions") && args.length == 2) {
                EmulatorOverride.awsProviders(json(dir.resolve(args[1])).orElseThrow()).stream()
                        .map(p -> p.get("region").getAsString()).distinct().sorted().forEach(out::println);
                return 0;
            }
            if (command.equals("report") && args.length == 3) {
                return report(dir.resolve(args[1]), dir.resolve(args[2]), out);
            }
            err.println("error: usage: RehearsalMain guard | backend STATE_FILE | providers STACK_JSON SCHEMA_JSON"
                    + " ALIASES URL EMPTY_FILE | regions STACK_JSON | report WORK_DIR GAP_LIST (see docs/rehearsal.md)");
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private static int report(Path work, Path gapFile, PrintStream out) throws IOException {
        GapList gaps = GapList.parse(Files.readString(gapFile));
        List<RehearsalReport.Phase> phases = new ArrayList<>();
        Path phaseFile = work.resolve("phases.tsv");
        if (Files.exists(phaseFile)) {
            for (String line : Files.readAllLines(phaseFile)) {
                String[] fields = line.split("\t");
                if (fields.length == 3) {
                    phases.add(new RehearsalReport.Phase(fields[0], Integer.parseInt(fields[1]),
                            Long.parseLong(fields[2])));
                }
            }
        }
        Map<String, JsonObject> accounts = new java.util.TreeMap<>();
        Path afterDestroy = work.resolve(AFTER_DESTROY);
        if (Files.isDirectory(afterDestroy)) {
            try (var files = Files.list(afterDestroy)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (name.startsWith(ACCOUNT_PREFIX) && name.endsWith(".json")) {
                        json(file).ifPresent(account -> accounts.put(
                                name.substring(ACCOUNT_PREFIX.length(), name.length() - ".json".length()), account));
                    }
                }
            }
        }
        // the production profile's keys carry prevent_destroy: its destroy is refused, by design
        List<String> guarded = json(work.resolve(STACK)).map(PlanReading::preventDestroy).orElse(List.of());
        Path destroyLog = work.resolve(new RehearsalReport.Phase("destroy", 0, 0).log());
        List<String> refused = Files.isRegularFile(destroyLog)
                ? PlanReading.refusedToDestroy(Files.readString(destroyLog)) : List.of();
        RehearsalReport report = new RehearsalReport(phases, new RehearsalReport.Documents(
                json(work.resolve("first-plan.json")), json(work.resolve("applied.json")),
                json(work.resolve("second-plan.json")), json(work.resolve("destroyed.json")), accounts,
                guarded, refused), gaps);
        Path details = work.resolve(REPORT);
        Files.writeString(details, report.markdown());
        out.println(report.summary(details.toString()));
        report.failures().forEach(f -> out.println("  " + f));
        return report.passed() ? 0 : 1;
    }

    /** The service names that only repeat another's endpoint, one or more per line, # comments. */
    static java.util.Set<String> aliases(Path file) throws IOException {
        java.util.Set<String> aliases = new HashSet<>();
        for (String line : Files.readAllLines(file)) {
            String content = line.split("#", 2)[0].strip();
            if (!content.isEmpty()) {
                aliases.addAll(List.of(content.split("\\s+")));
            }
        }
        return aliases;
    }

    /** A JSON document, or empty when the file is missing or empty (the phase did not get there). */
    private static Optional<JsonObject> json(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return Optional.empty();
        }
        return Optional.of(JsonParser.parseString(Files.readString(file)).getAsJsonObject());
    }
}
