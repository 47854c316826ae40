package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hashicorp.cdktf.Testing;
import com.payments.dr.blocks.EventWorkflows;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The payment-events and operations workflows in both regions. */
class EventWorkflowsTest {

    private static final List<String> ROLES = List.of("primary", "dr");
    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }

    private static String regionOf(String role) {
        return role.equals("primary") ? "us-east-1" : "us-east-2";
    }

    @Test
    void eachRegionPipesItsOwnStreamToItsBusFilteredToPaymentsItServed() {
        assertEquals(2, synth.resources("aws_pipes_pipe").size());
        for (String role : ROLES) {
            JsonObject pipe = synth.resource("aws_pipes_pipe", role + "_events_pipe_");
            assertEquals("pipe-payments-dev", pipe.get("name").getAsString());
            assertEquals("aws." + role, pipe.get("provider").getAsString());
            String source = pipe.get("source").getAsString();
            assertEquals(role.equals("primary")
                    ? "${aws_dynamodb_table.global_state_table_FB99B84E.stream_arn}"
                    : "${tolist(aws_dynamodb_table.global_state_table_FB99B84E.replica).0.stream_arn}", source);
            assertTrue(pipe.get("target").getAsString().startsWith("${aws_cloudwatch_event_bus." + role + "_events_bus"));
            JsonObject stream = pipe.getAsJsonObject("source_parameters").getAsJsonObject("dynamodb_stream_parameters");
            assertEquals("LATEST", stream.get("starting_position").getAsString());
            assertTrue(stream.getAsJsonObject("dead_letter_config").get("arn").getAsString()
                    .startsWith("${aws_sqs_queue." + role + "_events_payment_dlq"));
            JsonObject filter = JsonParser.parseString(pipe.getAsJsonObject("source_parameters")
                    .getAsJsonObject("filter_criteria").getAsJsonArray("filter").get(0).getAsJsonObject()
                    .get("pattern").getAsString()).getAsJsonObject();
            assertEquals("[\"MODIFY\"]", filter.get("eventName").toString());
            JsonObject image = filter.getAsJsonObject("dynamodb").getAsJsonObject("NewImage");
            assertEquals("[\"" + regionOf(role) + "\"]", image.getAsJsonObject("region").get("S").toString(),
                    "only the region that served the payment emits it");
            assertEquals("[\"COMPLETED\"]", image.getAsJsonObject("status").get("S").toString());
            assertEquals("[\"201\"]", image.getAsJsonObject("response_status").get("N").toString());
            assertEquals("[\"IN_PROGRESS\"]", filter.getAsJsonObject("dynamodb").getAsJsonObject("OldImage")
                    .getAsJsonObject("status").get("S").toString(), "the moment of completion, not a later rewrite");
            JsonObject bus = pipe.getAsJsonObject("target_parameters").getAsJsonObject("eventbridge_event_bus_parameters");
            assertEquals("payment.completed", bus.get("detail_type").getAsString());
            assertEquals("payments.dr", bus.get("source").getAsString());
        }
        assertTrue(Testing.toHaveResourceWithProperties(synth.text(), "aws_cloudwatch_event_bus",
                Map.of("name", "bus-payments-dev")));
    }

    @Test
    void everyRuleHasOneLambdaTargetWithRetriesAndADeadLetterQueueAndAScopedPermission() {
        // the workflows' rules; the DR probe's schedule is DrDetectionTest's (no retries, no dead letters)
        List<String> ruleIds = synth.blocks("resource", "aws_cloudwatch_event_rule").keySet().stream()
                .filter(id -> id.contains("_events_")).toList();
        assertEquals(8, ruleIds.size(), ruleIds.toString());
        for (String ruleId : ruleIds) {
            List<JsonObject> targets = synth.resources("aws_cloudwatch_event_target").stream()
                    .filter(t -> t.get("rule").getAsString().equals("${aws_cloudwatch_event_rule." + ruleId + ".name}"))
                    .toList();
            assertEquals(1, targets.size(), ruleId);
            JsonObject target = targets.get(0);
            assertTrue(target.get("arn").getAsString().startsWith("${aws_lambda_function."), ruleId);
            assertTrue(target.getAsJsonObject("dead_letter_config").get("arn").getAsString().startsWith("${aws_sqs_queue."));
            assertEquals(8, target.getAsJsonObject("retry_policy").get("maximum_retry_attempts").getAsInt());
            String function = target.get("arn").getAsString().replace(".arn}", ".function_name}");
            List<JsonObject> permissions = synth.resources("aws_lambda_permission").stream()
                    .filter(p -> p.get("source_arn").getAsString().equals("${aws_cloudwatch_event_rule." + ruleId + ".arn}"))
                    .toList();
            assertEquals(1, permissions.size(), ruleId);
            assertEquals("events.amazonaws.com", permissions.get(0).get("principal").getAsString());
            assertEquals(function, permissions.get(0).get("function_name").getAsString());
            JsonObject rule = synth.blocks("resource", "aws_cloudwatch_event_rule").get(ruleId).getAsJsonObject();
            String role = ruleId.startsWith("primary_") ? "primary" : "dr";
            assertEquals("aws." + role, rule.get("provider").getAsString());
            assertTrue(target.get("arn").getAsString().startsWith("${aws_lambda_function." + role + "_"), ruleId);
        }
    }

    @Test
    void rulePatternsArePrecise() {
        for (String role : ROLES) {
            JsonObject payment = synth.resource("aws_cloudwatch_event_rule", role + "_events_payment_completed_rule");
            assertTrue(payment.get("event_bus_name").getAsString().startsWith("${aws_cloudwatch_event_bus." + role + "_events_bus"));
            JsonObject pattern = JsonParser.parseString(payment.get("event_pattern").getAsString()).getAsJsonObject();
            assertEquals("[\"payments.dr\"]", pattern.get("source").toString());
            assertEquals("[\"payment.completed\"]", pattern.get("detail-type").toString());
            JsonObject cluster = JsonParser.parseString(synth.resource("aws_cloudwatch_event_rule",
                    role + "_events_aurora_cluster_rule").get("event_pattern").getAsString()).getAsJsonObject();
            assertEquals("[\"RDS DB Cluster Event\"]", cluster.get("detail-type").toString());
            assertEquals("[\"failover\",\"failure\",\"global-failover\"]",
                    cluster.getAsJsonObject("detail").get("EventCategories").toString());
            String ids = cluster.getAsJsonObject("detail").get("SourceIdentifier").toString();
            assertTrue(ids.contains("aws_rds_cluster." + role + "_database_cluster") && ids.contains("aws_rds_global_cluster."), ids);
            JsonObject instance = JsonParser.parseString(synth.resource("aws_cloudwatch_event_rule",
                    role + "_events_aurora_instance_rule").get("event_pattern").getAsString()).getAsJsonObject();
            assertEquals("[{\"wildcard\":\"aurora-*-" + role + "-dev\"}]",
                    instance.getAsJsonObject("detail").get("SourceIdentifier").toString());
            JsonObject health = JsonParser.parseString(synth.resource("aws_cloudwatch_event_rule",
                    role + "_events_aws_health_rule").get("event_pattern").getAsString()).getAsJsonObject();
            assertEquals("[\"issue\"]", health.getAsJsonObject("detail").get("eventTypeCategory").toString());
            assertFalse(synth.resource("aws_cloudwatch_event_rule", role + "_events_aws_health_rule").has("event_bus_name"),
                    "AWS events arrive on the default bus");
        }
    }

    @Test
    void functionsAreJavaOutsideTheVpcWithLeastPrivilegeAndDeadLetters() {
        for (String role : ROLES) {
            for (String name : List.of("receipt", "ops_notifier")) {
                JsonObject function = synth.resource("aws_lambda_function", role + "_events_" + name + "_");
                assertEquals("java21", function.get("runtime").getAsString());
                assertEquals("[\"arm64\"]", function.get("architectures").toString());
                assertEquals(name.equals("receipt") ? EventWorkflows.RECEIPT_HANDLER : EventWorkflows.OPS_HANDLER,
                        function.get("handler").getAsString());
                assertFalse(function.has("vpc_config"), "no ENIs, no endpoints needed");
                assertTrue(function.get("filename").getAsString().contains("events-function.zip"));
                assertTrue(function.get("kms_key_arn").getAsString().startsWith("${aws_kms_key." + role + "_data_key"),
                        "environment encrypted with the region's data key (CKV_AWS_173)");
                JsonObject async = synth.resource("aws_lambda_function_event_invoke_config", role + "_events_" + name + "_async");
                assertEquals(2, async.get("maximum_retry_attempts").getAsInt());
                assertTrue(async.getAsJsonObject("destination_config").getAsJsonObject("on_failure").get("destination")
                        .getAsString().startsWith("${aws_sqs_queue." + role + "_events_"));
                JsonObject logs = synth.resource("aws_cloudwatch_log_group", role + "_events_" + name + "_log_group");
                assertTrue(logs.get("kms_key_id").getAsString().startsWith("${aws_kms_key." + role + "_logs_key"));
                assertEquals(30, logs.get("retention_in_days").getAsInt());
            }
            JsonObject receiptPolicy = synth.policyDocument(synth.resource("aws_iam_role_policy",
                    role + "_events_receipt_role_policy").get("policy").getAsString());
            Map<String, JsonObject> statements = AlertTopicTest.statements(receiptPolicy);
            assertEquals(List.of("lambda." + (role.equals("primary") ? "us-east-1" : "us-east-2") + ".amazonaws.com"),
                    Synth.strings(statements.get("DecryptEnvironment").getAsJsonArray("condition").get(0)
                            .getAsJsonObject().getAsJsonArray("values")));
            assertEquals(List.of("s3:PutObject"), Synth.strings(statements.get("WriteReceipts").getAsJsonArray("actions")));
            assertTrue(Synth.strings(statements.get("WriteReceipts").getAsJsonArray("resources")).get(0)
                    .matches("\\$\\{aws_s3_bucket\\." + role + "_bucket_[0-9A-F]{8}\\.arn}/receipts/\\*"));
            JsonObject notifierPolicy = synth.policyDocument(synth.resource("aws_iam_role_policy",
                    role + "_events_ops_notifier_role_policy").get("policy").getAsString());
            Map<String, JsonObject> ops = AlertTopicTest.statements(notifierPolicy);
            assertTrue(Synth.strings(ops.get("PublishAlerts").getAsJsonArray("resources")).get(0)
                    .startsWith("${aws_sns_topic." + role + "_alerts_topic"));
            assertTrue(Synth.strings(ops.get("FindTheWriter").getAsJsonArray("resources")).get(0).contains(":global-cluster:"));
            JsonObject pipePolicy = synth.policyDocument(synth.resource("aws_iam_role_policy",
                    role + "_events_pipe_role_policy").get("policy").getAsString());
            Map<String, JsonObject> pipe = AlertTopicTest.statements(pipePolicy);
            assertEquals(List.of("*"), Synth.strings(pipe.get("FindTheStream").getAsJsonArray("resources")));
            assertEquals(List.of("dynamodb:ListStreams"), Synth.strings(pipe.get("FindTheStream").getAsJsonArray("actions")));
        }
    }

    @Test
    void deadLetterQueuesAreEncryptedTlsOnlyAndAdmitOnlyTheirRules() {
        List<JsonObject> queues = synth.resources("aws_sqs_queue");
        assertEquals(4, queues.size());
        for (JsonObject queue : queues) {
            assertTrue(queue.get("sqs_managed_sse_enabled").getAsBoolean());
            assertEquals(1_209_600, queue.get("message_retention_seconds").getAsInt());
        }
        for (String role : ROLES) {
            JsonObject policy = synth.resource("aws_sqs_queue_policy", role + "_events_ops_dlq_policy");
            Map<String, JsonObject> statements = AlertTopicTest.statements(synth.policyDocument(policy.get("policy").getAsString()));
            List<String> sources = Synth.strings(AlertTopicTest.condition(statements.get("DeadLettersFromTheseRules"), 0)
                    .getAsJsonArray("values"));
            assertEquals(3, sources.size());
            sources.forEach(s -> assertTrue(s.startsWith("${aws_cloudwatch_event_rule." + role + "_events_"), s));
            assertEquals("Deny", statements.get("DenyInsecureTransport").get("effect").getAsString());
        }
    }

    @Test
    void outputsPerRegion() {
        JsonObject outputs = synth.json().getAsJsonObject("output");
        for (String role : ROLES) {
            for (String name : List.of("events_bus_name", "events_pipe_name", "receipt_function_name",
                    "ops_notifier_function_name", "payment_events_dlq_url", "ops_events_dlq_url")) {
                assertTrue(outputs.has(role + "_" + name), role + "_" + name);
            }
        }
    }

    @Test
    void eventResourcesReferenceOnlyTheirOwnRegionOrTheGlobalTablesReplica() {
        Pattern reference = Pattern.compile("\\$\\{(?:tolist\\()?(?:data\\.)?aws_[a-z0-9_]+\\.([a-zA-Z0-9_]+)");
        int checked = 0;
        for (Synth.Block block : synth.allBlocks()) {
            for (String role : ROLES) {
                if (!block.id().startsWith(role + "_events_")) {
                    continue;
                }
                assertEquals("aws." + role, block.provider(), block.id());
                Matcher m = reference.matcher(block.body().toString());
                while (m.find()) {
                    assertFalse(m.group(1).startsWith(role.equals("primary") ? "dr_" : "primary_"),
                            block.id() + " references " + m.group());
                    checked++;
                }
            }
        }
        assertTrue(checked > 80, "checked " + checked);
    }
}
