package com.payments.dr.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * One check of the policy gate. {@code source} names the scanner controls it corresponds to
 * (Checkov {@code CKV_AWS_…}, tfsec, AWS Security Hub), or the project rule it enforces.
 */
public record Rule(String id, Severity severity, String source, String summary, Check check) {

    /** Reports what violates the rule, one finding per resource and problem. */
    @FunctionalInterface
    public interface Check {
        void run(TerraformConfig config, Sink sink);
    }

    /** Where a check reports: the finding's message names the problem and the fix. */
    @FunctionalInterface
    public interface Sink {
        void report(Resource resource, String message);
    }

    public List<Finding> evaluate(TerraformConfig config) {
        List<Finding> findings = new ArrayList<>();
        check.run(config, (resource, message) -> findings.add(new Finding(this, resource, message)));
        return findings;
    }
}
