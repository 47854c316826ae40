package com.payments.dr.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.Testing;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import com.payments.dr.config.Protection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every rule against a stack that gets it wrong and one that gets it right (both synthesized once,
 * with the real provider bindings): the broken constructs are caught, by name, and the compliant
 * ones pass.
 */
class PolicyRulesTest {

    private static Report compliant;
    private static List<Finding> broken;
    /** The broken stack as a production stack: the production profile's rules apply. */
    private static List<Finding> brokenProduction;

    @BeforeAll
    static void synthesize() {
        App app = Testing.app();
        compliant = PolicyGate.evaluate(Fixtures.synth(Fixtures.compliant(app)), Fixtures.SUFFIX, RulePack.ALL,
                Fixtures.COMPLIANT_WAIVERS);
        com.google.gson.JsonObject brokenJson = Fixtures.synth(Fixtures.broken(app));
        Report report = PolicyGate.evaluate(brokenJson, Fixtures.SUFFIX, RulePack.ALL, List.of());
        broken = new ArrayList<>(report.errors());
        broken.addAll(report.warnings());
        Report production = PolicyGate.evaluate(brokenJson, Fixtures.SUFFIX, Protection.PRODUCTION, RulePack.ALL,
                List.of());
        brokenProduction = new ArrayList<>(production.errors());
    }

    private static List<String> caughtInProduction(String ruleId) {
        return brokenProduction.stream().filter(f -> f.rule().id().equals(ruleId))
                .map(f -> f.resource().path() + ": " + f.message()).toList();
    }

    private static void assertCaughtInProduction(String ruleId, String path, String messagePart) {
        List<String> found = caughtInProduction(ruleId);
        assertTrue(found.stream().anyMatch(f -> f.startsWith(path + ": ") && f.contains(messagePart)),
                ruleId + " should catch " + path + " (" + messagePart + ") in production, found " + found);
    }

    /** "path: message" of the broken stack's findings for one rule. */
    private static List<String> caught(String ruleId) {
        return broken.stream().filter(f -> f.rule().id().equals(ruleId))
                .map(f -> f.resource().path() + ": " + f.message()).toList();
    }

    private static void assertCaught(String ruleId, String path, String messagePart) {
        List<String> found = caught(ruleId);
        assertTrue(found.stream().anyMatch(f -> f.startsWith(path + ": ") && f.contains(messagePart)),
                ruleId + " should catch " + path + " (" + messagePart + "), found " + found);
    }

    private static void assertCaughtOnly(String ruleId, String... paths) {
        Set<String> found = broken.stream().filter(f -> f.rule().id().equals(ruleId))
                .map(f -> f.resource().path()).collect(Collectors.toSet());
        assertEquals(Set.of(paths), found, ruleId);
    }

    @Test
    void theCompliantStackPassesEveryRuleWithOnlyItsScannerWaivers() {
        assertEquals(List.of(), compliant.errors().stream().map(Finding::line).toList());
        assertEquals(List.of(), compliant.warningLines());
        assertEquals(Set.of("SCAN-RDS-DELETION-PROTECTION compliant/primary_cluster",
                        "SCAN-RDS-DELETION-PROTECTION compliant/dr_cluster",
                        "SCAN-RDS-DELETION-PROTECTION compliant/global_cluster",
                        "SCAN-DYNAMODB-DELETION-PROTECTION compliant/table",
                        "SCAN-RDS-AUTO-MINOR-UPGRADE compliant/instance"),
                compliant.waived().stream().map(w -> w.finding().rule().id() + " " + w.finding().resource().path())
                        .collect(Collectors.toSet()));
        assertEquals(RulePack.ALL.size(), compliant.rules());
    }

    @Test
    void everyRuleCatchesSomethingInTheBrokenStack() {
        Set<String> caughtRules = broken.stream().map(f -> f.rule().id()).collect(Collectors.toSet());
        brokenProduction.forEach(f -> caughtRules.add(f.rule().id()));
        assertEquals(RulePack.ALL.stream().map(Rule::id).collect(Collectors.toSet()), caughtRules);
        // each profile's own: production's rules stay silent on a destroyable stack, and the reverse
        assertTrue(caught("PRODUCTION-PROTECTED").isEmpty() && caught("AUDIT-RETENTION").isEmpty());
        assertTrue(caughtInProduction("DESTROYABLE").isEmpty());
    }

    @Test
    void backupsCopiedToAnotherRegionsVault() {
        assertCaught("BACKUP-PLAN", "broken/unsafe_cluster", "no AWS Backup plan");
        assertCaught("BACKUP-PLAN", "broken/unsafe_table", "no AWS Backup plan");
        assertCaught("BACKUP-PLAN", "broken/bare_bucket", "no AWS Backup plan");
        assertCaught("BACKUP-PLAN", "broken/regional_cluster", "keeps every copy in one region");
        // a global secondary is covered only by another member's copies into its region (the compliant
        // stack's DR cluster is; this one's primary is backed up nowhere)
        assertCaught("BACKUP-PLAN", "broken/uncovered_secondary", "another member with a copy into this region");
        assertCaughtOnly("BACKUP-VAULT", "broken/local_vault");
        assertCaught("BACKUP-VAULT", "broken/local_vault", "set kms_key_arn");
        assertCaughtInProduction("BACKUP-VAULT", "broken/local_vault", "compliance mode (changeable_for_days)");
        // destroyable: a vault that keeps its recovery points, or a lock, would stop the destroy
        assertCaught("DESTROYABLE", "broken/local_vault", "set force_destroy = true");
        assertCaught("DESTROYABLE", "broken/vault_lock", "lock vaults in the production profile only");
    }

    @Test
    void aWebApplicationFirewallOnEveryRestStage() {
        assertCaught("WAF-API", "broken/blind_stage", "associate an aws_wafv2_web_acl");
        assertCaught("WAF-API", "broken/counting_acl", "no blocking AWSManagedRulesKnownBadInputsRuleSet");
        assertCaught("WAF-API", "broken/counting_acl", "no rate-based rule");
        assertCaught("WAF-API", "broken/counting_acl", "no logging");
        assertCaughtOnly("WAF-API", "broken/blind_stage", "broken/counting_acl");
    }

    @Test
    void auditLogsOfTheDatabaseAndTheirRetention() {
        assertCaughtOnly("DB-AUDIT-LOG", "broken/unaudited_cluster");
        assertCaught("DB-AUDIT-LOG", "broken/unaudited_cluster", "enabled_cloudwatch_logs_exports");
        assertCaught("DB-AUDIT-LOG", "broken/unaudited_cluster",
                "does not set log_connections, log_disconnections, log_min_duration_statement");
        assertCaughtInProduction("AUDIT-RETENTION", "broken/short_db_log", "kept 30 days; keep it at least 365");
        assertCaught("S3-ACCESS-LOGS", "broken/bare_bucket", "no server access logs");
    }

    @Test
    void secretsRotateConcurrencyIsCappedFunctionsTraceAndZonesAreSignedAndLogged() {
        assertCaught("SECRET-ROTATION", "broken/retained_secret", "never rotates");
        assertCaught("SECRET-ROTATION", "broken/slowly_rotated_secret", "rotates every 365 days");
        assertCaughtOnly("LAMBDA-CONCURRENCY", "broken/plain_env_function");
        assertCaughtOnly("LAMBDA-TRACING", "broken/plain_env_function");
        assertCaught("DNS-ZONE", "broken/unsigned_zone", "no query logging");
        assertCaught("DNS-ZONE", "broken/unsigned_zone", "not signed");
        assertCaught("PUBLIC-ACCESS", "broken/open_method", "GET needs neither an API key nor an authorizer");
    }

    @Test
    void productionKeepsWhatADestroyWouldTake() {
        assertCaughtInProduction("PRODUCTION-PROTECTED", "broken/regional_cluster", "set deletion_protection = true");
        assertCaughtInProduction("PRODUCTION-PROTECTED", "broken/regional_cluster", "without a final snapshot");
        assertCaughtInProduction("PRODUCTION-PROTECTED", "broken/lonely_replica_table", "deletion_protection_enabled");
        assertCaughtInProduction("PRODUCTION-PROTECTED", "broken/same_region_bucket", "force_destroy deletes its contents");
        assertCaughtInProduction("PRODUCTION-PROTECTED", "broken/short_db_log", "set skip_destroy = true");
        assertCaughtInProduction("PRODUCTION-PROTECTED", "broken/unrotated_key", "prevent_destroy = true");
        assertCaughtInProduction("PRODUCTION-PROTECTED", "broken/slowly_rotated_secret", "recovery window");
        assertTrue(caughtInProduction("PRODUCTION-PROTECTED").stream().noneMatch(f -> f.startsWith("broken/unsafe_cluster")
                && f.contains("deletion_protection = true")), "deletion protection on is what production wants");
    }

    @Test
    void encryptionAtRest() {
        assertCaught("ENC-AT-REST", "broken/plain_log_group", "set kms_key_id");
        assertCaught("ENC-AT-REST", "broken/plain_topic", "set kms_master_key_id");
        assertCaught("ENC-AT-REST", "broken/plain_queue", "queue not encrypted");
        assertCaught("ENC-AT-REST", "broken/retained_secret", "no customer-managed key; set kms_key_id");
        assertCaught("ENC-AT-REST", "broken/retained_secret", "replica in us-east-1 has no customer-managed key");
        assertCaught("ENC-AT-REST", "broken/unsafe_cluster", "set storage_encrypted = true");
        assertCaught("ENC-AT-REST", "broken/lonely_global_cluster", "global cluster not encrypted");
        assertCaught("ENC-AT-REST", "broken/unsafe_table", "server_side_encryption");
        assertCaught("ENC-AT-REST", "broken/bare_bucket", "aws_s3_bucket_server_side_encryption_configuration");
        assertCaught("ENC-AT-REST", "broken/same_region_bucket", "no default encryption");
    }

    @Test
    void keyRotation() {
        assertCaughtOnly("KMS-ROTATION", "broken/unrotated_key");
    }

    @Test
    void tlsOnlyBucketsAndTopics() {
        assertCaught("TLS-ONLY", "broken/bare_bucket", "Deny of s3:*");
        assertCaught("TLS-ONLY", "broken/plain_topic", "Deny of sns:*");
    }

    @Test
    void publicAccess() {
        assertCaught("PUBLIC-ACCESS", "broken/bare_bucket", "public access not blocked");
        assertCaught("PUBLIC-ACCESS", "broken/same_region_bucket", "public access not blocked");
        assertCaught("PUBLIC-ACCESS", "broken/public_acl", "public ACL public-read");
        assertCaught("PUBLIC-ACCESS", "broken/public_instance", "publicly_accessible = false");
        assertCaught("PUBLIC-ACCESS", "broken/open_function_url", "authorization_type = AWS_IAM");
        assertCaught("PUBLIC-ACCESS", "broken/open_bucket_policy", "statement Anyone allows principal *");
    }

    @Test
    void everyPolicyMustBeReadable() {
        assertCaught("IAM-POLICY-READABLE", "broken/opaque_role", "assume_role_policy cannot be checked");
        assertCaught("IAM-POLICY-READABLE", "broken/not_json_policy", "policy cannot be checked");
    }

    @Test
    void wildcardActions() {
        assertCaught("IAM-NO-WILDCARD-ACTION", "broken/wildcard_document", "statement Everything allows *;");
        assertCaught("IAM-NO-WILDCARD-ACTION", "broken/wildcard_document", "statement AllOfS3 allows s3:*");
        assertCaught("IAM-NO-WILDCARD-ACTION", "broken/wildcard_document", "statement Inverse allows NotAction");
        // literal JSON, as an inline policy of a role
        assertCaught("IAM-NO-WILDCARD-ACTION", "broken/opaque_role", "a statement allows *");
        assertTrue(caught("IAM-NO-WILDCARD-ACTION").stream().noneMatch(f -> f.contains("DenyIsFine")));
        assertCaughtOnly("IAM-PARTIAL-WILDCARD", "broken/wildcard_document");
        assertCaught("IAM-PARTIAL-WILDCARD", "broken/wildcard_document", "statement Pattern allows the pattern s3:Get*");
    }

    @Test
    void wildcardResourcesOnlyForUnscopableActionsAndKeyPolicies() {
        assertCaught("IAM-WILDCARD-RESOURCE", "broken/wildcard_document",
                "statement AnyTable grants dynamodb:GetItem on resource *");
        assertCaught("IAM-WILDCARD-RESOURCE", "broken/wildcard_document", "statement Inverse uses NotResource");
        assertCaught("IAM-WILDCARD-RESOURCE", "broken/opaque_role", "a statement grants *");
        assertTrue(caught("IAM-WILDCARD-RESOURCE").stream().noneMatch(f -> f.contains("ec2:CreateNetworkInterface")));
    }

    @Test
    void databasesAcceptIamAuthentication() {
        assertCaughtOnly("RDS-IAM-AUTH", "broken/unsafe_cluster", "broken/regional_cluster");
        assertCaught("RDS-IAM-AUTH", "broken/unsafe_cluster", "set iam_database_authentication_enabled = true");
    }

    @Test
    void lambda() {
        assertCaught("LAMBDA-PERMISSION-SOURCE-ARN", "broken/open_permission", "any principal");
        assertCaught("LAMBDA-PERMISSION-SOURCE-ARN", "broken/open_permission", "no source_arn");
        assertCaughtOnly("LAMBDA-ENV-CMK", "broken/plain_env_function");
    }

    @Test
    void network() {
        assertCaught("NET-NO-OPEN-INGRESS", "broken/open_group", "ingress admits 0.0.0.0/0");
        assertCaught("NET-NO-OPEN-INGRESS", "broken/open_group", "ingress admits ::/0");
        assertCaught("NET-NO-OPEN-INGRESS", "broken/open_ingress_rule", "admits ::/0");
        assertCaught("NET-NO-OPEN-INGRESS", "broken/open_group_rule", "admits 0.0.0.0/0");
        assertCaughtOnly("NET-NO-OPEN-INGRESS", "broken/open_group", "broken/open_ingress_rule", "broken/open_group_rule");
        assertCaughtOnly("NET-DEFAULT-SG-EMPTY", "broken/unwatched_vpc", "broken/busy_default_sg");
        assertCaughtOnly("NET-FLOW-LOGS", "broken/unwatched_vpc");
        assertCaughtOnly("VPCE-POLICY", "broken/open_endpoint");
    }

    @Test
    void backupsAndPointInTimeRecoveryIncludingReplicas() {
        assertCaught("DR-BACKUP-PITR", "broken/unsafe_cluster", "backup retention unset (1 day)");
        assertCaught("DR-BACKUP-PITR", "broken/regional_cluster", "backup retention 1;");
        assertCaught("DR-BACKUP-PITR", "broken/unsafe_table", "no point-in-time recovery");
        assertCaught("DR-BACKUP-PITR", "broken/unsafe_table", "replica in us-east-1 has no point-in-time recovery");
        assertCaught("DR-BACKUP-PITR", "broken/separate_replica", "no point-in-time recovery");
        assertCaught("DR-BACKUP-PITR", "broken/bare_bucket", "not versioned");
        assertTrue(caught("DR-BACKUP-PITR").stream().noneMatch(f -> f.startsWith("broken/old_instance")
                || f.startsWith("broken/lonely_replica_table")));
    }

    @Test
    void everyStatefulTierHasACopyInAnotherRegion() {
        assertCaught("DR-CROSS-REGION-COPY", "broken/lonely_global_cluster", "members in 1 region(s)");
        assertCaught("DR-CROSS-REGION-COPY", "broken/regional_cluster", "aws_rds_global_cluster");
        assertCaught("DR-CROSS-REGION-COPY", "broken/unsafe_table", "no copy in the DR region");
        assertCaught("DR-CROSS-REGION-COPY", "broken/bare_bucket", "no copy in another region");
        assertCaught("DR-CROSS-REGION-COPY", "broken/same_region_bucket", "no copy in another region");
        assertCaught("DR-CROSS-REGION-COPY", "broken/retained_secret", "replica { region");
        // a table in the DR region whose replica is in the primary region is a copy too
        assertTrue(caught("DR-CROSS-REGION-COPY").stream().noneMatch(f -> f.startsWith("broken/lonely_replica_table")));
    }

    @Test
    void nothingBlocksDestroy() {
        assertCaught("DESTROYABLE", "broken/unsafe_cluster", "prevent_destroy");
        assertCaught("DESTROYABLE", "broken/unsafe_cluster", "deletion_protection blocks destroy");
        assertCaught("DESTROYABLE", "broken/unsafe_cluster", "skip_final_snapshot = true");
        assertCaught("DESTROYABLE", "broken/unsafe_table", "deletion_protection_enabled blocks destroy");
        assertCaught("DESTROYABLE", "broken/lonely_global_cluster", "set force_destroy = true");
        assertCaught("DESTROYABLE", "broken/bare_bucket", "set force_destroy = true");
        assertCaught("DESTROYABLE", "broken/retained_secret", "recovery_window_in_days = 0");
        assertCaught("DESTROYABLE", "broken/plain_log_group", "skip_destroy");
    }

    @Test
    void alarmsAndApiStages() {
        assertCaughtOnly("OBS-ALARM-ACTION", "broken/silent_alarm", "broken/disabled_alarm");
        assertCaught("API-STAGE-LOGS-TRACING", "broken/blind_stage", "no access logs");
        assertCaught("API-STAGE-LOGS-TRACING", "broken/blind_stage", "xray_tracing_enabled = true");
        assertCaught("API-STAGE-LOGS-TRACING", "broken/blind_http_stage", "no access logs");
        assertEquals(1, caught("API-STAGE-LOGS-TRACING").stream().filter(f -> f.startsWith("broken/blind_http_stage"))
                .count(), "HTTP API stages have no X-Ray setting");
    }

    @Test
    void namesCarryTheSuffix() {
        assertCaught("NAME-SUFFIX", "broken/unsuffixed", "name \"role-payments\" lacks the environment suffix");
        assertCaught("NAME-SUFFIX", "broken/unsuffixed", "tags.Name \"payments\"");
        assertCaught("NAME-SUFFIX", "broken/plain_log_group", "\"/aws/lambda/payments\"");
        assertCaughtOnly("NAME-SUFFIX", "broken/unsuffixed", "broken/plain_log_group");
    }

    @Test
    void requiredTagsThroughTheProvidersAndNowhereOverridden() {
        assertCaught("TAGS-REQUIRED", "provider aws.primary", "default_tags lack Criticality=High");
        assertCaught("TAGS-REQUIRED", "provider aws.dr", "default_tags lack Environment=DR");
        assertCaught("TAGS-REQUIRED", "broken/default_provider_group", "uses the default aws provider");
        assertCaught("TAGS-REQUIRED", "broken/default_provider_group", "tag blocks with propagate_at_launch");
        assertCaught("TAGS-REQUIRED", "broken/unsuffixed", "tags.Environment=\"Prod\" overrides");
        assertCaught("TAGS-REQUIRED", "broken/unsafe_table", "replica in us-east-1 is untagged");
    }

    @Test
    void scannerExpectationsThatTheSpecOverrides() {
        assertCaughtOnly("SCAN-RDS-DELETION-PROTECTION", "broken/regional_cluster", "broken/old_instance");
        assertCaughtOnly("SCAN-DYNAMODB-DELETION-PROTECTION", "broken/lonely_replica_table");
        assertCaughtOnly("SCAN-RDS-AUTO-MINOR-UPGRADE", "broken/public_instance");
    }
}
