package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.cloudwatch_composite_alarm.CloudwatchCompositeAlarm;
import com.hashicorp.cdktf.providers.aws.cloudwatch_metric_alarm.CloudwatchMetricAlarm;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.route53_health_check.Route53HealthCheck;
import com.hashicorp.cdktf.providers.aws.route53_record.Route53Record;
import com.hashicorp.cdktf.providers.aws.route53_record.Route53RecordAlias;
import com.hashicorp.cdktf.providers.aws.route53_record.Route53RecordFailoverRoutingPolicy;
import com.hashicorp.cdktf.providers.aws.route53_zone.Route53Zone;
import com.payments.dr.config.HealthCheckSettings;
import com.payments.dr.naming.Naming;
import com.payments.dr.naming.ResourceType;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * DNS failover between the two regions' APIs: the hosted zone, a health check per region on its
 * {@code /health}, a record per region ({@code primary.api.<zone>}, {@code dr.api.<zone>}) and the
 * failover pair on {@code api.<zone>}: PRIMARY with the primary's health check, SECONDARY with the
 * DR region's own, so a dead DR region is never the answer either. The DR region's /health is 503
 * until its database is promoted (it cannot take a payment before), so DNS moves only once the
 * promotion is done; a third check asks the DR region {@code /health?probe=standby} (could it take
 * over once promoted?) for the alarms. Route 53 publishes health-check metrics only in us-east-1:
 * the alarms on them, and the composite "primary down, DR ready, DR not yet serving: fail over
 * now", live there and notify the alert topic there.
 *
 * <p>The composite's third term is what makes it clear again: after a promotion (or a planned
 * switchover) the old primary comes back read-only, so its /health stays 503 and the DR region
 * stays ready for good; only "the DR region serves" changes. That alarm ({@link #DR_SERVING_ALARM})
 * is the DR region's own /health seen the other way round: ALARM while it passes, which happens
 * only after a promotion, so its steady state is OK and its two notifications (the DR region took
 * over, it handed back) are events an operator wants. An alarm on the same check the usual way
 * round would sit in ALARM every day and could notify no one.
 */
public final class FailoverDns extends Construct {

    /** What the DR readiness check asks the payment function. */
    public static final String READINESS_QUERY = "?" + com.payments.dr.function.HealthService.PROBE + "="
            + com.payments.dr.function.HealthService.STANDBY;
    /** Seconds resolvers may cache an answer: a failover reaches clients within a minute. */
    public static final int TTL_SECONDS = 60;
    /** The alarms on the health checks (us-east-1): their names' qualifiers, for the readiness report. */
    public static final String PRIMARY_UNHEALTHY_ALARM = "primary-unhealthy";
    public static final String DR_NOT_READY_ALARM = "dr-not-ready";
    /** On the DR region's own /health, in ALARM while it passes: the DR region serves. */
    public static final String DR_SERVING_ALARM = "dr-serving";
    /**
     * The health-check alarms fire on {@link #DATAPOINTS_TO_ALARM} failing minutes out of
     * {@link #EVALUATION_PERIODS}: Route 53 has already applied HEALTH_CHECK_FAILURE_THRESHOLD
     * before a minute counts as failing (its Minimum is 0 as soon as the check was unhealthy once
     * in it), so one bad minute (a cold start, a brief throttle, one flapping checker) must not page
     * "fail over now"; a real outage still pages within about 3 minutes of Route 53's verdict.
     */
    public static final int EVALUATION_PERIODS = 5;
    public static final int DATAPOINTS_TO_ALARM = 3;
    /** Each region's /health and the DR region's readiness probe. */
    public static final int HEALTH_CHECKS = 3;
    public static final String FAIL_OVER_NOW_ALARM = "fail-over-now";
    /** The only region where Route 53 publishes health-check metrics. */
    public static final String METRICS_REGION = "us-east-1";

    /**
     * One region's API as the health checks and records see it.
     *
     * @param stagePath     the stage's name, in the health checks' path
     * @param deployedStage the stage's name read from the stage: a base-path mapping naming it waits
     *                      for the stage (API Gateway refuses a mapping to a stage that does not exist)
     * @param provider      creates the region's custom domain and certificate (custom domains)
     */
    public record Endpoint(String label, String host, String stagePath, String deployedStage, AwsProvider provider,
                           String apiId) {
    }

    /**
     * @param provider        creates the zone, health checks and records (Route 53 is global)
     * @param metricsProvider a provider in us-east-1, for the health-check alarms
     * @param metricsTopicArn the alert topic in us-east-1
     */
    public record Props(AwsProvider provider, AwsProvider metricsProvider, String metricsTopicArn, Naming naming,
                        String zoneName, HealthCheckSettings settings, Endpoint primary, Endpoint dr,
                        boolean customDomains) {
    }

    private final Route53Zone zone;
    // each read from jsii once, however many records, alarms and outputs use it (docs/performance.md)
    private final String zoneId;
    private final String primaryCheckId;
    private final String drCheckId;
    private final String drReadinessCheckId;
    private final String failoverName;
    private final String failOverNowAlarmArn;
    private final ApiCustomDomains customDomains;
    private final List<String> failoverAlarmArns;

    public FailoverDns(Construct scope, String id, Props props) {
        super(scope, id);
        zone = Route53Zone.Builder.create(this, "zone")
                .provider(props.provider())
                .name(props.zoneName())
                .comment("payments-dr " + props.naming().suffix() + ": API failover")
                // the records are this stack's own: nothing may keep the zone from being destroyed
                .forceDestroy(true)
                .build();
        zoneId = zone.getZoneId();
        primaryCheckId = healthCheck("primary_health_check", props, props.primary(), "", props.primary().label());
        drCheckId = healthCheck("dr_health_check", props, props.dr(), "", props.dr().label());
        drReadinessCheckId = healthCheck("dr_readiness_check", props, props.dr(), READINESS_QUERY, "standby");
        failoverName = "api." + props.zoneName();
        Endpoint primary = props.primary();
        Endpoint dr = props.dr();
        // The health checks keep calling each region's execute-api host, not a custom name: that
        // host needs neither delegation nor a certificate of ours (no false failover while ACM
        // validates), and a check on api.<zone> would follow the failover it decides.
        customDomains = props.customDomains()
                ? new ApiCustomDomains(this, "custom_domains", props.provider(), zoneId, failoverName,
                        regionalApi(primary), regionalApi(dr))
                : null;
        record("primary_record", props, primary.label() + ".api." + props.zoneName(), primary,
                customDomains == null ? null : customDomains.regional(primary.label()), null, null);
        record("dr_record", props, dr.label() + ".api." + props.zoneName(), dr,
                customDomains == null ? null : customDomains.regional(dr.label()), null, null);
        record("failover_primary", props, failoverName, primary,
                customDomains == null ? null : customDomains.shared(primary.label()), "PRIMARY", primaryCheckId);
        record("failover_secondary", props, failoverName, dr,
                customDomains == null ? null : customDomains.shared(dr.label()), "SECONDARY", drCheckId);

        CloudwatchMetricAlarm primaryDown = healthAlarm("primary_unhealthy", props, PRIMARY_UNHEALTHY_ALARM,
                "Route 53 health check of the primary region's /health failing", primaryCheckId, false);
        CloudwatchMetricAlarm drNotReady = healthAlarm("dr_not_ready", props, DR_NOT_READY_ALARM,
                "The DR region could not take over: /health?probe=standby failing (table or database reader "
                        + "endpoint unreachable)", drReadinessCheckId, false);
        CloudwatchMetricAlarm drServing = healthAlarm("dr_serving", props, DR_SERVING_ALARM,
                "The DR region serves payments (its /health passes: its database was promoted, by a failover or "
                        + "a switchover); OK again once it hands back", drCheckId, true);
        CloudwatchCompositeAlarm failOverNow = CloudwatchCompositeAlarm.Builder.create(this, "fail_over_now")
                .provider(props.metricsProvider())
                .alarmName(props.naming().name(ResourceType.CLOUDWATCH_ALARM, FAIL_OVER_NOW_ALARM))
                .alarmDescription("FAIL OVER NOW: the primary region's /health is failing, the DR region is "
                        + "ready to take over and not yet serving: promote it (managed failover, docs/runbook.md); "
                        + "DNS follows once its /health passes, and this alarm clears then")
                // NOT ALARM: also true while the DR-serving alarm has no data yet (a fresh stack)
                .alarmRule("ALARM(\"" + primaryDown.getAlarmName() + "\") AND OK(\"" + drNotReady.getAlarmName()
                        + "\") AND NOT ALARM(\"" + drServing.getAlarmName() + "\")")
                .alarmActions(List.of(props.metricsTopicArn()))
                .okActions(List.of(props.metricsTopicArn()))
                .build();
        failOverNowAlarmArn = failOverNow.getArn();
        failoverAlarmArns = List.of(failOverNowAlarmArn, primaryDown.getArn(), drNotReady.getArn(),
                drServing.getArn());
    }

    private static ApiCustomDomains.RegionalApi regionalApi(Endpoint endpoint) {
        return new ApiCustomDomains.RegionalApi(endpoint.label(), endpoint.provider(), endpoint.apiId(),
                endpoint.deployedStage());
    }

    /** A health check of {@code endpoint}'s /health (with {@code query}); returns its id. */
    private String healthCheck(String id, Props props, Endpoint endpoint, String query, String name) {
        HealthCheckSettings settings = props.settings();
        return Route53HealthCheck.Builder.create(this, id)
                .provider(props.provider())
                .type("HTTPS")
                .fqdn(endpoint.host())
                .port(443)
                .resourcePath("/" + endpoint.stagePath() + "/health" + query)
                // API Gateway serves several APIs on one address: without SNI the handshake fails
                .enableSni(true)
                .requestInterval(settings.intervalSeconds())
                .failureThreshold(settings.failureThreshold())
                .regions(settings.regions())
                .tags(Map.of("Name", props.naming().name(ResourceType.HEALTH_CHECK, name)))
                .build()
                .getId();
    }

    /**
     * A CNAME to the region's execute-api host, or with custom domains an alias A record to the
     * region's API Gateway domain name. The alias does not evaluate target health: API Gateway
     * offers Route 53 none, the attached health check (through function and database) decides.
     */
    private void record(String id, Props props, String name, Endpoint endpoint, ApiCustomDomains.AliasTarget alias,
                        String failover, String healthCheckId) {
        Route53Record.Builder record = Route53Record.Builder.create(this, id)
                .provider(props.provider())
                .zoneId(zoneId)
                .name(name);
        if (alias == null) {
            record.type("CNAME").ttl(TTL_SECONDS).records(List.of(endpoint.host()));
        } else {
            record.type("A").alias(Route53RecordAlias.builder()
                    .name(alias.name())
                    .zoneId(alias.zoneId())
                    .evaluateTargetHealth(false)
                    .build());
        }
        if (failover != null) {
            record.setIdentifier(endpoint.label())
                    .failoverRoutingPolicy(Route53RecordFailoverRoutingPolicy.builder().type(failover).build())
                    .healthCheckId(healthCheckId);
        }
        record.build();
    }

    private CloudwatchMetricAlarm healthAlarm(String id, Props props, String qualifier, String description,
                                              String healthCheckId, boolean whilePassing) {
        return CloudwatchMetricAlarm.Builder.create(this, id)
                .provider(props.metricsProvider())
                .alarmName(props.naming().name(ResourceType.CLOUDWATCH_ALARM, qualifier))
                .alarmDescription(description)
                .namespace("AWS/Route53")
                .metricName("HealthCheckStatus")
                .dimensions(Map.of("HealthCheckId", healthCheckId))
                .statistic("Minimum")
                .period(60)
                .evaluationPeriods(EVALUATION_PERIODS)
                .datapointsToAlarm(DATAPOINTS_TO_ALARM)
                .threshold(1)
                .comparisonOperator(whilePassing ? "GreaterThanOrEqualToThreshold" : "LessThanThreshold")
                // Route 53 reports every minute while the check exists: silence is not health
                .treatMissingData(whilePassing ? "notBreaching" : "breaching")
                .alarmActions(List.of(props.metricsTopicArn()))
                .okActions(List.of(props.metricsTopicArn()))
                .build();
    }

    public String zoneId() {
        return zoneId;
    }

    public List<String> nameServers() {
        return zone.getNameServers();
    }

    public String failoverName() {
        return failoverName;
    }

    public String primaryHealthCheckId() {
        return primaryCheckId;
    }

    public String drHealthCheckId() {
        return drCheckId;
    }

    public String drReadinessCheckId() {
        return drReadinessCheckId;
    }

    public String failOverNowAlarmArn() {
        return failOverNowAlarmArn;
    }

    /**
     * The failover decision's alarms (us-east-1): "fail over now", then the primary's health, the DR
     * region's readiness and whether the DR region serves.
     */
    public List<String> failoverAlarmArns() {
        return failoverAlarmArns;
    }

    /** The custom domains, if CUSTOM_DOMAINS=true. */
    public java.util.Optional<ApiCustomDomains> customDomains() {
        return java.util.Optional.ofNullable(customDomains);
    }
}
