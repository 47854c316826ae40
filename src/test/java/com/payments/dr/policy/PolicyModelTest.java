package com.payments.dr.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's model of a configuration, on hand-written JSON: the corners the fixtures do not reach. */
class PolicyModelTest {

    private static TerraformConfig config(String json) {
        return new TerraformConfig(JsonParser.parseString(json).getAsJsonObject(), "dev");
    }

    @Test
    void waiverPatternsMatchWithinOnePathSegment() {
        Waiver waiver = new Waiver("R", "payments-dr/*/database/instance_*", "why");
        assertTrue(waiver.matches("payments-dr/dr/database/instance_1"));
        assertTrue(waiver.matches("payments-dr/primary/database/instance_"));
        assertFalse(waiver.matches("payments-dr/dr/extra/database/instance_1"));
        assertFalse(waiver.matches("payments-dr/dr/database/instance_1/child"));
        assertTrue(new Waiver("R", "a.b(c)", "literal characters").matches("a.b(c)"));
        assertFalse(new Waiver("R", "a.b", "dot is literal").matches("axb"));
        assertEquals("R payments-dr/*/database/instance_*: why", waiver.line());
    }

    @Test
    void anUnusedWaiverIsReportedAsAWarningAndOneOfAnotherRuleDoesNotCover() {
        Rule rule = new Rule("R", Severity.ERROR, "src", "summary",
                (c, sink) -> c.resources("aws_vpc").forEach(v -> sink.report(v, "bad")));
        TerraformConfig config = config("{\"resource\":{\"aws_vpc\":{\"v\":{}}}}");
        Waiver other = new Waiver("OTHER", "aws_vpc.v", "not this rule");
        Report report = PolicyGate.evaluate(JsonParser.parseString("{\"resource\":{\"aws_vpc\":{\"v\":{}}}}")
                .getAsJsonObject(), "dev", List.of(rule), List.of(other));
        assertFalse(report.passed());
        assertEquals("R aws_vpc.v (aws_vpc.v): bad", report.errors().get(0).line());
        assertEquals(List.of("unused waiver OTHER aws_vpc.v: it matches no finding; remove it from Waivers"),
                report.warningLines());
        assertEquals(1, rule.evaluate(config).size());
    }

    @Test
    void readersTolerateMissingAndOddValues() {
        assertEquals(List.of(), Json.blocks(null));
        assertEquals(List.of(), Json.blocks(JsonParser.parseString("\"text\"")));
        assertEquals(1, Json.blocks(JsonParser.parseString("[{}, 1]")).size());
        assertNull(Json.block(null, "x"));
        assertNull(Json.string(null, "x"));
        assertNull(Json.string(new JsonObject(), "x"));
        assertEquals(List.of(), Json.strings(null));
        assertEquals(List.of("a"), Json.strings(JsonParser.parseString("[\"a\", {}]")));
        assertEquals(List.of(), Json.strings(new JsonObject()));
        assertTrue(Json.isTrue(JsonParser.parseString("\"true\"")));
        assertFalse(Json.isTrue(new JsonArray()));
        assertFalse(Json.isFalse(null));
        assertFalse(Json.isFalse(new JsonObject()));
    }

    @Test
    void resourcesWithoutMetadataAreNamedByAddress() {
        TerraformConfig config = config("{\"resource\":{\"aws_vpc\":{\"v\":{\"provider\":\"aws\",\"x\":null,"
                + "\"n\":{}}}},\"data\":{\"aws_iam_policy_document\":{\"d\":{\"//\":{\"metadata\":{}}}}}}");
        Resource vpc = config.resources("aws_vpc").get(0);
        assertEquals("aws_vpc.v", vpc.path());
        assertNull(vpc.providerAlias(), "\"aws\" is the default provider");
        assertFalse(vpc.has("x"));
        assertNull(vpc.string("n"));
        assertFalse(vpc.isReferencedBy(null));
        assertNull(config.regionOf(vpc));
        Resource document = config.data("aws_iam_policy_document").get(0);
        assertEquals("data.aws_iam_policy_document.d", document.path());
        assertEquals("${data.aws_iam_policy_document.d.", document.reference());
        assertEquals(List.of(), config.resources("aws_subnet"));
        assertEquals(List.of(), config.data("aws_partition"));
        assertTrue(config("{}").allResources().isEmpty());
        assertTrue(config("{}").awsProviders().isEmpty());
    }

    @Test
    void onlyAWholeDataReferenceNamesAPolicyDocument() {
        TerraformConfig config = config("{\"data\":{\"aws_iam_policy_document\":{\"d\":{}}}}");
        assertTrue(config.dataReference("${data.aws_iam_policy_document.d.json}", "aws_iam_policy_document").isPresent());
        assertTrue(config.dataReference("${data.aws_iam_policy_document.d}", "aws_iam_policy_document").isPresent());
        assertFalse(config.dataReference("${data.aws_iam_policy_document.e.json}", "aws_iam_policy_document").isPresent());
        assertFalse(config.dataReference(null, "aws_iam_policy_document").isPresent());
        assertFalse(config.dataReference("${data.aws_iam_policy_document.d.json", "aws_iam_policy_document").isPresent());
        assertFalse(config.dataReference("${data.aws_iam_policy_document.d.json}${x}", "aws_iam_policy_document")
                .isPresent());
        assertFalse(TerraformConfig.isPureReference(null));
        assertFalse(TerraformConfig.isPureReference(new JsonObject()));
        assertFalse(TerraformConfig.isPureReference(JsonParser.parseString("\"${a}-${b}\"")));
        assertFalse(TerraformConfig.isPureReference(JsonParser.parseString("\"a-${b}\"")));
    }

    @Test
    void jsonPoliciesAreReadInEverySpelling() {
        List<Statement> statements = PolicyDocument.parse("{\"Statement\":[{\"Action\":\"sns:*\",\"Principal\":\"*\","
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"},\"Odd\":1}},"
                + "{\"Effect\":\"Deny\",\"Action\":\"sns:*\",\"Principal\":\"*\","
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":[\"false\"]}}},"
                + "{\"Effect\":\"Deny\",\"Action\":\"sns:Publish\",\"Principal\":{\"AWS\":[\"*\"]},\"Condition\":1}]}")
                .orElseThrow();
        assertTrue(statements.get(0).allow(), "Effect defaults to Allow");
        assertEquals("a statement", statements.get(0).label());
        assertFalse(statements.get(0).deniesInsecureTransport("sns"), "an Allow denies nothing");
        assertTrue(statements.get(1).deniesInsecureTransport("sns"));
        assertFalse(statements.get(2).deniesInsecureTransport("sns"), "one action is not every action");
        assertEquals(List.of("*"), statements.get(2).principals());
        assertFalse(PolicyDocument.parse("[1]").isPresent());
        assertFalse(PolicyDocument.parse("{\"Version\":\"2012-10-17\"}").isPresent());
        assertFalse(PolicyDocument.parse("{not json").isPresent());
        assertEquals("statement S", new Statement("S", true, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of()).label());
        assertEquals("a statement", new Statement("", true, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of()).label());
    }

    @Test
    void tlsDenialsNeedEveryActionAnyoneAndTheInsecureCondition() {
        Statement.Condition insecure = new Statement.Condition("Bool", "aws:SecureTransport", List.of("false"));
        assertTrue(deny(List.of("*"), List.of("*"), insecure).deniesInsecureTransport("s3"));
        assertFalse(deny(List.of("s3:*"), List.of("arn:aws:iam::1:root"), insecure).deniesInsecureTransport("s3"));
        assertFalse(deny(List.of("s3:*"), List.of("*"), new Statement.Condition("Bool", "aws:SecureTransport",
                List.of("true"))).deniesInsecureTransport("s3"));
        assertFalse(deny(List.of("s3:*"), List.of("*"), new Statement.Condition("Bool", "aws:MultiFactorAuthPresent",
                List.of("false"))).deniesInsecureTransport("s3"));
        assertFalse(deny(List.of("s3:*"), List.of("*"), new Statement.Condition("StringEquals", "aws:SecureTransport",
                List.of("false"))).deniesInsecureTransport("s3"));
    }

    private static Statement deny(List<String> actions, List<String> principals, Statement.Condition condition) {
        return new Statement("S", false, actions, List.of(), List.of("*"), List.of(), principals, List.of(condition));
    }

    @Test
    void aPolicyUsedOnlyByKeysIsAKeyPolicy() {
        TerraformConfig config = config("{\"data\":{\"aws_iam_policy_document\":{\"unused\":{},\"shared\":{}}},"
                + "\"resource\":{\"aws_kms_key\":{\"k\":{\"policy\":\"${data.aws_iam_policy_document.shared.json}\"}},"
                + "\"aws_iam_role_policy\":{\"p\":{\"policy\":\"${data.aws_iam_policy_document.shared.json}\"}}}}");
        List<PolicyDocument.Use> unreadable = new ArrayList<>();
        List<PolicyDocument> documents = PolicyDocument.all(config, unreadable);
        assertFalse(documents.get(0).isKeyPolicy(), "a document nobody uses");
        assertFalse(documents.get(1).isKeyPolicy(), "also a role's policy");
        assertEquals(2, documents.get(1).uses().size());
        assertTrue(unreadable.isEmpty());
    }

    /** Findings of one rule on a configuration written out by hand, as "address: message". */
    private static List<String> findings(String ruleId, String json) {
        Rule rule = RulePack.ALL.stream().filter(r -> r.id().equals(ruleId)).findFirst().orElseThrow();
        return rule.evaluate(config(json)).stream().map(f -> f.resource().address() + ": " + f.message()).toList();
    }

    private static final String PROVIDERS = "\"provider\":{\"aws\":[{\"alias\":\"primary\",\"region\":\"us-east-1\"},"
            + "{\"alias\":\"dr\",\"region\":\"us-east-2\"}]}";

    @Test
    void replicationCountsOnlyEnabledRulesBetweenKnownBucketsInTwoRegions() {
        String buckets = "\"aws_s3_bucket\":{\"a\":{\"bucket\":\"s3-a-dev\",\"provider\":\"aws.primary\"},"
                + "\"b\":{\"bucket\":\"s3-b-dev\",\"provider\":\"aws.dr\"}}";
        String disabled = "{" + PROVIDERS + ",\"resource\":{" + buckets + ",\"aws_s3_bucket_replication_configuration\":"
                + "{\"r\":{\"bucket\":\"s3-a-dev\",\"rule\":[{\"status\":\"Disabled\",\"destination\":"
                + "{\"bucket\":\"${aws_s3_bucket.b.arn}\"}},{\"status\":\"Enabled\",\"destination\":"
                + "{\"bucket\":\"arn:aws:s3:::elsewhere\"}}]}}}}";
        assertEquals(2, findings("DR-CROSS-REGION-COPY", disabled).size(), "a disabled rule or an unknown bucket is no copy");
        String enabled = disabled.replace("Disabled", "Enabled");
        assertEquals(List.of(), findings("DR-CROSS-REGION-COPY", enabled), "the source is named by its literal bucket name");
    }

    @Test
    void rulesReadTheLessCommonSpellings() {
        String json = "{\"provider\":{\"aws\":{\"region\":\"us-east-1\",\"default_tags\":[{\"tags\":"
                + "{\"Environment\":\"DR\",\"CostCenter\":\"Operations\"}}]}},\"resource\":{"
                + "\"aws_kms_key\":{\"rsa\":{\"customer_master_key_spec\":\"RSA_2048\"},"
                + "\"symmetric\":{\"customer_master_key_spec\":\"SYMMETRIC_DEFAULT\"}},"
                + "\"aws_lambda_function\":{\"bare\":{},\"empty\":{\"environment\":{\"variables\":{}}}},"
                + "\"aws_rds_cluster\":{\"c\":{\"backup_retention_period\":\"${var.days}\"}},"
                + "\"aws_rds_global_cluster\":{\"g\":{\"source_db_cluster_identifier\":\"arn:x\"}},"
                + "\"aws_iam_policy\":{\"p\":{\"name\":\"policy-dev\",\"policy\":\"{\\\"Statement\\\":"
                + "[{\\\"Effect\\\":\\\"Allow\\\",\\\"NotAction\\\":\\\"iam:PassRole\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}}}}";
        assertEquals(List.of("aws_kms_key.symmetric: key rotation off; set enable_key_rotation = true"),
                findings("KMS-ROTATION", json), "asymmetric keys cannot rotate");
        assertEquals(List.of(), findings("LAMBDA-ENV-CMK", json), "nothing to encrypt");
        assertEquals(List.of("aws_rds_cluster.c: backup retention ${var.days}; set backup_retention_period to at least 7"),
                findings("DR-BACKUP-PITR", json));
        assertTrue(findings("ENC-AT-REST", json).stream().noneMatch(f -> f.startsWith("aws_rds_global_cluster.g")),
                "a global cluster built from an existing cluster takes its encryption");
        assertEquals(List.of("aws_iam_policy.p: a statement grants every action except iam:PassRole on resource *; name the resources (ARNs)"),
                findings("IAM-WILDCARD-RESOURCE", json), "NotAction on * names what it excludes");
        assertEquals(List.of("aws.default: default_tags lack Criticality=High; add it to the provider's default_tags "
                + "(Tags.defaults)"), findings("TAGS-REQUIRED", json).stream().filter(f -> f.startsWith("aws.")).toList());
    }
}
