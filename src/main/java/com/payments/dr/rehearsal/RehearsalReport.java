package com.payments.dr.rehearsal;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rehearsal's verdict from what Terraform wrote: the first plan (what to create), the state
 * after apply (what was created), the second plan (what an unchanged stack would still change) and
 * the state after destroy (what was left), with the gap list and each phase's exit code and time.
 * A phase that did not run has no document. One summary line, and the details in Markdown.
 */
public final class RehearsalReport {

    /** One terraform step as the script ran it. */
    public record Phase(String name, int exitCode, long seconds) {

        /** Its output, as rehearse.sh names it: {@code first plan} writes {@code first-plan.log}. */
        public String log() {
            return name.replace(' ', '-') + ".log";
        }
    }

    /**
     * Terraform's documents, empty when the phase producing one did not get that far, and what the
     * state cannot show: each region's API Gateway account settings after destroy (GetAccount's
     * answer by region), which must no longer name a role the destroy deleted. {@code guarded} are
     * the stack's resources with {@code prevent_destroy} (the production profile's keys), and
     * {@code refused} those the destroy's output says it refused: a guarded stack's destroy must
     * refuse exactly its guarded resources and remove nothing.
     */
    public record Documents(Optional<JsonObject> firstPlan, Optional<JsonObject> applied,
                            Optional<JsonObject> secondPlan, Optional<JsonObject> destroyed,
                            Map<String, JsonObject> accountsAfterDestroy, List<String> guarded,
                            List<String> refused) {
    }

    /** plan -detailed-exitcode: 0 no changes, 2 changes; 1 (or anything else) is an error. */
    static final int PLAN_HAS_CHANGES = 2;

    private final Map<String, Phase> phases = new LinkedHashMap<>();
    private final int planned;
    private final int created;
    private final Optional<List<PlanReading.Diff>> diffs;
    private final Optional<GapList.Comparison> comparison;
    private final Optional<Integer> left;
    private final GapList gaps;
    private final Map<String, String> rolesLeft = new java.util.TreeMap<>();
    private final List<String> guarded;
    private final List<String> refused;
    private final List<String> failures = new ArrayList<>();

    public RehearsalReport(List<Phase> phases, Documents documents, GapList gaps) {
        phases.forEach(p -> this.phases.put(p.name(), p));
        this.gaps = gaps;
        planned = documents.firstPlan().map(PlanReading::creates).orElse(0);
        created = documents.applied().map(PlanReading::managedResources).orElse(0);
        diffs = documents.secondPlan().map(PlanReading::diffs);
        comparison = diffs.map(gaps::compare);
        left = documents.destroyed().map(PlanReading::managedResources);
        guarded = List.copyOf(documents.guarded());
        refused = List.copyOf(documents.refused());
        documents.accountsAfterDestroy().forEach((region, account) -> {
            var arn = account.get("cloudwatchRoleArn");
            String role = arn == null || arn.isJsonNull() ? "" : arn.getAsString();
            rolesLeft.put(region, role);
        });
        judge();
    }

    private void judge() {
        for (Phase phase : phases.values()) {
            boolean planWithChanges = phase.name().equals("second plan") && phase.exitCode() == PLAN_HAS_CHANGES;
            // a guarded stack's destroy fails by design: judged below, on what it refused
            boolean guardedDestroy = phase.name().equals("destroy") && guarded();
            if (phase.exitCode() != 0 && !planWithChanges && !guardedDestroy) {
                failures.add(phase.name() + " failed (exit " + phase.exitCode() + "; log: " + phase.log() + ")");
            }
        }
        if (planned == 0) {
            failures.add("the first plan creates nothing");
        } else if (created != planned) {
            failures.add("apply created " + created + " of " + planned);
        }
        if (comparison.isEmpty()) {
            failures.add("no second plan");
        } else {
            GapList.Comparison c = comparison.get();
            if (!c.unlisted().isEmpty()) {
                failures.add("second-plan diffs not in the gap list (fix the stack, or list an emulator gap with"
                        + " its reason): " + String.join(", ", c.unlisted()));
            }
            if (!c.vanished().isEmpty()) {
                failures.add("listed gaps that no longer show (remove them from the list): "
                        + String.join(", ", c.vanished()));
            }
            List<String> replaced = replacements();
            if (!replaced.isEmpty()) {
                failures.add("the second plan replaces " + String.join(", ", replaced));
            }
        }
        if (guarded()) {
            judgeRefusal();
            return;
        }
        if (left.isEmpty()) {
            failures.add("no state after destroy");
        } else if (left.get() != 0) {
            failures.add(left.get() + " resource(s) left after destroy");
        }
        rolesLeft.forEach((region, role) -> {
            if (!role.isEmpty()) {
                failures.add("after destroy, API Gateway's account settings in " + region + " still name " + role);
            }
        });
    }

    /** Whether the stack guards resources against destroy (prevent_destroy): the production profile. */
    boolean guarded() {
        return !guarded.isEmpty();
    }

    /**
     * A guarded stack: Terraform must refuse the destroy before it starts, naming exactly the guarded
     * resources, and the state must keep everything the apply created.
     */
    private void judgeRefusal() {
        Phase destroy = phases.get("destroy");
        if (destroy == null || left.isEmpty()) {
            failures.add("no destroy");
            return;
        }
        if (destroy.exitCode() == 0) {
            failures.add("destroy succeeded although " + guarded.size() + " resource(s) have prevent_destroy");
        }
        if (!refused.equals(guarded)) {
            failures.add("destroy refused " + (refused.isEmpty() ? "nothing" : String.join(", ", refused))
                    + "; the stack guards " + String.join(", ", guarded));
        }
        if (left.get() != created) {
            failures.add("destroy removed " + (created - left.get()) + " resource(s) before it was refused");
        }
    }

    /** Resources an unchanged stack would replace: never acceptable, gap or not. */
    List<String> replacements() {
        return diffs.orElse(List.of()).stream().filter(PlanReading.Diff::replace).map(PlanReading.Diff::address)
                .distinct().toList();
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** The one line ./main prints, e.g. {@code rehearsal: created 329/329, second plan: ...}. */
    public String summary(String detailsPath) {
        String second = diffs.map(d -> {
            GapList.Comparison c = comparison.orElseThrow();
            return d.size() + " diff(s) on " + (c.listed().size() + c.unlisted().size()) + " attribute(s), "
                    + c.listed().size() + " listed emulator gap(s), " + c.unlisted().size() + " unlisted, "
                    + c.vanished().size() + " vanished, " + replacements().size() + " replacement(s)";
        }).orElse("not run");
        String destroy = guarded()
                ? "destroy: refused as designed, prevent_destroy on " + guarded.size() + " resource(s)"
                : "left after destroy: " + left.map(String::valueOf).orElse("not run");
        return "rehearsal: created " + created + "/" + planned + "; second plan: " + second + "; " + destroy
                + " -- " + (passed() ? "passed" : "FAILED") + " in " + duration(totalSeconds())
                + " (details: " + detailsPath + ")";
    }

    long totalSeconds() {
        return phases.values().stream().mapToLong(Phase::seconds).sum();
    }

    static String duration(long seconds) {
        return seconds >= 60 ? (seconds / 60) + "m" + String.format("%02d", seconds % 60) + "s" : seconds + "s";
    }

    /** The details file: phases, failures, every second-plan diff with its gap's reason. */
    public String markdown() {
        StringBuilder md = new StringBuilder("# Deploy rehearsal against the emulator\n\n");
        md.append("Terraform and the AWS provider as a deployment runs them, against moto on loopback (a local")
                .append(" emulation: no AWS account was used). Written by `./main --rehearse`.\n\n");
        md.append(passed() ? "Result: **passed**.\n\n" : "Result: **failed**:\n\n");
        failures.forEach(f -> md.append("- ").append(f).append('\n'));
        if (!failures.isEmpty()) {
            md.append('\n');
        }
        md.append("| phase | exit | time |\n| --- | --- | --- |\n");
        phases.values().forEach(p -> md.append("| ").append(p.name()).append(" | ").append(p.exitCode())
                .append(" | ").append(duration(p.seconds())).append(" |\n"));
        md.append("\nCreated ").append(created).append(" of the ").append(planned)
                .append(" managed resources the first plan creates; left after destroy: ")
                .append(left.map(String::valueOf).orElse("not run")).append(".\n");
        if (guarded()) {
            md.append("\nThe stack guards ").append(guarded.size()).append(" resource(s) with `prevent_destroy`")
                    .append(" (the production profile): Terraform must refuse the destroy before it starts.")
                    .append(" Refused: ").append(refused.isEmpty() ? "nothing" : "`" + String.join("`, `", refused) + "`")
                    .append(".\n");
        }
        (guarded() ? Map.<String, String>of() : rolesLeft).forEach((region, role) -> md.append(
                "\nAPI Gateway account settings in ").append(region)
                .append(" after destroy: ").append(role.isEmpty() ? "no CloudWatch role (cleared)" : "still " + role)
                .append(".\n"));
        diffs.ifPresent(all -> {
            md.append("\n## Second plan on the unchanged stack\n\n");
            if (all.isEmpty()) {
                md.append("No changes.\n");
            } else {
                md.append("| resource | attribute | actions | before | after | gap |\n")
                        .append("| --- | --- | --- | --- | --- | --- |\n");
                for (PlanReading.Diff diff : all) {
                    String reason = gaps.reasons().get(diff.key());
                    md.append("| `").append(diff.address()).append("` | ").append(diff.attribute()).append(" | ")
                            .append(diff.actions()).append(" | ").append(cell(diff.before())).append(" | ")
                            .append(cell(diff.after())).append(" | ")
                            .append(reason == null ? "**not listed**" : cell(reason)).append(" |\n");
                }
            }
            comparison.orElseThrow().vanished().forEach(key -> md.append("\nListed but not seen: `").append(key)
                    .append("`\n"));
        });
        return md.toString();
    }

    /** A value as one short table cell. */
    static String cell(String value) {
        String flat = value.replace("|", "\\|").replace("\n", " ");
        return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
    }
}
