package com.payments.dr.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The two override files: the stack's own JSON stays as synthesized, every AWS provider goes to the emulator. */
class EmulatorOverrideTest {

    static final String SCHEMA = """
            {"provider_schemas": {
              "registry.terraform.io/hashicorp/random": {"provider": {"block": {}}},
              "registry.terraform.io/hashicorp/aws": {"provider": {"block": {"block_types": {"endpoints": {"block":
                {"attributes": {"s3": {}, "s3api": {}, "lambda": {}, "events": {}, "eventbridge": {}, "sts": {}}}}}}}}}}
            """;

    /** Two aliased providers as cdktf writes them, and a third alias for a third region. */
    static final String STACK = """
            {"terraform": {"backend": {"s3": {"bucket": "state"}}},
             "provider": {"aws": [{"alias": "primary", "region": "us-east-1"}, {"alias": "dr", "region": "us-east-2"},
                                  {"alias": "route53_metrics", "region": "us-east-1"}],
                          "random": [{}]}}
            """;

    @Test
    void theBackendBecomesALocalStateFile() {
        JsonObject backend = JsonParser.parseString(EmulatorOverride.backend("/w/terraform.tfstate")).getAsJsonObject();
        assertEquals("{\"terraform\":{\"backend\":{\"local\":{\"path\":\"/w/terraform.tfstate\"}}}}", backend.toString());
    }

    @Test
    void everyEndpointOfTheSchemaLessTheSecondNamesOfAService() {
        JsonObject schema = JsonParser.parseString(SCHEMA).getAsJsonObject();
        assertEquals(List.of("events", "lambda", "s3", "sts"),
                EmulatorOverride.endpointKeys(schema, Set.of("s3api", "eventbridge", "not-in-schema")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmulatorOverride.endpointKeys(
                JsonParser.parseString("{\"provider_schemas\": {}}").getAsJsonObject(), Set.of()));
        assertEquals("no hashicorp/aws provider in the schema: was terraform init run?", e.getMessage());
    }

    @Test
    void everyAwsProviderWhateverItsAliasGoesToTheEmulatorWithDummyKeysAndNoMachineConfiguration() {
        JsonObject override = JsonParser.parseString(EmulatorOverride.providers(JsonParser.parseString(STACK)
                .getAsJsonObject(), List.of("lambda", "s3"), "http://127.0.0.1:4566", "/w/empty")).getAsJsonObject();
        assertEquals(Set.of("provider"), override.keySet(), "nothing but the providers: the backend is the other file");
        assertFalse(override.getAsJsonObject("provider").has("random"), "only AWS providers are touched");
        JsonArray blocks = override.getAsJsonObject("provider").getAsJsonArray("aws");
        List<String> aliases = new ArrayList<>();
        for (var element : blocks) {
            JsonObject block = element.getAsJsonObject();
            aliases.add(block.get("alias").getAsString());
            assertFalse(block.has("region"), "the region stays the stack's");
            assertEquals(EmulatorOverride.DUMMY_KEY, block.get("access_key").getAsString());
            assertEquals(EmulatorOverride.DUMMY_KEY, block.get("secret_key").getAsString());
            assertEquals("[\"/w/empty\"]", block.get("shared_config_files").toString());
            assertEquals("[\"/w/empty\"]", block.get("shared_credentials_files").toString());
            assertTrue(block.get("skip_credentials_validation").getAsBoolean());
            assertTrue(block.get("skip_metadata_api_check").getAsBoolean());
            assertTrue(block.get("skip_region_validation").getAsBoolean());
            assertTrue(block.get("s3_use_path_style").getAsBoolean());
            assertEquals(EmulatorOverride.MAX_RETRIES, block.get("max_retries").getAsInt());
            assertEquals("[{\"lambda\":\"http://127.0.0.1:4566\",\"s3\":\"http://127.0.0.1:4566\"}]",
                    block.get("endpoints").toString());
            assertFalse(block.has("profile") || block.has("token"));
        }
        assertEquals(List.of("primary", "dr", "route53_metrics"), aliases);
    }

    @Test
    void aSingleProviderObjectWithoutAliasIsTheDefaultProvider() {
        JsonObject override = JsonParser.parseString(EmulatorOverride.providers(JsonParser.parseString(
                "{\"provider\": {\"aws\": {\"region\": \"eu-west-1\"}}}").getAsJsonObject(), List.of("sts"),
                "http://127.0.0.1:1", "/e")).getAsJsonObject();
        JsonObject block = override.getAsJsonObject("provider").getAsJsonArray("aws").get(0).getAsJsonObject();
        assertFalse(block.has("alias"));
        assertEquals("http://127.0.0.1:1", block.getAsJsonArray("endpoints").get(0).getAsJsonObject().get("sts")
                .getAsString());
    }

    @Test
    void aStackWithoutAnAwsProviderIsRefused() {
        for (String stack : List.of("{}", "{\"provider\": {\"random\": [{}]}}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmulatorOverride.providers(
                    JsonParser.parseString(stack).getAsJsonObject(), List.of("s3"), "http://127.0.0.1:1", "/e"));
            assertEquals("the stack declares no AWS provider", e.getMessage());
        }
    }
}
