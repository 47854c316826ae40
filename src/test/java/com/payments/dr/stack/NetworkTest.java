package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.payments.dr.config.Ipv4Cidr;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
        synth.assertResource("aws_vpc", Map.of("provider", "aws." + role, "cidr_block", cidr,
                "enable_dns_support", true, "enable_dns_hostnames", true, "tags", Map.of("Name", "vpc-dev")));
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
            zones.add(subnet.get("availability_zone").getAsString());
            blocks.add(subnet.get("cidr_block").getAsString());
        }
        assertEquals(2, zones.size(), "the 1st and the 2nd candidate zone");
        for (String zone : zones) {
            assertTrue(zone.contains("data.aws_availability_zones." + zoneDataId(role) + ".names"), zone);
        }
        assertEquals(2, blocks.size());
        synth.assertResource("aws_subnet", Map.of("provider", "aws." + role,
                "vpc_id", synth.ref("aws_vpc", role + "_network_vpc", "id"),
                "map_public_ip_on_launch", false));
    }

    private static String zoneDataId(String role) {
        return synth.blocks("data", "aws_availability_zones").keySet().stream()
                .filter(id -> id.startsWith(role + "_")).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void zonesExcludeLocalAndWavelengthZones(String role) {
        synth.assertDataSource("aws_availability_zones", Map.of("provider", "aws." + role, "state", "available",
                "filter", List.of(Map.of("name", "opt-in-status", "values", List.of("opt-in-not-required")))));
        assertEquals(2, synth.data("aws_availability_zones").size());
    }

    @Test
    void noPathToOrFromTheInternet() {
        for (String type : List.of("aws_internet_gateway", "aws_egress_only_internet_gateway", "aws_nat_gateway",
                "aws_eip")) {
            synth.assertNoResource(type);
        }
        for (JsonObject table : synth.resources("aws_route_table")) {
            assertFalse(table.has("route"), "route tables carry no routes besides local and endpoints");
        }
        // the only routes are the acknowledgement mirror's, between the two VPCs' private ranges over
        // the peering (AckMirrorPathTest)
        String peering = synth.ref("aws_vpc_peering_connection", "ack_mirror_peering", "id");
        for (JsonObject route : synth.resources("aws_route")) {
            assertEquals(java.util.Set.of("provider", "route_table_id", "destination_cidr_block",
                    "vpc_peering_connection_id", "depends_on"), route.keySet(), route.toString());
            assertEquals(peering, route.get("vpc_peering_connection_id").getAsString());
            assertTrue(route.get("destination_cidr_block").getAsString().matches("10\\.(10|20)\\.\\d+\\.0/20"),
                    route.toString());
        }
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void gatewayEndpointsForS3AndDynamoDbOnEveryPrivateRouteTable(String role, String region) {
        List<JsonObject> tables = inRegion("aws_route_table", role);
        assertEquals(2, tables.size());
        assertEquals(2, inRegion("aws_route_table_association", role).size());
        List<String> routeTables = List.of(
                synth.ref("aws_route_table", role + "_network_private_route_table_1", "id"),
                synth.ref("aws_route_table", role + "_network_private_route_table_2", "id"));
        for (String service : List.of("s3", "dynamodb")) {
            synth.assertResource("aws_vpc_endpoint", Map.of("provider", "aws." + role,
                    "vpc_id", synth.ref("aws_vpc", role + "_network_vpc", "id"),
                    "service_name", "com.amazonaws." + region + "." + service,
                    "vpc_endpoint_type", "Gateway", "route_table_ids", routeTables));
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
    void databaseAdmitsPostgresOnlyFromTheFunctionAndTheMigrator(String role) {
        String database = synth.ref("aws_security_group", role + "_network_database_security_group", "id");
        List<JsonObject> ingress = inRegion("aws_vpc_security_group_ingress_rule", role).stream()
                .filter(r -> r.get("security_group_id").getAsString().equals(database))
                .toList();
        assertEquals(2, ingress.size());
        for (String source : List.of("function", "migrator")) {
            synth.assertResource("aws_vpc_security_group_ingress_rule", Map.of("provider", "aws." + role,
                    "security_group_id", database, "ip_protocol", "tcp", "from_port", 5432, "to_port", 5432,
                    "referenced_security_group_id",
                    synth.ref("aws_security_group", role + "_network_" + source + "_security_group", "id")));
        }
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void functionAndMigratorMayOnlyReachTheDatabaseAndDynamoDb(String role) {
        String function = role + "_network_function_security_group";
        String migrator = role + "_network_migrator_security_group";
        String database = role + "_network_database_security_group";
        List<String> egress = inRegion("aws_vpc_security_group_egress_rule", role).stream()
                .map(out -> group(out.get("security_group_id")) + " -> " + (out.has("prefix_list_id")
                        ? "prefix list" : group(out.get("referenced_security_group_id"))))
                .sorted().toList();
        // the migrator also reads the table (DynamoDB's prefix list) for the reconciliation after a failover
        assertEquals(List.of(function + " -> " + database, function + " -> prefix list",
                migrator + " -> " + database, migrator + " -> prefix list").stream().sorted().toList(), egress,
                "the function reaches the database and DynamoDB (no S3, no Secrets Manager), the migrator the database"
                        + " and DynamoDB");
        String dynamodb = synth.ref("aws_vpc_endpoint", role + "_network_dynamodb_endpoint", "prefix_list_id");
        inRegion("aws_vpc_security_group_egress_rule", role).stream().filter(out -> out.has("prefix_list_id"))
                .forEach(out -> assertEquals(dynamodb, out.get("prefix_list_id").getAsString(), out.toString()));
        List<String> ingress = inRegion("aws_vpc_security_group_ingress_rule", role).stream()
                .map(in -> group(in.get("security_group_id")) + " <- " + group(in.get("referenced_security_group_id")))
                .sorted().toList();
        assertEquals(List.of(database + " <- " + function, database + " <- " + migrator)
                .stream().sorted().toList(), ingress, "nothing but the database takes connections");
    }

    /** The construct name of a referenced security group. */
    private static String group(com.google.gson.JsonElement ref) {
        return ref.getAsString().replaceAll("^\\$\\{aws_security_group\\.(.*)_[0-9A-F]{8}\\.id}$", "$1");
    }

    @Test
    void noInterfaceEndpointButTheMirrorsNoNatNothingInTheVpcsCallsSecretsManager() {
        // $7.30 per zone-month each: the migrator is handed the owner's credentials instead (MigratorFunction)
        assertFalse(synth.text().contains(".secretsmanager\""), "no Secrets Manager endpoint");
        String mirror = synth.id("aws_vpc_endpoint", "ack_mirror_endpoint");
        synth.blocks("resource", "aws_vpc_endpoint").forEach((id, endpoint) -> assertEquals(
                id.equals(mirror) ? "Interface" : "Gateway",
                endpoint.getAsJsonObject().get("vpc_endpoint_type").getAsString(), id));
        synth.assertNoResource("aws_nat_gateway");
        assertEquals(5, synth.resources("aws_vpc_endpoint").size(),
                "S3 and DynamoDB in each region, and the acknowledgement mirror's DynamoDB endpoint in DR");
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void flowLogsGoToAnEncryptedRetainedLogGroupThroughAScopedRole(String role) {
        synth.assertResource("aws_flow_log", Map.of("provider", "aws." + role,
                "vpc_id", synth.ref("aws_vpc", role + "_network_vpc", "id"),
                "traffic_type", "ALL", "log_destination_type", "cloud-watch-logs",
                "log_destination", synth.ref("aws_cloudwatch_log_group", role + "_network_flow_log_group", "arn"),
                "iam_role_arn", synth.ref("aws_iam_role", role + "_network_flow_log_role", "arn")));
        synth.assertResource("aws_cloudwatch_log_group", Map.of("provider", "aws." + role,
                "name", "vpc-flow-logs-dev", "retention_in_days", 30,
                "kms_key_id", synth.ref("aws_kms_key", role + "_logs_key_", "arn")));
        synth.assertResource("aws_iam_role", Map.of("provider", "aws." + role,
                "name", "role-vpc-flow-logs-" + role + "-dev"));
    }
}
