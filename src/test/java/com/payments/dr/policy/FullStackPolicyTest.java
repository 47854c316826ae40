package com.payments.dr.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.Cli;
import com.payments.dr.stack.Synth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The project's own stack against its own gate, and the gate's documentation. */
class FullStackPolicyTest {

    private static List<String> errors;
    private static Report report;
    private static com.google.gson.JsonObject destroyable;
    private static Report production;

    @BeforeAll
    static void validate() {
        // what ./main gates: the written JSON, construct paths included
        destroyable = Fixtures.synth(Synth.defaults().stack());
        report = PolicyGate.evaluate(destroyable, "dev");
        errors = report.errors().stream().map(Finding::line).toList();
        production = PolicyGate.evaluate(Fixtures.synth(Synth.of(com.payments.dr.config.DrConfig.builder()
                .set(com.payments.dr.config.Setting.PROTECTION, "production")
                .set(com.payments.dr.config.Setting.ALLOWED_ORIGIN, "https://shop.payments.io").build()).stack()),
                "dev", com.payments.dr.config.Protection.PRODUCTION);
    }

    @Test
    void theProductionStackPassesWithItsWaiversAndTheDestroyableOneWouldNot() {
        assertEquals(List.of(), production.errors().stream().map(Finding::line).toList());
        assertEquals(List.of(), production.unusedWaivers(), "every production waiver still matches something");
        // no destroyable-profile waiver applies: the scanner's deletion protection holds in production
        assertTrue(production.waived().stream().allMatch(w -> w.waiver().profile() == null), production.waived().toString());
        // the destroyable stack, gated as production: each production rule fires on what it protects
        Report mutated = PolicyGate.evaluate(destroyable, "dev", com.payments.dr.config.Protection.PRODUCTION);
        java.util.Map<String, java.util.Set<String>> byRule = new java.util.TreeMap<>();
        mutated.errors().forEach(f -> byRule.computeIfAbsent(f.rule().id(), r -> new java.util.TreeSet<>())
                .add(f.resource().type()));
        assertEquals(java.util.Set.of("aws_rds_cluster", "aws_rds_global_cluster", "aws_dynamodb_table", "aws_s3_bucket",
                "aws_backup_vault", "aws_cloudwatch_log_group", "aws_kms_key", "aws_secretsmanager_secret"),
                byRule.get("PRODUCTION-PROTECTED"));
        assertEquals(java.util.Set.of("aws_cloudwatch_log_group"), byRule.get("AUDIT-RETENTION"));
        assertEquals(java.util.Set.of("aws_backup_vault"), byRule.get("BACKUP-VAULT"));
        // the destroyable profile's waivers do not apply to a production stack
        assertEquals(java.util.Set.of("aws_rds_cluster", "aws_rds_global_cluster"),
                byRule.get("SCAN-RDS-DELETION-PROTECTION"));
        assertEquals(java.util.Set.of("aws_dynamodb_table"), byRule.get("SCAN-DYNAMODB-DELETION-PROTECTION"));
        assertTrue(mutated.errors().stream().noneMatch(f -> f.rule().id().equals("DESTROYABLE")));
    }

    @Test
    void theFullStackPassesWithOnlyTheDocumentedWaivers() {
        assertEquals(List.of(), errors);
        assertTrue(report.passed());
        assertEquals(List.of(), report.unusedWaivers(), "every waiver still matches something");
        assertFalse(report.waived().isEmpty());
        for (Report.Waived waived : report.waived()) {
            assertTrue(Waivers.ALL.contains(waived.waiver()));
            assertEquals(Severity.ERROR, waived.finding().rule().severity(), "warnings are not waived, they are fixed");
        }
        assertEquals(RulePack.ALL.size(), report.rules());
    }

    @Test
    void theSecurityPageListsEveryRuleWithItsSourceAndEveryWaiver() throws IOException {
        String page = Files.readString(Path.of("docs/security.md"));
        for (Rule rule : RulePack.ALL) {
            assertTrue(page.contains("| `" + rule.id() + "` | " + rule.severity().name().toLowerCase() + " | "),
                    "docs/security.md row for " + rule.id());
            assertTrue(page.contains(" | " + rule.source() + " |"), "docs/security.md source of " + rule.id());
        }
        for (Waiver waiver : Waivers.ALL) {
            assertTrue(page.contains("| `" + waiver.ruleId() + "` | `" + waiver.pathPattern() + "` | "
                    + waiver.reason() + " |"), "docs/security.md row for waiver " + waiver.line());
        }
        for (String action : SecurityRules.UNSCOPABLE_ACTIONS) {
            assertTrue(page.contains(action), "docs/security.md lists the unscopable action " + action);
        }
        assertTrue(page.contains("exit code " + Cli.POLICY_FAILED), "docs/security.md names the gate's exit code");
        assertTrue(Files.readString(Path.of("help")).contains("exit code " + Cli.POLICY_FAILED));
    }

    @Test
    void rulesHaveUniqueIdsAndOneLineMessages() {
        assertEquals(RulePack.ALL.size(), RulePack.ALL.stream().map(Rule::id).distinct().count());
        for (Rule rule : RulePack.ALL) {
            assertTrue(rule.id().matches("[A-Z0-9]+(-[A-Z0-9]+)*"), rule.id());
            assertFalse(rule.summary().contains("\n") || rule.source().contains("\n"), rule.id());
        }
    }
}
