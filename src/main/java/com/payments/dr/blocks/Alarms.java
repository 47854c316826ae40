package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.cloudwatch_metric_alarm.CloudwatchMetricAlarm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * One CloudWatch alarm per {@link WatchedMetric} of a region, in that region, notifying that
 * region's alert topic both when it fires and when it clears (an operator must hear the all-clear
 * as well as the alarm).
 */
public final class Alarms extends Construct {

    private final RegionContext region;
    private final List<WatchedMetric> metrics;
    private final Map<String, CloudwatchMetricAlarm> alarms = new LinkedHashMap<>();

    public Alarms(Construct scope, String id, RegionContext region, List<WatchedMetric> metrics, String topicArn) {
        super(scope, id);
        this.region = region;
        this.metrics = List.copyOf(metrics);
        for (WatchedMetric m : metrics) {
            CloudwatchMetricAlarm.Builder alarm = CloudwatchMetricAlarm.Builder.create(this, m.key().replace('-', '_'))
                    .provider(region.provider())
                    .alarmName(m.alarmName(region.naming()))
                    .alarmDescription(m.title() + " in " + region.region() + " (" + region.role().label() + ")")
                    .namespace(m.namespace())
                    .metricName(m.metric())
                    .dimensions(m.dimensions())
                    .period(m.periodSeconds())
                    .evaluationPeriods(m.evaluationPeriods())
                    .datapointsToAlarm(m.evaluationPeriods())
                    .threshold(m.threshold())
                    .comparisonOperator(m.comparison())
                    .treatMissingData(m.missingData())
                    .alarmActions(List.of(topicArn))
                    .okActions(List.of(topicArn));
            if (m.percentile()) {
                alarm.extendedStatistic(m.statistic());
            } else {
                alarm.statistic(m.statistic());
            }
            alarms.put(m.key(), alarm.build());
        }
    }

    public RegionContext region() {
        return region;
    }

    public List<WatchedMetric> metrics() {
        return metrics;
    }

    /** The alarms' ARNs, in the watchlist's order. */
    public List<String> arns() {
        List<String> arns = new ArrayList<>();
        alarms.values().forEach(a -> arns.add(a.getArn()));
        return arns;
    }
}
