package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.hashicorp.cdktf.Testing;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The alert topic of each region: its key, its policy, the optional e-mail subscription, outputs. */
class AlertTopicTest {

    private static Synth synth;
    private static Synth withEmail;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
        withEmail = Synth.of(DrConfig.builder().set(Setting.ALARM_EMAIL, "oncall@payments.io").build());
    }

    @Test
    void oneEncryptedTopicPerRegionUnderTheRegionsObservabilityKey() {
        List<JsonObject> topics = synth.resources("aws_sns_topic");
        assertEquals(2, topics.size());
        for (String role : List.of("primary", "dr")) {
            JsonObject topic = synth.resource("aws_sns_topic", role + "_alerts_topic");
            assertEquals("sns-alerts-dev", topic.get("name").getAsString());
            assertEquals("aws." + role, topic.get("provider").getAsString());
            // the key of the region's log groups: one key per class of data (observability), not per topic
            assertTrue(topic.get("kms_master_key_id").getAsString().startsWith("${aws_kms_key." + role + "_logs_key_"),
                    topic.toString());
        }
        assertTrue(Testing.toHaveResourceWithProperties(synth.text(), "aws_kms_alias",
                Map.of("name", "alias/cmk-logs-dev")));
        assertTrue(!Testing.toHaveResourceWithProperties(synth.text(), "aws_kms_alias",
                Map.of("name", "alias/cmk-alerts-dev")), "no key of the topic's own");
    }

    @Test
    void keyPolicyLetsOnlyThePublishersOfThisAccountEncrypt() {
        for (String role : List.of("primary", "dr")) {
            String region = role.equals("primary") ? "us-east-1" : "us-east-2";
            JsonObject key = synth.resource("aws_kms_key", role + "_logs_key_");
            Map<String, JsonObject> statements = statements(synth.policyDocument(key.get("policy").getAsString()));
            // each service keeps a statement of its own: logs only for the stack's log groups, alarms
            // only for what they publish (sharing the key widens neither); nothing of EventBridge
            // publishes to the topic (and aws:SourceAccount is not supported for EventBridge to an
            // encrypted topic)
            assertEquals(List.of("KeyAdministration", "CloudWatchLogsInThisAccount",
                    "CloudWatchAlarmsInThisAccount", "AccountPrincipalsThroughSns"), List.copyOf(statements.keySet()));
            assertEquals("kms:EncryptionContext:aws:logs:arn",
                    condition(statements.get("CloudWatchLogsInThisAccount"), 0).get("variable").getAsString());
            JsonObject services = statements.get("CloudWatchAlarmsInThisAccount");
            assertEquals(List.of("cloudwatch.amazonaws.com"), principals(services));
            assertEquals(List.of("kms:Decrypt", "kms:GenerateDataKey"), Synth.strings(services.getAsJsonArray("actions")));
            assertEquals("aws:SourceAccount", condition(services, 0).get("variable").getAsString());
            JsonObject account = statements.get("AccountPrincipalsThroughSns");
            assertEquals(List.of("sns." + region + ".amazonaws.com"),
                    Synth.strings(condition(account, 0).getAsJsonArray("values")));
            assertEquals("kms:CallerAccount", condition(account, 1).get("variable").getAsString());
        }
    }

    @Test
    void topicPolicyAdmitsOnlyThisAccountsAlarmsAndRequiresTls() {
        for (String role : List.of("primary", "dr")) {
            String region = role.equals("primary") ? "us-east-1" : "us-east-2";
            JsonObject policy = synth.resource("aws_sns_topic_policy", role + "_alerts_policy");
            assertEquals("${aws_sns_topic." + synth.blocks("resource", "aws_sns_topic").keySet().stream()
                    .filter(id -> id.startsWith(role + "_")).findFirst().orElseThrow() + ".arn}",
                    policy.get("arn").getAsString());
            Map<String, JsonObject> statements = statements(synth.policyDocument(policy.get("policy").getAsString()));
            assertEquals(List.of("AccountOwnsTheTopic", "CloudWatchAlarmsOfThisAccount", "DenyInsecureTransport"),
                    List.copyOf(statements.keySet()));
            JsonObject alarms = statements.get("CloudWatchAlarmsOfThisAccount");
            assertEquals(List.of("sns:Publish"), Synth.strings(alarms.getAsJsonArray("actions")));
            assertEquals(List.of("arn:${data.aws_partition." + role + "_partition.partition}:cloudwatch:" + region + ":"
                    + "${data.aws_caller_identity." + role + "_caller_identity.account_id}:alarm:*"),
                    Synth.strings(condition(alarms, 1).getAsJsonArray("values")));
            assertEquals("aws:SourceAccount", condition(alarms, 0).get("variable").getAsString());
            JsonObject deny = statements.get("DenyInsecureTransport");
            assertEquals("Deny", deny.get("effect").getAsString());
            assertEquals("aws:SecureTransport", condition(deny, 0).get("variable").getAsString());
            assertEquals(List.of("false"), Synth.strings(condition(deny, 0).getAsJsonArray("values")));
        }
    }

    @Test
    void emailSubscriptionOnlyWhenAlarmEmailIsSet() {
        assertTrue(synth.resources("aws_sns_topic_subscription").isEmpty());
        List<JsonObject> subscriptions = withEmail.resources("aws_sns_topic_subscription");
        assertEquals(2, subscriptions.size());
        assertTrue(Testing.toHaveResourceWithProperties(withEmail.text(), "aws_sns_topic_subscription",
                Map.of("protocol", "email", "endpoint", "oncall@payments.io")));
        for (String role : List.of("primary", "dr")) {
            JsonObject subscription = withEmail.resource("aws_sns_topic_subscription", role + "_alerts_email");
            assertEquals("aws." + role, subscription.get("provider").getAsString());
        }
    }

    @Test
    void topicArnsAreOutputs() {
        assertTrue(synth.stack().dr().alerts().arn().startsWith("${"), "a Terraform reference");
        JsonObject outputs = synth.json().getAsJsonObject("output");
        for (String role : List.of("primary", "dr")) {
            String value = outputs.getAsJsonObject(role + "_alerts_topic_arn").get("value").getAsString();
            assertTrue(value.startsWith("${aws_sns_topic." + role + "_alerts_topic") && value.endsWith(".arn}"), value);
        }
    }

    static Map<String, JsonObject> statements(JsonObject document) {
        Map<String, JsonObject> bySid = new java.util.LinkedHashMap<>();
        for (JsonElement statement : document.getAsJsonArray("statement")) {
            bySid.put(statement.getAsJsonObject().get("sid").getAsString(), statement.getAsJsonObject());
        }
        return bySid;
    }

    static List<String> principals(JsonObject statement) {
        List<String> all = new java.util.ArrayList<>();
        statement.getAsJsonArray("principals").forEach(p -> all.addAll(Synth.strings(
                p.getAsJsonObject().getAsJsonArray("identifiers"))));
        return all;
    }

    static JsonObject condition(JsonObject statement, int index) {
        return statement.getAsJsonArray("condition").get(index).getAsJsonObject();
    }
}
