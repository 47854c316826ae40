package com.payments.dr.blocks;

import com.hashicorp.cdktf.TerraformResourceLifecycle;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_group.CloudwatchLogGroup;
import com.hashicorp.cdktf.providers.aws.cloudwatch_log_resource_policy.CloudwatchLogResourcePolicy;
import com.hashicorp.cdktf.providers.aws.cloudwatch_metric_alarm.CloudwatchMetricAlarm;
import com.hashicorp.cdktf.providers.aws.kms_key.KmsKey;
import com.hashicorp.cdktf.providers.aws.route53_hosted_zone_dnssec.Route53HostedZoneDnssec;
import com.hashicorp.cdktf.providers.aws.route53_key_signing_key.Route53KeySigningKey;
import com.hashicorp.cdktf.providers.aws.route53_query_log.Route53QueryLog;
import com.payments.dr.naming.ResourceType;
import com.payments.dr.naming.Tags;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * The public zone's query log and DNSSEC signing, both where Route 53 requires them: in us-east-1
 * (the query log group, and the key-signing key's KMS key). The query log is encrypted with the
 * us-east-1 observability key and written by Route 53 under a resource policy scoped to this zone:
 * CloudWatch Logs encrypts whatever is ingested into the group under the key's statement for its own
 * service principal, so Route 53 needs no grant on the key, only the resource policy (CloudWatch Logs
 * User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS"; Route 53 API Reference,
 * CreateQueryLoggingConfig, which asks for the group and the policy in us-east-1 and nothing of KMS);
 * signing uses an ECC P-256 key that only Route 53's DNSSEC service may sign with, for this account.
 * The zone is validated by resolvers only once its parent holds the DS record (output
 * {@code dns_ds_record}); a derived, undelegated zone is signed but validated by no one. Two alarms
 * watch the signing, as the Route 53 Developer Guide ("Configuring DNSSEC signing") strongly
 * recommends: a signing failure left alone makes validating resolvers stop resolving the zone.
 */
public final class ZoneProtection extends Construct {

    /** The key-signing key's KMS key: the spec and usage Route 53 requires. */
    static final String KSK_KEY_SPEC = "ECC_NIST_P256";
    /**
     * The signing alarms' qualifiers and metrics (AWS/Route53, by HostedZoneId, published in us-east-1:
     * Route 53 Developer Guide, "Monitoring hosted zones using Amazon CloudWatch"):
     * {@code DNSSECInternalFailure} is 1 while an object of the zone is in INTERNAL_FAILURE;
     * {@code DNSSECKeySigningKeysNeedingAction} counts the key-signing keys in ACTION_NEEDED (their KMS
     * key deleted, disabled or its policy changed).
     */
    public static final Map<String, String> ALARMS = Map.of(
            "dnssec-internal-failure", "DNSSECInternalFailure",
            "dnssec-ksk-action-needed", "DNSSECKeySigningKeysNeedingAction");
    static final int ALARM_PERIOD_SECONDS = 300;

    private final String dsRecord;

    /**
     * @param home          us-east-1, where Route 53 writes query logs and reads its KMS keys
     * @param logGroupName  the query log group, on {@code logsKey}'s patterns
     * @param topicArn      us-east-1's alert topic, for the signing alarms
     */
    public ZoneProtection(Construct scope, String id, RegionContext home, String zoneId, String logGroupName,
                          EncryptionKey logsKey, int logRetentionDays, String topicArn) {
        super(scope, id);
        CloudwatchLogGroup queries = CloudwatchLogGroup.Builder.create(this, "query_log_group")
                .provider(home.provider())
                .name(logGroupName)
                .retentionInDays(logRetentionDays)
                .kmsKeyId(logsKey.arn())
                .skipDestroy(home.retainLogs())
                .build();
        String zoneArn = "arn:" + home.partition() + ":route53:::hostedzone/" + zoneId;
        CloudwatchLogResourcePolicy policy = CloudwatchLogResourcePolicy.Builder.create(this, "query_log_policy")
                .provider(home.provider())
                .policyName(home.naming().name(ResourceType.IAM_POLICY, "route53-query-logs"))
                .policyDocument(Iam.policy(List.of(Iam.statement("Route53QueryLogsOfThisZone",
                                List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                        .principals(List.of(Iam.service("route53.amazonaws.com")))
                        .resources(List.of(queries.getArn() + ":*"))
                        .condition(List.of(
                                Iam.condition("StringEquals", "aws:SourceAccount", home.accountId()),
                                Iam.condition("ArnLike", "aws:SourceArn", zoneArn)))
                        .build())))
                .build();
        Route53QueryLog.Builder.create(this, "query_log")
                .provider(home.provider())
                .zoneId(zoneId)
                .cloudwatchLogGroupArn(queries.getArn())
                .dependsOn(List.of(policy))
                .build();

        String root = "arn:" + home.partition() + ":iam::" + home.accountId() + ":root";
        KmsKey ksk = KmsKey.Builder.create(this, "signing_key")
                .provider(home.provider())
                .description("DNSSEC key-signing key of hosted zone " + zoneId)
                .customerMasterKeySpec(KSK_KEY_SPEC)
                .keyUsage("SIGN_VERIFY")
                .deletionWindowInDays(home.production() ? 30 : 7)
                .tags(Tags.name(home.naming().name(ResourceType.KMS_KEY, "dnssec")))
                .policy(Iam.policy(List.of(
                        Iam.statement("KeyAdministration", EncryptionKey.ADMIN_ACTIONS)
                                .principals(List.of(Iam.aws(root))).resources(List.of("*")).build(),
                        Iam.statement("Route53DnssecSigning", List.of("kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"))
                                .principals(List.of(Iam.service("dnssec-route53.amazonaws.com")))
                                .resources(List.of("*"))
                                .condition(List.of(
                                        Iam.condition("StringEquals", "aws:SourceAccount", home.accountId()),
                                        Iam.condition("ArnLike", "aws:SourceArn",
                                                "arn:" + home.partition() + ":route53:::hostedzone/*")))
                                .build(),
                        Iam.statement("Route53DnssecGrants", List.of("kms:CreateGrant"))
                                .principals(List.of(Iam.service("dnssec-route53.amazonaws.com")))
                                .resources(List.of("*"))
                                .condition(List.of(Iam.condition("Bool", "kms:GrantIsForAWSResource", "true")))
                                .build())))
                .lifecycle(home.production() ? TerraformResourceLifecycle.builder().preventDestroy(true).build() : null)
                .build();
        Route53KeySigningKey signing = Route53KeySigningKey.Builder.create(this, "key_signing_key")
                .provider(home.provider())
                .hostedZoneId(zoneId)
                .keyManagementServiceArn(ksk.getArn())
                .name("ksk_" + home.naming().suffix().replace('-', '_'))
                .status("ACTIVE")
                .build();
        dsRecord = signing.getDsRecord();
        Route53HostedZoneDnssec.Builder.create(this, "dnssec")
                .provider(home.provider())
                .hostedZoneId(zoneId)
                .signingStatus("SIGNING")
                .dependsOn(List.of(signing))
                .build();
        ALARMS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(alarm ->
                CloudwatchMetricAlarm.Builder.create(this, alarm.getKey().replace('-', '_'))
                        .provider(home.provider())
                        .alarmName(home.naming().name(ResourceType.CLOUDWATCH_ALARM, alarm.getKey()))
                        .alarmDescription("DNSSEC signing of " + zoneId + ": " + alarm.getValue() + " above 0; see"
                                + " the zone's DNSSEC status (get-dnssec) before resolvers stop resolving it")
                        .namespace("AWS/Route53")
                        .metricName(alarm.getValue())
                        .dimensions(Map.of("HostedZoneId", zoneId))
                        .statistic("Maximum")
                        .period(ALARM_PERIOD_SECONDS)
                        .evaluationPeriods(1)
                        .threshold(1)
                        .comparisonOperator("GreaterThanOrEqualToThreshold")
                        // published while the zone signs; silence is no failure
                        .treatMissingData("notBreaching")
                        .alarmActions(List.of(topicArn))
                        .okActions(List.of(topicArn))
                        .build());
    }

    /** The DS record to enter at the parent zone (the registrar) to make resolvers validate the zone. */
    public String dsRecord() {
        return dsRecord;
    }
}
