package com.payments.dr.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What the gate found: errors stop the synth, warnings are printed, waived findings are listed
 * with their waiver, and waivers that matched nothing are reported so the list stays current.
 */
public record Report(int rules, List<Finding> errors, List<Finding> warnings, List<Waived> waived,
                     List<Waiver> unusedWaivers) {

    public record Waived(Finding finding, Waiver waiver) {
        public String line() {
            return finding.rule().id() + " " + finding.resource().path() + ": " + waiver.reason();
        }
    }

    public boolean passed() {
        return errors.isEmpty();
    }

    /** Warning lines: the warnings, then each waiver that matched nothing. */
    public List<String> warningLines() {
        List<String> lines = new ArrayList<>();
        warnings.forEach(w -> lines.add(w.line()));
        unusedWaivers.forEach(w -> lines.add("unused waiver " + w.ruleId() + " " + w.pathPattern()
                + ": it matches no finding; remove it from " + Waivers.class.getSimpleName()));
        return lines;
    }
}
