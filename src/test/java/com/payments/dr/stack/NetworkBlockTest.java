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
}
