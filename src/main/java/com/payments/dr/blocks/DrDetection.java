package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.cloudwatch_composite_alarm.CloudwatchCompositeAlarm;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_rule.CloudwatchEventRule;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTarget;
import com.hashicorp.cdktf.providers.aws.cloudwatch_event_target.CloudwatchEventTargetRetryPolicy;
import com.hashicorp.cdktf.providers.aws.cloudwatch_metric_alarm.CloudwatchMetricAlarm;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunction;
import com.hashicorp.cdktf.providers.aws.lambda_function_event_invoke_config.LambdaFunctionEventInvokeConfig;
import com.hashicorp.cdktf.providers.aws.lambda_permission.LambdaPermission;
import com.payments.dr.events.FailoverProbe;
import com.payments.dr.naming.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.constructs.Construct;

/**
 * Detection of a primary-region failure from the DR region, where it is heard when the primary
 * region (by default us-east-1, the only region with Route 53's health-check metrics, the
 * us-east-1 alarms and their topic) is the one that failed: a probe function outside the VPC,
 * scheduled every minute in the DR region ({@link FailoverProbe}), asks the primary's
 * {@code /health}, the DR region's own {@code /health} and its readiness probe, and publishes the
 * answers as metrics in the DR region. Alarms on them there, and the composite "fail over now" of
 * the DR region's view, notify the DR region's alert topic.
 *
 * <p>The alarms mirror the us-east-1 ones ({@link FailoverDns}): 3 failing minutes of 5, "the DR
 * region serves" in ALARM while its /health passes (only after a promotion), and a composite that
 * clears once the DR region serves. A probe that stops publishing (the function fails, the schedule
 * is gone) makes "DR not ready" ALARM: it is heard, while the composite, which needs the DR region
 * ready, stays quiet rather than call for a failover nobody has evidence for. "Primary unhealthy"
 * keeps its state through silence, because a throttled answer (429: someone floods the keyless
 * {@code /health}) publishes no health datapoint either; 3 throttled minutes of 5 are an alarm of
 * their own, which tells the on-call that Route 53's checks (which a 429 fails) are not evidence
 * of an outage. While the system is healthy and the DR region passive, all five are OK.
 */
public final class DrDetection extends Construct {

    static final String HANDLER = "com.payments.dr.events.FailoverProbe::handleRequest";
    static final String SCHEDULE = "rate(1 minute)";
    static final int MEMORY_MB = 512;
    static final int TIMEOUT_SECONDS = 30;
    /** The alarms' qualifiers: the DR region's view, apart from the us-east-1 alarms' names. */
    public static final String PRIMARY_UNHEALTHY_ALARM = "dr-view-primary-unhealthy";
    public static final String DR_NOT_READY_ALARM = "dr-view-dr-not-ready";
    public static final String DR_SERVING_ALARM = "dr-view-dr-serving";
    public static final String FAIL_OVER_NOW_ALARM = "dr-view-fail-over-now";
    public static final String PRIMARY_THROTTLED_ALARM = "dr-view-primary-throttled";
    /** The metric alarms' qualifiers, in the order {@link #alarmArns()} lists them after the composite. */
    public static final List<String> METRIC_ALARMS = List.of(PRIMARY_UNHEALTHY_ALARM, DR_NOT_READY_ALARM,
            DR_SERVING_ALARM, PRIMARY_THROTTLED_ALARM);
    /** Probe runs a month: one a minute. */
    public static final long RUNS_PER_MONTH = 730L * 60;

    /**
     * @param region           the DR region
     * @param code             the event functions' package, which holds the probe
     * @param primaryHealthUrl the primary API's {@code /health} (its execute-api host, as Route 53 checks it)
     * @param drHealthUrl      the DR API's {@code /health}
     * @param topicArn         the DR region's alert topic
     */
    public record Props(RegionContext region, FunctionPackage code, EncryptionKey logsKey, EncryptionKey dataKey,
                        int logRetentionDays, String primaryHealthUrl, String drHealthUrl, String topicArn) {
    }

    private final String functionName;
    private final String probeName;
    private final String failOverNowAlarmArn;
    private final List<String> alarmArns;

    public DrDetection(Construct scope, String id, Props props) {
        super(scope, id);
        RegionContext region = props.region();
        String name = region.naming().name(ResourceType.EVENT_FUNCTION, "probe");
        probeName = name;
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PRIMARY_HEALTH_URL", props.primaryHealthUrl());
        environment.put("DR_HEALTH_URL", props.drHealthUrl());
        // it only calls HTTPS endpoints on the internet and writes its log: no AWS API at all
        LambdaFunction function = new JavaFunction(this, new JavaFunction.Props(region, JavaFunction.Ids.SOLE, name,
                "probe-fn", "Failover probe: the primary's /health and the DR region's own, from the DR region",
                HANDLER, MEMORY_MB, TIMEOUT_SECONDS, props.code(), props.logsKey(), props.dataKey(),
                props.logRetentionDays(), environment,
                List.of(JavaFunction.decryptEnvironment(region, props.dataKey())),
                // outside the VPC: the endpoints it calls are public, and it needs no NAT; one run a minute
                Optional.empty(), false, 1)).function();
        functionName = function.getFunctionName();
        String functionArn = function.getArn();
        // a run that failed is replaced by the next minute's: no retries, nothing older than a minute
        LambdaFunctionEventInvokeConfig.Builder.create(this, "async")
                .provider(region.provider())
                .functionName(functionName)
                .maximumRetryAttempts(0)
                .maximumEventAgeInSeconds(60)
                .build();
        CloudwatchEventRule schedule = CloudwatchEventRule.Builder.create(this, "schedule")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.EVENT_RULE, "failover-probe"))
                .description("Every minute: the failover probe of the DR region")
                .scheduleExpression(SCHEDULE)
                .build();
        CloudwatchEventTarget.Builder.create(this, "target")
                .provider(region.provider())
                .rule(schedule.getName())
                .arn(functionArn)
                .retryPolicy(CloudwatchEventTargetRetryPolicy.builder()
                        .maximumRetryAttempts(0)
                        .maximumEventAgeInSeconds(60)
                        .build())
                .build();
        LambdaPermission.Builder.create(this, "permission")
                .provider(region.provider())
                .statementId("AllowEventBridgeSchedule")
                .action("lambda:InvokeFunction")
                .functionName(functionName)
                .principal("events.amazonaws.com")
                .sourceArn(schedule.getArn())
                .build();

        // a throttled answer publishes no PrimaryHealthy (FailoverProbe): silence keeps what was known
        CloudwatchMetricAlarm primaryDown = alarm("primary_unhealthy", props, name, PRIMARY_UNHEALTHY_ALARM,
                "The primary region's /health fails as seen from " + region.region() + " (the DR region's probe;"
                        + " a throttled answer, 429, does not count)",
                FailoverProbe.PRIMARY_HEALTHY, "Minimum", "LessThanThreshold", "ignore");
        // the probe publishes every minute: silence is a dead probe, not a ready region
        CloudwatchMetricAlarm drNotReady = alarm("dr_not_ready", props, name, DR_NOT_READY_ALARM,
                "The DR region could not take over: its /health?probe=standby fails (DR region's probe)",
                FailoverProbe.DR_READY, "Minimum", "LessThanThreshold", "breaching");
        CloudwatchMetricAlarm drServing = alarm("dr_serving", props, name, DR_SERVING_ALARM,
                "The DR region serves payments: its /health passes (its database was promoted); OK again once it"
                        + " hands back (DR region's probe)", FailoverProbe.DR_SERVING, "Minimum",
                "GreaterThanOrEqualToThreshold", "notBreaching");
        CloudwatchMetricAlarm primaryThrottled = alarm("primary_throttled", props, name, PRIMARY_THROTTLED_ALARM,
                "The primary region's /health answers 429 (throttled) to the DR region's probe: someone floods it."
                        + " Route 53's checks get 429s too, so alarm-primary-unhealthy may fire without an outage:"
                        + " check a payment through primary_api_invoke_url before failing over (DR region's probe)",
                FailoverProbe.PRIMARY_THROTTLED, "Maximum", "GreaterThanOrEqualToThreshold", "notBreaching");
        CloudwatchCompositeAlarm failOverNow = CloudwatchCompositeAlarm.Builder.create(this, "fail_over_now")
                .provider(region.provider())
                .alarmName(region.naming().name(ResourceType.CLOUDWATCH_ALARM, FAIL_OVER_NOW_ALARM))
                .alarmDescription("FAIL OVER NOW (seen from the DR region " + region.region() + "): the primary region's"
                        + " /health is failing, the DR region is ready to take over and not yet serving: promote it"
                        + " (managed failover, docs/runbook.md); clears once the DR region serves")
                .alarmRule("ALARM(\"" + primaryDown.getAlarmName() + "\") AND OK(\"" + drNotReady.getAlarmName()
                        + "\") AND NOT ALARM(\"" + drServing.getAlarmName() + "\")")
                .alarmActions(List.of(props.topicArn()))
                .okActions(List.of(props.topicArn()))
                .build();
        failOverNowAlarmArn = failOverNow.getArn();
        alarmArns = new ArrayList<>(List.of(failOverNowAlarmArn, primaryDown.getArn(), drNotReady.getArn(),
                drServing.getArn(), primaryThrottled.getArn()));
    }

    /**
     * An alarm on one of the probe's metrics (1 or 0 a run), at threshold 1: the Minimum of a minute
     * is 0 as soon as one run in it failed, the Maximum 1 as soon as one was throttled.
     */
    private CloudwatchMetricAlarm alarm(String id, Props props, String probe, String qualifier, String description,
                                        String metric, String statistic, String comparison, String missingData) {
        RegionContext region = props.region();
        return CloudwatchMetricAlarm.Builder.create(this, id)
                .provider(region.provider())
                .alarmName(region.naming().name(ResourceType.CLOUDWATCH_ALARM, qualifier))
                .alarmDescription(description)
                .namespace(FailoverProbe.NAMESPACE)
                .metricName(metric)
                .dimensions(Map.of(FailoverProbe.DIMENSION, probe))
                .statistic(statistic)
                .period(60)
                .evaluationPeriods(FailoverDns.EVALUATION_PERIODS)
                .datapointsToAlarm(FailoverDns.DATAPOINTS_TO_ALARM)
                .threshold(1)
                .comparisonOperator(comparison)
                .treatMissingData(missingData)
                .alarmActions(List.of(props.topicArn()))
                .okActions(List.of(props.topicArn()))
                .build();
    }

    public String functionName() {
        return functionName;
    }

    /** The function's name as the metrics' {@code Probe} dimension spells it (a plain name, no reference). */
    public String probeName() {
        return probeName;
    }

    public String failOverNowAlarmArn() {
        return failOverNowAlarmArn;
    }

    /**
     * The composite first, then the primary's health, the DR region's readiness, whether it serves,
     * and whether the primary's /health is throttled.
     */
    public List<String> alarmArns() {
        return List.copyOf(alarmArns);
    }
}
