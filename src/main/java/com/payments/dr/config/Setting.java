package com.payments.dr.config;

/**
 * Every configuration setting, with the environment variable and the {@code cdktf.json} context key
 * it is read from, its default and a one-line description of what is allowed. This enum is the
 * single source for the configuration reference (docs/configuration.md, generated), help and error messages.
 */
public enum Setting {
    ENVIRONMENT_SUFFIX("environmentSuffix", "dev",
            "lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen"),
    PRIMARY_REGION("primaryRegion", "us-east-1", "an AWS region name such as us-east-1"),
    DR_REGION("drRegion", "us-east-2", "an AWS region name different from PRIMARY_REGION"),
    STATE_BUCKET("stateBucket", "payments-dr-terraform-state", "an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)"),
    STATE_REGION("stateRegion", "us-east-1", "the AWS region of the state bucket"),
    STATE_LOCK_TABLE("stateLockTable", "payments-dr-terraform-locks", "a DynamoDB table name (3-255 letters, digits, _ . -), or none for S3 lock files alone"),
    STATE_KMS_KEY("stateKmsKey", "alias/payments-dr-terraform-state",
            "the KMS key that encrypts the state object: alias/<name> (not alias/aws/...), a key id, or a key ARN, in STATE_REGION"),
    PRIMARY_VPC_CIDR("primaryVpcCidr", "10.10.0.0/16", "an RFC 1918 IPv4 CIDR from /16 to /24"),
    DR_VPC_CIDR("drVpcCidr", "10.20.0.0/16", "an RFC 1918 IPv4 CIDR from /16 to /24 not overlapping PRIMARY_VPC_CIDR"),
    AZ_COUNT("azCount", "2", "2 or 3 availability zones per region"),
    LOG_RETENTION_DAYS("logRetentionDays", "30", "a CloudWatch Logs retention period in days (1, 3, 5, 7, 14, 30, 60, 90, ...)"),
    ALARM_EMAIL("alarmEmail", "", "empty, or an e-mail address that receives alarm notifications"),
    DNS_DOMAIN("dnsDomain", "", "empty, or a DNS domain you own (not a reserved name such as example.com)"),
    AURORA_ENGINE_VERSION("auroraEngineVersion", "16.6",
            "an aurora-postgresql 15.x, 16.x or 17.x minor that is orderable and supports global databases and Serverless v2"),
    AURORA_MIN_ACU("auroraMinAcu", "0.5", "Serverless v2 capacity in steps of 0.5 ACU, 0.5 <= AURORA_MIN_ACU <= AURORA_MAX_ACU"),
    AURORA_MAX_ACU("auroraMaxAcu", "4", "Serverless v2 capacity in steps of 0.5 ACU, AURORA_MIN_ACU <= AURORA_MAX_ACU <= 128"),
    BACKUP_RETENTION_DAYS("backupRetentionDays", "7", "7 to 35 days of automated Aurora backups"),
    DR_DB_INSTANCES("drDbInstances", "1", "1 to 3 Serverless v2 instances in the DR cluster"),
    S3_REPLICATION_TIME_CONTROL("s3ReplicationTimeControl", "true",
            "true or false: S3 Replication Time Control (15-minute objective) on both replication rules"),
    FUNCTION_PACKAGE("functionPackage", "target/payment-function.zip",
            "an existing file: the payment function package that mvn process-classes (and ./main) builds"),
    ALLOWED_ORIGIN("allowedOrigin", "http://localhost:3000",
            "the checkout page's origin for CORS, scheme://host[:port] with scheme http or https"),
    PAYMENT_CURRENCIES("paymentCurrencies", "USD,EUR,GBP", "a comma-separated list of ISO-4217 codes such as USD,EUR"),
    API_STAGE_THROTTLE_RATE("apiStageThrottleRate", "500",
            "1 to 10000 requests per second: what all callers together may send to a method of a region's stage"
                    + " (the stage's throttle; POST /payments' capacity)"),
    API_STAGE_THROTTLE_BURST("apiStageThrottleBurst", "1000",
            "API_STAGE_THROTTLE_RATE to 5000 requests: the token bucket behind the stage's rate"),
    API_MERCHANT_THROTTLE_RATE("apiMerchantThrottleRate", "50",
            "1 to API_STAGE_THROTTLE_RATE requests per second: what one merchant key may send (the usage plan's"
                    + " per-key rate)"),
    API_MERCHANT_THROTTLE_BURST("apiMerchantThrottleBurst", "100",
            "API_MERCHANT_THROTTLE_RATE to API_STAGE_THROTTLE_BURST requests: the token bucket behind one key's rate"),
    API_QUOTA_PER_DAY("apiQuotaPerDay", "auto",
            "auto (API_MERCHANT_THROTTLE_RATE x 86400: one key's rate all day), or 1 to 864000000 requests per"
                    + " merchant key and day"),
    API_LOG_LEVEL("apiLogLevel", "ERROR",
            "ERROR or INFO: API Gateway execution logging (never the full request/response data trace)"),
    API_GATEWAY_ACCOUNT("apiGatewayAccount", "managed",
            "managed or external: API Gateway's CloudWatch Logs role is one setting per account and region, shared"
                    + " by every REST API there; managed sets it in both regions to this stack's role (the last"
                    + " environment applied wins) and clears it on destroy (every REST API there stops logging);"
                    + " external leaves it to the account's owner, who must have set it before the first deploy"),
    EVENTS_PACKAGE("eventsPackage", "target/events-function.zip",
            "an existing file: the event functions' package that mvn process-classes (and ./main) builds"),
    ALARM_PERIOD_SECONDS("alarmPeriodSeconds", "60",
            "60, 300, 900 or 3600 seconds: the period every alarm evaluates (SQS queues publish every 300)"),
    ALARM_EVALUATION_PERIODS("alarmEvaluationPeriods", "3",
            "1 to 10 periods, all of which must breach before an alarm fires"),
    ALARM_LATENCY_MS("alarmLatencyMs", "3000",
            "100 to 29000 milliseconds: the p99 API latency and integration latency that alarm"),
    ALARM_RPO_SECONDS("alarmRpoSeconds", "10",
            "1 to 3600 seconds: the DR cluster's global-database replication lag and RPO lag that alarm"),
    HEALTH_CHECK_INTERVAL("healthCheckInterval", "30",
            "10 or 30 seconds between one Route 53 health checker's calls to each region's /health"),
    HEALTH_CHECK_FAILURE_THRESHOLD("healthCheckFailureThreshold", "3",
            "1 to 10 failed calls in a row that make a region unhealthy"),
    HEALTH_CHECK_REGIONS("healthCheckRegions", "us-east-1,us-west-2,eu-west-1",
            "3 to 8 distinct Route 53 checker regions, comma-separated (us-east-1, us-west-1, us-west-2, eu-west-1, "
                    + "ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1)"),
    MONTHLY_BUDGET_USD("monthlyBudgetUsd", "200",
            "1 to 1000000 US dollars a month: a synth whose idle cost estimate exceeds it stops (exit 2)"),
    COST_PAYMENTS_PER_SECOND("costPaymentsPerSecond", "1",
            "0 to 10000 payments per second: the load the cost estimate prices besides idle"),
    CUSTOM_DOMAINS("customDomains", "auto",
            "auto (true with DNS_DOMAIN, else false), true or false: an ACM certificate and a regional API Gateway"
                    + " custom domain per region, and api.<zone> as alias failover records (needs a delegated zone:"
                    + " ACM validates through it)"),
    PROTECTION("protection", "destroyable",
            "destroyable (everything goes with destroy; for development), production (deletion protection, final"
                    + " snapshots, retained buckets, logs and keys, a locked backup vault, a year of audit logs; a real"
                    + " environment) or decommission (production without deletion protection, applied once before a"
                    + " production stack's destroy; everything that keeps records stays as in production)"),
    MERCHANTS("merchants", "smoke-test",
            "1 to " + MerchantKey.MAX_KEYS + " comma-separated merchant[:generation] entries: merchant ids of 1-"
                    + MerchantKey.MAX_MERCHANT_LENGTH + " lowercase letters, digits and hyphens (starting with a letter"
                    + " or digit), generation 1-" + MerchantKey.MAX_GENERATION + " (default 1); at most two"
                    + " generations of one merchant (a key rotation)"),
    ACK_MIRROR("ackMirror", "true",
            "true or false: the primary's payment function writes each payment's acknowledgement record into the"
                    + " DR region's table before answering (a DynamoDB interface endpoint in one DR zone over VPC"
                    + " peering, about $7.40 a month idle), so an unplanned failover keeps every acknowledged payment"
                    + " whose record was mirrored; those acknowledged while the mirror failed (its alarm firing) come"
                    + " back only when the primary region does");

    private final String contextKey;
    private final String defaultValue;
    private final String allowed;

    Setting(String contextKey, String defaultValue, String allowed) {
        this.contextKey = contextKey;
        this.defaultValue = defaultValue;
        this.allowed = allowed;
    }

    /** The environment variable that sets it (highest precedence). */
    public String envVar() {
        return name();
    }

    /** The key in {@code cdktf.json}'s {@code context} object (second precedence). */
    public String contextKey() {
        return contextKey;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String allowed() {
        return allowed;
    }
}
