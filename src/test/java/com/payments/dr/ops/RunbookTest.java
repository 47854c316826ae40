package com.payments.dr.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.stack.Synth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The runbook's commands, filled in from a deployment's outputs file. */
class RunbookTest {

    static final Path FIXTURE = Path.of("src/test/resources/ops/outputs.json");

    private static String runbook() throws IOException {
        return Files.readString(Path.of(OpsCli.RUNBOOK));
    }

    @Test
    void everyPlaceholderIsAnOutputOfTheStackOrDerivedFromThem() throws IOException {
        Set<String> outputs = Synth.defaults().json().getAsJsonObject("output").keySet();
        TreeSet<String> unknown = Runbook.placeholders(runbook());
        unknown.removeAll(outputs);
        unknown.removeAll(Runbook.DERIVED.keySet());
        assertEquals(Set.of(), unknown, "placeholders in docs/runbook.md that no output fills");
        // and the fixture holds every output the stack declares, so the rendering below is realistic
        assertEquals(new TreeSet<>(outputs), DeploymentOutputs.read(FIXTURE).names());
    }

    @Test
    void theCommandsAreFilledInFromTheOutputsFile() throws IOException {
        String text = Runbook.render(runbook(), DeploymentOutputs.read(FIXTURE));
        assertFalse(text.contains("{{"), text);
        assertTrue(text.contains("    aws rds switchover-global-cluster --region us-east-2 --global-cluster-identifier"
                + " aurora-global-dev --target-db-cluster-identifier arn:aws:rds:us-east-2:123456789012:cluster:aurora-dr-dev\n"),
                text);
        assertTrue(text.contains("    aws rds failover-global-cluster --region us-east-2 --global-cluster-identifier"
                + " aurora-global-dev --target-db-cluster-identifier arn:aws:rds:us-east-2:123456789012:cluster:aurora-dr-dev"
                + " --allow-data-loss\n"), text);
        // fail back targets the primary cluster, from the primary region
        assertTrue(text.contains("    aws rds switchover-global-cluster --region us-east-1 --global-cluster-identifier"
                + " aurora-global-dev --target-db-cluster-identifier arn:aws:rds:us-east-1:123456789012:cluster:aurora-primary-dev\n"),
                text);
        assertTrue(text.contains("--alarm-types CompositeAlarm --alarm-names alarm-fail-over-now-dev"), text);
        assertTrue(text.contains("--region us-east-1 --alarm-types CompositeAlarm"), text);
        assertTrue(text.contains("Value=aurora-dr-dev"), text);
        assertTrue(text.contains("--iam-role-arn arn:aws:iam::123456789012:role/role-backup-dr-dev"
                + " --lifecycle DeleteAfterDays=14\n"), text);
        assertTrue(text.contains("--health-check-id bbbbbbbb-2222-4000-8000-000000000002"), text);
        assertTrue(text.contains("--hosted-zone-id Z0123456789ABCDEFGHIJ --record-name api.payments-dr-dev.com"), text);
        assertTrue(text.contains("curl -sS -w '\\nHTTP %{http_code}\\n' https://d2r0api9zz.execute-api.us-east-2.amazonaws.com/v1-dev/health"),
                text);
        assertTrue(text.contains("DR_OUTPUTS_FILE=" + FIXTURE + " mvn"), text);
        // the mirror's alarm, by the name the stack gives it
        assertTrue(text.contains("--alarm-name alarm-ack-mirror-failed-dev "), text);
        assertTrue(Synth.defaults().json().getAsJsonObject("resource").getAsJsonObject("aws_cloudwatch_metric_alarm")
                .entrySet().stream().anyMatch(e -> "alarm-ack-mirror-failed-dev".equals(e.getValue().getAsJsonObject()
                        .get("alarm_name").getAsString())), "the stack has the alarm the runbook reads");
        // the reconciliations read the records (and snapshot rows) since an hour before the DR
        // region's composite fired, and wait as long as the migrator may run
        assertTrue(text.contains("--alarm-name alarm-dr-view-fail-over-now-dev --history-item-type StateUpdate"), text);
        assertEquals(2, text.split("\"since\": \"%s\"", -1).length - 1, text);
        assertFalse(text.contains("--cli-read-timeout 180"), text);
        // headings in order, prose and tables left out
        assertTrue(text.indexOf("Planned switchover") < text.indexOf("Unplanned failover")
                && text.indexOf("Unplanned failover") < text.indexOf("Fail back"), text);
        assertFalse(text.contains("| tier |"), text);
    }

    @Test
    void theOnDemandBackupsRetentionFitsTheProductionVaultsLock() throws IOException {
        com.google.gson.JsonObject stack = Synth.of(com.payments.dr.config.DrConfig.builder()
                .set(com.payments.dr.config.Setting.PROTECTION, "production")
                .set(com.payments.dr.config.Setting.ALLOWED_ORIGIN, "https://shop.payments.io").build()).json();
        assertTrue(runbook().contains("start-backup-job --region {{dr_region}} --backup-vault-name {{dr_backup_vault_name}}"
                + " --resource-arn {{dr_db_cluster_arn}} --iam-role-arn {{dr_backup_role_arn}}"
                + " --lifecycle DeleteAfterDays={{dr_backup_retention_days}}\n"));
        int days = stack.getAsJsonObject("output").getAsJsonObject("dr_backup_retention_days").get("value").getAsInt();
        com.google.gson.JsonObject locks = stack.getAsJsonObject("resource")
                .getAsJsonObject("aws_backup_vault_lock_configuration");
        assertEquals(2, locks.size());
        for (var lock : locks.entrySet()) {
            com.google.gson.JsonObject body = lock.getValue().getAsJsonObject();
            assertTrue(body.get("min_retention_days").getAsInt() <= days
                    && days <= body.get("max_retention_days").getAsInt(), lock.getKey() + ": " + days + " days");
        }
    }

    @Test
    void onlyShellBlocksArePrintedAndAMissingOutputIsNamed() {
        String markdown = "# Title\nprose {{not_filled}}\n```json\n{\"a\": \"{{nor_this}}\"}\n```\n## Step\n```sh\n"
                + "aws x --id {{global_cluster_id}} --arn {{dr_db_cluster_arn}}\n```\n";
        DeploymentOutputs outputs = DeploymentOutputs.read(FIXTURE);
        assertEquals("Title\n\nStep\n    aws x --id aurora-global-dev --arn arn:aws:rds:us-east-2:123456789012:cluster:aurora-dr-dev\n",
                Runbook.render(markdown, outputs));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Runbook.render("```sh\necho {{no_such_output}}\n```\n", outputs));
        assertTrue(missing.getMessage().startsWith("output no_such_output is missing from " + FIXTURE), missing.getMessage());
    }

    @Test
    void theReadmeLinksTheRunbookAndDocumentsTheCommands() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("[docs/runbook.md](docs/runbook.md)"));
        assertTrue(readme.contains("DR_OUTPUTS_FILE=outputs.json ./main --runbook"));
        String help = Files.readString(Path.of("help"));
        assertTrue(help.contains("./main --runbook") && help.contains("./main --diagram"), help);
    }
}
