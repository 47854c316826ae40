package com.payments.dr.stack;

import com.payments.dr.blocks.RegionContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.hashicorp.cdktf.Testing;
import com.payments.dr.naming.RegionRole;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stack's frame: providers, backend, tags and outputs, checked on one synthesis. */
class DrStackTest {

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void twoAliasedProvidersWithMandatoryDefaultTags(String alias, String region) {
        synth.assertProvider("aws", Map.of("alias", alias, "region", region,
                "default_tags", List.of(Map.of("tags", Map.of("Environment", "DR", "CostCenter", "Operations",
                        "Criticality", "High", "EnvironmentSuffix", "dev")))));
        assertTrue(Testing.toHaveProvider(synth.text(), "aws"));
        assertEquals(2, synth.json().getAsJsonObject("provider").getAsJsonArray("aws").size(),
                "no default provider besides the two aliases");
    }

    @Test
    void everyResourceAndDataSourceUsesAnAliasedProvider() {
        List<Synth.Block> blocks = synth.allBlocks();
        assertTrue(blocks.size() > 40, "stack has " + blocks.size() + " blocks");
        for (Synth.Block block : blocks) {
            if (block.type().equals("terraform_data")) {
                continue; // Terraform's built-in provider, no AWS region
            }
            assertTrue(Set.of("aws.primary", "aws.dr").contains(block.provider()),
                    block.type() + "." + block.id() + " uses provider " + block.provider());
        }
    }

    @Test
    void encryptedS3BackendKeyedBySuffix() {
        JsonObject s3 = synth.json().getAsJsonObject("terraform").getAsJsonObject("backend").getAsJsonObject("s3");
        assertEquals("payments-dr-terraform-state", s3.get("bucket").getAsString());
        assertEquals("payments-dr/dev/terraform.tfstate", s3.get("key").getAsString());
        assertEquals("us-east-1", s3.get("region").getAsString());
        // both locks while runners migrate: the S3 lock file and the DynamoDB table Terraform deprecates
        assertEquals("payments-dr-terraform-locks", s3.get("dynamodb_table").getAsString());
        assertTrue(s3.get("use_lockfile").getAsBoolean());
        assertTrue(s3.get("encrypt").getAsBoolean());
    }

    @Test
    void awsProviderIsPinnedToTheValidatedRelease() {
        JsonObject aws = synth.json().getAsJsonObject("terraform").getAsJsonObject("required_providers")
                .getAsJsonObject("aws");
        assertEquals("hashicorp/aws", aws.get("source").getAsString());
        assertEquals("5.100.0", aws.get("version").getAsString());
    }

    @Test
    void outputsHaveStableReadableNames() {
        JsonObject outputs = synth.json().getAsJsonObject("output");
        for (String role : List.of("primary", "dr")) {
            assertTrue(outputs.has(role + "_vpc_id"), outputs.keySet().toString());
            assertTrue(outputs.get(role + "_vpc_id").getAsJsonObject().get("value").getAsString()
                    .startsWith("${aws_vpc." + role + "_network_vpc"));
            JsonArray subnets = outputs.getAsJsonObject(role + "_private_subnet_ids").getAsJsonArray("value");
            assertEquals(2, subnets.size());
            assertFalse(outputs.getAsJsonObject(role + "_vpc_id").get("description").getAsString().isBlank());
        }
    }

    @Test
    void logicalIdsSayWhichRegionAResourceBelongsTo() {
        Set<String> prefixes = new HashSet<>();
        for (Synth.Block block : synth.allBlocks()) {
            String prefix = block.id().substring(0, block.id().indexOf('_'));
            prefixes.add(prefix);
            String expectedProvider = "aws." + prefix;
            if (Set.of("primary", "dr").contains(prefix) && !block.type().equals("terraform_data")) {
                assertEquals(expectedProvider, block.provider(), block.type() + "." + block.id());
            }
        }
        assertTrue(prefixes.containsAll(Set.of("primary", "dr")), prefixes.toString());
    }

    @Test
    void constructsExposeTheirPartsToLaterTiers() {
        DrStack stack = synth.stack();
        assertEquals(RegionRole.PRIMARY, stack.primary().region().role());
        assertEquals(RegionRole.DR, stack.dr().region().role());
        assertEquals("us-east-2", stack.dr().region().region());
        assertTrue(stack.primary().network().functionSecurityGroupId().contains("TfToken"));
        assertTrue(stack.primary().network().databaseSecurityGroupId().contains("TfToken"));
        assertTrue(stack.dr().logsKey().keyId().contains("TfToken"));
        GlobalResources global = stack.global();
        for (String token : List.of(global.secretArn(), global.tableName(), global.tableArn(),
                stack.dr().database().writerEndpoint(), stack.primary().paymentFunction().functionName())) {
            assertTrue(token.contains("TfToken"), token);
        }
        assertEquals("arn:aws:logs:us-east-1:123:log-group:x",
                new RegionContext(RegionRole.PRIMARY, "us-east-1", null, null, "123", "aws").arn("logs", "log-group:x"));
    }

    @Test
    void noSecretsOrMachinePathsInTheSynthesizedJson() {
        String text = synth.text();
        for (String forbidden : List.of("/work/", "/root/", "/home/", "/tmp/")) {
            assertFalse(text.contains(forbidden), "synthesized JSON contains " + forbidden);
        }
        // a password or secret may only appear as a Terraform expression, never as a literal
        java.util.regex.Matcher literal = java.util.regex.Pattern
                .compile("\"[a-z_]*(password|secret_string)\": \"(?!\\$\\{)").matcher(text);
        assertFalse(literal.find(), () -> "literal secret at " + text.substring(literal.start(), literal.end() + 20));
        assertTrue(text.contains("\"master_password\": \"${jsondecode(data.aws_secretsmanager_secret_version."));
    }
}
