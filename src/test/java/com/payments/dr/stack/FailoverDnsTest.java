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
 * Route 53: the zone, a health check per region's /health, the regional records and the failover
 * pair, the health-check alarms and the composite "fail over now" in us-east-1, outputs; a primary
 * outside us-east-1 gets a third provider and topic there.
 */
class FailoverDnsTest {

    private static Synth synth;
    private static Synth elsewhere;
    private static Synth drInUsEast1;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
        elsewhere = Synth.of(DrConfig.builder()
                .set(Setting.PRIMARY_REGION, "us-west-2")
                .set(Setting.DR_REGION, "us-east-2")
                .set(Setting.DNS_DOMAIN, "pay.acme.io")
                .set(Setting.HEALTH_CHECK_INTERVAL, "10")
                .set(Setting.HEALTH_CHECK_FAILURE_THRESHOLD, "2")
                .set(Setting.HEALTH_CHECK_REGIONS, "us-west-1,us-west-2,eu-west-1,sa-east-1")
                .build());
        drInUsEast1 = Synth.of(DrConfig.builder()
                .set(Setting.PRIMARY_REGION, "us-east-2")
                .set(Setting.DR_REGION, "us-east-1")
                .build());
    }

    private static String host(Synth s, String role, String region) {
        return s.ref("aws_api_gateway_rest_api", role + "_api_rest_api", "id") + ".execute-api." + region
                + ".amazonaws.com";
    }

    @Test
    void aZoneDerivedFromTheSuffixThatNothingProtects() {
        synth.assertResource("aws_route53_zone", Synth.props("name", "payments-dr-dev.com", "force_destroy", true,
                "provider", "aws.primary"));
        assertEquals(1, synth.resources("aws_route53_zone").size());
        elsewhere.assertResource("aws_route53_zone", Synth.props("name", "pay.acme.io"));
    }

    @Test
    void aHealthCheckPerRegionOnItsStagesHealthOverHttpsWithSni() {
        for (String role : List.of("primary", "dr")) {
            String region = role.equals("primary") ? "us-east-1" : "us-east-2";
            synth.assertResource("aws_route53_health_check", Synth.props("provider", "aws.primary",
                    "type", "HTTPS", "fqdn", host(synth, role, region), "port", 443,
                    "resource_path", "/v1-dev/health", "enable_sni", true, "request_interval", 30,
                    "failure_threshold", 3, "regions", List.of("us-east-1", "us-west-2", "eu-west-1"),
                    "tags", Map.of("Name", "healthcheck-api-" + role + "-dev")));
        }
        // the DR region's readiness: could it take over once promoted (the alarms', not DNS's)
        synth.assertResource("aws_route53_health_check", Synth.props("provider", "aws.primary",
                "type", "HTTPS", "fqdn", host(synth, "dr", "us-east-2"), "port", 443,
                "resource_path", "/v1-dev/health?probe=standby", "enable_sni", true, "request_interval", 30,
                "failure_threshold", 3, "tags", Map.of("Name", "healthcheck-api-standby-dev")));
        assertEquals(3, synth.resources("aws_route53_health_check").size());
        elsewhere.assertResource("aws_route53_health_check", Synth.props("fqdn", host(elsewhere, "primary", "us-west-2"),
                "request_interval", 10, "failure_threshold", 2,
                "regions", List.of("us-west-1", "us-west-2", "eu-west-1", "sa-east-1")));
    }

    @Test
    void regionalRecordsAndTheFailoverPairEachWithItsOwnHealthCheck() {
        String zone = synth.ref("aws_route53_zone", "dns_zone", "zone_id");
        String primaryHost = host(synth, "primary", "us-east-1");
        String drHost = host(synth, "dr", "us-east-2");
        synth.assertResource("aws_route53_record", Synth.props("zone_id", zone, "name", "primary.api.payments-dr-dev.com",
                "type", "CNAME", "ttl", 60, "records", List.of(primaryHost)));
        synth.assertResource("aws_route53_record", Synth.props("zone_id", zone, "name", "dr.api.payments-dr-dev.com",
                "type", "CNAME", "ttl", 60, "records", List.of(drHost)));
        synth.assertResource("aws_route53_record", Synth.props("zone_id", zone, "name", "api.payments-dr-dev.com",
                "type", "CNAME", "ttl", 60, "records", List.of(primaryHost), "set_identifier", "primary",
                "failover_routing_policy", Map.of("type", "PRIMARY"),
                "health_check_id", synth.ref("aws_route53_health_check", "dns_primary_health_check", "id")));
        synth.assertResource("aws_route53_record", Synth.props("zone_id", zone, "name", "api.payments-dr-dev.com",
                "type", "CNAME", "ttl", 60, "records", List.of(drHost), "set_identifier", "dr",
                "failover_routing_policy", Map.of("type", "SECONDARY"),
                "health_check_id", synth.ref("aws_route53_health_check", "dns_dr_health_check", "id")));
        assertEquals(4, synth.resources("aws_route53_record").size());
        for (JsonObject record : synth.resources("aws_route53_record")) {
            assertEquals("aws.primary", record.get("provider").getAsString());
        }
    }

    @Test
    void healthAlarmsAndTheCompositeLiveInUsEast1AndNotifyTheTopicThere() {
        String topic = synth.ref("aws_sns_topic", "primary_alerts_topic", "arn");
        // the primary's /health, and the DR region's readiness (its own /health fails until promoted)
        Map<String, String> checks = Map.of("primary-unhealthy", "dns_primary_health_check",
                "dr-not-ready", "dns_dr_readiness_check");
        // one bad minute must not page: 3 failing minutes out of 5
        checks.forEach((name, check) -> synth.assertResource("aws_cloudwatch_metric_alarm", Synth.props(
                "provider", "aws.primary", "alarm_name", "alarm-" + name + "-dev", "namespace", "AWS/Route53",
                "metric_name", "HealthCheckStatus", "statistic", "Minimum", "threshold", 1, "period", 60,
                "evaluation_periods", 5, "datapoints_to_alarm", 3,
                "comparison_operator", "LessThanThreshold", "treat_missing_data", "breaching",
                "dimensions", Map.of("HealthCheckId", synth.ref("aws_route53_health_check", check, "id")),
                "alarm_actions", List.of(topic), "ok_actions", List.of(topic))));
        // the DR region's own /health, the other way round: ALARM only while the DR region serves
        String drCheck = synth.ref("aws_route53_health_check", "dns_dr_health_check", "id");
        List<JsonObject> onDrHealth = synth.resources("aws_cloudwatch_metric_alarm").stream()
                .filter(alarm -> alarm.toString().contains(drCheck)).toList();
        assertEquals(1, onDrHealth.size());
        synth.assertResource("aws_cloudwatch_metric_alarm", Synth.props(
                "provider", "aws.primary", "alarm_name", "alarm-dr-serving-dev", "namespace", "AWS/Route53",
                "metric_name", "HealthCheckStatus", "statistic", "Minimum", "threshold", 1, "period", 60,
                "evaluation_periods", 5, "datapoints_to_alarm", 3,
                "comparison_operator", "GreaterThanOrEqualToThreshold", "treat_missing_data", "notBreaching",
                "dimensions", Map.of("HealthCheckId", drCheck),
                "alarm_actions", List.of(topic), "ok_actions", List.of(topic)));
        // it clears once the DR region serves (after a promotion or a switchover), though the old
        // primary stays read-only (503) and the DR region stays ready
        synth.assertResource("aws_cloudwatch_composite_alarm", Synth.props("provider", "aws.primary",
                "alarm_name", "alarm-fail-over-now-dev",
                "alarm_rule", "ALARM(\"" + synth.ref("aws_cloudwatch_metric_alarm", "dns_primary_unhealthy", "alarm_name")
                        + "\") AND OK(\"" + synth.ref("aws_cloudwatch_metric_alarm", "dns_dr_not_ready", "alarm_name")
                        + "\") AND NOT ALARM(\"" + synth.ref("aws_cloudwatch_metric_alarm", "dns_dr_serving", "alarm_name")
                        + "\")",
                "alarm_actions", List.of(topic), "ok_actions", List.of(topic)));
        String description = synth.resource("aws_cloudwatch_composite_alarm", "dns_fail_over_now")
                .get("alarm_description").getAsString();
        assertTrue(description.contains("not yet serving") && description.contains("clears"), description);
    }

    @Test
    void aPrimaryOutsideUsEast1GetsAThirdProviderAndTopicThereForTheHealthAlarms() {
        elsewhere.assertProvider("aws", Synth.props("alias", "route53_metrics", "region", "us-east-1"));
        assertEquals(3, elsewhere.json().getAsJsonObject("provider").getAsJsonArray("aws").size());
        JsonObject topic = elsewhere.resource("aws_sns_topic", "route53_alerts_topic");
        assertEquals("aws.route53_metrics", topic.get("provider").getAsString());
        String arn = elsewhere.ref("aws_sns_topic", "route53_alerts_topic", "arn");
        elsewhere.assertResource("aws_cloudwatch_composite_alarm", Synth.props("provider", "aws.route53_metrics",
                "alarm_actions", List.of(arn)));
        for (String name : List.of("primary-unhealthy", "dr-not-ready", "dr-serving")) {
            elsewhere.assertResource("aws_cloudwatch_metric_alarm", Synth.props("provider", "aws.route53_metrics",
                    "alarm_name", "alarm-" + name + "-dev", "alarm_actions", List.of(arn)));
        }
        // the primary's own alarms stay in the primary region
        for (JsonObject alarm : elsewhere.resources("aws_cloudwatch_metric_alarm")) {
            if (!alarm.get("namespace").getAsString().equals("AWS/Route53")) {
                assertFalse(alarm.get("provider").getAsString().equals("aws.route53_metrics"), alarm.toString());
            }
        }
    }

    @Test
    void aDrRegionInUsEast1HostsTheHealthAlarmsWithItsOwnTopic() {
        String arn = drInUsEast1.ref("aws_sns_topic", "dr_alerts_topic", "arn");
        drInUsEast1.assertResource("aws_cloudwatch_composite_alarm", Synth.props("provider", "aws.dr",
                "alarm_actions", List.of(arn), "ok_actions", List.of(arn)));
        for (String name : List.of("primary-unhealthy", "dr-not-ready", "dr-serving")) {
            drInUsEast1.assertResource("aws_cloudwatch_metric_alarm", Synth.props("provider", "aws.dr",
                    "alarm_name", "alarm-" + name + "-dev", "alarm_actions", List.of(arn)));
        }
        assertEquals(2, drInUsEast1.json().getAsJsonObject("provider").getAsJsonArray("aws").size());
        // the dashboard still graphs the health checks from us-east-1
        assertTrue(drInUsEast1.resources("aws_cloudwatch_dashboard").get(0).get("dashboard_body").getAsString()
                .contains("\"AWS/Route53\",\"HealthCheckStatus\""));
    }

    @Test
    void theStackExposesItsDnsAndDashboard() {
        DrStack stack = synth.stack();
        assertEquals("api.payments-dr-dev.com", stack.dns().failoverName());
        assertTrue(stack.dashboard().url().contains("#dashboards:name="));
    }

    @Test
    void outputsWithDescriptions() {
        JsonObject outputs = synth.json().getAsJsonObject("output");
        Map<String, String> expected = Map.of(
                "dns_zone_id", synth.ref("aws_route53_zone", "dns_zone", "zone_id"),
                "dns_name_servers", synth.ref("aws_route53_zone", "dns_zone", "name_servers"),
                "api_failover_name", "api.payments-dr-dev.com",
                "primary_health_check_id", synth.ref("aws_route53_health_check", "dns_primary_health_check", "id"),
                "dr_health_check_id", synth.ref("aws_route53_health_check", "dns_dr_health_check", "id"),
                "dr_readiness_check_id", synth.ref("aws_route53_health_check", "dns_dr_readiness_check", "id"),
                "fail_over_now_alarm_arn", synth.ref("aws_cloudwatch_composite_alarm", "dns_fail_over_now", "arn"));
        expected.forEach((name, value) -> {
            JsonObject output = outputs.getAsJsonObject(name);
            assertEquals(value, output.get("value").getAsString(), name);
            assertFalse(output.get("description").getAsString().isBlank(), name);
            assertFalse(output.has("sensitive") && output.get("sensitive").getAsBoolean(), name);
        });
        assertTrue(outputs.getAsJsonObject("dns_zone_id").get("description").getAsString().contains("not delegated"));
        assertFalse(elsewhere.json().getAsJsonObject("output").getAsJsonObject("dns_zone_id").get("description")
                .getAsString().contains("not delegated"));
    }
}
