package com.payments.dr.naming;

/**
 * Every kind of named resource in the stack, with the AWS length limit of its name. Names are
 * {@code {prefix}[-{qualifier}][-{role}]-{suffix}}; the longest possible qualifier and role of each
 * type, together with the limits, bound the environment suffix (see {@link Naming#maxSuffixLength()}).
 */
public enum ResourceType {
    VPC("vpc", NameScope.REGIONAL, 255, 0),
    SUBNET_PRIVATE("subnet-private", NameScope.REGIONAL, 255, 1),
    ROUTE_TABLE_PRIVATE("rt-private", NameScope.REGIONAL, 255, 1),
    VPC_ENDPOINT("vpce", NameScope.REGIONAL, 255, 14),
    SECURITY_GROUP("sg", NameScope.REGIONAL, 255, 9),
    FLOW_LOG("flow-log", NameScope.REGIONAL, 255, 0),
    VPC_FLOW_LOG_GROUP("vpc-flow-logs", NameScope.REGIONAL, 512, 0),
    KMS_KEY("cmk", NameScope.REGIONAL, 256, 8),
    /** KMS alias names are {@code alias/...}; the limit is AWS's 256 characters for the whole name. */
    KMS_ALIAS("alias/cmk", NameScope.REGIONAL, 256, 8),
    /** IAM is global to the account, so per-region roles carry the region role. */
    IAM_ROLE("role", NameScope.ACCOUNT, 64, 16),
    IAM_POLICY("policy", NameScope.ACCOUNT, 128, 16),
    RDS_GLOBAL_CLUSTER("aurora-global", NameScope.GLOBAL, 63, 0),
    /** RDS cluster identifiers must be unique per account across regions. */
    RDS_CLUSTER("aurora", NameScope.ACCOUNT, 63, 0),
    RDS_INSTANCE("aurora", NameScope.ACCOUNT, 63, 7),
    DB_SUBNET_GROUP("db-subnets", NameScope.REGIONAL, 255, 0),
    DB_PARAMETER_GROUP("aurora-params", NameScope.REGIONAL, 255, 8),
    SECRET("secret", NameScope.GLOBAL, 512, 24),
    DYNAMODB_TABLE("dynamodb", NameScope.GLOBAL, 255, 16),
    LAMBDA_FUNCTION("lambda-payment", NameScope.REGIONAL, 64, 0),
    /** Bucket names are global to all of S3: the qualifier is the 12-digit account id. */
    S3_BUCKET("s3-payments", NameScope.ACCOUNT, 63, 12),
    SNS_TOPIC("sns-alerts", NameScope.REGIONAL, 256, 0),
    API_GATEWAY("apigw-payments", NameScope.REGIONAL, 255, 0),
    /** The stage name carries the suffix so that the execution log group AWS names after it does too. */
    API_STAGE("v1", NameScope.REGIONAL, 128, 0),
    USAGE_PLAN("usage-plan-payments", NameScope.REGIONAL, 255, 0),
    API_KEY("apikey-payments", NameScope.REGIONAL, 1024, 0),
    EVENT_BUS("bus-payments", NameScope.REGIONAL, 256, 0),
    PIPE("pipe-payments", NameScope.REGIONAL, 64, 0),
    EVENT_RULE("rule", NameScope.REGIONAL, 64, 16),
    SQS_QUEUE("sqs", NameScope.REGIONAL, 80, 18),
    /** The event functions (the payment function keeps its own type). */
    EVENT_FUNCTION("lambda", NameScope.REGIONAL, 64, 12);

    /** The longest region role label, which ACCOUNT-scoped names may carry. */
    static final int MAX_ROLE_LENGTH = java.util.Arrays.stream(RegionRole.values())
            .mapToInt(r -> r.label().length()).max().orElseThrow();

    private final String prefix;
    private final NameScope scope;
    private final int maxLength;
    private final int maxQualifierLength;

    ResourceType(String prefix, NameScope scope, int maxLength, int maxQualifierLength) {
        this.prefix = prefix;
        this.scope = scope;
        this.maxLength = maxLength;
        this.maxQualifierLength = maxQualifierLength;
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
