package com.payments.dr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DeployedStackTest reads outputs in both formats a deployment can leave behind. */
class StackOutputsTest {

    @Test
    void flattenReadsCdktfAndTerraformOutputFiles() {
        Map<String, JsonElement> cdktf = DeployedStackTest.flatten(JsonParser.parseString(
                "{\"payments-dr\":{\"primary\":{\"primary_vpc_id\":\"vpc-1\",\"primary_private_subnet_ids\":[\"a\"]},"
                        + "\"global\":{\"global_cluster_id\":\"g\"}}}"));
        assertEquals("vpc-1", cdktf.get("primary_vpc_id").getAsString());
        assertEquals("g", cdktf.get("global_cluster_id").getAsString());
        assertEquals(1, cdktf.get("primary_private_subnet_ids").getAsJsonArray().size());
        Map<String, JsonElement> terraform = DeployedStackTest.flatten(JsonParser.parseString(
                "{\"primary_vpc_id\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"vpc-2\"}}"));
        assertEquals("vpc-2", terraform.get("primary_vpc_id").getAsString());
    }
}
