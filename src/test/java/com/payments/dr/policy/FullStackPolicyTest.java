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

    @BeforeAll
    static void validate() {
        // what ./main gates: the written JSON, construct paths included
        report = PolicyGate.evaluate(Fixtures.synth(Synth.defaults().stack()), "dev");
        errors = report.errors().stream().map(Finding::line).toList();
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
