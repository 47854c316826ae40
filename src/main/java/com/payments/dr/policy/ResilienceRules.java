package com.payments.dr.policy;

import com.google.gson.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Backups, the DR copy of every stateful tier, a destroyable stack, alarms and API stages. */
final class ResilienceRules {

    private ResilienceRules() {
    }

    /** The shortest backup retention the stack accepts (BACKUP_RETENTION_DAYS allows 7 to 35). */
    static final int MIN_BACKUP_DAYS = 7;

    static List<Rule> rules() {
        return List.of(
                new Rule("DR-BACKUP-PITR", Severity.ERROR,
                        "CKV_AWS_133/Security Hub RDS.11, CKV_AWS_28/DynamoDB.2, CKV_AWS_21/S3.14",
                        "backups and point-in-time recovery on every stateful store, DR replicas included "
                                + "(Aurora retention >= " + MIN_BACKUP_DAYS + " days, DynamoDB PITR, S3 versioning)",
                        ResilienceRules::backups),
                new Rule("DR-CROSS-REGION-COPY", Severity.ERROR, "CKV_AWS_144 (S3); project rule for the other tiers",
                        "every stateful tier has a copy in another region: global cluster with a secondary, "
                                + "table replica, bucket replication (or a backup copied there), secret replica",
                        ResilienceRules::crossRegionCopies),
                new Rule("DESTROYABLE", Severity.ERROR, "project spec (a destroyable stack); the inverse of CKV_AWS_139/RDS.7",
                        "destroyable profile: nothing blocks destroy (no prevent_destroy, deletion protection, final "
                                + "snapshot, secret recovery window, non-empty-bucket or non-empty-vault refusal, vault lock)",
                        ResilienceRules::destroyable),
                new Rule("OBS-ALARM-ACTION", Severity.ERROR, "CKV_AWS_319, Security Hub CloudWatch.15",
                        "every alarm notifies someone (alarm_actions, actions enabled)", ResilienceRules::alarmActions),
                new Rule("API-STAGE-LOGS-TRACING", Severity.ERROR,
                        "CKV_AWS_76, CKV_AWS_73, Security Hub APIGateway.1/APIGateway.3",
                        "every API stage writes access logs (and REST stages X-Ray traces)", ResilienceRules::apiStages));
    }

    static void backups(TerraformConfig config, Rule.Sink sink) {
        for (String type : List.of("aws_rds_cluster", "aws_db_instance")) {
            for (Resource r : config.resources(type)) {
                String days = r.string("backup_retention_period");
                if (days == null || !days.matches("\\d+") || Integer.parseInt(days) < MIN_BACKUP_DAYS) {
                    sink.report(r, "backup retention " + (days == null ? "unset (1 day)" : days)
                            + "; set backup_retention_period to at least " + MIN_BACKUP_DAYS);
                }
            }
        }
        for (Resource table : config.resources("aws_dynamodb_table")) {
            JsonObject pitr = Json.block(table.body(), "point_in_time_recovery");
            if (pitr == null || !Json.isTrue(pitr.get("enabled"))) {
                sink.report(table, "no point-in-time recovery; set point_in_time_recovery { enabled = true }");
            }
            for (JsonObject replica : table.blocks("replica")) {
                if (!Json.isTrue(replica.get("point_in_time_recovery"))) {
                    sink.report(table, "replica in " + Json.string(replica, "region_name")
                            + " has no point-in-time recovery; set point_in_time_recovery = true in its replica block");
                }
            }
        }
        for (Resource replica : config.resources("aws_dynamodb_table_replica")) {
            if (!replica.isTrue("point_in_time_recovery")) {
                sink.report(replica, "no point-in-time recovery; set point_in_time_recovery = true");
            }
        }
        for (Resource bucket : config.resources("aws_s3_bucket")) {
            boolean versioned = config.referencing("aws_s3_bucket_versioning", "bucket", bucket, "bucket").stream()
                    .map(v -> Json.block(v.body(), "versioning_configuration"))
                    .anyMatch(c -> c != null && "Enabled".equals(Json.string(c, "status")));
            if (!versioned) {
                sink.report(bucket, "not versioned; add an aws_s3_bucket_versioning with status Enabled");
            }
        }
    }

    static void crossRegionCopies(TerraformConfig config, Rule.Sink sink) {
        for (Resource global : config.resources("aws_rds_global_cluster")) {
            Set<String> regions = new HashSet<>();
            for (Resource member : config.referencing("aws_rds_cluster", "global_cluster_identifier", global,
                    "global_cluster_identifier")) {
                regions.add(Objects.toString(config.regionOf(member)));
            }
            if (regions.size() < 2) {
                sink.report(global, "members in " + regions.size() + " region(s); add a secondary aws_rds_cluster "
                        + "in the DR region");
            }
        }
        for (Resource cluster : config.resources("aws_rds_cluster")) {
            if (!cluster.has("global_cluster_identifier")) {
                sink.report(cluster, "no copy in the DR region; make it a member of an aws_rds_global_cluster");
            }
        }
        for (Resource table : config.resources("aws_dynamodb_table")) {
            String region = config.regionOf(table);
            boolean replicated = table.blocks("replica").stream()
                    .anyMatch(r -> !Objects.equals(region, Json.string(r, "region_name")))
                    || !config.referencing("aws_dynamodb_table_replica", "global_table_arn", table).isEmpty();
            if (!replicated) {
                sink.report(table, "no copy in the DR region; add a replica { region_name = <DR region> }");
            }
        }
        for (Resource bucket : config.resources("aws_s3_bucket")) {
            if (!replicatedAcrossRegions(config, bucket) && !ProtectionRules.backedUpElsewhere(config, bucket)) {
                sink.report(bucket, "no copy in another region; replicate it to (or from) a bucket in the DR region "
                        + "with an aws_s3_bucket_replication_configuration, or back it up with a copy there");
            }
        }
        for (Resource secret : config.resources("aws_secretsmanager_secret")) {
            String region = config.regionOf(secret);
            if (secret.blocks("replica").stream().noneMatch(r -> !Objects.equals(region, Json.string(r, "region")))) {
                sink.report(secret, "no copy in the DR region; add a replica { region = <DR region> }");
            }
        }
    }

    /** Source or destination of an enabled replication rule whose other end is in another region. */
    private static boolean replicatedAcrossRegions(TerraformConfig config, Resource bucket) {
        for (Resource replication : config.resources("aws_s3_bucket_replication_configuration")) {
            Resource source = config.resources("aws_s3_bucket").stream()
                    .filter(b -> b.isReferencedBy(replication.string("bucket"), "bucket")).findFirst().orElse(null);
            for (JsonObject rule : replication.blocks("rule")) {
                JsonObject destination = Json.block(rule, "destination");
                String destinationArn = Json.string(destination, "bucket");
                Resource target = config.resources("aws_s3_bucket").stream()
                        .filter(b -> b.isReferencedBy(destinationArn)).findFirst().orElse(null);
                if (!"Enabled".equals(Json.string(rule, "status")) || source == null || target == null) {
                    continue;
                }
                boolean crossRegion = !Objects.equals(config.regionOf(source), config.regionOf(target));
                if (crossRegion && (source == bucket || target == bucket)) {
                    return true;
                }
            }
        }
        return false;
    }

    static void destroyable(TerraformConfig config, Rule.Sink sink) {
        if (config.protection().production()) {
            // the production profile's opposite is PRODUCTION-PROTECTED
            return;
        }
        for (Resource vault : config.resources("aws_backup_vault")) {
            if (!vault.isTrue("force_destroy")) {
                sink.report(vault, "destroy fails while the vault holds recovery points; set force_destroy = true");
            }
        }
        for (Resource lock : config.resources("aws_backup_vault_lock_configuration")) {
            sink.report(lock, "a vault lock keeps recovery points (and, locked, the vault) beyond any destroy; "
                    + "lock vaults in the production profile only");
        }
        for (Resource r : config.allResources()) {
            JsonObject lifecycle = Json.block(r.body(), "lifecycle");
            if (lifecycle != null && Json.isTrue(lifecycle.get("prevent_destroy"))) {
                sink.report(r, "prevent_destroy blocks destroy; remove it");
            }
            for (String attribute : List.of("deletion_protection", "deletion_protection_enabled",
                    "enable_deletion_protection")) {
                if (r.isTrue(attribute)) {
                    sink.report(r, attribute + " blocks destroy; set it to false");
                }
            }
        }
        for (String type : List.of("aws_rds_cluster", "aws_db_instance")) {
            for (Resource r : config.resources(type)) {
                if (!r.isTrue("skip_final_snapshot")) {
                    sink.report(r, "destroy takes (and leaves) a final snapshot; set skip_final_snapshot = true");
                }
            }
        }
        for (Resource bucket : config.resources("aws_s3_bucket")) {
            if (!bucket.isTrue("force_destroy")) {
                sink.report(bucket, "destroy fails while the bucket holds objects; set force_destroy = true");
            }
        }
        for (Resource global : config.resources("aws_rds_global_cluster")) {
            if (!global.isTrue("force_destroy")) {
                sink.report(global, "destroy fails while members remain; set force_destroy = true");
            }
        }
        for (Resource secret : config.resources("aws_secretsmanager_secret")) {
            if (!"0".equals(secret.string("recovery_window_in_days"))) {
                sink.report(secret, "the secret is retained after destroy and its name stays taken; "
                        + "set recovery_window_in_days = 0");
            }
        }
        for (Resource group : config.resources("aws_cloudwatch_log_group")) {
            if (group.isTrue("skip_destroy")) {
                sink.report(group, "skip_destroy retains the log group; remove it");
            }
        }
    }

    static void alarmActions(TerraformConfig config, Rule.Sink sink) {
        for (String type : List.of("aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm")) {
            for (Resource alarm : config.resources(type)) {
                if (alarm.strings("alarm_actions").isEmpty() || alarm.isFalse("actions_enabled")) {
                    sink.report(alarm, "alarm notifies no one; set alarm_actions (e.g. the region's alert topic) "
                            + "and leave actions_enabled on");
                }
            }
        }
    }

    static void apiStages(TerraformConfig config, Rule.Sink sink) {
        for (String type : List.of("aws_api_gateway_stage", "aws_apigatewayv2_stage")) {
            for (Resource stage : config.resources(type)) {
                JsonObject logs = Json.block(stage.body(), "access_log_settings");
                if (logs == null || Json.string(logs, "destination_arn") == null) {
                    sink.report(stage, "no access logs; set access_log_settings to an encrypted log group");
                }
                if (type.equals("aws_api_gateway_stage") && !stage.isTrue("xray_tracing_enabled")) {
                    sink.report(stage, "no tracing; set xray_tracing_enabled = true");
                }
            }
        }
    }
}
