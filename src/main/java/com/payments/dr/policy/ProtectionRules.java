package com.payments.dr.policy;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a payments system needs beyond encryption and least privilege: backups outside the stack's
 * blast radius, a web application firewall, an audit trail, rotated credentials, bounded
 * concurrency, tracing, a signed and logged zone, and, in the production profile, nothing a destroy
 * can take with it.
 */
final class ProtectionRules {

    private ProtectionRules() {
    }

    /** The AWS managed rule group that blocks Log4j lookups and Java deserialization, among others. */
    static final String KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
    /** Secrets rotate at least this often (Checkov CKV_AWS_304). */
    static final int MAX_ROTATION_DAYS = 90;
    /** PCI DSS 10.5.1: a year of audit log history. */
    static final int AUDIT_RETENTION_DAYS = 365;
    /** Parameters that make Aurora PostgreSQL log who connected and what changed the schema. */
    static final List<String> AUDIT_PARAMETERS = List.of("log_connections", "log_disconnections", "log_statement",
            "log_min_duration_statement");

    static List<Rule> rules() {
        return List.of(
                new Rule("BACKUP-PLAN", Severity.ERROR, "CKV2_AWS_8 (Aurora); project rule for the table and buckets",
                        "every database cluster, table and bucket is in an AWS Backup selection whose plan copies "
                                + "each recovery point to a vault in another region", ProtectionRules::backupPlans),
                new Rule("BACKUP-VAULT", Severity.ERROR, "CKV_AWS_166; project rule (the lock)",
                        "backup vaults are encrypted with a customer-managed key, and locked in the production profile",
                        ProtectionRules::backupVaults),
                new Rule("WAF-API", Severity.ERROR, "CKV2_AWS_29, CKV_AWS_192/CKV2_AWS_77, CKV_AWS_175, CKV2_AWS_31",
                        "every REST API stage has a web ACL with the known-bad-inputs rule group (blocking) and a "
                                + "rate-based rule, and the web ACL logs", ProtectionRules::webAcls),
                new Rule("DB-AUDIT-LOG", Severity.ERROR, "CKV2_AWS_27, CKV_AWS_324",
                        "Aurora PostgreSQL clusters log connections, disconnections, DDL and slow statements and "
                                + "export them to CloudWatch Logs", ProtectionRules::databaseAudit),
                new Rule("AUDIT-RETENTION", Severity.ERROR, "CKV_AWS_338 (for the audit trail), PCI DSS 10.5.1",
                        "production profile: API access logs and database logs are kept at least "
                                + AUDIT_RETENTION_DAYS + " days", ProtectionRules::auditRetention),
                new Rule("S3-ACCESS-LOGS", Severity.ERROR, "CKV_AWS_18",
                        "every bucket has server access logging, except the buckets that receive those logs",
                        ProtectionRules::bucketAccessLogs),
                new Rule("SECRET-ROTATION", Severity.ERROR, "CKV2_AWS_57, CKV_AWS_304",
                        "every secret rotates automatically, at least every " + MAX_ROTATION_DAYS + " days",
                        ProtectionRules::secretRotation),
                new Rule("LAMBDA-CONCURRENCY", Severity.ERROR, "CKV_AWS_115",
                        "every function reserves (and so caps) its concurrency", ProtectionRules::concurrency),
                new Rule("LAMBDA-TRACING", Severity.ERROR, "CKV_AWS_50",
                        "every function traces with X-Ray (Active)", ProtectionRules::tracing),
                new Rule("DNS-ZONE", Severity.ERROR, "CKV2_AWS_38, CKV2_AWS_39",
                        "every public hosted zone logs its queries and signs its records (DNSSEC)",
                        ProtectionRules::zones),
                new Rule("PRODUCTION-PROTECTED", Severity.ERROR,
                        "CKV_AWS_139/RDS.7, Security Hub DynamoDB.6; project rule for the rest",
                        "production profile: deletion protection, final snapshots, buckets and vaults that keep "
                                + "their contents, retained log groups and keys, secrets recoverable after deletion "
                                + "(decommission: the same without deletion protection)",
                        ProtectionRules::productionProtected));
    }

    /** The resource {@code value} refers to among {@code type}'s, if any. */
    private static Optional<Resource> referenced(TerraformConfig config, String type, String value) {
        return config.resources(type).stream().filter(r -> r.isReferencedBy(value)).findFirst();
    }

    /** The backup selections that name {@code store} among their resources. */
    private static List<Resource> selecting(TerraformConfig config, Resource store) {
        return config.resources("aws_backup_selection").stream()
                .filter(s -> s.strings("resources").stream().anyMatch(store::isReferencedBy)).toList();
    }

    /** Whether {@code store} is backed up by a plan that copies every recovery point to another region. */
    static boolean backedUpElsewhere(TerraformConfig config, Resource store) {
        return selecting(config, store).stream()
                .map(s -> referenced(config, "aws_backup_plan", s.string("plan_id")))
                .flatMap(Optional::stream)
                .anyMatch(plan -> copiesElsewhere(config, plan));
    }

    /**
     * Whether a member of a global database is covered by another member's backups: a plan that backs
     * that member up copies each recovery point to another region, and into this member's. AWS documents
     * no AWS Backup support for a global database's secondary cluster, so the stack backs up the primary
     * and copies it into the secondary's region; the data is the same (decision 0034).
     */
    static boolean coveredByAnotherMember(TerraformConfig config, Resource member) {
        String global = member.string("global_cluster_identifier");
        String region = config.regionOf(member);
        return global != null && config.resources("aws_rds_cluster").stream()
                .filter(other -> other != member && global.equals(other.string("global_cluster_identifier")))
                .flatMap(other -> selecting(config, other).stream())
                .map(s -> referenced(config, "aws_backup_plan", s.string("plan_id")))
                .flatMap(Optional::stream)
                .anyMatch(plan -> copiesElsewhere(config, plan) && copiesInto(config, plan, region));
    }

    static void backupPlans(TerraformConfig config, Rule.Sink sink) {
        for (String type : List.of("aws_rds_cluster", "aws_dynamodb_table", "aws_s3_bucket")) {
            for (Resource store : config.resources(type)) {
                if (selecting(config, store).isEmpty()) {
                    if (type.equals("aws_rds_cluster") && coveredByAnotherMember(config, store)) {
                        continue;
                    }
                    sink.report(store, "no AWS Backup plan; add it to an aws_backup_selection (resources) of a plan "
                            + "that copies to another region's vault (a global database's member: or back up "
                            + "another member with a copy into this region)");
                    continue;
                }
                if (!backedUpElsewhere(config, store)) {
                    sink.report(store, "its backup plan keeps every copy in one region; add a copy_action to a vault "
                            + "in another region to each rule");
                }
            }
        }
    }

    /** Every rule of the plan copies to a vault in a region other than the plan's. */
    private static boolean copiesElsewhere(TerraformConfig config, Resource plan) {
        List<JsonObject> rules = plan.blocks("rule");
        return !rules.isEmpty() && rules.stream().allMatch(rule -> Json.blocks(rule.get("copy_action")).stream()
                .map(copy -> referenced(config, "aws_backup_vault", Json.string(copy, "destination_vault_arn")))
                .flatMap(Optional::stream)
                .anyMatch(vault -> !Objects.equals(config.regionOf(vault), config.regionOf(plan))));
    }

    /** Every rule of the plan copies into a vault in {@code region}. */
    private static boolean copiesInto(TerraformConfig config, Resource plan, String region) {
        List<JsonObject> rules = plan.blocks("rule");
        return !rules.isEmpty() && rules.stream().allMatch(rule -> Json.blocks(rule.get("copy_action")).stream()
                .map(copy -> referenced(config, "aws_backup_vault", Json.string(copy, "destination_vault_arn")))
                .flatMap(Optional::stream)
                .anyMatch(vault -> Objects.equals(config.regionOf(vault), region)));
    }

    static void backupVaults(TerraformConfig config, Rule.Sink sink) {
        for (Resource vault : config.resources("aws_backup_vault")) {
            if (!vault.has("kms_key_arn")) {
                sink.report(vault, "recovery points under the AWS-managed key; set kms_key_arn to a customer-managed key");
            }
            if (config.protection().production() && config.referencing("aws_backup_vault_lock_configuration",
                    "backup_vault_name", vault, "name").stream().noneMatch(l -> l.has("changeable_for_days"))) {
                sink.report(vault, "unlocked: an administrator (or stolen credentials) can delete its recovery points; "
                        + "add an aws_backup_vault_lock_configuration in compliance mode (changeable_for_days)");
            }
        }
    }

    static void webAcls(TerraformConfig config, Rule.Sink sink) {
        for (Resource stage : config.resources("aws_api_gateway_stage")) {
            Optional<Resource> acl = config.resources("aws_wafv2_web_acl_association").stream()
                    .filter(a -> stage.isReferencedBy(a.string("resource_arn")))
                    .map(a -> referenced(config, "aws_wafv2_web_acl", a.string("web_acl_arn")))
                    .flatMap(Optional::stream).findFirst();
            if (acl.isEmpty()) {
                sink.report(stage, "no web application firewall; associate an aws_wafv2_web_acl with the stage");
                continue;
            }
            List<JsonObject> rules = acl.get().blocks("rule");
            boolean knownBadInputs = rules.stream().anyMatch(rule -> {
                JsonObject statement = Json.block(rule, "statement");
                JsonObject group = statement == null ? null : Json.block(statement, "managed_rule_group_statement");
                JsonObject override = Json.block(rule, "override_action");
                return group != null && KNOWN_BAD_INPUTS.equals(Json.string(group, "name"))
                        && override != null && override.has("none");
            });
            if (!knownBadInputs) {
                sink.report(acl.get(), "no blocking " + KNOWN_BAD_INPUTS + " (Log4j, Java deserialization); add it with "
                        + "override_action { none {} }");
            }
            boolean rateBased = rules.stream().map(rule -> Json.block(rule, "statement"))
                    .anyMatch(statement -> statement != null && statement.has("rate_based_statement"));
            if (!rateBased) {
                sink.report(acl.get(), "no rate-based rule; add one (per client IP)");
            }
            if (config.referencing("aws_wafv2_web_acl_logging_configuration", "resource_arn", acl.get()).isEmpty()) {
                sink.report(acl.get(), "no logging; add an aws_wafv2_web_acl_logging_configuration");
            }
        }
    }

    static void databaseAudit(TerraformConfig config, Rule.Sink sink) {
        for (Resource cluster : config.resources("aws_rds_cluster")) {
            if (!"aurora-postgresql".equals(cluster.string("engine"))) {
                continue;
            }
            if (!cluster.strings("enabled_cloudwatch_logs_exports").contains("postgresql")) {
                sink.report(cluster, "its log stays in RDS; set enabled_cloudwatch_logs_exports = [\"postgresql\"]");
            }
            Optional<Resource> group = referenced(config, "aws_rds_cluster_parameter_group",
                    cluster.string("db_cluster_parameter_group_name"));
            List<String> set = group.map(g -> g.blocks("parameter").stream().map(p -> Json.string(p, "name")).toList())
                    .orElse(List.of());
            List<String> missing = AUDIT_PARAMETERS.stream().filter(p -> !set.contains(p)).toList();
            if (!missing.isEmpty()) {
                sink.report(cluster, "no audit logging: its cluster parameter group does not set "
                        + String.join(", ", missing));
            }
        }
    }

    static void auditRetention(TerraformConfig config, Rule.Sink sink) {
        if (!config.protection().production()) {
            return;
        }
        for (Resource group : config.resources("aws_cloudwatch_log_group")) {
            String name = Objects.toString(group.string("name"), "");
            boolean accessLog = config.resources("aws_api_gateway_stage").stream().anyMatch(stage -> {
                JsonObject logs = Json.block(stage.body(), "access_log_settings");
                return logs != null && group.isReferencedBy(Json.string(logs, "destination_arn"));
            });
            boolean databaseLog = name.startsWith("/aws/rds/");
            String days = group.string("retention_in_days");
            boolean kept = days != null && days.matches("\\d+")
                    && (Integer.parseInt(days) == 0 || Integer.parseInt(days) >= AUDIT_RETENTION_DAYS);
            if ((accessLog || databaseLog) && !kept) {
                sink.report(group, "audit trail kept " + days + " days; keep it at least " + AUDIT_RETENTION_DAYS);
            }
        }
    }

    static void bucketAccessLogs(TerraformConfig config, Rule.Sink sink) {
        List<Resource> logging = config.resources("aws_s3_bucket_logging");
        for (Resource bucket : config.resources("aws_s3_bucket")) {
            boolean logged = logging.stream().anyMatch(l -> bucket.isReferencedBy(l.string("bucket"), "bucket"));
            boolean target = logging.stream().anyMatch(l -> bucket.isReferencedBy(l.string("target_bucket"), "bucket"));
            if (!logged && !target) {
                sink.report(bucket, "no server access logs; add an aws_s3_bucket_logging to a log bucket in its region");
            }
        }
    }

    static void secretRotation(TerraformConfig config, Rule.Sink sink) {
        for (Resource secret : config.resources("aws_secretsmanager_secret")) {
            List<Resource> rotations = config.referencing("aws_secretsmanager_secret_rotation", "secret_id", secret);
            if (rotations.isEmpty()) {
                sink.report(secret, "never rotates; add an aws_secretsmanager_secret_rotation");
                continue;
            }
            for (Resource rotation : rotations) {
                JsonObject rules = Json.block(rotation.body(), "rotation_rules");
                String days = rules == null ? null : Json.string(rules, "automatically_after_days");
                if (days == null || !days.matches("\\d+") || Integer.parseInt(days) > MAX_ROTATION_DAYS) {
                    sink.report(secret, "rotates every " + days + " days; rotate at least every " + MAX_ROTATION_DAYS);
                }
            }
        }
    }

    static void concurrency(TerraformConfig config, Rule.Sink sink) {
        for (Resource function : config.resources("aws_lambda_function")) {
            String reserved = function.string("reserved_concurrent_executions");
            if (reserved == null || reserved.equals("-1")) {
                sink.report(function, "unbounded concurrency: it can take the account's whole pool (and more "
                        + "connections than its database has); set reserved_concurrent_executions");
            }
        }
    }

    static void tracing(TerraformConfig config, Rule.Sink sink) {
        for (Resource function : config.resources("aws_lambda_function")) {
            JsonObject tracing = Json.block(function.body(), "tracing_config");
            if (tracing == null || !"Active".equals(Json.string(tracing, "mode"))) {
                sink.report(function, "no X-Ray tracing; set tracing_config { mode = \"Active\" }");
            }
        }
    }

    static void zones(TerraformConfig config, Rule.Sink sink) {
        for (Resource zone : config.resources("aws_route53_zone")) {
            if (!zone.blocks("vpc").isEmpty()) {
                // a private zone: neither applies
                continue;
            }
            if (config.referencing("aws_route53_query_log", "zone_id", zone).isEmpty()) {
                sink.report(zone, "no query logging; add an aws_route53_query_log to a log group in us-east-1");
            }
            boolean signed = config.referencing("aws_route53_hosted_zone_dnssec", "hosted_zone_id", zone).stream()
                    .noneMatch(d -> "NOT_SIGNING".equals(d.string("signing_status")));
            if (config.referencing("aws_route53_hosted_zone_dnssec", "hosted_zone_id", zone).isEmpty() || !signed) {
                sink.report(zone, "not signed; add an aws_route53_key_signing_key and aws_route53_hosted_zone_dnssec");
            }
        }
    }

    static void productionProtected(TerraformConfig config, Rule.Sink sink) {
        if (!config.protection().production()) {
            return;
        }
        // decommission lifts deletion protection (and the global cluster's hold on its members) alone
        boolean guarded = config.protection().deletionProtection();
        for (String type : List.of("aws_rds_cluster", "aws_rds_global_cluster")) {
            for (Resource r : config.resources(type)) {
                if (guarded && !r.isTrue("deletion_protection")) {
                    sink.report(r, "a destroy deletes it; set deletion_protection = true");
                }
            }
        }
        for (Resource cluster : config.resources("aws_rds_cluster")) {
            if (cluster.isTrue("skip_final_snapshot") || !cluster.has("final_snapshot_identifier")) {
                sink.report(cluster, "deleted without a final snapshot; set skip_final_snapshot = false and "
                        + "final_snapshot_identifier");
            }
        }
        for (Resource global : config.resources("aws_rds_global_cluster")) {
            if (guarded && global.isTrue("force_destroy")) {
                sink.report(global, "force_destroy detaches its members to delete it; remove it");
            }
        }
        for (Resource table : config.resources("aws_dynamodb_table")) {
            if (guarded && !table.isTrue("deletion_protection_enabled")) {
                sink.report(table, "a destroy deletes it and its replicas; set deletion_protection_enabled = true");
            }
        }
        for (String type : List.of("aws_s3_bucket", "aws_backup_vault")) {
            for (Resource r : config.resources(type)) {
                if (r.isTrue("force_destroy")) {
                    sink.report(r, "force_destroy deletes its contents with it; remove it");
                }
            }
        }
        for (Resource group : config.resources("aws_cloudwatch_log_group")) {
            if (!group.isTrue("skip_destroy")) {
                sink.report(group, "a destroy deletes the logs; set skip_destroy = true");
            }
        }
        for (Resource key : config.resources("aws_kms_key")) {
            JsonObject lifecycle = Json.block(key.body(), "lifecycle");
            if (lifecycle == null || !Json.isTrue(lifecycle.get("prevent_destroy"))) {
                sink.report(key, "a destroy schedules its deletion, and what it encrypts (retained logs, snapshots, "
                        + "backup copies) becomes unreadable; set lifecycle { prevent_destroy = true }");
            }
        }
        for (Resource secret : config.resources("aws_secretsmanager_secret")) {
            if ("0".equals(secret.string("recovery_window_in_days"))) {
                sink.report(secret, "deleted for good at once; leave a recovery window (recovery_window_in_days)");
            }
        }
    }
}
