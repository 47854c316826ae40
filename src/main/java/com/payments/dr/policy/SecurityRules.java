package com.payments.dr.policy;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Encryption, TLS, public access and IAM. */
final class SecurityRules {

    private SecurityRules() {
    }

    /**
     * Actions AWS does not let a policy scope to a resource, so {@code "*"} is the only resource that
     * works: the network-interface actions Lambda needs in a VPC (as AWSLambdaVPCAccessExecutionRole),
     * EC2's Describe calls, X-Ray's write and sampling calls, CloudWatch's PutMetricData,
     * sts:GetCallerIdentity, dynamodb:ListStreams (an EventBridge Pipe on a table's stream
     * needs it, as AWSLambdaDynamoDBExecutionRole does) and secretsmanager:GetRandomPassword (no
     * resource: it makes a password, the master secret's rotation asks it for one).
     */
    static final Set<String> UNSCOPABLE_ACTIONS = Set.of(
            "ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
            "ec2:DescribeNetworkInterfaces", "ec2:UnassignPrivateIpAddresses", "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
            "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries",
            "cloudwatch:PutMetricData", "sts:GetCallerIdentity", "dynamodb:ListStreams",
            "secretsmanager:GetRandomPassword");

    /** Types encrypted by one boolean attribute that must be true. */
    private static final List<String[]> ENCRYPTED_FLAG = List.of(
            new String[] {"aws_rds_cluster", "storage_encrypted"},
            new String[] {"aws_db_instance", "storage_encrypted"},
            new String[] {"aws_ebs_volume", "encrypted"},
            new String[] {"aws_efs_file_system", "encrypted"},
            new String[] {"aws_elasticache_replication_group", "at_rest_encryption_enabled"});

    /** Types that must name a customer-managed key. */
    private static final List<String[]> CUSTOMER_KEY = List.of(
            new String[] {"aws_cloudwatch_log_group", "kms_key_id"},
            new String[] {"aws_sns_topic", "kms_master_key_id"},
            new String[] {"aws_secretsmanager_secret", "kms_key_id"});

    static List<Rule> rules() {
        return List.of(
                new Rule("ENC-AT-REST", Severity.ERROR,
                        "CKV_AWS_158, CKV_AWS_26/SNS.1, CKV_AWS_27/SQS.1, CKV_AWS_149, CKV_AWS_96/RDS.27, "
                                + "CKV_AWS_16/RDS.3, CKV_AWS_19; tables: encrypted, not CKV_AWS_119's customer-managed key",
                        "every data store, log group, topic, queue and secret is encrypted at rest",
                        SecurityRules::encryptionAtRest),
                new Rule("KMS-ROTATION", Severity.ERROR, "CKV_AWS_7, Security Hub KMS.4",
                        "customer-managed keys rotate yearly", SecurityRules::keyRotation),
                new Rule("TLS-ONLY", Severity.ERROR, "Security Hub S3.5; the same control for SNS topics",
                        "buckets and topics deny requests without TLS (aws:SecureTransport = false)",
                        SecurityRules::tlsOnly),
                new Rule("PUBLIC-ACCESS", Severity.ERROR,
                        "CKV_AWS_53..56/S3.8, CKV_AWS_17/RDS.2, CKV_AWS_258, CKV_AWS_59, CKV2_AWS_70",
                        "nothing is public: bucket public access blocked, no public ACL, database or function URL, "
                                + "no resource policy allowing anyone unconditionally, no API method without a key or "
                                + "an authorizer",
                        SecurityRules::publicAccess),
                new Rule("IAM-POLICY-READABLE", Severity.ERROR, "project rule (the gate must see every policy)",
                        "every policy is an aws_iam_policy_document or literal JSON, so the IAM rules can read it",
                        SecurityRules::readablePolicies),
                new Rule("IAM-NO-WILDCARD-ACTION", Severity.ERROR, "CKV_AWS_62, CKV_AWS_63, Security Hub IAM.1, IAM.21",
                        "no Allow statement grants \"*\" or \"service:*\" or uses NotAction",
                        SecurityRules::wildcardActions),
                new Rule("IAM-PARTIAL-WILDCARD", Severity.WARNING, "tfsec aws-iam-no-policy-wildcards",
                        "Allow statements spell out actions instead of patterns such as s3:Get*",
                        SecurityRules::partialWildcards),
                new Rule("IAM-WILDCARD-RESOURCE", Severity.ERROR,
                        "CKV_AWS_356, CKV_AWS_111; CKV_AWS_355 except Lambda's VPC network-interface actions",
                        "\"*\" resources only in KMS key policies and for actions AWS cannot scope",
                        SecurityRules::wildcardResources),
                new Rule("RDS-IAM-AUTH", Severity.ERROR, "CKV_AWS_162, Security Hub RDS.12",
                        "database clusters and instances accept IAM authentication",
                        SecurityRules::databaseIamAuthentication),
                new Rule("LAMBDA-PERMISSION-SOURCE-ARN", Severity.ERROR, "CKV_AWS_364",
                        "every Lambda permission names its caller and source ARN",
                        SecurityRules::lambdaPermissions),
                new Rule("LAMBDA-ENV-CMK", Severity.WARNING, "CKV_AWS_173",
                        "functions with environment variables encrypt them with a customer-managed key",
                        SecurityRules::lambdaEnvironmentKey));
    }

    static void encryptionAtRest(TerraformConfig config, Rule.Sink sink) {
        for (String[] flag : ENCRYPTED_FLAG) {
            for (Resource r : config.resources(flag[0])) {
                if (!r.isTrue(flag[1])) {
                    sink.report(r, "not encrypted at rest; set " + flag[1] + " = true (with a customer-managed kms_key_id)");
                }
            }
        }
        for (Resource r : config.resources("aws_rds_global_cluster")) {
            if (!r.has("source_db_cluster_identifier") && !r.isTrue("storage_encrypted")) {
                sink.report(r, "global cluster not encrypted at rest; set storage_encrypted = true");
            }
        }
        for (String[] key : CUSTOMER_KEY) {
            for (Resource r : config.resources(key[0])) {
                if (!r.has(key[1])) {
                    sink.report(r, "no customer-managed key; set " + key[1] + " to a KMS key with rotation");
                }
            }
        }
        for (Resource r : config.resources("aws_secretsmanager_secret")) {
            for (JsonObject replica : r.blocks("replica")) {
                if (Json.string(replica, "kms_key_id") == null) {
                    sink.report(r, "replica in " + Json.string(replica, "region")
                            + " has no customer-managed key; set replica.kms_key_id to a key in that region");
                }
            }
        }
        for (Resource r : config.resources("aws_sqs_queue")) {
            if (!r.has("kms_master_key_id") && !r.isTrue("sqs_managed_sse_enabled")) {
                sink.report(r, "queue not encrypted at rest; set kms_master_key_id (or sqs_managed_sse_enabled = true)");
            }
        }
        for (Resource r : config.resources("aws_dynamodb_table")) {
            JsonObject sse = Json.block(r.body(), "server_side_encryption");
            if (sse == null || !Json.isTrue(sse.get("enabled"))) {
                sink.report(r, "table not encrypted with a KMS key; set server_side_encryption { enabled = true }");
            }
        }
        for (Resource r : config.resources("aws_s3_bucket")) {
            boolean encrypted = config.referencing("aws_s3_bucket_server_side_encryption_configuration", "bucket", r, "bucket")
                    .stream().anyMatch(c -> c.blocks("rule").stream()
                            .map(rule -> Json.block(rule, "apply_server_side_encryption_by_default"))
                            .anyMatch(d -> d != null && Json.string(d, "sse_algorithm") != null));
            if (!encrypted) {
                sink.report(r, "no default encryption; add an aws_s3_bucket_server_side_encryption_configuration "
                        + "(AES256 or aws:kms) for this bucket");
            }
        }
    }

    static void keyRotation(TerraformConfig config, Rule.Sink sink) {
        for (Resource r : config.resources("aws_kms_key")) {
            String spec = r.string("customer_master_key_spec");
            boolean symmetric = spec == null || spec.equals("SYMMETRIC_DEFAULT");
            if (symmetric && !r.isTrue("enable_key_rotation")) {
                sink.report(r, "key rotation off; set enable_key_rotation = true");
            }
        }
    }

    static void tlsOnly(TerraformConfig config, Rule.Sink sink) {
        List<PolicyDocument> documents = config.policies();
        for (Resource bucket : config.resources("aws_s3_bucket")) {
            List<Resource> holders = new ArrayList<>(config.referencing("aws_s3_bucket_policy", "bucket", bucket, "bucket"));
            holders.add(bucket);
            if (!denies(documents, holders, "s3")) {
                sink.report(bucket, "allows requests without TLS; attach a bucket policy with a Deny of s3:* for "
                        + "principal * when aws:SecureTransport is false");
            }
        }
        for (Resource topic : config.resources("aws_sns_topic")) {
            List<Resource> holders = new ArrayList<>(config.referencing("aws_sns_topic_policy", "arn", topic));
            holders.add(topic);
            if (!denies(documents, holders, "sns")) {
                sink.report(topic, "allows requests without TLS; add to its topic policy a Deny of sns:* for "
                        + "principal * when aws:SecureTransport is false");
            }
        }
    }

    private static boolean denies(List<PolicyDocument> documents, List<Resource> holders, String service) {
        return documents.stream()
                .filter(d -> d.uses().stream().anyMatch(u -> holders.contains(u.resource())))
                .anyMatch(d -> d.deniesInsecureTransport(service));
    }

    static void publicAccess(TerraformConfig config, Rule.Sink sink) {
        for (Resource bucket : config.resources("aws_s3_bucket")) {
            boolean blocked = config.referencing("aws_s3_bucket_public_access_block", "bucket", bucket, "bucket").stream()
                    .anyMatch(b -> b.isTrue("block_public_acls") && b.isTrue("block_public_policy")
                            && b.isTrue("ignore_public_acls") && b.isTrue("restrict_public_buckets"));
            if (!blocked) {
                sink.report(bucket, "public access not blocked; add an aws_s3_bucket_public_access_block with all four "
                        + "settings true");
            }
        }
        Set<String> publicAcls = Set.of("public-read", "public-read-write", "authenticated-read");
        for (Resource acl : config.resources("aws_s3_bucket_acl")) {
            if (publicAcls.contains(acl.string("acl"))) {
                sink.report(acl, "public ACL " + acl.string("acl") + "; remove it (bucket owner enforced)");
            }
        }
        for (String type : List.of("aws_rds_cluster_instance", "aws_db_instance")) {
            for (Resource r : config.resources(type)) {
                if (r.isTrue("publicly_accessible")) {
                    sink.report(r, "database reachable from the internet; set publicly_accessible = false");
                }
            }
        }
        for (Resource url : config.resources("aws_lambda_function_url")) {
            if ("NONE".equals(url.string("authorization_type"))) {
                sink.report(url, "function URL open to anyone; set authorization_type = AWS_IAM");
            }
        }
        for (Resource method : config.resources("aws_api_gateway_method")) {
            // a CORS preflight carries no credentials by design (and reaches only a MOCK integration)
            boolean open = !"OPTIONS".equals(method.string("http_method"))
                    && (method.string("authorization") == null || "NONE".equals(method.string("authorization")))
                    && !method.isTrue("api_key_required");
            if (open) {
                sink.report(method, method.string("http_method") + " needs neither an API key nor an authorizer; set "
                        + "api_key_required = true or an authorization");
            }
        }
        for (PolicyDocument d : config.policies()) {
            for (Statement s : d.statements()) {
                if (s.allow() && s.principals().contains("*") && s.conditions().isEmpty()) {
                    sink.report(d.definedBy(), s.label() + " allows principal * without a condition; name the "
                            + "principals or add a condition (aws:SourceArn, aws:SourceAccount, …)");
                }
            }
        }
    }

    static void readablePolicies(TerraformConfig config, Rule.Sink sink) {
        for (PolicyDocument.Use use : config.unreadablePolicies()) {
            sink.report(use.resource(), use.attribute() + " cannot be checked at synth; build it with an "
                    + "aws_iam_policy_document data source (or literal JSON)");
        }
    }

    static void wildcardActions(TerraformConfig config, Rule.Sink sink) {
        for (PolicyDocument d : config.policies()) {
            for (Statement s : d.statements()) {
                if (!s.allow()) {
                    continue;
                }
                if (!s.notActions().isEmpty()) {
                    sink.report(d.definedBy(), s.label() + " allows NotAction (everything else); list the actions");
                }
                for (String action : s.actions()) {
                    if (action.equals("*") || action.endsWith(":*")) {
                        sink.report(d.definedBy(), s.label() + " allows " + action + "; list the actions it needs");
                    }
                }
            }
        }
    }

    static void partialWildcards(TerraformConfig config, Rule.Sink sink) {
        for (PolicyDocument d : config.policies()) {
            for (Statement s : d.statements()) {
                for (String action : s.actions()) {
                    if (s.allow() && action.contains("*") && !action.equals("*") && !action.endsWith(":*")) {
                        sink.report(d.definedBy(), s.label() + " allows the pattern " + action
                                + "; list the actions it needs");
                    }
                }
            }
        }
    }

    static void wildcardResources(TerraformConfig config, Rule.Sink sink) {
        for (PolicyDocument d : config.policies()) {
            if (d.isKeyPolicy()) {
                continue;
            }
            for (Statement s : d.statements()) {
                if (!s.allow()) {
                    continue;
                }
                if (!s.notResources().isEmpty()) {
                    sink.report(d.definedBy(), s.label() + " uses NotResource (everything else); list the resources");
                }
                if (s.resources().contains("*")) {
                    List<String> scopable = s.actions().stream().filter(a -> !UNSCOPABLE_ACTIONS.contains(a)).toList();
                    if (!scopable.isEmpty() || !s.notActions().isEmpty()) {
                        String granted = scopable.isEmpty() ? "every action except " + String.join(", ", s.notActions())
                                : String.join(", ", scopable);
                        sink.report(d.definedBy(), s.label() + " grants " + granted + " on resource *; name the "
                                + "resources (ARNs)");
                    }
                }
            }
        }
    }

    static void databaseIamAuthentication(TerraformConfig config, Rule.Sink sink) {
        for (String type : List.of("aws_rds_cluster", "aws_db_instance")) {
            for (Resource r : config.resources(type)) {
                if (!r.isTrue("iam_database_authentication_enabled")) {
                    sink.report(r, "IAM authentication off; set iam_database_authentication_enabled = true");
                }
            }
        }
    }

    static void lambdaPermissions(TerraformConfig config, Rule.Sink sink) {
        for (Resource p : config.resources("aws_lambda_permission")) {
            if ("*".equals(p.string("principal"))) {
                sink.report(p, "any principal may invoke the function; name the calling service or account");
            }
            if (!p.has("source_arn")) {
                sink.report(p, "no source_arn; set it to the calling API, rule, topic or bucket ARN "
                        + "(confused-deputy guard)");
            }
        }
    }

    static void lambdaEnvironmentKey(TerraformConfig config, Rule.Sink sink) {
        for (Resource f : config.resources("aws_lambda_function")) {
            JsonObject environment = Json.block(f.body(), "environment");
            JsonObject variables = environment == null ? null : Json.block(environment, "variables");
            if (variables != null && variables.size() > 0 && !f.has("kms_key_arn")) {
                sink.report(f, "environment variables use the AWS-managed key; set kms_key_arn to a "
                        + "customer-managed key");
            }
        }
    }
}
