package com.payments.dr.blocks;

import com.payments.dr.naming.Naming;
import com.payments.dr.naming.ResourceType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric the operators watch, defined once: the alarm ({@link Alarms}) and the dashboard
 * widget ({@link Dashboard}) are both generated from it, so a graph always shows what its alarm
 * evaluates, with the alarm's threshold drawn on it.
 *
 * @param key              short, stable id: the alarm's name qualifier and the Terraform id
 * @param title            what a human reads on the alarm and the widget
 * @param namespace        CloudWatch namespace, e.g. {@code AWS/Lambda}
 * @param metric           metric name
 * @param dimensions       name to value, in the order CloudWatch lists them
 * @param statistic        {@code Sum}, {@code Average}, {@code Maximum} or a percentile {@code p99}
 * @param missingData      {@code treat_missing_data}: chosen per metric, the reason at its definition
 */
public record WatchedMetric(
        String key,
        String title,
        String namespace,
        String metric,
        Map<String, String> dimensions,
        String statistic,
        int periodSeconds,
        int evaluationPeriods,
        double threshold,
        String comparison,
        String missingData) {

    public static final String GREATER_OR_EQUAL = "GreaterThanOrEqualToThreshold";
    public static final String GREATER = "GreaterThanThreshold";
    /** No data is treated as within the threshold. */
    public static final String NOT_BREACHING = "notBreaching";
    /** No data is treated as an outage. */
    public static final String BREACHING = "breaching";
    /** No data keeps the alarm in its current state. */
    public static final String IGNORE = "ignore";

    public WatchedMetric {
        dimensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }

    /**
     * The alarm's name in any region (alarm names are unique per region): {@link Alarms} names its
     * alarms with it, and the readiness report names them with it, so the two cannot drift apart.
     */
    public String alarmName(Naming naming) {
        return naming.name(ResourceType.CLOUDWATCH_ALARM, key);
    }

    /** Percentiles go to {@code extended_statistic}, the rest to {@code statistic}. */
    public boolean percentile() {
        return statistic.startsWith("p");
    }

    /** The metric array of a dashboard widget: namespace, name, then dimension name/value pairs. */
    public List<Object> widgetMetric() {
        List<Object> row = new java.util.ArrayList<>(List.of(namespace, metric));
        dimensions.forEach((name, value) -> {
            row.add(name);
            row.add(value);
        });
        return row;
    }
}
