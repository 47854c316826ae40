package com.payments.dr.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The gate's rules, in the order findings are listed. */
public final class RulePack {

    private RulePack() {
    }

    public static final List<Rule> ALL = all();

    private static List<Rule> all() {
        List<Rule> rules = new ArrayList<>();
        rules.addAll(SecurityRules.rules());
        rules.addAll(NetworkRules.rules());
        rules.addAll(ResilienceRules.rules());
        rules.addAll(ProtectionRules.rules());
        rules.addAll(ConventionRules.rules());
        rules.addAll(ScannerRules.rules());
        return Collections.unmodifiableList(rules);
    }
}
