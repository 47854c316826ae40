package com.payments.dr.stack;

import com.payments.dr.blocks.RegionContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import com.payments.dr.blocks.EncryptionKey;
import com.payments.dr.blocks.Network;
import com.payments.dr.config.Ipv4Cidr;
import com.payments.dr.naming.Naming;
import com.payments.dr.naming.RegionRole;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The network block on its own, as another stack would reuse it. */
class NetworkBlockTest {

    @Test
    void withoutInterfaceEndpointsThereIsNoEndpointGroupNorRule() {
        TerraformStack stack = new TerraformStack(Testing.app(), "network-only");
        RegionContext region = new RegionContext(RegionRole.PRIMARY, "eu-central-1",
                Providers.aws(stack, RegionRole.PRIMARY, "eu-central-1", "t"), Naming.global("t").forRegion(RegionRole.PRIMARY),
                "123456789012", "aws");
        EncryptionKey key = new EncryptionKey(stack, "key", region, "logs", "test", List.of());
        new Network(stack, "network", new Network.Props(region, Ipv4Cidr.parseOrNull("192.168.0.0/24"), 3, 7, key,
                List.of()));
        String synthesized = Testing.synth(stack);
        assertTrue(Testing.toHaveResourceWithProperties(synthesized, "aws_vpc", Map.of("provider", "aws.primary",
                "cidr_block", "192.168.0.0/24", "tags", Map.of("Name", "vpc-t"))));
        assertTrue(Testing.toHaveProviderWithProperties(synthesized, "aws", Map.of("alias", "primary",
                "region", "eu-central-1")));
        assertFalse(Testing.toHaveResourceWithProperties(synthesized, "aws_vpc_endpoint",
                Map.of("vpc_endpoint_type", "Interface")));
        JsonObject json = JsonParser.parseString(synthesized).getAsJsonObject();
        JsonObject resources = json.getAsJsonObject("resource");
        assertEquals(3, resources.getAsJsonObject("aws_security_group").size(), "function, migrator and database only");
        assertEquals(2, resources.getAsJsonObject("aws_vpc_endpoint").size(), "the two gateway endpoints");
        assertEquals(3, resources.getAsJsonObject("aws_subnet").size());
        assertFalse(json.toString().contains("secretsmanager"));
        assertEquals("192.168.0.32/28", resources.getAsJsonObject("aws_subnet").asMap().values().stream()
                .map(s -> s.getAsJsonObject().get("cidr_block").getAsString()).sorted().toList().get(2));
    }

    /**
     * A Secrets Manager endpoint, as a primary region brings it back for a function that must call
     * Secrets Manager from its VPC (RegionalResources.interfaceEndpoints): one ENI per private
     * subnet, private DNS, its own group taking HTTPS from the migrator group only, and a policy
     * limited to the given secret and role (restrictEndpoints; none given fails the synth).
     */
    @Test
    void anInterfaceEndpointComesWithItsGroupRulesAndAScopedPolicy() {
        TerraformStack stack = new TerraformStack(Testing.app(), "network-endpoint");
        RegionContext region = new RegionContext(RegionRole.PRIMARY, "us-east-1",
                Providers.aws(stack, RegionRole.PRIMARY, "us-east-1", "t"), Naming.global("t").forRegion(RegionRole.PRIMARY),
                "123456789012", "aws");
        EncryptionKey key = new EncryptionKey(stack, "key", region, "logs", "test", List.of());
        Network network = new Network(stack, "network", new Network.Props(region, Ipv4Cidr.parseOrNull("10.0.0.0/16"), 2, 7,
                key, List.of("secretsmanager")));
        IllegalStateException unrestricted = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> network.restrictEndpoints(Map.of()));
        assertTrue(unrestricted.getMessage().contains("no endpoint policy for the "), unrestricted.getMessage());
        Map<String, Network.EndpointAccess> access = new java.util.TreeMap<>();
        for (String service : List.of("s3", "dynamodb")) {
            access.put(service, new Network.EndpointAccess(List.of(service + ":GetObject"), List.of("arn:aws:" + service + ":::x")));
        }
        access.put("secretsmanager", new Network.EndpointAccess(List.of("secretsmanager:GetSecretValue"),
                List.of("arn:aws:secretsmanager:us-east-1:123456789012:secret:secret-aurora-master-t-AbCdEf"),
                List.of("arn:aws:iam::123456789012:role/role-rotation-primary-t")));
        network.restrictEndpoints(access);
        String synthesized = Testing.synth(stack);
        JsonObject resources = JsonParser.parseString(synthesized).getAsJsonObject().getAsJsonObject("resource");
        JsonObject endpoint = resources.getAsJsonObject("aws_vpc_endpoint").asMap().values().stream()
                .map(e -> e.getAsJsonObject()).filter(e -> e.get("vpc_endpoint_type").getAsString().equals("Interface"))
                .findFirst().orElseThrow();
        assertEquals("com.amazonaws.us-east-1.secretsmanager", endpoint.get("service_name").getAsString());
        assertTrue(endpoint.get("private_dns_enabled").getAsBoolean());
        assertEquals(2, endpoint.getAsJsonArray("subnet_ids").size(), "one ENI per zone");
        assertTrue(endpoint.get("policy").getAsString().contains("role-rotation-primary-t"));
        assertEquals(4, resources.getAsJsonObject("aws_security_group").size(), "and the endpoints' own group");
        assertTrue(synthesized.contains("HTTPS from the schema migrator"), "the endpoints take HTTPS from the migrator");
    }
}
