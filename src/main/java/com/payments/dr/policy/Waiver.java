package com.payments.dr.policy;

import com.payments.dr.config.Protection;
import java.util.regex.Pattern;

/**
 * An accepted exception: rule {@code ruleId} does not apply to the resources whose construct path
 * matches {@code pathPattern} ({@code *} stands for any characters within one path segment), for
 * {@code reason}; in the {@code profile} only, or in both when it is null.
 */
public record Waiver(String ruleId, String pathPattern, String reason, Protection profile) {

    /** A waiver in every profile. */
    public Waiver(String ruleId, String pathPattern, String reason) {
        this(ruleId, pathPattern, reason, null);
    }

    /** Whether the waiver is in force for a stack of this profile. */
    public boolean appliesTo(Protection protection) {
        return profile == null || profile == protection;
    }

    public boolean covers(Finding finding) {
        return finding.rule().id().equals(ruleId) && matches(finding.resource().path());
    }

    boolean matches(String path) {
        StringBuilder regex = new StringBuilder();
        for (String part : pathPattern.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append("[^/]*");
            }
            regex.append(Pattern.quote(part));
        }
        return path.matches(regex.toString());
    }

    /** {@code RULE-ID path-pattern: reason}, one line. */
    public String line() {
        return ruleId + " " + pathPattern + ": " + reason;
    }
}
