package com.payments.dr.policy;

import com.google.gson.JsonObject;
import com.hashicorp.cdktf.Fn;
import com.hashicorp.cdktf.TerraformResource;
import com.hashicorp.cdktf.TerraformResourceConfig;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.providers.aws.api_gateway_stage.ApiGatewayStage;
import com.hashicorp.cdktf.providers.aws.api_gateway_stage.ApiGatewayStageAccessLogSettings;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocument;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatement;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementCondition;
import com.hashicorp.cdktf.providers.aws.data_aws_iam_policy_document.DataAwsIamPolicyDocumentStatementPrincipals;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTable;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTableAttribute;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTablePointInTimeRecovery;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTableReplica;
import com.hashicorp.cdktf.providers.aws.dynamodb_table.DynamodbTableServerSideEncryption;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunction;
import com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionEnvironment;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.provider.AwsProviderDefaultTags;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRule;
import com.hashicorp.cdktf.providers.aws.s3_bucket_replication_configuration.S3BucketReplicationConfigurationRuleDestination;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_server_side_encryption_configuration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningA;
import com.hashicorp.cdktf.providers.aws.s3_bucket_versioning.S3BucketVersioningVersioningConfiguration;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroup;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroupIngress;
import com.payments.dr.naming.Tags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * Two small stacks for the rule tests, synthesized once: {@code compliant} passes every rule (the
 * scanner rules through waivers), {@code broken} violates each rule at least once, and each of its
 * constructs is named after what it gets wrong.
 */
final class Fixtures {

    static final String SUFFIX = "dev";
    /** The compliant stack's own waivers, as the project's: the scanner rules the spec overrides. */
    static final List<Waiver> COMPLIANT_WAIVERS = List.of(
            new Waiver("SCAN-RDS-DELETION-PROTECTION", "compliant/*cluster", "destroyable"),
            new Waiver("SCAN-DYNAMODB-DELETION-PROTECTION", "compliant/table", "destroyable"),
            new Waiver("SCAN-RDS-AUTO-MINOR-UPGRADE", "compliant/instance", "pinned engine version"));

    private Fixtures() {
    }

    /**
     * What the gate reads at synth: the configuration as cdktf writes it, with each element's
     * construct path ({@code Testing.synth} drops those).
     */
    static JsonObject synth(TerraformStack stack) {
        return tree(stack.toTerraform()).getAsJsonObject();
    }

    /** The JSON tree of what jsii hands back for a JavaScript object. */
    private static com.google.gson.JsonElement tree(Object value) {
        if (value == null) {
            return com.google.gson.JsonNull.INSTANCE;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((k, v) -> object.add(String.valueOf(k), tree(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            com.google.gson.JsonArray array = new com.google.gson.JsonArray();
            list.forEach(v -> array.add(tree(v)));
            return array;
        }
        if (value instanceof Number number) {
            return new com.google.gson.JsonPrimitive(number);
        }
        if (value instanceof Boolean bool) {
            return new com.google.gson.JsonPrimitive(bool);
        }
        return new com.google.gson.JsonPrimitive(String.valueOf(value));
    }

    static AwsProvider provider(Construct stack, String alias, String region, Map<String, String> tags) {
        AwsProvider.Builder builder = AwsProvider.Builder.create(stack, "aws_" + alias).alias(alias).region(region);
        if (tags != null) {
            builder.defaultTags(List.of(AwsProviderDefaultTags.builder().tags(tags).build()));
        }
        return builder.build();
    }

    /** A resource of any type with the given attributes, as the typed bindings would render them. */
    static TerraformResource resource(Construct scope, String id, String type, AwsProvider provider,
                                      Map<String, Object> attributes) {
        TerraformResource resource = new TerraformResource(scope, id, TerraformResourceConfig.builder()
                .terraformResourceType(type).provider(provider).build());
        attributes.forEach(resource::addOverride);
        return resource;
    }

    static String ref(TerraformResource resource, String attribute) {
        return resource.interpolationForAttribute(attribute).toString();
    }

    static Map<String, Object> attrs(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static DataAwsIamPolicyDocumentStatementCondition condition(String test, String variable, String value) {
        return DataAwsIamPolicyDocumentStatementCondition.builder().test(test).variable(variable)
                .values(List.of(value)).build();
    }

    static DataAwsIamPolicyDocumentStatementPrincipals principal(String type, String identifier) {
        return DataAwsIamPolicyDocumentStatementPrincipals.builder().type(type).identifiers(List.of(identifier)).build();
    }

    static DataAwsIamPolicyDocument document(Construct scope, String id, AwsProvider provider,
                                             DataAwsIamPolicyDocumentStatement... statements) {
        return DataAwsIamPolicyDocument.Builder.create(scope, id).provider(provider).statement(List.of(statements)).build();
    }

    static DataAwsIamPolicyDocumentStatement denyWithoutTls(String service, String resource) {
        return DataAwsIamPolicyDocumentStatement.builder().sid("DenyInsecureTransport").effect("Deny")
                .principals(List.of(principal("AWS", "*"))).actions(List.of(service + ":*"))
                .resources(List.of(resource))
                .condition(List.of(condition("Bool", "aws:SecureTransport", "false"))).build();
    }

    static DataAwsIamPolicyDocumentStatement allow(String sid, List<String> actions, List<String> resources) {
        return DataAwsIamPolicyDocumentStatement.builder().sid(sid).effect("Allow").actions(actions)
                .resources(resources).build();
    }

    /** Everything done right, in two regions. */
    static TerraformStack compliant(Construct app) {
        TerraformStack stack = new TerraformStack(app, "compliant");
        AwsProvider primary = provider(stack, "primary", "us-east-1", Tags.defaults(SUFFIX));
        AwsProvider dr = provider(stack, "dr", "us-east-2", Tags.defaults(SUFFIX));

        DataAwsIamPolicyDocument keyPolicy = document(stack, "key_policy", primary,
                DataAwsIamPolicyDocumentStatement.builder().sid("KeyAdministration").effect("Allow")
                        .principals(List.of(principal("AWS", "arn:aws:iam::123456789012:root")))
                        .actions(List.of("kms:DescribeKey", "kms:ScheduleKeyDeletion")).resources(List.of("*")).build());
        TerraformResource key = resource(stack, "key", "aws_kms_key", primary, attrs(
                "enable_key_rotation", true, "policy", keyPolicy.getJson(), "tags", Map.of("Name", "cmk-data-dev")));
        TerraformResource logs = resource(stack, "log_group", "aws_cloudwatch_log_group", primary, attrs(
                "name", "/aws/lambda/lambda-payment-dev", "kms_key_id", ref(key, "arn"), "retention_in_days", 30));

        TerraformResource topic = resource(stack, "topic", "aws_sns_topic", primary, attrs(
                "name", "sns-alerts-dev", "kms_master_key_id", ref(key, "arn")));
        DataAwsIamPolicyDocument topicPolicy = document(stack, "topic_policy_document", primary,
                DataAwsIamPolicyDocumentStatement.builder().sid("CloudWatchAlarms").effect("Allow")
                        .principals(List.of(principal("Service", "cloudwatch.amazonaws.com")))
                        .actions(List.of("sns:Publish")).resources(List.of(ref(topic, "arn")))
                        .condition(List.of(condition("StringEquals", "aws:SourceAccount", "123456789012"))).build(),
                denyWithoutTls("sns", ref(topic, "arn")));
        resource(stack, "topic_policy", "aws_sns_topic_policy", primary, attrs(
                "arn", ref(topic, "arn"), "policy", topicPolicy.getJson()));
        resource(stack, "queue", "aws_sqs_queue", primary, attrs("name", "sqs-events-dev.fifo",
                "sqs_managed_sse_enabled", true));
        TerraformResource secret = resource(stack, "secret", "aws_secretsmanager_secret", primary, attrs(
                "name", "secret-aurora-master-dev", "kms_key_id", ref(key, "arn"), "recovery_window_in_days", 0,
                "replica", List.of(Map.of("region", "us-east-2", "kms_key_id", "arn:aws:kms:us-east-2:1:key/x"))));
        resource(stack, "rotation", "aws_secretsmanager_secret_rotation", primary, attrs("secret_id", ref(secret, "id"),
                "rotation_lambda_arn", "arn:aws:lambda:us-east-1:1:function:lambda-rotation-dev",
                "rotation_rules", Map.of("automatically_after_days", 30)));

        TerraformResource global = resource(stack, "global_cluster", "aws_rds_global_cluster", primary, attrs(
                "global_cluster_identifier", "aurora-global-dev", "storage_encrypted", true, "force_destroy", true));
        Map<String, Object> member = attrs("storage_encrypted", true, "backup_retention_period", 7,
                "iam_database_authentication_enabled", true,
                "skip_final_snapshot", true, "deletion_protection", false,
                "global_cluster_identifier", ref(global, "id"));
        Map<String, Object> primaryMember = new LinkedHashMap<>(member);
        primaryMember.put("cluster_identifier", "aurora-primary-dev");
        TerraformResource primaryCluster = resource(stack, "primary_cluster", "aws_rds_cluster", primary, primaryMember);
        Map<String, Object> drMember = new LinkedHashMap<>(member);
        drMember.put("cluster_identifier", "aurora-dr-dev");
        resource(stack, "dr_cluster", "aws_rds_cluster", dr, drMember);
        resource(stack, "instance", "aws_rds_cluster_instance", primary, attrs(
                "identifier", "aurora-1-primary-dev", "cluster_identifier", ref(primaryCluster, "id"),
                "publicly_accessible", false, "auto_minor_version_upgrade", false));

        DynamodbTable.Builder.create(stack, "table").provider(primary).name("dynamodb-payment-state-dev")
                .billingMode("PAY_PER_REQUEST").hashKey("pk")
                .attribute(List.of(DynamodbTableAttribute.builder().name("pk").type("S").build()))
                .serverSideEncryption(DynamodbTableServerSideEncryption.builder().enabled(true).build())
                .pointInTimeRecovery(DynamodbTablePointInTimeRecovery.builder().enabled(true).build())
                .replica(List.of(DynamodbTableReplica.builder().regionName("us-east-2").pointInTimeRecovery(true)
                        .propagateTags(true).build()))
                .deletionProtectionEnabled(false)
                .build();

        TerraformResource source = bucket(stack, "source_bucket", primary, "s3-payments-primary-dev");
        TerraformResource target = bucket(stack, "target_bucket", dr, "s3-payments-dr-dev");
        // server access logs into a log bucket of the region (the target bucket's, likewise)
        TerraformResource logBucket = bucket(stack, "log_bucket", primary, "s3-logs-primary-dev");
        TerraformResource drLogBucket = bucket(stack, "dr_log_bucket", dr, "s3-logs-dr-dev");
        resource(stack, "source_logging", "aws_s3_bucket_logging", primary, attrs("bucket", ref(source, "id"),
                "target_bucket", ref(logBucket, "id"), "target_prefix", "s3-access/"));
        resource(stack, "target_logging", "aws_s3_bucket_logging", dr, attrs("bucket", ref(target, "id"),
                "target_bucket", ref(drLogBucket, "id"), "target_prefix", "s3-access/"));
        // every store in a daily plan whose recovery points are copied into the other region's vault
        TerraformResource vault = resource(stack, "vault", "aws_backup_vault", primary, attrs(
                "name", "backup-vault-dev", "kms_key_arn", ref(key, "arn"), "force_destroy", true));
        TerraformResource drVault = resource(stack, "dr_vault", "aws_backup_vault", dr, attrs(
                "name", "backup-vault-dev", "kms_key_arn", "arn:aws:kms:us-east-2:1:key/x", "force_destroy", true));
        TerraformResource plan = resource(stack, "plan", "aws_backup_plan", primary, attrs("name", "backup-plan-dev",
                "rule", List.of(Map.of("rule_name", "daily", "target_vault_name", ref(vault, "name"),
                        "schedule", "cron(0 6 ? * * *)",
                        "copy_action", List.of(Map.of("destination_vault_arn", ref(drVault, "arn")))))));
        resource(stack, "drPlan", "aws_backup_plan", dr, attrs("name", "backup-plan-dev",
                "rule", List.of(Map.of("rule_name", "daily", "target_vault_name", ref(drVault, "name"),
                        "copy_action", List.of(Map.of("destination_vault_arn", ref(vault, "arn")))))));
        S3BucketReplicationConfigurationA.Builder.create(stack, "replication").provider(primary)
                .bucket(ref(source, "id")).role("arn:aws:iam::123456789012:role/role-s3-replication-dev")
                .rule(List.of(S3BucketReplicationConfigurationRule.builder().id("all").status("Enabled")
                        .destination(S3BucketReplicationConfigurationRuleDestination.builder()
                                .bucket(ref(target, "arn")).build())
                        .build()))
                .build();

        resource(stack, "selection", "aws_backup_selection", primary, attrs("name", "backup-selection-dev",
                "plan_id", ref(plan, "id"), "iam_role_arn", "arn:aws:iam::1:role/role-backup-dev",
                // the DR cluster, a global secondary, is covered by the primary's copies into us-east-2
                "resources", List.of(ref(primaryCluster, "arn"), "${aws_dynamodb_table.table.arn}", ref(source, "arn"), ref(target, "arn"),
                        ref(logBucket, "arn"), ref(drLogBucket, "arn"))));

        DataAwsIamPolicyDocument trust = document(stack, "trust", primary,
                DataAwsIamPolicyDocumentStatement.builder().effect("Allow").actions(List.of("sts:AssumeRole"))
                        .principals(List.of(principal("Service", "lambda.amazonaws.com"))).build());
        TerraformResource role = resource(stack, "role", "aws_iam_role", primary, attrs(
                "name", "role-payment-function-dev", "assume_role_policy", trust.getJson()));
        DataAwsIamPolicyDocument permissions = document(stack, "permissions", primary,
                allow("Eni", List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                        "ec2:DescribeSubnets"), List.of("*")),
                allow("Table", List.of("dynamodb:GetItem"), List.of("arn:aws:dynamodb:us-east-1:1:table/x-dev")));
        resource(stack, "role_policy", "aws_iam_role_policy", primary, attrs(
                "name", "policy-payment-function-dev", "role", ref(role, "id"), "policy", permissions.getJson()));
        resource(stack, "managed_policy", "aws_iam_policy", primary, attrs("name", "policy-readers-dev",
                "policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::s3-payments-primary-dev/*\"}]}"));

        LambdaFunction function = LambdaFunction.Builder.create(stack, "function").provider(primary)
                .functionName("lambda-payment-dev").role(ref(role, "arn")).runtime("java17").handler("h::handle")
                .filename("f.zip").kmsKeyArn(ref(key, "arn"))
                .reservedConcurrentExecutions(10)
                .tracingConfig(com.hashicorp.cdktf.providers.aws.lambda_function.LambdaFunctionTracingConfig.builder()
                        .mode("Active").build())
                .environment(LambdaFunctionEnvironment.builder().variables(Map.of("A", "b")).build()).build();
        resource(stack, "alias", "aws_lambda_alias", primary, attrs("name", "live",
                "function_name", function.getFunctionName(), "function_version", "1"));
        resource(stack, "permission", "aws_lambda_permission", primary, attrs("action", "lambda:InvokeFunction",
                "function_name", function.getFunctionName(), "principal", "apigateway.amazonaws.com",
                "source_arn", "arn:aws:execute-api:us-east-1:123456789012:abc/*"));
        resource(stack, "function_url", "aws_lambda_function_url", primary, attrs(
                "function_name", function.getFunctionName(), "authorization_type", "AWS_IAM"));

        TerraformResource vpc = resource(stack, "vpc", "aws_vpc", primary, attrs("cidr_block", "10.0.0.0/16",
                "tags", Map.of("Name", "vpc-dev")));
        resource(stack, "default_sg", "aws_default_security_group", primary, attrs("vpc_id", ref(vpc, "id")));
        resource(stack, "flow_log", "aws_flow_log", primary, attrs("vpc_id", ref(vpc, "id"), "traffic_type", "ALL"));
        SecurityGroup group = SecurityGroup.Builder.create(stack, "group").provider(primary).name("sg-function-dev")
                .vpcId(ref(vpc, "id")).ingress(List.of(SecurityGroupIngress.builder().fromPort(443).toPort(443)
                        .protocol("tcp").cidrBlocks(List.of("10.0.0.0/8")).build())).build();
        resource(stack, "ingress", "aws_vpc_security_group_ingress_rule", primary, attrs(
                "security_group_id", group.getId(), "cidr_ipv4", "10.0.0.0/16", "ip_protocol", "tcp",
                "from_port", 443, "to_port", 443));
        resource(stack, "group_rule", "aws_security_group_rule", primary, attrs("type", "ingress",
                "security_group_id", group.getId(), "cidr_blocks", List.of("10.1.0.0/16"), "protocol", "tcp",
                "from_port", 443, "to_port", 443));
        resource(stack, "endpoint", "aws_vpc_endpoint", primary, attrs("vpc_id", ref(vpc, "id"),
                "service_name", "com.amazonaws.us-east-1.s3", "policy", permissions.getJson()));

        resource(stack, "alarm", "aws_cloudwatch_metric_alarm", primary, attrs("alarm_name", "alarm-errors-dev",
                "alarm_actions", List.of(ref(topic, "arn")), "comparison_operator", "GreaterThanThreshold",
                "evaluation_periods", 1));
        ApiGatewayStage stage = ApiGatewayStage.Builder.create(stack, "stage").provider(primary).restApiId("abc")
                .deploymentId("d1").stageName("v1").xrayTracingEnabled(true)
                .accessLogSettings(ApiGatewayStageAccessLogSettings.builder()
                        .destinationArn(ref(logs, "arn")).format("$context.requestId").build())
                .build();
        TerraformResource acl = resource(stack, "web_acl", "aws_wafv2_web_acl", primary, attrs("name", "waf-payments-dev",
                "scope", "REGIONAL", "default_action", Map.of("allow", Map.of()), "rule", List.of(
                        Map.of("name", "known-bad-inputs", "priority", 0, "override_action", Map.of("none", Map.of()),
                                "statement", Map.of("managed_rule_group_statement", Map.of(
                                        "name", "AWSManagedRulesKnownBadInputsRuleSet", "vendor_name", "AWS"))),
                        Map.of("name", "rate", "priority", 1, "action", Map.of("block", Map.of()),
                                "statement", Map.of("rate_based_statement", Map.of("limit", 300,
                                        "aggregate_key_type", "IP"))))));
        resource(stack, "web_acl_association", "aws_wafv2_web_acl_association", primary, attrs(
                "resource_arn", stage.getArn(), "web_acl_arn", ref(acl, "arn")));
        resource(stack, "web_acl_logging", "aws_wafv2_web_acl_logging_configuration", primary, attrs(
                "resource_arn", ref(acl, "arn"), "log_destination_configs", List.of(ref(logs, "arn"))));
        resource(stack, "keyed_method", "aws_api_gateway_method", primary, attrs("rest_api_id", "abc",
                "resource_id", "r", "http_method", "POST", "authorization", "NONE", "api_key_required", true));
        resource(stack, "preflight", "aws_api_gateway_method", primary, attrs("rest_api_id", "abc",
                "resource_id", "r", "http_method", "OPTIONS", "authorization", "NONE"));
        TerraformResource zone = resource(stack, "zone", "aws_route53_zone", primary, attrs("name", "payments.io"));
        resource(stack, "query_log", "aws_route53_query_log", primary, attrs("zone_id", ref(zone, "zone_id"),
                "cloudwatch_log_group_arn", ref(logs, "arn")));
        resource(stack, "dnssec", "aws_route53_hosted_zone_dnssec", primary, attrs(
                "hosted_zone_id", ref(zone, "id"), "signing_status", "SIGNING"));
        resource(stack, "private_zone", "aws_route53_zone", primary, attrs("name", "internal.payments.io",
                "vpc", List.of(Map.of("vpc_id", "vpc-1"))));
        resource(stack, "http_stage", "aws_apigatewayv2_stage", primary, attrs("api_id", "abc", "name", "$default",
                "access_log_settings", Map.of("destination_arn", ref(logs, "arn"), "format", "$context.requestId")));
        // not an AWS resource: no provider alias, no tags
        new TerraformResource(stack, "marker", TerraformResourceConfig.builder()
                .terraformResourceType("terraform_data").build()).addOverride("input", "x");
        return stack;
    }

    private static TerraformResource bucket(Construct stack, String id, AwsProvider provider, String name) {
        TerraformResource bucket = resource(stack, id, "aws_s3_bucket", provider, attrs("bucket", name,
                "force_destroy", true));
        S3BucketServerSideEncryptionConfigurationA.Builder.create(stack, id + "_encryption").provider(provider)
                .bucket(ref(bucket, "id"))
                .rule(List.of(S3BucketServerSideEncryptionConfigurationRuleA.builder()
                        .applyServerSideEncryptionByDefault(
                                S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA.builder()
                                        .sseAlgorithm("AES256").build()).build()))
                .build();
        resource(stack, id + "_public_access_block", "aws_s3_bucket_public_access_block", provider, attrs(
                "bucket", ref(bucket, "id"), "block_public_acls", true, "block_public_policy", true,
                "ignore_public_acls", true, "restrict_public_buckets", true));
        S3BucketVersioningA.Builder.create(stack, id + "_versioning").provider(provider).bucket(ref(bucket, "id"))
                .versioningConfiguration(S3BucketVersioningVersioningConfiguration.builder().status("Enabled").build())
                .build();
        DataAwsIamPolicyDocument policy = document(stack, id + "_policy_document", provider,
                denyWithoutTls("s3", ref(bucket, "arn")));
        resource(stack, id + "_policy", "aws_s3_bucket_policy", provider, attrs("bucket", ref(bucket, "id"),
                "policy", policy.getJson()));
        return bucket;
    }

    /** Each construct gets its rule wrong; ids say how. */
    static TerraformStack broken(Construct app) {
        TerraformStack stack = new TerraformStack(app, "broken");
        Map<String, String> partialTags = new LinkedHashMap<>(Tags.defaults(SUFFIX));
        partialTags.remove("Criticality");
        AwsProvider primary = provider(stack, "primary", "us-east-1", partialTags);
        AwsProvider dr = provider(stack, "dr", "us-east-2", null);

        resource(stack, "unrotated_key", "aws_kms_key", primary, attrs("description", "no rotation"));
        resource(stack, "plain_log_group", "aws_cloudwatch_log_group", primary, attrs(
                "name", "/aws/lambda/payments", "skip_destroy", true));
        resource(stack, "plain_topic", "aws_sns_topic", primary, attrs("name", "sns-alerts-dev"));
        resource(stack, "plain_queue", "aws_sqs_queue", primary, attrs("name", "sqs-events-dev",
                "sqs_managed_sse_enabled", false));
        resource(stack, "retained_secret", "aws_secretsmanager_secret", primary, attrs("name", "secret-dev",
                "replica", List.of(Map.of("region", "us-east-1"))));

        TerraformResource global = resource(stack, "lonely_global_cluster", "aws_rds_global_cluster", primary, attrs(
                "global_cluster_identifier", "aurora-global-dev", "deletion_protection", true));
        TerraformResource member = resource(stack, "unsafe_cluster", "aws_rds_cluster", primary, attrs(
                "cluster_identifier", "aurora-primary-dev", "global_cluster_identifier", ref(global, "id"),
                "deletion_protection", true));
        member.addOverride("lifecycle", Map.of("prevent_destroy", true));
        // a second member whose primary (unsafe_cluster) is backed up nowhere: nothing covers it (in the
        // primary's region, so that the global cluster still lacks a member in another region)
        resource(stack, "uncovered_secondary", "aws_rds_cluster", primary, attrs("cluster_identifier", "aurora-dr-dev",
                "global_cluster_identifier", ref(global, "id"), "iam_database_authentication_enabled", true,
                "deletion_protection", true));
        resource(stack, "regional_cluster", "aws_rds_cluster", primary, attrs("cluster_identifier", "aurora-solo-dev",
                "storage_encrypted", true, "backup_retention_period", 1, "skip_final_snapshot", true));
        resource(stack, "public_instance", "aws_rds_cluster_instance", primary, attrs("identifier", "aurora-1-dev",
                "publicly_accessible", true, "auto_minor_version_upgrade", false));
        resource(stack, "old_instance", "aws_db_instance", primary, attrs("identifier", "db-dev",
                "iam_database_authentication_enabled", true,
                "storage_encrypted", true, "backup_retention_period", "7", "skip_final_snapshot", true,
                "deletion_protection", false));

        DynamodbTable.Builder.create(stack, "unsafe_table").provider(primary).name("dynamodb-state-dev")
                .hashKey("pk").attribute(List.of(DynamodbTableAttribute.builder().name("pk").type("S").build()))
                .replica(List.of(DynamodbTableReplica.builder().regionName("us-east-1").build()))
                .deletionProtectionEnabled(true)
                .build();
        resource(stack, "separate_replica", "aws_dynamodb_table_replica", dr, attrs(
                "global_table_arn", "arn:aws:dynamodb:us-east-1:1:table/other-dev"));

        TerraformResource bare = resource(stack, "bare_bucket", "aws_s3_bucket", primary, attrs("bucket", "s3-bare-dev"));
        resource(stack, "public_acl", "aws_s3_bucket_acl", primary, attrs("bucket", ref(bare, "id"), "acl", "public-read"));
        resource(stack, "half_public_access_block", "aws_s3_bucket_public_access_block", primary, attrs(
                "bucket", ref(bare, "id"), "block_public_acls", true));
        resource(stack, "suspended_versioning", "aws_s3_bucket_versioning", primary, attrs(
                "bucket", ref(bare, "id"), "versioning_configuration", Map.of("status", "Suspended")));
        DataAwsIamPolicyDocument open = document(stack, "open_bucket_policy", primary,
                DataAwsIamPolicyDocumentStatement.builder().sid("Anyone").effect("Allow")
                        .principals(List.of(principal("AWS", "*"))).actions(List.of("s3:GetObject"))
                        .resources(List.of(ref(bare, "arn") + "/*")).build());
        resource(stack, "open_policy", "aws_s3_bucket_policy", primary, attrs("bucket", ref(bare, "id"),
                "policy", open.getJson()));
        TerraformResource other = resource(stack, "same_region_bucket", "aws_s3_bucket", primary, attrs(
                "bucket", "s3-other-dev", "force_destroy", true));
        S3BucketReplicationConfigurationA.Builder.create(stack, "same_region_replication").provider(primary)
                .bucket(ref(bare, "id")).role("arn:aws:iam::1:role/r-dev")
                .rule(List.of(S3BucketReplicationConfigurationRule.builder().status("Enabled")
                        .destination(S3BucketReplicationConfigurationRuleDestination.builder()
                                .bucket(ref(other, "arn")).build()).build()))
                .build();

        DataAwsIamPolicyDocument wildcards = document(stack, "wildcard_document", primary,
                allow("Everything", List.of("*"), List.of("arn:aws:s3:::x")),
                allow("AllOfS3", List.of("s3:*"), List.of("arn:aws:s3:::x")),
                allow("Pattern", List.of("s3:Get*"), List.of("arn:aws:s3:::x")),
                allow("AnyTable", List.of("dynamodb:GetItem", "ec2:CreateNetworkInterface"), List.of("*")),
                DataAwsIamPolicyDocumentStatement.builder().sid("Inverse").effect("Allow")
                        .notActions(List.of("iam:*")).notResources(List.of("arn:aws:iam::1:role/x")).build(),
                DataAwsIamPolicyDocumentStatement.builder().sid("DenyIsFine").effect("Deny")
                        .actions(List.of("*")).resources(List.of("*")).build());
        resource(stack, "wildcard_role_policy", "aws_iam_role_policy", primary, attrs("name", "policy-x-dev",
                "role", "r", "policy", wildcards.getJson()));
        resource(stack, "opaque_role", "aws_iam_role", primary, attrs("name", "role-opaque-dev",
                "assume_role_policy", Fn.jsonencode(Map.of("Version", "2012-10-17")),
                "inline_policy", List.of(Map.of("name", "inline-dev", "policy",
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\","
                                + "\"Principal\":{\"AWS\":\"*\"},\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}}"))));
        resource(stack, "not_json_policy", "aws_iam_policy", primary, attrs("name", "policy-y-dev",
                "policy", "not a policy"));

        LambdaFunction.Builder.create(stack, "plain_env_function").provider(primary).functionName("lambda-dev")
                .role("arn:aws:iam::1:role/r").runtime("java17").handler("h::handle").filename("f.zip")
                .environment(LambdaFunctionEnvironment.builder().variables(Map.of("A", "b")).build()).build();
        resource(stack, "open_permission", "aws_lambda_permission", primary, attrs("action", "lambda:InvokeFunction",
                "function_name", "lambda-dev", "principal", "*"));
        resource(stack, "open_function_url", "aws_lambda_function_url", primary, attrs("function_name", "lambda-dev",
                "authorization_type", "NONE"));

        resource(stack, "slow_rotation", "aws_secretsmanager_secret_rotation", primary, attrs(
                "secret_id", "${aws_secretsmanager_secret.slowly_rotated_secret.id}",
                "rotation_rules", Map.of("automatically_after_days", 365)));
        resource(stack, "slowly_rotated_secret", "aws_secretsmanager_secret", primary, attrs("name", "secret-x-dev",
                "recovery_window_in_days", 0));
        TerraformResource localVault = resource(stack, "local_vault", "aws_backup_vault", primary, attrs(
                "name", "backup-vault-dev"));
        resource(stack, "vault_lock", "aws_backup_vault_lock_configuration", primary, attrs(
                "backup_vault_name", ref(localVault, "name"), "min_retention_days", 7));
        TerraformResource localPlan = resource(stack, "same_region_plan", "aws_backup_plan", primary, attrs(
                "name", "backup-plan-dev", "rule", List.of(Map.of("rule_name", "daily",
                        "target_vault_name", ref(localVault, "name"),
                        "copy_action", List.of(Map.of("destination_vault_arn", ref(localVault, "arn")))))));
        resource(stack, "local_selection", "aws_backup_selection", primary, attrs("name", "backup-selection-dev",
                "plan_id", ref(localPlan, "id"), "iam_role_arn", "arn:aws:iam::1:role/r",
                "resources", List.of("${aws_rds_cluster.regional_cluster.arn}")));
        TerraformResource auditParameters = resource(stack, "quiet_parameters", "aws_rds_cluster_parameter_group",
                primary, attrs("name", "aurora-params-dev", "family", "aurora-postgresql16",
                        "parameter", List.of(Map.of("name", "rds.force_ssl", "value", "1"),
                                Map.of("name", "log_statement", "value", "ddl"))));
        resource(stack, "unaudited_cluster", "aws_rds_cluster", primary, attrs("cluster_identifier", "aurora-x-dev",
                "engine", "aurora-postgresql", "db_cluster_parameter_group_name", ref(auditParameters, "name"),
                "iam_database_authentication_enabled", true, "deletion_protection", true));
        resource(stack, "short_db_log", "aws_cloudwatch_log_group", primary, attrs(
                "name", "/aws/rds/cluster/aurora-x-dev/postgresql", "retention_in_days", 30));
        TerraformResource weakStage = resource(stack, "weakly_guarded_stage", "aws_api_gateway_stage", primary, attrs(
                "rest_api_id", "abc", "deployment_id", "d", "stage_name", "v2-dev", "xray_tracing_enabled", true,
                "access_log_settings", Map.of("destination_arn", "arn:aws:logs:us-east-1:1:log-group:x-dev")));
        TerraformResource countingAcl = resource(stack, "counting_acl", "aws_wafv2_web_acl", primary, attrs(
                "name", "waf-dev", "scope", "REGIONAL", "rule", List.of(Map.of("name", "kbi", "priority", 0,
                        "override_action", Map.of("count", Map.of()),
                        "statement", Map.of("managed_rule_group_statement", Map.of(
                                "name", "AWSManagedRulesKnownBadInputsRuleSet", "vendor_name", "AWS"))))));
        resource(stack, "counting_association", "aws_wafv2_web_acl_association", primary, attrs(
                "resource_arn", ref(weakStage, "arn"), "web_acl_arn", ref(countingAcl, "arn")));
        resource(stack, "open_method", "aws_api_gateway_method", primary, attrs("rest_api_id", "abc",
                "resource_id", "r", "http_method", "GET", "authorization", "NONE"));
        resource(stack, "unsigned_zone", "aws_route53_zone", primary, attrs("name", "payments-dev.io"));

        resource(stack, "unwatched_vpc", "aws_vpc", primary, attrs("cidr_block", "10.0.0.0/16"));
        TerraformResource vpc = resource(stack, "vpc", "aws_vpc", primary, attrs("cidr_block", "10.1.0.0/16"));
        resource(stack, "busy_default_sg", "aws_default_security_group", primary, attrs("vpc_id", ref(vpc, "id"),
                "ingress", List.of(Map.of("protocol", "-1", "self", true, "from_port", 0, "to_port", 0))));
        resource(stack, "flow_log", "aws_flow_log", primary, attrs("vpc_id", ref(vpc, "id")));
        SecurityGroup.Builder.create(stack, "open_group").provider(primary).name("sg-open-dev").vpcId(ref(vpc, "id"))
                .ingress(List.of(SecurityGroupIngress.builder().fromPort(22).toPort(22).protocol("tcp")
                        .cidrBlocks(List.of("0.0.0.0/0")).ipv6CidrBlocks(List.of("::/0")).build())).build();
        resource(stack, "open_ingress_rule", "aws_vpc_security_group_ingress_rule", primary, attrs(
                "security_group_id", "sg-1", "cidr_ipv6", "::/0", "ip_protocol", "-1"));
        resource(stack, "open_group_rule", "aws_security_group_rule", primary, attrs("type", "ingress",
                "security_group_id", "sg-1", "cidr_blocks", List.of("0.0.0.0/0"), "protocol", "-1",
                "from_port", 0, "to_port", 0));
        resource(stack, "egress_group_rule", "aws_security_group_rule", primary, attrs("type", "egress",
                "security_group_id", "sg-1", "cidr_blocks", List.of("0.0.0.0/0"), "protocol", "-1",
                "from_port", 0, "to_port", 0));
        resource(stack, "open_endpoint", "aws_vpc_endpoint", primary, attrs("vpc_id", ref(vpc, "id"),
                "service_name", "com.amazonaws.us-east-1.s3"));

        resource(stack, "silent_alarm", "aws_cloudwatch_metric_alarm", primary, attrs("alarm_name", "alarm-dev"));
        resource(stack, "disabled_alarm", "aws_cloudwatch_composite_alarm", primary, attrs(
                "alarm_name", "alarm-composite-dev", "alarm_actions", List.of("arn:aws:sns:us-east-1:1:t"),
                "actions_enabled", false, "alarm_rule", "ALARM(a)"));
        resource(stack, "blind_stage", "aws_api_gateway_stage", primary, attrs("rest_api_id", "abc",
                "deployment_id", "d", "stage_name", "v1"));
        resource(stack, "blind_http_stage", "aws_apigatewayv2_stage", primary, attrs("api_id", "abc", "name", "v1-dev"));

        resource(stack, "unsuffixed", "aws_iam_role", primary, attrs("name", "role-payments",
                "tags", Map.of("Name", "payments", "Environment", "Prod")));
        resource(stack, "default_provider_group", "aws_autoscaling_group", null, attrs("name", "asg-dev",
                "max_size", 1, "min_size", 0));
        resource(stack, "lonely_replica_table", "aws_dynamodb_table", dr, attrs("name", "dynamodb-solo-dev",
                "server_side_encryption", Map.of("enabled", true), "point_in_time_recovery", Map.of("enabled", true),
                "replica", List.of(Map.of("region_name", "us-east-1", "point_in_time_recovery", true))));
        return stack;
    }

}
