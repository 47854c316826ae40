package com.payments.dr.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runbook's commands filled in for one deployment. The runbook ({@code docs/runbook.md}) is the
 * single source: its headings and its {@code sh} code blocks, whose {@code {{name}}} placeholders
 * are outputs of the deployment or values derived from them ({@link #DERIVED}). So the printed
 * commands and the document cannot drift apart.
 */
public final class Runbook {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z0-9_]+)}}");

    /** Values the outputs imply without naming them, computed from the outputs. */
    public static final Map<String, Function<DeploymentOutputs, String>> DERIVED = new LinkedHashMap<>();

    static {
        DERIVED.put("outputs_file", o -> o.file().toString());
        DERIVED.put("primary_region", DeploymentOutputs::primaryRegion);
        DERIVED.put("dr_region", DeploymentOutputs::drRegion);
        DERIVED.put("primary_db_cluster_arn", o -> clusterArn(o, o.primaryRegion(), "primary_db_cluster_id"));
        DERIVED.put("dr_db_cluster_arn", o -> clusterArn(o, o.drRegion(), "dr_db_cluster_id"));
        DERIVED.put("fail_over_now_alarm_region", o -> DeploymentOutputs.regionOf(o.get("fail_over_now_alarm_arn")));
        DERIVED.put("fail_over_now_alarm_name", o -> alarmName(o.get("fail_over_now_alarm_arn")));
        DERIVED.put("dr_fail_over_now_alarm_name", o -> alarmName(o.get("dr_fail_over_now_alarm_arn")));
        // the stack names its alarms alarm-<what>-<suffix>: the mirror's, beside the composite's
        DERIVED.put("ack_mirror_failed_alarm_name", o -> alarmName(o.get("fail_over_now_alarm_arn"))
                .replaceFirst("^alarm-fail-over-now-", "alarm-ack-mirror-failed-"));
        // a secret's replica keeps its name and random suffix, in the DR region
        DERIVED.put("dr_db_secret_arn", o -> inRegion(o.get("db_secret_arn"), o.drRegion()));
        DERIVED.put("smoke_test_key_dr_secret_arn", o -> inRegion(o.get("smoke_test_key_secret_arn"), o.drRegion()));
    }

    private Runbook() {
    }

    private static String alarmName(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    /** The same ARN in {@code region} (a secret's replica). */
    private static String inRegion(String arn, String region) {
        String[] parts = arn.split(":", 5);
        return parts[0] + ":" + parts[1] + ":" + parts[2] + ":" + region + ":" + parts[4];
    }

    /** {@code arn:<partition>:rds:<region>:<account>:cluster:<id>}, partition and account from a topic's ARN. */
    private static String clusterArn(DeploymentOutputs outputs, String region, String idOutput) {
        String[] topic = outputs.get("primary_alerts_topic_arn").split(":");
        return "arn:" + topic[1] + ":rds:" + region + ":" + topic[4] + ":cluster:" + outputs.get(idOutput);
    }

    /** Every placeholder the runbook uses, sorted. */
    public static TreeSet<String> placeholders(String markdown) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(markdown);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The runbook's headings and {@code sh} blocks with every placeholder filled in; a placeholder the
     * outputs cannot fill is an {@link IllegalArgumentException} naming it.
     */
    public static String render(String markdown, DeploymentOutputs outputs) {
        List<String> out = new ArrayList<>();
        boolean inBlock = false;
        boolean shell = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                shell = !inBlock && line.equals("```sh");
                inBlock = !inBlock;
            } else if (inBlock && shell) {
                out.add("    " + fill(line, outputs));
            } else if (!inBlock && line.startsWith("#")) {
                out.add("");
                out.add(line.replaceFirst("^#+ ", ""));
            }
        }
        return String.join("\n", out).strip() + "\n";
    }

    private static String fill(String line, DeploymentOutputs outputs) {
        Matcher m = PLACEHOLDER.matcher(line);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = DERIVED.containsKey(name) ? DERIVED.get(name).apply(outputs) : outputs.get(name);
            m.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        m.appendTail(filled);
        return filled.toString();
    }
}
