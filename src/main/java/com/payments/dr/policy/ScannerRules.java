package com.payments.dr.policy;

import java.util.List;

/**
 * What common scanners expect and this stack deliberately does otherwise. The rules run like any
 * other, so each exception shows up as a waiver with its reason (see {@link Waivers}) instead of
 * being silently absent; a new resource that trips one needs its own waiver.
 */
final class ScannerRules {

    private ScannerRules() {
    }

    static List<Rule> rules() {
        return List.of(
                new Rule("SCAN-RDS-DELETION-PROTECTION", Severity.ERROR, "CKV_AWS_139, Security Hub RDS.7",
                        "database clusters and instances have deletion protection", ScannerRules::rdsDeletionProtection),
                new Rule("SCAN-DYNAMODB-DELETION-PROTECTION", Severity.ERROR, "Security Hub DynamoDB.6",
                        "DynamoDB tables have deletion protection", ScannerRules::dynamoDeletionProtection),
                new Rule("SCAN-RDS-AUTO-MINOR-UPGRADE", Severity.ERROR, "CKV_AWS_226, Security Hub RDS.13",
                        "database instances take minor engine upgrades automatically", ScannerRules::autoMinorUpgrade));
    }

    static void rdsDeletionProtection(TerraformConfig config, Rule.Sink sink) {
        for (String type : List.of("aws_rds_cluster", "aws_db_instance", "aws_rds_global_cluster")) {
            for (Resource r : config.resources(type)) {
                if (!r.isTrue("deletion_protection")) {
                    sink.report(r, "no deletion protection; set deletion_protection = true");
                }
            }
        }
    }

    static void dynamoDeletionProtection(TerraformConfig config, Rule.Sink sink) {
        for (Resource r : config.resources("aws_dynamodb_table")) {
            if (!r.isTrue("deletion_protection_enabled")) {
                sink.report(r, "no deletion protection; set deletion_protection_enabled = true");
            }
        }
    }

    static void autoMinorUpgrade(TerraformConfig config, Rule.Sink sink) {
        for (String type : List.of("aws_rds_cluster_instance", "aws_db_instance")) {
            for (Resource r : config.resources(type)) {
                if (r.isFalse("auto_minor_version_upgrade")) {
                    sink.report(r, "minor upgrades off; set auto_minor_version_upgrade = true");
                }
            }
        }
    }
}
