package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.payments.dr.config.Ipv4Cidr;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both regions' networks, from the one {@code Network} definition. */
class NetworkTest {

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }

    private static List<JsonObject> inRegion(String type, String role) {
        return synth.blocks("resource", type).entrySet().stream()
                .filter(e -> e.getKey().startsWith(role + "_"))
                .map(e -> e.getValue().getAsJsonObject())
                .toList();
    }

    @ParameterizedTest
    @CsvSource({"primary, 10.10.0.0/16", "dr, 10.20.0.0/16"})
    void vpcWithDnsAndTheConfiguredCidr(String role, String cidr) {
        JsonObject vpc = synth.resource("aws_vpc", role + "_network_vpc");
        assertEquals(cidr, vpc.get("cidr_block").getAsString());
        assertTrue(vpc.get("enable_dns_support").getAsBoolean());
        assertTrue(vpc.get("enable_dns_hostnames").getAsBoolean());
        assertEquals("vpc-dev", vpc.getAsJsonObject("tags").get("Name").getAsString());
    }

    @ParameterizedTest
    @CsvSource({"primary, 10.10.0.0/16", "dr, 10.20.0.0/16"})
    void privateSubnetsInDistinctZonesInsideTheVpc(String role, String cidr) {
        List<JsonObject> subnets = inRegion("aws_subnet", role);
        assertEquals(2, subnets.size());
        Ipv4Cidr vpc = Ipv4Cidr.parseOrNull(cidr);
        Set<String> zones = new HashSet<>();
        Set<String> blocks = new HashSet<>();
        for (JsonObject subnet : subnets) {
            assertTrue(vpc.contains(Ipv4Cidr.parseOrNull(subnet.get("cidr_block").getAsString())));
            assertFalse(subnet.get("map_public_ip_on_launch").getAsBoolean());
            zones.add(subnet.get("availability_zone").getAsString());
            blocks.add(subnet.get("cidr_block").getAsString());
        }
        assertEquals(2, zones.size(), "the 1st and the 2nd candidate zone");
        for (String zone : zones) {
            assertTrue(zone.contains("data.aws_availability_zones." + zoneDataId(role) + ".names"), zone);
        }
        assertEquals(2, blocks.size());
    }

    private static String zoneDataId(String role) {
        return synth.blocks("data", "aws_availability_zones").keySet().stream()
                .filter(id -> id.startsWith(role + "_")).findFirst().orElseThrow();
    }

    @Test
    void zonesExcludeLocalAndWavelengthZones() {
        for (JsonObject zones : synth.data("aws_availability_zones")) {
            assertEquals("available", zones.get("state").getAsString());
            assertEquals("opt-in-not-required",
                    zones.getAsJsonArray("filter").get(0).getAsJsonObject().getAsJsonArray("values").get(0).getAsString());
        }
    }

    @Test
    void noPathToOrFromTheInternet() {
        for (String type : List.of("aws_internet_gateway", "aws_egress_only_internet_gateway", "aws_nat_gateway",
                "aws_eip", "aws_route")) {
            assertTrue(synth.resources(type).isEmpty(), type);
        }
        for (JsonObject table : synth.resources("aws_route_table")) {
            assertFalse(table.has("route"), "route tables carry no routes besides local and endpoints");
        }
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void gatewayEndpointsForS3AndDynamoDbOnEveryPrivateRouteTable(String role, String region) {
        List<JsonObject> tables = inRegion("aws_route_table", role);
        assertEquals(2, tables.size());
        assertEquals(2, inRegion("aws_route_table_association", role).size());
        for (String service : List.of("s3", "dynamodb")) {
            JsonObject endpoint = synth.resource("aws_vpc_endpoint", role + "_network_" + service + "_endpoint");
            assertEquals("com.amazonaws." + region + "." + service, endpoint.get("service_name").getAsString());
            assertEquals("Gateway", endpoint.get("vpc_endpoint_type").getAsString());
            assertEquals(2, endpoint.getAsJsonArray("route_table_ids").size());
        }
    }

    @Test
    void defaultSecurityGroupIsStrippedOfEveryRule() {
        List<JsonObject> defaults = synth.resources("aws_default_security_group");
        assertEquals(2, defaults.size());
        for (JsonObject group : defaults) {
            assertFalse(group.has("ingress"));
            assertFalse(group.has("egress"));
        }
    }

    @Test
    void securityGroupsHaveNoInlineRulesAndEveryRuleIsDescribedAndNarrow() {
        for (JsonObject group : synth.resources("aws_security_group")) {
            assertFalse(group.has("ingress") || group.has("egress"), "rules are separate resources");
            assertFalse(group.get("description").getAsString().isBlank());
        }
        List<JsonObject> rules = new java.util.ArrayList<>(synth.resources("aws_vpc_security_group_ingress_rule"));
        rules.addAll(synth.resources("aws_vpc_security_group_egress_rule"));
        assertFalse(rules.isEmpty());
        for (JsonObject rule : rules) {
            assertFalse(rule.get("description").getAsString().isBlank());
            assertFalse(rule.has("cidr_ipv4") && rule.get("cidr_ipv4").getAsString().equals("0.0.0.0/0"));
            assertFalse(rule.has("cidr_ipv6"));
            assertEquals("tcp", rule.get("ip_protocol").getAsString());
        }
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void databaseAdmitsPostgresOnlyFromTheFunction(String role) {
        List<JsonObject> ingress = inRegion("aws_vpc_security_group_ingress_rule", role).stream()
                .filter(r -> r.get("security_group_id").getAsString().contains(role + "_network_database_security_group"))
                .toList();
        assertEquals(1, ingress.size());
        JsonObject rule = ingress.get(0);
        assertEquals(5432, rule.get("from_port").getAsInt());
        assertEquals(5432, rule.get("to_port").getAsInt());
        assertTrue(rule.get("referenced_security_group_id").getAsString()
                .contains(role + "_network_function_security_group"));
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void functionMayOnlyReachTheDatabaseAndTheEndpoints(String role) {
        List<JsonObject> egress = inRegion("aws_vpc_security_group_egress_rule", role);
        assertEquals(3, egress.size(), "database, DynamoDB prefix list, interface endpoints: the function uses no S3");
        for (JsonObject out : egress) {
            assertTrue(out.get("security_group_id").getAsString().contains(role + "_network_function_security_group"));
            assertTrue(out.has("referenced_security_group_id") || out.has("prefix_list_id"), out.toString());
        }
        List<JsonObject> ingress = inRegion("aws_vpc_security_group_ingress_rule", role);
        assertEquals(2, ingress.size(), "database and endpoints, both from the function only");
        for (JsonObject in : ingress) {
            assertTrue(in.get("referenced_security_group_id").getAsString()
                    .contains(role + "_network_function_security_group"));
        }
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void secretsManagerIsReachedThroughAPrivateInterfaceEndpoint(String role, String region) {
        JsonObject endpoint = synth.resource("aws_vpc_endpoint", role + "_network_secretsmanager_endpoint");
        assertEquals("com.amazonaws." + region + ".secretsmanager", endpoint.get("service_name").getAsString());
        assertEquals("Interface", endpoint.get("vpc_endpoint_type").getAsString());
        assertTrue(endpoint.get("private_dns_enabled").getAsBoolean());
        assertEquals(2, endpoint.getAsJsonArray("subnet_ids").size(), "one ENI per zone");
        assertTrue(endpoint.getAsJsonArray("security_group_ids").get(0).getAsString()
                .contains(role + "_network_endpoints_security_group"));
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void flowLogsGoToAnEncryptedRetainedLogGroupThroughAScopedRole(String role) {
        JsonObject flowLog = synth.resource("aws_flow_log", role + "_network_flow_log");
        assertEquals("ALL", flowLog.get("traffic_type").getAsString());
        assertEquals("cloud-watch-logs", flowLog.get("log_destination_type").getAsString());
        assertTrue(flowLog.get("log_destination").getAsString().contains(role + "_network_flow_log_group"));
        JsonObject group = synth.resource("aws_cloudwatch_log_group", role + "_network_flow_log_group");
        assertEquals(30, group.get("retention_in_days").getAsInt());
        assertTrue(group.get("kms_key_id").getAsString().startsWith("${aws_kms_key." + role + "_logs_key_"));
        assertEquals("vpc-flow-logs-dev", group.get("name").getAsString());
        JsonObject roleResource = synth.resource("aws_iam_role", role + "_network_flow_log_role");
        assertEquals("role-vpc-flow-logs-" + role + "-dev", roleResource.get("name").getAsString());
    }
}
