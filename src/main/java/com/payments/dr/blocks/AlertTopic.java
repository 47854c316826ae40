package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.sns_topic.SnsTopic;
import com.hashicorp.cdktf.providers.aws.sns_topic_policy.SnsTopicPolicy;
import com.hashicorp.cdktf.providers.aws.sns_topic_subscription.SnsTopicSubscription;
import com.payments.dr.naming.ResourceType;
import java.util.List;
import java.util.Optional;
import software.constructs.Construct;

/**
 * The region's alert topic ({@code sns-alerts-<suffix>}): what operators hear about. Encrypted with
 * a customer-managed key, because the AWS-managed SNS key cannot be shared with CloudWatch alarms:
 * the region's key for observability data, which also encrypts its log groups (one key for one class
 * of data; the key's policy gives each service its own statement, so none gains a use it did not
 * have with a key of its own). Published to only by CloudWatch alarms of this account and region,
 * and by roles of this account that were granted {@link #publishStatements()} (the ops notifier,
 * which the EventBridge rules invoke); TLS only.
 *
 * <p>No EventBridge rule targets the topic, so EventBridge may neither publish to it nor use its
 * key. A rule that should would need its own key statement for {@code events.amazonaws.com}
 * without {@code aws:SourceAccount}: the SNS developer guide ("Key management", for encrypted
 * topics) says that condition is not supported for EventBridge publishing to an encrypted topic.
 */
public final class AlertTopic extends Construct {

    /** What a publisher needs on the topic's key: SNS encrypts each message with a data key. */
    static final List<String> PUBLISH_KEY_ACTIONS = List.of("kms:Decrypt", "kms:GenerateDataKey");
    /** What the account may do with its own topic besides publishing (the console's default set). */
    static final List<String> OWNER_ACTIONS = List.of("sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic",
            "sns:Publish", "sns:SetTopicAttributes", "sns:Subscribe");

    private final EncryptionKey key;
    private final SnsTopic topic;
    private final String topicArn;

    private static final String CLOUDWATCH = "cloudwatch.amazonaws.com";

    /**
     * The statements the topic's key needs: CloudWatch alarms of this account encrypt what they
     * publish as themselves; the account's roles (the functions') only through SNS, and only if IAM
     * lets them.
     */
    public static List<PolicyStatement> keyStatements(RegionContext region) {
        return List.of(
                Iam.statement("CloudWatchAlarmsInThisAccount", PUBLISH_KEY_ACTIONS)
                        .principals(List.of(Iam.service(CLOUDWATCH)))
                        .resources(List.of("*"))
                        .condition(List.of(Iam.condition("StringEquals", "aws:SourceAccount", region.accountId())))
                        .build(),
                Iam.statement("AccountPrincipalsThroughSns", PUBLISH_KEY_ACTIONS)
                        .principals(List.of(Iam.aws("arn:" + region.partition() + ":iam::" + region.accountId() + ":root")))
                        .resources(List.of("*"))
                        .condition(List.of(
                                Iam.condition("StringEquals", "kms:ViaService", "sns." + region.region() + ".amazonaws.com"),
                                Iam.condition("StringEquals", "kms:CallerAccount", region.accountId())))
                        .build());
    }

    /** @param key a key whose policy includes {@link #keyStatements} */
    public AlertTopic(Construct scope, String id, RegionContext region, EncryptionKey key, Optional<String> email) {
        super(scope, id);
        String cloudwatch = CLOUDWATCH;
        this.key = key;
        topic = SnsTopic.Builder.create(this, "topic")
                .provider(region.provider())
                .name(region.naming().name(ResourceType.SNS_TOPIC))
                .displayName("Payments DR alerts (" + region.role().label() + ")")
                .kmsMasterKeyId(key.arn())
                .build();
        topicArn = topic.getArn();
        SnsTopicPolicy.Builder.create(this, "policy")
                .provider(region.provider())
                .arn(topicArn)
                .policy(Iam.policy(List.of(
                        Iam.statement("AccountOwnsTheTopic", OWNER_ACTIONS)
                                .principals(List.of(Iam.aws("arn:" + region.partition() + ":iam::" + region.accountId() + ":root")))
                                .resources(List.of(topicArn))
                                .build(),
                        publishFromThisAccount("CloudWatchAlarmsOfThisAccount", cloudwatch, region,
                                region.arn("cloudwatch", "alarm:*")),
                        Iam.denyInsecureTransport("sns", List.of(topicArn)))))
                .build();
        // e-mail subscriptions stay "pending confirmation" until the recipient clicks the link
        email.ifPresent(address -> SnsTopicSubscription.Builder.create(this, "email")
                .provider(region.provider())
                .topicArn(topicArn)
                .protocol("email")
                .endpoint(address)
                .build());
    }

    /** {@code service}'s resources of this account matching {@code sourceArn} may publish to the topic. */
    private PolicyStatement publishFromThisAccount(String sid, String service, RegionContext region, String sourceArn) {
        return Iam.statement(sid, List.of("sns:Publish"))
                .principals(List.of(Iam.service(service)))
                .resources(List.of(topicArn))
                .condition(List.of(
                        Iam.condition("StringEquals", "aws:SourceAccount", region.accountId()),
                        Iam.condition("ArnLike", "aws:SourceArn", sourceArn)))
                .build();
    }

    public String arn() {
        return topicArn;
    }

    /** What a role needs to publish to this topic: the topic, and its key through SNS. */
    public List<PolicyStatement> publishStatements(String sidPrefix) {
        return List.of(
                Iam.allow(sidPrefix + "PublishAlerts", List.of("sns:Publish"), List.of(topicArn)),
                Iam.statement(sidPrefix + "EncryptAlerts", PUBLISH_KEY_ACTIONS)
                        .resources(List.of(key.arn()))
                        .build());
    }
}
