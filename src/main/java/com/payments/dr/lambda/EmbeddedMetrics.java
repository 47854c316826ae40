package com.payments.dr.lambda;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * CloudWatch's embedded metric format, shared by every function that publishes metrics through its
 * log: a log line carrying {@link #directive} under {@code _aws} becomes metrics, with no API call
 * (and so no endpoint in the VPC) and no extra request per invocation.
 */
public final class EmbeddedMetrics {

    private EmbeddedMetrics() {
    }

    /** A metric's definition for {@link #directive}; its value is the line's member of that name. */
    public static JsonObject metric(String name, String unit) {
        JsonObject metric = new JsonObject();
        metric.addProperty("Name", name);
        metric.addProperty("Unit", unit);
        return metric;
    }

    /**
     * The {@code _aws} member: {@code metrics} in {@code namespace}, by {@code dimensions} (each the
     * name of a member of the line; none, one series), at {@code timestampMillis}.
     */
    public static JsonObject directive(String namespace, List<String> dimensions, JsonArray metrics,
            long timestampMillis) {
        JsonArray dimensionSet = new JsonArray();
        dimensions.forEach(dimensionSet::add);
        JsonArray dimensionSets = new JsonArray();
        dimensionSets.add(dimensionSet);
        JsonObject directive = new JsonObject();
        directive.addProperty("Namespace", namespace);
        directive.add("Dimensions", dimensionSets);
        directive.add("Metrics", metrics);
        JsonArray directives = new JsonArray();
        directives.add(directive);
        JsonObject aws = new JsonObject();
        aws.addProperty("Timestamp", timestampMillis);
        aws.add("CloudWatchMetrics", directives);
        return aws;
    }
}
