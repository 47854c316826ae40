package com.payments.dr.stack;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How CloudWatch evaluates a synthesized alarm, for the tests: a metric alarm over its last
 * {@code evaluation_periods} datapoints (one value of its statistic per period, {@code null} where
 * the metric published nothing), ALARM when at least {@code datapoints_to_alarm} of them breach,
 * missing data counted as {@code treat_missing_data} says (CloudWatch User Guide, "Configuring how
 * CloudWatch alarms treat missing data"); a composite from its children's states.
 */
public final class AlarmEvaluation {

    public static final String ALARM = "ALARM";
    public static final String OK = "OK";
    /** No datapoint at all with {@code ignore} or {@code missing}: CloudWatch keeps the state it had. */
    public static final String UNCHANGED = "UNCHANGED";

    private AlarmEvaluation() {
    }

    /** Whether one value breaches the alarm's threshold. */
    public static boolean breaches(JsonObject alarm, double value) {
        double threshold = alarm.get("threshold").getAsDouble();
        return switch (alarm.get("comparison_operator").getAsString()) {
            case "GreaterThanOrEqualToThreshold" -> value >= threshold;
            case "GreaterThanThreshold" -> value > threshold;
            case "LessThanThreshold" -> value < threshold;
            case "LessThanOrEqualToThreshold" -> value <= threshold;
            default -> throw new AssertionError("comparison " + alarm.get("comparison_operator"));
        };
    }

    /** The state after these periods (oldest first; only the last {@code evaluation_periods} count). */
    public static String state(JsonObject alarm, List<Double> periods) {
        int evaluate = alarm.get("evaluation_periods").getAsInt();
        int needed = alarm.has("datapoints_to_alarm") ? alarm.get("datapoints_to_alarm").getAsInt() : evaluate;
        String missing = alarm.has("treat_missing_data") ? alarm.get("treat_missing_data").getAsString() : "missing";
        List<Double> window = periods.subList(Math.max(0, periods.size() - evaluate), periods.size());
        int breaching = 0;
        int present = 0;
        for (Double value : window) {
            if (value != null) {
                present++;
                breaching += breaches(alarm, value) ? 1 : 0;
            } else if (missing.equals("breaching")) {
                breaching++;
            }
        }
        if (present == 0 && (missing.equals("ignore") || missing.equals("missing"))) {
            return UNCHANGED;
        }
        return breaching >= needed ? ALARM : OK;
    }

    /** The same value (or silence) every period: the alarm's steady state. */
    public static String steadyState(JsonObject alarm, Double value) {
        int periods = alarm.get("evaluation_periods").getAsInt();
        return state(alarm, java.util.Collections.nCopies(periods, value));
    }

    private static final Pattern TERM = Pattern.compile("(NOT )?(ALARM|OK)\\(\"([^\"]+)\"\\)");

    /**
     * A composite rule of terms joined by AND ({@code ALARM("x") AND OK("y") AND NOT ALARM("z")}),
     * given each child's state by the name (or reference) the rule spells.
     */
    public static String composite(String rule, Map<String, String> childStates) {
        for (String term : rule.split(" AND ")) {
            Matcher m = TERM.matcher(term.trim());
            if (!m.matches()) {
                throw new AssertionError("not a term of AND: " + term);
            }
            String state = childStates.get(m.group(3));
            if (state == null) {
                throw new AssertionError("no state for " + m.group(3));
            }
            boolean holds = state.equals(m.group(2)) != (m.group(1) != null);
            if (!holds) {
                return OK;
            }
        }
        return ALARM;
    }
}
