package com.payments.dr.policy;

import com.google.gson.JsonObject;
import com.payments.dr.config.Protection;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the rule pack over a synthesized stack: the JSON cdktf wrote (into the staging directory,
 * before it is swapped in), read once and checked in Java, by resource type, instead of Aspects,
 * which would cross jsii once per construct visit and once per attribute read, or a stack
 * validation, which would need a second {@code toTerraform()} across jsii (docs/security.md has
 * the measurements). Error findings fail the synthesis; the whole report stays available.
 */
public final class PolicyGate {

    private PolicyGate() {
    }

    /** The project's rule pack and waivers over one stack's synthesized JSON (the default profile). */
    public static Report evaluate(JsonObject terraform, String suffix) {
        return evaluate(terraform, suffix, Protection.DESTROYABLE);
    }

    /** The project's rule pack and the waivers of {@code protection} over one stack's synthesized JSON. */
    public static Report evaluate(JsonObject terraform, String suffix, Protection protection) {
        return evaluate(terraform, suffix, protection, RulePack.ALL, Waivers.ALL);
    }

    public static Report evaluate(JsonObject terraform, String suffix, List<Rule> rules, List<Waiver> waivers) {
        return evaluate(terraform, suffix, Protection.DESTROYABLE, rules, waivers);
    }

    public static Report evaluate(JsonObject terraform, String suffix, Protection protection, List<Rule> rules,
                                  List<Waiver> allWaivers) {
        TerraformConfig config = new TerraformConfig(terraform, suffix, protection);
        List<Waiver> waivers = allWaivers.stream().filter(w -> w.appliesTo(protection)).toList();
        List<Finding> errors = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        List<Report.Waived> waived = new ArrayList<>();
        List<Waiver> unused = new ArrayList<>(waivers);
        for (Rule rule : rules) {
            for (Finding finding : rule.evaluate(config)) {
                Waiver waiver = waivers.stream().filter(w -> w.covers(finding)).findFirst().orElse(null);
                if (waiver != null) {
                    waived.add(new Report.Waived(finding, waiver));
                    unused.remove(waiver);
                } else if (rule.severity() == Severity.ERROR) {
                    errors.add(finding);
                } else {
                    warnings.add(finding);
                }
            }
        }
        return new Report(rules.size(), errors, warnings, waived, unused);
    }
}
