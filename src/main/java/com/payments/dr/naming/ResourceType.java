package com.payments.dr.naming;

import java.util.List;

/**
 * Every kind of named resource in the stack, with the AWS length limit of its name. Names are
 * {@code {prefix}[-{qualifier}][-{role}]-{suffix}}; the longest possible qualifier and role of each
 * type, together with the limits, bound the environment suffix (see {@link Naming#maxSuffixLength()}).
 */
public enum ResourceType {
    VPC("vpc", NameScope.REGIONAL, 255, 0),
    SUBNET_PRIVATE("subnet-private", NameScope.REGIONAL, 255, 1),
    ROUTE_TABLE_PRIVATE("rt-private", NameScope.REGIONAL, 255, 1),
    VPC_ENDPOINT("vpce", NameScope.REGIONAL, 255, 15),
    VPC_PEERING("vpc-peering", NameScope.REGIONAL, 255, 10),
    /** EC2 reserves {@code sg-} for group ids and refuses it as the start of a name. */
    SECURITY_GROUP("secgroup", NameScope.REGIONAL, 255, 9, List.of("sg-"), List.of()),
    FLOW_LOG("flow-log", NameScope.REGIONAL, 255, 0),
    VPC_FLOW_LOG_GROUP("vpc-flow-logs", NameScope.REGIONAL, 512, 0),
    KMS_KEY("cmk", NameScope.REGIONAL, 256, 8),
    /** KMS alias names are {@code alias/...}; the limit is AWS's 256 characters for the whole name. */
    KMS_ALIAS("alias/cmk", NameScope.REGIONAL, 256, 8, List.of("alias/aws/"), List.of()),
    /** IAM is global to the account, so per-region roles carry the region role. */
    IAM_ROLE("role", NameScope.ACCOUNT, 64, 16),
    IAM_POLICY("policy", NameScope.ACCOUNT, 128, 16),
    RDS_GLOBAL_CLUSTER("aurora-global", NameScope.GLOBAL, 63, 0),
    /** RDS cluster identifiers must be unique per account across regions. */
    RDS_CLUSTER("aurora", NameScope.ACCOUNT, 63, 0),
    RDS_INSTANCE("aurora", NameScope.ACCOUNT, 63, 7),
    DB_SUBNET_GROUP("db-subnets", NameScope.REGIONAL, 255, 0),
    DB_PARAMETER_GROUP("aurora-params", NameScope.REGIONAL, 255, 8),
    /** The master secret ({@code aurora-master}) and each merchant key ({@code merchant-key-<merchant>-<generation>}). */
    SECRET("secret", NameScope.GLOBAL, 512, 48),
    DYNAMODB_TABLE("dynamodb", NameScope.GLOBAL, 255, 16),
    LAMBDA_FUNCTION("lambda-payment", NameScope.REGIONAL, 64, 0),
    /** Bucket names are global to all of S3: the qualifier is the 12-digit account id. */
    S3_BUCKET("s3-payments", NameScope.ACCOUNT, 63, 12,
            List.of("xn--", "sthree-", "amzn-s3-demo-"),
            List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")),
    SNS_TOPIC("sns-alerts", NameScope.REGIONAL, 256, 0),
    API_GATEWAY("apigw-payments", NameScope.REGIONAL, 255, 0),
    /** The stage name carries the suffix so that the execution log group AWS names after it does too. */
    API_STAGE("v1", NameScope.REGIONAL, 128, 0),
    USAGE_PLAN("usage-plan-payments", NameScope.REGIONAL, 255, 0),
    /** One per merchant key: {@code <merchant>-<generation>}. */
    API_KEY("apikey-payments", NameScope.REGIONAL, 1024, 35),
    EVENT_BUS("bus-payments", NameScope.REGIONAL, 256, 0),
    PIPE("pipe-payments", NameScope.REGIONAL, 64, 0),
    EVENT_RULE("rule", NameScope.REGIONAL, 64, 16),
    SQS_QUEUE("sqs", NameScope.REGIONAL, 80, 18),
    /** The event functions (the payment function keeps its own type). */
    EVENT_FUNCTION("lambda", NameScope.REGIONAL, 64, 12),
    /** CloudWatch alarm names are unique per region; the qualifier is the watched metric's key. */
    CLOUDWATCH_ALARM("alarm", NameScope.REGIONAL, 255, 40),
    /** Route 53 health checks have no name; this is their Name tag. */
    HEALTH_CHECK("healthcheck-api", NameScope.GLOBAL, 256, 7),
    /** Dashboards are global to the account (their names: letters, digits, - and _). */
    DASHBOARD("dashboard-payments-dr", NameScope.GLOBAL, 255, 0),
    /** AWS Backup vault, plan and selection names: up to 50 characters. */
    BACKUP_VAULT("backup-vault", NameScope.REGIONAL, 50, 0),
    BACKUP_PLAN("backup-plan", NameScope.REGIONAL, 50, 0),
    BACKUP_SELECTION("backup-selection", NameScope.REGIONAL, 50, 0),
    /** The server access logs of the region's bucket; the qualifier is the account id. */
    S3_LOG_BUCKET("s3-logs", NameScope.ACCOUNT, 63, 12,
            List.of("xn--", "sthree-", "amzn-s3-demo-"),
            List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")),
    WAF_WEB_ACL("waf-payments", NameScope.REGIONAL, 128, 0),
    /** AWS WAF logs only to log groups whose names start with {@code aws-waf-logs-}. */
    WAF_LOG_GROUP("aws-waf-logs-payments", NameScope.REGIONAL, 512, 0),
    /** X-Ray sampling rule names take 32 characters: the shortest prefix leaves room for the longest suffix. */
    XRAY_SAMPLING_RULE("x", NameScope.REGIONAL, 32, 0),
    /** Route 53 query logs of the zone (in us-east-1). */
    DNS_QUERY_LOG_GROUP("/aws/route53/queries", NameScope.GLOBAL, 512, 0);

    /** The longest region role label, which ACCOUNT-scoped names may carry. */
    static final int MAX_ROLE_LENGTH = java.util.Arrays.stream(RegionRole.values())
            .mapToInt(r -> r.label().length()).max().orElseThrow();

    private final String prefix;
    private final NameScope scope;
    private final int maxLength;
    private final int maxQualifierLength;
    /** Beginnings AWS reserves for this type's names (ids, service-owned names). */
    private final List<String> reservedPrefixes;
    /** Endings AWS reserves for this type's names. */
    private final List<String> reservedSuffixes;

    ResourceType(String prefix, NameScope scope, int maxLength, int maxQualifierLength) {
        this(prefix, scope, maxLength, maxQualifierLength, List.of(), List.of());
    }

    ResourceType(String prefix, NameScope scope, int maxLength, int maxQualifierLength,
                 List<String> reservedPrefixes, List<String> reservedSuffixes) {
        this.prefix = prefix;
        this.scope = scope;
        this.maxLength = maxLength;
        this.maxQualifierLength = maxQualifierLength;
        this.reservedPrefixes = reservedPrefixes;
        this.reservedSuffixes = reservedSuffixes;
    }

    /** Why AWS refuses {@code name} for this type, or {@code null} if it does not. */
    public String reservedProblem(String name) {
        for (String reserved : reservedPrefixes) {
            if (name.startsWith(reserved)) {
                return "AWS reserves names beginning with " + reserved;
            }
        }
        for (String reserved : reservedSuffixes) {
            if (name.endsWith(reserved)) {
                return "AWS reserves names ending with " + reserved;
            }
        }
        return null;
    }

    public String prefix() {
        return prefix;
    }

    public NameScope scope() {
        return scope;
    }

    /** AWS's limit on the length of this type's name. */
    public int maxLength() {
        return maxLength;
    }

    public int maxQualifierLength() {
        return maxQualifierLength;
    }

    /** The characters of the longest name of this type other than the suffix. */
    int fixedLength() {
        int length = prefix.length() + 1;
        if (maxQualifierLength > 0) {
            length += maxQualifierLength + 1;
        }
        if (scope == NameScope.ACCOUNT) {
            length += MAX_ROLE_LENGTH + 1;
        }
        return length;
    }
}
