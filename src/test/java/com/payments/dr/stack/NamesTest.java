package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.payments.dr.config.DrConfig;
import com.payments.dr.naming.Naming;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every name carries the suffix, fits AWS's limit even at the longest suffix, and never collides. */
class NamesTest {

    /** Name attributes by resource type, with AWS's length limit for each. */
    private static final Map<String, Map<String, Integer>> NAME_ATTRIBUTES = Map.ofEntries(
            Map.entry("aws_iam_role", Map.of("name", 64)),
            Map.entry("aws_iam_role_policy", Map.of("name", 128)),
            Map.entry("aws_kms_alias", Map.of("name", 256)),
            Map.entry("aws_cloudwatch_log_group", Map.of("name", 512)),
            Map.entry("aws_security_group", Map.of("name", 255)),
            Map.entry("aws_s3_bucket", Map.of("bucket", 63)),
            Map.entry("aws_rds_global_cluster", Map.of("global_cluster_identifier", 63)),
            Map.entry("aws_rds_cluster", Map.of("cluster_identifier", 63)),
            Map.entry("aws_rds_cluster_instance", Map.of("identifier", 63)),
            Map.entry("aws_rds_cluster_parameter_group", Map.of("name", 255)),
            Map.entry("aws_db_subnet_group", Map.of("name", 255)),
            Map.entry("aws_secretsmanager_secret", Map.of("name", 512)),
            Map.entry("aws_dynamodb_table", Map.of("name", 255)),
            Map.entry("aws_lambda_function", Map.of("function_name", 64)));
    private static final int TAG_VALUE_LIMIT = 256;

    private static String longest;
    private static Synth longSuffix;
    private static Synth otherSuffix;

    @BeforeAll
    static void synthesize() {
        longest = "x" + "9".repeat(Naming.maxSuffixLength() - 1);
        longSuffix = Synth.of(DrConfig.builder().environmentSuffix(longest).build());
        otherSuffix = Synth.of(DrConfig.builder().environmentSuffix("qa").build());
    }

    /** (type.id, name, limit) for every name in a synthesized stack. */
    private static List<String[]> names(Synth synth) {
        List<String[]> names = new ArrayList<>();
        for (Synth.Block block : synth.allBlocks()) {
            if (!block.kind().equals("resource")) {
                continue;
            }
            NAME_ATTRIBUTES.getOrDefault(block.type(), Map.of()).forEach((attribute, limit) -> {
                if (block.body().has(attribute)) {
                    names.add(new String[] {block.type() + "." + block.id(), block.string(attribute),
                        Integer.toString(limit)});
                }
            });
            JsonObject tags = block.body().getAsJsonObject("tags");
            if (tags != null && tags.has("Name")) {
                names.add(new String[] {block.type() + "." + block.id() + ".tags.Name",
                    tags.get("Name").getAsString(), Integer.toString(TAG_VALUE_LIMIT)});
            }
        }
        return names;
    }

    /** Account ids are known only at apply time: count them at their real 12 digits. */
    private static String resolved(String name) {
        return name.replaceAll("\\$\\{data\\.aws_caller_identity\\.[a-z_]+\\.account_id}", "123456789012");
    }

    @Test
    void everyNameEndsWithTheSuffixAndFitsEvenAtTheLongestSuffix() {
        List<String[]> names = names(longSuffix);
        assertTrue(names.size() > 20, "found " + names.size() + " names");
        for (String[] name : names) {
            String value = resolved(name[1]);
            // names whose pattern AWS fixes (/aws/rds/cluster/<id>/postgresql) carry the suffix inside
            boolean fixedByAws = value.startsWith("/aws/");
            assertTrue(fixedByAws ? value.matches(".*-" + longest + "(/.*)?") : value.endsWith("-" + longest),
                    name[0] + " = " + value);
            assertTrue(value.length() <= Integer.parseInt(name[2]),
                    name[0] + " = " + value + " is " + value.length() + " > " + name[2]);
        }
    }

    @Test
    void twoSuffixesYieldDisjointNames() {
        Set<String> dev = new HashSet<>();
        names(Synth.defaults()).forEach(n -> dev.add(n[1]));
        Set<String> qa = new HashSet<>();
        names(otherSuffix).forEach(n -> qa.add(n[1]));
        assertEquals(dev.size(), qa.size());
        Set<String> shared = new HashSet<>(dev);
        shared.retainAll(qa);
        assertTrue(shared.isEmpty(), "names shared by dev and qa: " + shared);
    }

    @Test
    void accountWideNamesDifferBetweenTheRegions() {
        List<String> roleNames = Synth.defaults().resources("aws_iam_role").stream()
                .map(r -> r.get("name").getAsString()).toList();
        assertEquals(roleNames.size(), new HashSet<>(roleNames).size(), roleNames.toString());
        assertFalse(roleNames.isEmpty());
    }
}
