package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Merchant-bound API keys valid in both regions: per merchant key one secret (generated once,
 * replicated to the DR region) and one API key per region whose value is the same Terraform
 * expression reading that secret; every key in its region's usage plan; each region's function
 * told which merchant each of its key ids acts for. A rotation variant with two generations.
 */
class MerchantKeysTest {

    private static final List<String> ROLES = List.of("primary", "dr");
    /** What a key's value may be in the synthesized JSON: a reference to its secret's current version, nothing else. */
    private static final Pattern VALUE_EXPRESSION = Pattern.compile(
            "\\$\\{data\\.aws_secretsmanager_secret_version\\.(global_merchant_keys_[a-z0-9_]+_current_[0-9A-F]{8})\\.secret_string}");

    private static Synth synth;
    private static Synth rotation;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
        rotation = Synth.of(DrConfig.builder()
                .set(Setting.MERCHANTS, "acme,acme:2,globex,smoke-test:4,smoke-test:5")
                .build());
    }

    /** The region's API keys by name. */
    private static Map<String, JsonObject> keys(Synth s, String role) {
        Map<String, JsonObject> byName = new TreeMap<>();
        s.blocks("resource", "aws_api_gateway_api_key").forEach((id, body) -> {
            if (id.startsWith(role + "_merchant_keys_")) {
                byName.put(body.getAsJsonObject().get("name").getAsString(), body.getAsJsonObject());
            }
        });
        return byName;
    }

    @Test
    void everyMerchantKeyHasOneValueExpressionInBothRegions() {
        for (Synth s : List.of(synth, rotation)) {
            Map<String, JsonObject> primary = keys(s, "primary");
            Map<String, JsonObject> dr = keys(s, "dr");
            assertEquals(primary.keySet(), dr.keySet());
            assertEquals(s.resources("aws_api_gateway_api_key").size(), 2 * primary.size(), "no other key");
            primary.forEach((name, key) -> {
                String value = key.get("value").getAsString();
                assertTrue(VALUE_EXPRESSION.matcher(value).matches(), name + ": " + value);
                assertEquals(value, dr.get(name).get("value").getAsString(), "the same value in both regions: " + name);
                assertEquals("aws.primary", key.get("provider").getAsString());
                assertEquals("aws.dr", dr.get(name).get("provider").getAsString());
                assertTrue(key.get("enabled").getAsBoolean());
            });
        }
        assertEquals(List.of("apikey-payments-smoke-test-1-dev"), List.copyOf(keys(synth, "primary").keySet()));
        assertEquals(List.of("apikey-payments-acme-1-dev", "apikey-payments-acme-2-dev", "apikey-payments-globex-1-dev",
                "apikey-payments-smoke-test-4-dev", "apikey-payments-smoke-test-5-dev"),
                List.copyOf(keys(rotation, "primary").keySet()));
        // one value per key, not one for all: acme's two generations read two secrets
        assertNotEquals(keys(rotation, "dr").get("apikey-payments-acme-1-dev").get("value"),
                keys(rotation, "dr").get("apikey-payments-acme-2-dev").get("value"));
    }

    @Test
    void eachValueIsGeneratedOnceIntoASecretReplicatedToTheDrRegion() {
        for (JsonObject key : keys(rotation, "primary").values()) {
            Matcher m = VALUE_EXPRESSION.matcher(key.get("value").getAsString());
            assertTrue(m.matches());
            String current = m.group(1);
            JsonObject read = rotation.blocks("data", "aws_secretsmanager_secret_version").get(current).getAsJsonObject();
            String secretPrefix = current.replaceAll("_current_[0-9A-F]{8}$", "_secret");
            assertEquals(rotation.ref("aws_secretsmanager_secret", secretPrefix, "arn"), read.get("secret_id").getAsString());
            // the first version holds the generated value and is never replaced by a later plan's
            JsonObject first = rotation.resource("aws_secretsmanager_secret_version",
                    current.replaceAll("_current_[0-9A-F]{8}$", "_first_value"));
            String generated = current.replaceAll("_current_[0-9A-F]{8}$", "_generated");
            assertEquals("${data.aws_secretsmanager_random_password." + rotation.blocks("data",
                    "aws_secretsmanager_random_password").keySet().stream().filter(id -> id.startsWith(generated))
                    .findFirst().orElseThrow() + ".random_password}", first.get("secret_string").getAsString());
            assertEquals(List.of("secret_string"), Synth.strings(first.getAsJsonObject("lifecycle")
                    .getAsJsonArray("ignore_changes")));
            Synth.assertDependsFirstOn(read,
                    "aws_secretsmanager_secret_version." + current.replaceAll("_current_[0-9A-F]{8}$", "_first_value"));
            JsonObject secret = rotation.resource("aws_secretsmanager_secret", secretPrefix);
            assertTrue(secret.get("name").getAsString().matches("secret-merchant-key-[a-z0-9-]+-[0-9]+-dev"),
                    secret.get("name").getAsString());
            assertEquals(0, secret.get("recovery_window_in_days").getAsInt(), "destroyable; a removed key is gone");
            assertEquals(rotation.ref("aws_kms_key", "primary_data_key_", "arn"), secret.get("kms_key_id").getAsString());
            JsonObject replica = secret.getAsJsonArray("replica").get(0).getAsJsonObject();
            assertEquals("us-east-2", replica.get("region").getAsString());
            assertEquals(rotation.ref("aws_kms_key", "dr_data_key_", "arn"), replica.get("kms_key_id").getAsString());
        }
        for (JsonObject generator : rotation.data("aws_secretsmanager_random_password")) {
            if (generator.has("exclude_punctuation")) {
                assertTrue(generator.get("password_length").getAsInt() >= 20, "API Gateway: at least 20 characters");
            }
        }
        // the master secret and one per merchant key
        assertEquals(1 + 5, rotation.resources("aws_secretsmanager_secret").size());
    }

    /**
     * No key's value is in the synthesized JSON or the repository: every place that holds one is a
     * Terraform expression (resolved at apply, kept in state); the only values in the JSON that look
     * like API keys (40 letters and digits) would be literals, and there are none.
     */
    @Test
    void noKeyValueIsWrittenAnywhere() throws IOException {
        assertFalse(Pattern.compile("\"value\"\\s*:\\s*\"[A-Za-z0-9]{20,}\"").matcher(synth.text()).find());
        assertFalse(Pattern.compile("\"secret_string\"\\s*:\\s*\"[^$]").matcher(synth.text()).find(),
                "every secret_string is an expression");
        // the outputs name key ids and secrets, never values
        String keysOutput = synth.json().getAsJsonObject("output").getAsJsonObject("merchant_api_keys").get("value")
                .getAsString();
        assertFalse(keysOutput.contains("secret_string") || keysOutput.contains("random_password"), keysOutput);
        // and no source file carries one: the stack's only key material is generated at apply
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".pem")).toList()) {
                String text = Files.readString(file);
                assertFalse(Pattern.compile("x-api-key:\\s*[A-Za-z0-9]{20,}").matcher(text).find(), file.toString());
            }
        }
    }

    @Test
    void everyKeyIsInItsRegionsUsagePlanUnderItsOwnName() {
        for (String role : ROLES) {
            for (String qualifier : List.of("acme_1", "acme_2", "globex_1")) {
                JsonObject link = rotation.resource("aws_api_gateway_usage_plan_key", role + "_api_usage_plan_key_"
                        + qualifier);
                assertEquals(rotation.ref("aws_api_gateway_api_key", role + "_merchant_keys_" + qualifier, "id"),
                        link.get("key_id").getAsString());
                assertEquals(rotation.ref("aws_api_gateway_usage_plan", role + "_api_usage_plan", "id"),
                        link.get("usage_plan_id").getAsString());
            }
        }
        assertEquals(1, rotation.resources("aws_api_gateway_usage_plan").size() / 2, "one plan (tier) per region");
    }

    @Test
    void eachRegionsFunctionKnowsWhichMerchantEachOfItsKeyIdsActsFor() {
        for (String role : ROLES) {
            JsonObject env = rotation.resource("aws_lambda_function", role + "_payment_function_")
                    .getAsJsonObject("environment").getAsJsonObject("variables");
            String expected = "{\"" + rotation.ref("aws_api_gateway_api_key", role + "_merchant_keys_acme_1", "id")
                    + "\":\"acme\",\"" + rotation.ref("aws_api_gateway_api_key", role + "_merchant_keys_acme_2", "id")
                    + "\":\"acme\",\"" + rotation.ref("aws_api_gateway_api_key", role + "_merchant_keys_globex_1", "id")
                    + "\":\"globex\",\"" + rotation.ref("aws_api_gateway_api_key", role + "_merchant_keys_smoke_test_4", "id")
                    + "\":\"smoke-test\",\"" + rotation.ref("aws_api_gateway_api_key", role + "_merchant_keys_smoke_test_5", "id")
                    + "\":\"smoke-test\"}";
            assertEquals(expected, env.get("MERCHANT_KEYS").getAsString());
            // the template's JSON parses once Terraform fills the ids in (letters and digits)
            int[] next = {0};
            JsonObject filled = JsonParser.parseString(java.util.regex.Pattern.compile("\\$\\{[^}]+}").matcher(expected)
                    .replaceAll(m -> "k" + next[0]++)).getAsJsonObject();
            assertEquals(5, filled.size());
        }
    }

    @Test
    void theOutputsNameEachKeysSecretAndIdsAndTheSmokeTestKey() {
        JsonObject outputs = rotation.json().getAsJsonObject("output");
        String keys = outputs.getAsJsonObject("merchant_api_keys").get("value").getAsString();
        assertTrue(keys.startsWith("${jsonencode({"), keys);
        for (String entry : List.of("acme:1", "acme:2", "globex:1", "smoke-test:4", "smoke-test:5")) {
            assertTrue(keys.contains("\"" + entry + "\""), entry + " in " + keys);
        }
        assertTrue(keys.contains("primary_key_id") && keys.contains("dr_key_id") && keys.contains("secret_replica_arn"));
        // the smoke-test merchant's newest key: the one it moves to during a rotation
        assertEquals(rotation.ref("aws_secretsmanager_secret", "global_merchant_keys_smoke_test_5_secret", "arn"),
                outputs.getAsJsonObject("smoke_test_key_secret_arn").get("value").getAsString());
        assertEquals(synth.ref("aws_secretsmanager_secret", "global_merchant_keys_smoke_test_1_secret", "arn"),
                synth.json().getAsJsonObject("output").getAsJsonObject("smoke_test_key_secret_arn").get("value")
                        .getAsString());
    }
}
