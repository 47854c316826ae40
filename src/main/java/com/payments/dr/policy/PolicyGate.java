package com.payments.dr.policy;

import com.google.gson.JsonObject;
import com.hashicorp.cdktf.TerraformStack;
import java.util.ArrayList;
import java.util.List;
import software.constructs.IValidation;

/**
 * Runs the rule pack over a stack at synth time. One validation on the stack reads the resolved
 * Terraform configuration once ({@code toTerraform()}, one jsii call) and checks every resource in
 * Java, instead of Aspects, which would cross jsii once per construct visit and once per attribute
 * read (README "Policy gate" has the measurements). cdktf runs validations before it writes
 * anything, so a failing gate leaves no output. Error findings fail the validation; the whole
 * report stays available to the caller.
 */
public final class PolicyGate implements IValidation {

    private final TerraformStack stack;
    private final String suffix;
    private final List<Rule> rules;
    private final List<Waiver> waivers;
    private Report report;

    public PolicyGate(TerraformStack stack, String suffix, List<Rule> rules, List<Waiver> waivers) {
        this.stack = stack;
        this.suffix = suffix;
        this.rules = rules;
        this.waivers = waivers;
    }

    /** Adds the project's rule pack and waivers to {@code stack} as a validation. */
    public static PolicyGate attach(TerraformStack stack, String suffix) {
        PolicyGate gate = new PolicyGate(stack, suffix, RulePack.ALL, Waivers.ALL);
        stack.getNode().addValidation(gate);
        return gate;
    }

    @Override
    public List<String> validate() {
        JsonObject config = Json.tree(stack.toTerraform()).getAsJsonObject();
        report = evaluate(config, suffix, rules, waivers);
        return report.errors().stream().map(Finding::line).toList();
    }

    /** The last synth's report, or null before the stack was validated. */
    public Report report() {
        return report;
    }

    public static Report evaluate(JsonObject terraform, String suffix, List<Rule> rules, List<Waiver> waivers) {
        TerraformConfig config = new TerraformConfig(terraform, suffix);
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
