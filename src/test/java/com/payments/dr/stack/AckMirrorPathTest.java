package com.payments.dr.stack;

import static com.payments.dr.stack.Synth.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import com.payments.dr.policy.PolicyGate;
import com.payments.dr.policy.Report;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ACK_MIRROR=true, the default: the private path from the primary's payment function to the DR
 * replica of the table (inter-region peering, one DynamoDB interface endpoint in one DR zone), the
 * function's settings and rights, the alarm on a degraded acknowledgement; nothing of it with
 * ACK_MIRROR=false, which still passes the policy gate and the provider's validation.
 */
class AckMirrorPathTest {

    private static Synth synth;
    private static Synth off;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
        off = Synth.of(DrConfig.builder().set(Setting.ACK_MIRROR, "false").build());
    }

    private static JsonObject function(String role) {
        return synth.resource("aws_lambda_function", role + "_payment_function_");
    }

    private static Map<String, String> environment(JsonObject function) {
        Map<String, String> env = new java.util.TreeMap<>();
        function.getAsJsonObject("environment").getAsJsonObject("variables").asMap()
                .forEach((k, v) -> env.put(k, v.getAsString()));
        return env;
    }

    @Test
    void anInterRegionPeeringRequestedInThePrimaryAndAcceptedInDr() {
        String dr = synth.ref("aws_vpc", "dr_network_vpc", "id");
        synth.assertResource("aws_vpc_peering_connection", props("provider", "aws.primary",
                "vpc_id", synth.ref("aws_vpc", "primary_network_vpc", "id"), "peer_vpc_id", dr,
                "peer_region", "us-east-2", "tags", Map.of("Name", "vpc-peering-ack-mirror-dev")));
        // a requester cannot auto-accept across regions
        assertFalse(synth.resource("aws_vpc_peering_connection", "ack_mirror_peering").has("auto_accept"));
        synth.assertResource("aws_vpc_peering_connection_accepter", props("provider", "aws.dr", "auto_accept", true,
                "vpc_peering_connection_id", synth.ref("aws_vpc_peering_connection", "ack_mirror_peering", "id")));
    }

    @Test
    void routesOnlyBetweenThePrimarysSubnetsAndTheEndpointsOneSubnet() {
        String peering = synth.ref("aws_vpc_peering_connection", "ack_mirror_peering", "id");
        List<JsonObject> routes = synth.resources("aws_route");
        assertEquals(4, routes.size(), routes.toString());
        for (int i = 1; i <= 2; i++) {
            synth.assertResource("aws_route", props("provider", "aws.primary",
                    "route_table_id", synth.ref("aws_route_table", "primary_network_private_route_table_" + i, "id"),
                    "destination_cidr_block", "10.20.0.0/20", "vpc_peering_connection_id", peering));
        }
        for (String back : List.of("10.10.0.0/20", "10.10.16.0/20")) {
            synth.assertResource("aws_route", props("provider", "aws.dr",
                    "route_table_id", synth.ref("aws_route_table", "dr_network_private_route_table_1", "id"),
                    "destination_cidr_block", back, "vpc_peering_connection_id", peering));
        }
        // active only once accepted
        String accepter = "aws_vpc_peering_connection_accepter."
                + synth.id("aws_vpc_peering_connection_accepter", "ack_mirror_peering_accepter");
        routes.forEach(r -> assertEquals(List.of(accepter), Synth.strings(r.getAsJsonArray("depends_on"))));
    }

    @Test
    void oneInterfaceEndpointInOneDrZoneAdmittingHttpsFromThePrimarysSubnetsOnly() {
        String group = synth.ref("aws_security_group", "ack_mirror_endpoint_security_group", "id");
        synth.assertResource("aws_vpc_endpoint", props("provider", "aws.dr", "vpc_endpoint_type", "Interface",
                "service_name", "com.amazonaws.us-east-2.dynamodb", "private_dns_enabled", false,
                "subnet_ids", List.of(synth.ref("aws_subnet", "dr_network_private_subnet_1", "id")),
                "security_group_ids", List.of(group),
                "vpc_id", synth.ref("aws_vpc", "dr_network_vpc", "id")));
        List<JsonObject> ingress = synth.resources("aws_vpc_security_group_ingress_rule").stream()
                .filter(r -> r.get("security_group_id").getAsString().equals(group)).toList();
        assertEquals(List.of("10.10.0.0/20", "10.10.16.0/20"),
                ingress.stream().map(r -> r.get("cidr_ipv4").getAsString()).sorted().toList());
        ingress.forEach(r -> {
            assertEquals(443, r.get("from_port").getAsInt());
            assertEquals(443, r.get("to_port").getAsInt());
        });
        // the function's group reaches that subnet on 443 and nothing else of the DR VPC
        synth.assertResource("aws_vpc_security_group_egress_rule", props("provider", "aws.primary",
                "security_group_id", synth.ref("aws_security_group", "primary_network_function_security_group", "id"),
                "cidr_ipv4", "10.20.0.0/20", "from_port", 443, "to_port", 443, "ip_protocol", "tcp"));
    }

    @Test
    void theEndpointLetsOnlyThePrimaryFunctionsRolePutItemsInTheDrReplica() {
        JsonObject endpoint = synth.resource("aws_vpc_endpoint", "ack_mirror_endpoint");
        JsonObject policy = synth.policyDocument(endpoint.get("policy").getAsString());
        JsonObject statement = policy.getAsJsonArray("statement").get(0).getAsJsonObject();
        assertEquals(1, policy.getAsJsonArray("statement").size());
        assertEquals("\"dynamodb:PutItem\"", statement.get("actions").toString().replace("[", "").replace("]", ""));
        String resources = statement.get("resources").toString();
        assertTrue(resources.contains(":dynamodb:us-east-2:") && resources.contains(":table/${aws_dynamodb_table.global_state_table"),
                resources);
        String conditions = statement.get("condition").toString();
        String role = synth.ref("aws_iam_role", "primary_payment_function_", "arn");
        assertTrue(conditions.contains("aws:PrincipalArn") && conditions.contains(role), conditions);
        assertTrue(conditions.contains("aws:PrincipalAccount"), conditions);
    }

    @Test
    void thePrimaryFunctionMirrorsThroughTheEndpointAndMayWriteAcknowledgementRecordsOnly() {
        Map<String, String> env = environment(function("primary"));
        assertEquals("us-east-2", env.get("ACK_MIRROR_REGION"));
        String endpoint = synth.id("aws_vpc_endpoint", "ack_mirror_endpoint");
        // the Regional name, picked by its form (vpce-<id>-<suffix>.dynamodb...), never a zonal one
        assertEquals("https://${one([for entry in aws_vpc_endpoint." + endpoint + ".dns_entry : entry.dns_name if"
                + " length(regexall(\"^vpce-[0-9a-z]+-[0-9a-z]+[.]\", entry.dns_name)) > 0])}", env.get("ACK_MIRROR_ENDPOINT"));
        java.util.regex.Pattern regional = java.util.regex.Pattern.compile("^vpce-[0-9a-z]+-[0-9a-z]+[.]");
        // AWS's examples (DynamoDB Developer Guide, "AWS PrivateLink for DynamoDB")
        assertTrue(regional.matcher("vpce-1a2b3c4d-5e6f.dynamodb.us-east-1.vpce.amazonaws.com").find());
        assertFalse(regional.matcher("vpce-1a2b3c4d-5e6f-us-east-1a.dynamodb.us-east-1.vpce.amazonaws.com").find());
        // the DR region's function has no mirror (nothing reachable to write to while it serves)
        assertFalse(environment(function("dr")).containsKey("ACK_MIRROR_REGION"));
        assertFalse(environment(synth.resource("aws_lambda_function", "primary_migrator_")).containsKey(
                "ACK_MIRROR_ENDPOINT"));
        JsonObject rolePolicy = synth.policyDocument(synth.resource("aws_iam_role_policy", "primary_payment_function_")
                .get("policy").getAsString());
        JsonObject mirror = null;
        for (var s : rolePolicy.getAsJsonArray("statement")) {
            if (s.getAsJsonObject().has("sid") && s.getAsJsonObject().get("sid").getAsString()
                    .equals("MirrorAcknowledgements")) {
                mirror = s.getAsJsonObject();
            }
        }
        assertTrue(mirror != null, rolePolicy.toString());
        assertEquals("\"dynamodb:PutItem\"", mirror.get("actions").toString().replace("[", "").replace("]", ""));
        assertTrue(mirror.get("resources").toString().contains(":dynamodb:us-east-2:"), mirror.toString());
        assertEquals("[{\"test\":\"ForAllValues:StringLike\",\"variable\":\"dynamodb:LeadingKeys\",\"values\":"
                + "[\"ACK#*\"]}]", mirror.get("condition").toString());
    }

    @Test
    void aDegradedAcknowledgementAlarmsInThePrimaryRegionAtTheFirstOne() {
        synth.assertResource("aws_cloudwatch_metric_alarm", props("provider", "aws.primary",
                "alarm_name", "alarm-ack-mirror-failed-dev", "namespace", "PaymentsDR/PaymentFunction",
                "metric_name", "AckMirrorFailed", "statistic", "Sum", "threshold", 1, "evaluation_periods", 1,
                "comparison_operator", "GreaterThanOrEqualToThreshold", "treat_missing_data", "notBreaching"));
        JsonObject alarm = synth.resources("aws_cloudwatch_metric_alarm").stream()
                .filter(a -> a.get("alarm_name").getAsString().equals("alarm-ack-mirror-failed-dev")).findFirst()
                .orElseThrow();
        // the function publishes it without dimensions (one series per region)
        assertTrue(!alarm.has("dimensions") || alarm.getAsJsonObject("dimensions").size() == 0, alarm.toString());
        assertEquals(1, synth.resources("aws_cloudwatch_metric_alarm").stream()
                .filter(a -> a.get("alarm_name").getAsString().contains("ack-mirror")).count());
    }

    @Test
    void outputsNameTheEndpointAndThePeering() {
        JsonObject outputs = synth.json().getAsJsonObject("output");
        assertTrue(outputs.has("ack_mirror_endpoint") && outputs.has("ack_mirror_peering_id"), outputs.keySet().toString());
    }

    @Test
    void theVariantWithoutTheMirrorPassesThePolicyGateAndTheProvidersValidation() throws Exception {
        // the gate on what the stack hands Terraform (its construct metadata included, as ./main runs it)
        Report report = PolicyGate.evaluate(JsonParser.parseString(new com.google.gson.Gson().toJson(
                off.stack().toTerraform())).getAsJsonObject(), "dev");
        assertTrue(report.passed(), report.errors().toString());
        ValidateTest.assumeTerraform();
        java.nio.file.Path outdir = java.nio.file.Path.of(com.hashicorp.cdktf.Testing.fullSynth(off.stack()));
        ValidateTest.Result result = ValidateTest.validate(outdir.resolve("stacks").resolve(DrStack.NAME));
        assertEquals(0, result.exitCode(), result.output());
        ValidateTest.assertOnlyTheDeliberateWarning(result);
    }

    @Test
    void withoutTheMirrorThereIsNoPathButTheMigratorsCanReadTheTableForTheReconciliation() {
        off.assertNoResource("aws_vpc_peering_connection");
        off.assertNoResource("aws_route");
        assertFalse(off.json().getAsJsonObject("output").has("ack_mirror_endpoint"));
        assertFalse(off.text().contains("AckMirrorFailed"));
        assertFalse(off.text().contains("ACK_MIRROR_ENDPOINT"));
        for (JsonObject endpoint : off.resources("aws_vpc_endpoint")) {
            assertEquals("Gateway", endpoint.get("vpc_endpoint_type").getAsString(), endpoint.toString());
        }
        for (String role : List.of("primary", "dr")) {
            off.assertResource("aws_vpc_security_group_egress_rule", props("security_group_id",
                    off.ref("aws_security_group", role + "_network_migrator_security_group", "id"),
                    "prefix_list_id", off.ref("aws_vpc_endpoint", role + "_network_dynamodb_endpoint", "prefix_list_id"),
                    "from_port", 443, "to_port", 443));
            String policy = off.resource("aws_iam_role_policy", role + "_migrator_").get("policy").getAsString();
            assertTrue(policy.contains("\"ReadAcknowledgementRecords\"") && policy.contains("\"dynamodb:Scan\""), policy);
        }
    }
}
