package com.payments.dr.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The ops notifier on AWS's documented event shapes, publishing through the real SNS client to a
 * wire-level SNS that checks every request's signature, and asking a wire-level RDS for the writer.
 */
class OpsNotifierTest {

    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:sns-alerts-dev";
    static final String PUBLISHED = "<PublishResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\">"
            + "<PublishResult><MessageId>5e1d3c2b-0000-4000-8000-000000000001</MessageId></PublishResult>"
            + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>";
    private static FakeQueryService sns;
    private static FakeQueryService rds;
    private static SnsClient snsClient;
    private static RdsClient rdsClient;

    @BeforeAll
    static void start() throws Exception {
        sns = new FakeQueryService("sns", Region.US_EAST_1, call -> new FakeQueryService.Response(200, PUBLISHED));
        rds = new FakeQueryService("rds", Region.US_EAST_1, call -> writerIn("us-east-2"));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(FakeQueryService.CREDENTIALS);
        snsClient = SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
                .endpointOverride(sns.endpoint()).credentialsProvider(credentials).build();
        rdsClient = RdsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
                .endpointOverride(rds.endpoint()).credentialsProvider(credentials).build();
    }

    @AfterAll
    static void stop() {
        snsClient.close();
        rdsClient.close();
        sns.close();
        rds.close();
    }

    @BeforeEach
    void healthyServices() {
        sns.respondWith(call -> new FakeQueryService.Response(200, PUBLISHED));
        rds.respondWith(call -> writerIn("us-east-2"));
    }

    static FakeQueryService.Response writerIn(String region) {
        String other = region.equals("us-east-1") ? "us-east-2" : "us-east-1";
        return new FakeQueryService.Response(200,
                "<DescribeGlobalClustersResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
                + "<DescribeGlobalClustersResult><GlobalClusters><GlobalClusterMember>"
                + "<GlobalClusterIdentifier>aurora-global-dev</GlobalClusterIdentifier><GlobalClusterMembers>"
                + "<GlobalClusterMember><DBClusterArn>arn:aws:rds:" + other + ":123456789012:cluster:aurora-x-dev"
                + "</DBClusterArn><IsWriter>false</IsWriter></GlobalClusterMember>"
                + "<GlobalClusterMember><DBClusterArn>arn:aws:rds:" + region + ":123456789012:cluster:aurora-y-dev"
                + "</DBClusterArn><IsWriter>true</IsWriter></GlobalClusterMember>"
                + "</GlobalClusterMembers></GlobalClusterMember></GlobalClusters></DescribeGlobalClustersResult>"
                + "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></DescribeGlobalClustersResponse>");
    }

    private static OpsNotifier notifier() {
        return new OpsNotifier(snsClient, rdsClient, TOPIC, "aurora-global-dev");
    }

    private static FakeQueryService.Call publish(String sample) throws Exception {
        int before = sns.calls().size();
        SampleEvents.logOf(() -> notifier().handleRequest(SampleEvents.stream(SampleEvents.text(sample)), null, null));
        List<FakeQueryService.Call> calls = sns.calls();
        assertEquals(before + 1, calls.size());
        FakeQueryService.Call call = calls.get(calls.size() - 1);
        assertEquals("Publish", call.get("Action"));
        assertEquals(TOPIC, call.get("TopicArn"));
        return call;
    }

    @Test
    void aGlobalFailoverSaysWhatHappenedWhoWritesNowAndWhatToDo() throws Exception {
        int rejectedBefore = sns.rejected() + rds.rejected();
        FakeQueryService.Call call = publish("rds-global-failover.json");
        assertEquals("Aurora global database failover or switchover in us-east-2", call.get("Subject"));
        String message = call.get("Message");
        assertTrue(message.contains("What happened: Global failover to DB cluster aurora-dr-dev in Region us-east-2"
                + " completed. (RDS-EVENT-0185, aurora-dr-dev)"), message);
        assertTrue(message.contains("Writer: The Aurora writer is now the cluster in us-east-2."), message);
        assertTrue(message.contains("What to do next: ") && message.contains("Runbook: docs/runbook.md"),
                message);
        assertTrue(message.contains("aws.rds / RDS DB Cluster Event / 2f4c1c7a-0b8e-4f64-8a6e-7c1d2b9e5a10"), message);
        assertEquals("aurora-global-dev", rds.calls().get(rds.calls().size() - 1).get("GlobalClusterIdentifier"));
        assertEquals(rejectedBefore, sns.rejected() + rds.rejected(), "every request was signed correctly");
    }

    @Test
    void eachSampleEventBecomesItsOwnSituation() throws Exception {
        assertEquals("Aurora cluster failover in us-east-1", publish("rds-cluster-failover.json").get("Subject"));
        assertEquals("Aurora instance unavailable in us-east-1", publish("rds-instance-unavailable.json").get("Subject"));
        FakeQueryService.Call health = publish("health-issue.json");
        assertEquals("AWS service issue in this region in us-east-1", health.get("Subject"));
        assertTrue(health.get("Message").contains("What happened: RDS AWS_RDS_OPERATIONAL_ISSUE: Increased error rates"),
                health.get("Message"));
        JsonObject other = SampleEvents.json("rds-cluster-failover.json");
        other.getAsJsonObject("detail").add("EventCategories", JsonParser.parseString("[\"notification\"]"));
        assertEquals(OpsNotifier.Situation.OTHER, notifier().compose(other).situation());
        JsonObject unknown = SampleEvents.json("health-issue.json");
        unknown.addProperty("source", "aws.pipes");
        assertTrue(notifier().compose(unknown).body().contains("What happened: AWS Health Event from aws.pipes"));
        JsonObject noDescription = SampleEvents.json("health-issue.json");
        noDescription.getAsJsonObject("detail").add("eventDescription", JsonParser.parseString("[]"));
        assertTrue(notifier().compose(noDescription).body().contains("What happened: RDS AWS_RDS_OPERATIONAL_ISSUE\n"));
        JsonObject longRegion = SampleEvents.json("health-issue.json");
        longRegion.addProperty("region", "x".repeat(120));
        assertEquals(OpsNotifier.MAX_SUBJECT, notifier().compose(longRegion).subject().length());
    }

    @Test
    void whenRdsCannotAnswerTheMessageStillGoesOutAndSaysHowToFindTheWriter() throws Exception {
        rds.respondWith(call -> new FakeQueryService.Response(400, "<ErrorResponse><Error><Type>Sender</Type>"
                + "<Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>"));
        String log = SampleEvents.logOf(() -> notifier().handleRequest(
                SampleEvents.stream(SampleEvents.text("rds-cluster-failover.json")), null, null));
        String message = sns.calls().get(sns.calls().size() - 1).get("Message");
        assertTrue(message.contains("could not be determined") && message.contains(
                "aws rds describe-global-clusters --global-cluster-identifier aurora-global-dev"), message);
        assertTrue(log.contains("\"event\":\"writer_lookup_failed\""), log);
        rds.respondWith(call -> new FakeQueryService.Response(200, "<DescribeGlobalClustersResponse"
                + " xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><DescribeGlobalClustersResult><GlobalClusters/>"
                + "</DescribeGlobalClustersResult></DescribeGlobalClustersResponse>"));
        assertTrue(notifier().writerRegion().isEmpty());
    }

    @Test
    void anRdsApiThatAcceptsAndNeverAnswersLeavesTimeToPublish() throws Exception {
        try (java.net.ServerSocket blackHole = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            RdsClient stalled = RdsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                    .overrideConfiguration(OpsNotifier.BOUNDED).region(Region.US_EAST_1)
                    .endpointOverride(java.net.URI.create("http://127.0.0.1:" + blackHole.getLocalPort()))
                    .credentialsProvider(StaticCredentialsProvider.create(FakeQueryService.CREDENTIALS)).build();
            long start = System.nanoTime();
            assertTrue(new OpsNotifier(snsClient, stalled, TOPIC, "aurora-global-dev").writerRegion().isEmpty());
            long millis = (System.nanoTime() - start) / 1_000_000;
            // the whole lookup is cut at the call timeout (9 s); it and the publish's fit in the function's 30 s
            assertTrue(millis < 11_000, "writer lookup took " + millis + " ms");
            assertTrue(2 * OpsNotifier.BOUNDED.apiCallTimeout().orElseThrow().toSeconds()
                    < com.payments.dr.blocks.EventWorkflows.TIMEOUT_SECONDS - 5);
            stalled.close();
        }
    }

    @Test
    void aFailedPublishFailsTheInvocationSoLambdaRetriesIt() {
        sns.respondWith(call -> new FakeQueryService.Response(400, "<ErrorResponse><Error><Type>Sender</Type>"
                + "<Code>AuthorizationError</Code><Message>denied</Message></Error><RequestId>r</RequestId></ErrorResponse>"));
        assertThrows(SdkException.class, () -> SampleEvents.logOf(() -> notifier().handleRequest(
                SampleEvents.stream(SampleEvents.text("rds-cluster-failover.json")), null, null)));
    }

    @Test
    void aRequestSignedWithOtherCredentialsIsRefusedByTheFake() {
        try (SnsClient wrong = SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.US_EAST_1).endpointOverride(sns.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wrong")))
                .build()) {
            int before = sns.rejected();
            assertThrows(SdkException.class, () -> wrong.publish(b -> b.topicArn(TOPIC).message("x")));
            assertTrue(sns.rejected() > before);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{oops",
        "{\"id\": 12, \"source\": \"aws.rds\"}",
        "{\"id\": \"e-2\", \"source\": \"aws.rds\"}",
        "{\"id\": \"e-2\", \"source\": \"aws.rds\", \"detail-type\": \"RDS DB Cluster Event\", \"region\": \"us-east-1\","
                + " \"time\": \"t\", \"detail\": {\"EventCategories\": \"failover\"}}",
        "{\"id\": \"e-2\", \"source\": \"aws.health\", \"detail-type\": \"AWS Health Event\", \"region\": \"us-east-1\","
                + " \"time\": \"t\", \"detail\": {\"service\": \"RDS\"}}",
    })
    void aMalformedEventIsLoggedAndFailsWithoutPublishing(String event) throws Exception {
        int before = sns.calls().size();
        String log = SampleEvents.logOf(() -> assertThrows(MalformedEventException.class,
                () -> notifier().handleRequest(SampleEvents.stream(event), null, null)));
        assertEquals(before, sns.calls().size());
        JsonObject line = JsonParser.parseString(log).getAsJsonObject();
        assertEquals("ops_event_rejected", line.get("event").getAsString());
        assertEquals(event.contains("e-2") ? "e-2" : "unknown", line.get("event_id").getAsString());
        assertTrue(line.get("reason").getAsString().endsWith(" is missing") || line.get("reason").getAsString()
                .startsWith("the event") || line.get("reason").getAsString().endsWith(" is not a list"), log);
    }

    @Test
    void theRuntimeConstructorReadsItsEnvironment() {
        new OpsNotifier(java.util.Map.of("AWS_REGION", "us-east-2", "ALERTS_TOPIC_ARN", TOPIC,
                "GLOBAL_CLUSTER_ID", "aurora-global-dev"));
        assertThrows(IllegalStateException.class, () -> new OpsNotifier(java.util.Map.of("AWS_REGION", "us-east-2")));
        // the test JVM has no ALERTS_TOPIC_ARN or RECEIPT_BUCKET, whatever its AWS_REGION
        assertThrows(IllegalStateException.class, OpsNotifier::new);
    }
}
