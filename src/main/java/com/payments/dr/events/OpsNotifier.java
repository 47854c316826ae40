package com.payments.dr.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.payments.dr.lambda.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.GlobalClusterMember;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Turns an operations event (Aurora cluster, global database and instance events, AWS Health
 * issues) into a message an operator can act on, published to the region's alert topic: what
 * happened, which region's cluster is the writer now (asked of RDS at that moment), and what to do
 * next, pointing to the runbook (docs/runbook.md).
 */
public final class OpsNotifier implements RequestStreamHandler {

    /** SNS refuses subjects longer than this. */
    static final int MAX_SUBJECT = 100;
    static final String RUNBOOK = "docs/runbook.md";

    private final SnsClient sns;
    private final RdsClient rds;
    private final String topicArn;
    private final String globalClusterId;

    /**
     * Both calls bounded inside the function's 30 s together (9 s each): a slow RDS API during a
     * regional event must leave time to publish "the writer could not be determined" rather than
     * time the invocation out (the SDK's defaults are a 30 s socket timeout and three attempts). An
     * attempt gets 4 s, not less: the first call of a cold JVM also loads and initializes the SDK's
     * classes inside its attempt, which takes seconds on a small or busy machine.
     */
    static final ClientOverrideConfiguration BOUNDED = ClientOverrideConfiguration.builder()
            .apiCallAttemptTimeout(Duration.ofSeconds(4))
            .apiCallTimeout(Duration.ofSeconds(9))
            .build();

    /** The Lambda runtime's constructor: topic, global cluster and region come from the environment. */
    public OpsNotifier() {
        this(System.getenv());
    }

    OpsNotifier(java.util.Map<String, String> environment) {
        this(SnsClient.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .overrideConfiguration(BOUNDED)
                        .region(Region.of(ReceiptHandler.required(environment, "AWS_REGION")))
                        .build(),
                RdsClient.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .overrideConfiguration(BOUNDED)
                        .region(Region.of(ReceiptHandler.required(environment, "AWS_REGION")))
                        .build(),
                ReceiptHandler.required(environment, "ALERTS_TOPIC_ARN"),
                ReceiptHandler.required(environment, "GLOBAL_CLUSTER_ID"));
    }

    OpsNotifier(SnsClient sns, RdsClient rds, String topicArn, String globalClusterId) {
        this.sns = sns;
        this.rds = rds;
        this.topicArn = topicArn;
        this.globalClusterId = globalClusterId;
    }

    /** What kind of situation an event describes, and what the operator should do about it. */
    enum Situation {
        GLOBAL_FAILOVER("Aurora global database failover or switchover",
                "Check that the writer region below is the one you expect, move traffic to it (DNS or clients),"
                        + " and watch the old primary rejoin as a secondary."),
        CLUSTER_FAILOVER("Aurora cluster failover",
                "The cluster promoted a reader within its region; connections reconnect on their own."
                        + " Check the payment function's errors and /health in this region."),
        INSTANCE_UNAVAILABLE("Aurora instance unavailable",
                "Check the instance in the RDS console; if the writer stays unavailable, decide on a"
                        + " global failover (runbook: unplanned failover)."),
        SERVICE_ISSUE("AWS service issue in this region",
                "Read the AWS Health event; if the payment path is affected, follow the runbook's"
                        + " unplanned failover."),
        OTHER("Operations event", "Read the event below and decide whether it needs action.");

        final String title;
        final String advice;

        Situation(String title, String advice) {
            this.title = title;
            this.advice = advice;
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String eventId = "unknown";
        Message message;
        try {
            JsonObject event = Events.parse(input);
            eventId = Events.optionalString(event, "id", eventId);
            message = compose(event);
        } catch (MalformedEventException e) {
            Log.error("ops_event_rejected", "event_id", eventId, "reason", e.getMessage());
            throw e;
        }
        sns.publish(b -> b.topicArn(topicArn).subject(message.subject()).message(message.body()));
        Log.info("ops_event_published", "event_id", eventId, "situation", message.situation().name());
    }

    record Message(Situation situation, String subject, String body) {
    }

    Message compose(JsonObject event) {
        String source = Events.string(event, "source");
        String detailType = Events.string(event, "detail-type");
        String region = Events.string(event, "region");
        String time = Events.string(event, "time");
        Situation situation;
        String what;
        if (source.equals("aws.rds")) {
            List<String> categories = strings(Events.element(event, "detail.EventCategories"));
            String id = Events.string(event, "detail.SourceIdentifier");
            what = Events.string(event, "detail.Message") + " (" + Events.optionalString(event, "detail.EventID", "no event id")
                    + ", " + id + ")";
            if (categories.contains("global-failover")) {
                situation = Situation.GLOBAL_FAILOVER;
            } else if (categories.contains("failover")) {
                situation = Situation.CLUSTER_FAILOVER;
            } else if (detailType.equals("RDS DB Instance Event")) {
                situation = Situation.INSTANCE_UNAVAILABLE;
            } else {
                situation = Situation.OTHER;
            }
        } else if (source.equals("aws.health")) {
            situation = Situation.SERVICE_ISSUE;
            String description = "";
            JsonElement descriptions = Events.element(event, "detail.eventDescription");
            if (descriptions.isJsonArray() && !descriptions.getAsJsonArray().isEmpty()
                    && descriptions.getAsJsonArray().get(0).isJsonObject()) {
                description = ": " + Events.optionalString(descriptions.getAsJsonArray().get(0).getAsJsonObject(),
                        "latestDescription", "");
            }
            what = Events.string(event, "detail.service") + " " + Events.string(event, "detail.eventTypeCode") + description;
        } else {
            situation = Situation.OTHER;
            what = detailType + " from " + source;
        }
        String writer = writerRegion()
                .map(r -> "The Aurora writer is now the cluster in " + r + ".")
                .orElse("The Aurora writer could not be determined (RDS did not answer); run"
                        + " `aws rds describe-global-clusters --global-cluster-identifier " + globalClusterId + "`.");
        String subject = situation.title + " in " + region;
        StringBuilder body = new StringBuilder()
                .append("What happened: ").append(what).append("\n")
                .append("Where and when: ").append(region).append(", ").append(time).append("\n")
                .append("Writer: ").append(writer).append("\n")
                .append("What to do next: ").append(situation.advice).append(" Runbook: ").append(RUNBOOK).append(".\n")
                .append("Event: ").append(source).append(" / ").append(detailType).append(" / ")
                .append(Events.optionalString(event, "id", "unknown")).append("\n");
        return new Message(situation, subject.length() > MAX_SUBJECT ? subject.substring(0, MAX_SUBJECT) : subject,
                body.toString());
    }

    /** The region of the global database's writer member, asked of RDS now; empty if RDS cannot say. */
    Optional<String> writerRegion() {
        try {
            return rds.describeGlobalClusters(b -> b.globalClusterIdentifier(globalClusterId)).globalClusters().stream()
                    .flatMap(c -> c.globalClusterMembers().stream())
                    .filter(m -> Boolean.TRUE.equals(m.isWriter()))
                    .map(GlobalClusterMember::dbClusterArn)
                    .map(arn -> arn.split(":"))
                    .filter(parts -> parts.length > 3)
                    .map(parts -> parts[3])
                    .findFirst();
        } catch (SdkException e) {
            Log.error("writer_lookup_failed", "error", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private static List<String> strings(JsonElement element) {
        if (!element.isJsonArray()) {
            throw new MalformedEventException("detail.EventCategories is not a list");
        }
        List<String> values = new ArrayList<>();
        element.getAsJsonArray().forEach(e -> values.add(e.isJsonPrimitive() ? e.getAsString() : ""));
        return values;
    }
}
