package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DR region's own detection of a primary-region failure: the probe function in the DR region
 * (outside the VPC, scheduled every minute, asking the primary's /health and the DR region's own),
 * its four alarms and the composite "fail over now" there, all notifying the DR region's topic.
 */
class DrDetectionTest {

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }

    @Test
    void theProbeRunsInTheDrRegionOutsideTheVpcAskingBothRegionsHealth() {
        JsonObject probe = synth.resource("aws_lambda_function", "dr_detection_function");
        assertEquals("aws.dr", probe.get("provider").getAsString());
        assertEquals("lambda-probe-dev", probe.get("function_name").getAsString());
        assertEquals("com.payments.dr.events.FailoverProbe::handleRequest", probe.get("handler").getAsString());
        assertFalse(probe.has("vpc_config"), "it calls the public endpoints: no VPC, no NAT");
        JsonObject env = probe.getAsJsonObject("environment").getAsJsonObject("variables");
        assertEquals(synth.ref("aws_api_gateway_stage", "primary_api_stage", "invoke_url") + "/health",
                env.get("PRIMARY_HEALTH_URL").getAsString());
        assertEquals(synth.ref("aws_api_gateway_stage", "dr_api_stage", "invoke_url") + "/health",
                env.get("DR_HEALTH_URL").getAsString());
        // the events package: the payment package stays as it was
        assertTrue(probe.get("filename").getAsString().contains("events"), probe.get("filename").getAsString());
        // it may write its log and read its environment, nothing else: it calls no AWS API
        JsonObject policy = synth.policyOf("aws_iam_role_policy", "dr_detection_role_policy");
        List<String> actions = new java.util.ArrayList<>();
        policy.getAsJsonArray("statement").forEach(s -> actions.addAll(Synth.strings(s.getAsJsonObject()
                .getAsJsonArray("actions"))));
        assertEquals(List.of("logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTelemetryRecords",
                "xray:PutTraceSegments", "kms:Decrypt"), actions);
        synth.assertResource("aws_cloudwatch_log_group", Synth.props("provider", "aws.dr",
                "name", "/aws/lambda/lambda-probe-dev", "kms_key_id", synth.ref("aws_kms_key", "dr_logs_key_", "arn")));
        assertEquals(1, synth.resources("aws_lambda_function").stream()
                .filter(f -> f.get("handler").getAsString().contains("FailoverProbe")).count(), "in the DR region only");
    }

    @Test
    void aScheduleInvokesItEveryMinuteAndALostRunIsNotRetried() {
        JsonObject schedule = synth.resource("aws_cloudwatch_event_rule", "dr_detection_schedule");
        assertEquals("aws.dr", schedule.get("provider").getAsString());
        assertEquals("rate(1 minute)", schedule.get("schedule_expression").getAsString());
        assertEquals("rule-failover-probe-dev", schedule.get("name").getAsString());
        JsonObject target = synth.resource("aws_cloudwatch_event_target", "dr_detection_target");
        assertEquals(synth.ref("aws_lambda_function", "dr_detection_function", "arn"), target.get("arn").getAsString());
        // the next minute's run replaces a lost one: a retry or a dead letter would only be a stale answer
        assertEquals(0, target.getAsJsonObject("retry_policy").get("maximum_retry_attempts").getAsInt());
        assertEquals(60, target.getAsJsonObject("retry_policy").get("maximum_event_age_in_seconds").getAsInt());
        JsonObject permission = synth.resource("aws_lambda_permission", "dr_detection_permission");
        assertEquals("events.amazonaws.com", permission.get("principal").getAsString());
        assertEquals(synth.ref("aws_cloudwatch_event_rule", "dr_detection_schedule", "arn"),
                permission.get("source_arn").getAsString());
        JsonObject async = synth.resource("aws_lambda_function_event_invoke_config", "dr_detection_async");
        assertEquals(0, async.get("maximum_retry_attempts").getAsInt());
    }

    /** The alarm named {@code qualifier} of the DR region's view. */
    private static JsonObject alarm(String qualifier) {
        return synth.resources("aws_cloudwatch_metric_alarm").stream()
                .filter(a -> a.get("alarm_name").getAsString().equals("alarm-" + qualifier + "-dev"))
                .findFirst().orElseThrow(() -> new AssertionError("no alarm " + qualifier));
    }

    @Test
    void anAlarmInTheDrRegionToTheDrTopicWatchesThePrimarysHealthAsTheProbeSeesIt() {
        List<String> drTopic = List.of(synth.ref("aws_sns_topic", "dr_alerts_topic", "arn"));
        JsonObject primaryDown = alarm("dr-view-primary-unhealthy");
        assertEquals("aws.dr", primaryDown.get("provider").getAsString());
        assertEquals(drTopic, Synth.strings(primaryDown.getAsJsonArray("alarm_actions")));
        assertEquals(drTopic, Synth.strings(primaryDown.getAsJsonArray("ok_actions")));
        assertEquals("PaymentsDR/FailoverProbe", primaryDown.get("namespace").getAsString());
        assertEquals("PrimaryHealthy", primaryDown.get("metric_name").getAsString());
        // the probe's own name: the series it publishes (FailoverProbe reads AWS_LAMBDA_FUNCTION_NAME)
        assertEquals(Map.of("Probe", "lambda-probe-dev"), Map.of("Probe", primaryDown.getAsJsonObject("dimensions")
                .get("Probe").getAsString()));
        assertEquals("Minimum", primaryDown.get("statistic").getAsString());
        assertEquals("LessThanThreshold", primaryDown.get("comparison_operator").getAsString());
        assertEquals(1, primaryDown.get("threshold").getAsInt());
        assertEquals(60, primaryDown.get("period").getAsInt());
        assertEquals(5, primaryDown.get("evaluation_periods").getAsInt());
        assertEquals(3, primaryDown.get("datapoints_to_alarm").getAsInt());
        // a throttled answer publishes no health datapoint: silence keeps the state (a dead probe is
        // heard through "DR not ready", which treats silence as breaching)
        assertEquals("ignore", primaryDown.get("treat_missing_data").getAsString());
        JsonObject notReady = alarm("dr-view-dr-not-ready");
        assertEquals("DrReady", notReady.get("metric_name").getAsString());
        assertEquals("breaching", notReady.get("treat_missing_data").getAsString());
        JsonObject serving = alarm("dr-view-dr-serving");
        assertEquals("DrServing", serving.get("metric_name").getAsString());
        assertEquals("GreaterThanOrEqualToThreshold", serving.get("comparison_operator").getAsString());
        assertEquals("notBreaching", serving.get("treat_missing_data").getAsString());
        // throttled answers are their own alarm: a flood on /health, not an outage
        JsonObject throttled = alarm("dr-view-primary-throttled");
        assertEquals("PrimaryThrottled", throttled.get("metric_name").getAsString());
        assertEquals("Maximum", throttled.get("statistic").getAsString());
        assertEquals("GreaterThanOrEqualToThreshold", throttled.get("comparison_operator").getAsString());
        assertEquals("notBreaching", throttled.get("treat_missing_data").getAsString());
        assertEquals(3, throttled.get("datapoints_to_alarm").getAsInt());
        for (JsonObject a : List.of(notReady, serving, throttled)) {
            assertEquals("aws.dr", a.get("provider").getAsString());
            assertEquals(drTopic, Synth.strings(a.getAsJsonArray("alarm_actions")));
        }
    }

    @Test
    void theDrRegionsCompositeFailsOverWhenThePrimaryIsDownAndTheDrRegionReadyAndNotYetServing() {
        JsonObject composite = synth.resource("aws_cloudwatch_composite_alarm", "dr_detection_fail_over_now");
        assertEquals("aws.dr", composite.get("provider").getAsString());
        assertEquals("alarm-dr-view-fail-over-now-dev", composite.get("alarm_name").getAsString());
        List<String> drTopic = List.of(synth.ref("aws_sns_topic", "dr_alerts_topic", "arn"));
        assertEquals(drTopic, Synth.strings(composite.getAsJsonArray("alarm_actions")));
        assertEquals(drTopic, Synth.strings(composite.getAsJsonArray("ok_actions")));
        assertEquals("ALARM(\"" + synth.ref("aws_cloudwatch_metric_alarm", "dr_detection_primary_unhealthy", "alarm_name")
                        + "\") AND OK(\"" + synth.ref("aws_cloudwatch_metric_alarm", "dr_detection_dr_not_ready", "alarm_name")
                        + "\") AND NOT ALARM(\"" + synth.ref("aws_cloudwatch_metric_alarm", "dr_detection_dr_serving",
                        "alarm_name") + "\")",
                composite.get("alarm_rule").getAsString());
        assertEquals(synth.ref("aws_cloudwatch_composite_alarm", "dr_detection_fail_over_now", "arn"),
                synth.json().getAsJsonObject("output").getAsJsonObject("dr_fail_over_now_alarm_arn").get("value")
                        .getAsString());
    }

    @Test
    void whenTheDrRegionIsUsEast1ItsProbeAlarmsAndRoute53sDoNotCollide() {
        Synth east = Synth.of(DrConfig.builder().set(Setting.PRIMARY_REGION, "us-west-2")
                .set(Setting.DR_REGION, "us-east-1").build());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String type : List.of("aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm")) {
            for (JsonObject a : east.resources(type)) {
                String region = a.get("provider").getAsString().equals("aws.primary") ? "us-west-2" : "us-east-1";
                assertTrue(names.add(a.get("alarm_name").getAsString() + "@" + region), "two alarms named "
                        + a.get("alarm_name").getAsString() + " in " + region);
            }
        }
    }
}
