package com.payments.dr.config;

import com.payments.dr.naming.Naming;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole configuration of one deployment: immutable, and valid by construction. Build it with
 * {@link #builder()} (defaults from {@link Setting}); {@link ConfigLoader} fills a builder from the
 * environment and {@code cdktf.json}.
 */
public record DrConfig(
        String environmentSuffix,
        String primaryRegion,
        String drRegion,
        BackendSettings backend,
        Ipv4Cidr primaryVpcCidr,
        Ipv4Cidr drVpcCidr,
        int azCount,
        int logRetentionDays,
        Optional<String> alarmEmail,
        Optional<String> dnsDomain,
        DatabaseSettings database,
        boolean replicationTimeControl,
        FunctionSettings function,
        ApiSettings api,
        java.nio.file.Path eventsPackage,
        AlarmSettings alarms,
        HealthCheckSettings healthChecks,
        CostSettings cost,
        boolean customDomains,
        boolean ackMirror, Protection protection) {

    /** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
    public static final Set<Integer> LOG_RETENTION_VALUES = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180,
            365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    private static final Pattern SUFFIX = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern REGION = Pattern.compile(
            "(us|eu|ap|sa|ca|me|af|il|mx)-(gov-)?(north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9]");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    /** What Terraform's S3 backend accepts as kms_key_id: an alias name, a key id or a key ARN. */
    private static final Pattern KMS_KEY = Pattern.compile("alias/[A-Za-z0-9/_-]{1,250}|"
            + "(arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/)?"
            + "([0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|mrk-[0-9a-f]{32})");
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
    private static final Pattern DOMAIN = Pattern.compile(
            "([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    /** RFC 2606/6761 names: Route 53 refuses hosted zones for them. */
    private static final Set<String> RESERVED_DOMAINS = Set.of("example.com", "example.net", "example.org");
    private static final Set<String> RESERVED_TLDS = Set.of("example", "invalid", "localhost", "test", "local");

    public DrConfig {
        requireMatch(Setting.ENVIRONMENT_SUFFIX, environmentSuffix, SUFFIX);
        if (environmentSuffix.length() > Naming.maxSuffixLength()) {
            throw new ConfigException(Setting.ENVIRONMENT_SUFFIX, environmentSuffix,
                    "at most " + Naming.maxSuffixLength() + " characters (the longest name, "
                            + Naming.tightestType() + ", must fit AWS's " + Naming.tightestType().maxLength()
                            + "-character limit)");
        }
        String reserved = Naming.suffixProblem(environmentSuffix);
        if (reserved != null) {
            throw new ConfigException(Setting.ENVIRONMENT_SUFFIX, environmentSuffix, reserved);
        }
        requireMatch(Setting.PRIMARY_REGION, primaryRegion, REGION);
        requireMatch(Setting.DR_REGION, drRegion, REGION);
        if (drRegion.equals(primaryRegion)) {
            throw new ConfigException(Setting.DR_REGION, drRegion, "a region different from PRIMARY_REGION");
        }
        requireMatch(Setting.STATE_BUCKET, backend.bucket(), BUCKET);
        requireMatch(Setting.STATE_REGION, backend.region(), REGION);
        requireMatch(Setting.STATE_LOCK_TABLE, backend.lockTable(), TABLE);
        requireMatch(Setting.STATE_KMS_KEY, backend.kmsKeyId(), KMS_KEY);
        if (backend.kmsKeyId().startsWith("alias/aws/")) {
            throw new ConfigException(Setting.STATE_KMS_KEY, backend.kmsKeyId(),
                    "a customer-managed key: alias/aws/ names AWS-managed keys");
        }
        requireVpcCidr(Setting.PRIMARY_VPC_CIDR, primaryVpcCidr);
        requireVpcCidr(Setting.DR_VPC_CIDR, drVpcCidr);
        if (primaryVpcCidr.overlaps(drVpcCidr)) {
            throw new ConfigException(Setting.DR_VPC_CIDR, drVpcCidr.toString(),
                    "a network not overlapping PRIMARY_VPC_CIDR " + primaryVpcCidr + ", so the regions can be peered");
        }
        if (azCount < 2 || azCount > 3) {
            throw new ConfigException(Setting.AZ_COUNT, Integer.toString(azCount), Setting.AZ_COUNT.allowed());
        }
        if (!LOG_RETENTION_VALUES.contains(logRetentionDays)) {
            throw new ConfigException(Setting.LOG_RETENTION_DAYS, Integer.toString(logRetentionDays),
                    "one of " + new java.util.TreeSet<>(LOG_RETENTION_VALUES));
        }
        alarmEmail.ifPresent(email -> requireMatch(Setting.ALARM_EMAIL, email, EMAIL));
        dnsDomain.ifPresent(DrConfig::requireDomain);
        requireDatabase(database);
        requireFunction(function);
        if (!java.nio.file.Files.isRegularFile(eventsPackage)) {
            throw new ConfigException(Setting.EVENTS_PACKAGE, eventsPackage.toString(), Setting.EVENTS_PACKAGE.allowed());
        }
    }

    private static final Pattern ORIGIN = Pattern.compile(
            "https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?");
    private static final Pattern CURRENCIES = Pattern.compile("[A-Z]{3}(,[A-Z]{3})*");

    private static void requireFunction(FunctionSettings function) {
        if (!java.nio.file.Files.isRegularFile(function.packagePath())) {
            throw new ConfigException(Setting.FUNCTION_PACKAGE, function.packagePath().toString(),
                    Setting.FUNCTION_PACKAGE.allowed());
        }
        requireMatch(Setting.ALLOWED_ORIGIN, function.allowedOrigin(), ORIGIN);
        requireMatch(Setting.PAYMENT_CURRENCIES, String.join(",", function.currencies()), CURRENCIES);
    }

    private static final Pattern ENGINE_VERSION = Pattern.compile("(15|16|17)\\.[0-9]{1,2}");

    private static void requireDatabase(DatabaseSettings db) {
        requireMatch(Setting.AURORA_ENGINE_VERSION, db.engineVersion(), ENGINE_VERSION);
        requireAcu(Setting.AURORA_MIN_ACU, db.minAcu());
        requireAcu(Setting.AURORA_MAX_ACU, db.maxAcu());
        if (db.minAcu() > db.maxAcu()) {
            throw new ConfigException(Setting.AURORA_MAX_ACU, DatabaseSettings.format(db.maxAcu()),
                    "at least AURORA_MIN_ACU (" + DatabaseSettings.format(db.minAcu()) + ") and at most 128");
        }
        if (db.backupRetentionDays() < 7 || db.backupRetentionDays() > 35) {
            throw new ConfigException(Setting.BACKUP_RETENTION_DAYS, Integer.toString(db.backupRetentionDays()),
                    Setting.BACKUP_RETENTION_DAYS.allowed());
        }
        if (db.drInstances() < 1 || db.drInstances() > 3) {
            throw new ConfigException(Setting.DR_DB_INSTANCES, Integer.toString(db.drInstances()),
                    Setting.DR_DB_INSTANCES.allowed());
        }
    }

    private static void requireAcu(Setting setting, double acu) {
        if (acu < 0.5 || acu > 128 || acu * 2 != Math.rint(acu * 2)) {
            throw new ConfigException(setting, DatabaseSettings.format(acu), setting.allowed());
        }
    }

    private static void requireMatch(Setting setting, String value, Pattern pattern) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new ConfigException(setting, String.valueOf(value), setting.allowed());
        }
    }

    private static void requireVpcCidr(Setting setting, Ipv4Cidr cidr) {
        if (cidr.prefixLength() < 16 || cidr.prefixLength() > 24 || !cidr.isPrivate()) {
            throw new ConfigException(setting, cidr.toString(), setting.allowed());
        }
    }

    private static void requireDomain(String domain) {
        requireMatch(Setting.DNS_DOMAIN, domain, DOMAIN);
        String tld = domain.substring(domain.lastIndexOf('.') + 1);
        boolean reserved = RESERVED_TLDS.contains(tld)
                || RESERVED_DOMAINS.stream().anyMatch(r -> domain.equals(r) || domain.endsWith("." + r));
        if (reserved) {
            throw new ConfigException(Setting.DNS_DOMAIN, domain,
                    "a domain you own; reserved names (example.com/.net/.org, .test, .example, .invalid, .localhost, .local) are refused by Route 53");
        }
    }

    /**
     * The hosted zone's name: {@code DNS_DOMAIN}, or without it a name derived from the suffix that
     * Route 53 accepts (not a reserved name). Nobody delegates that one: it resolves nowhere until
     * its NS records are entered at a parent zone.
     */
    public String zoneName() {
        return dnsDomain.orElse("payments-dr-" + environmentSuffix + ".com");
    }

    /**
     * What a synth warns about: settings that are valid but will not work as they stand. One line
     * each, printed on stderr; the synth goes on.
     */
    public List<String> warnings() {
        List<String> warnings = new java.util.ArrayList<>();
        if (customDomains && dnsDomain.isEmpty()) {
            warnings.add("warning: CUSTOM_DOMAINS=true with the derived zone " + zoneName() + ", which nobody has"
                    + " delegated: ACM validates the certificates only through a delegated zone, so the apply waits"
                    + " for validation until it times out; set DNS_DOMAIN to a domain you own (or register this one"
                    + " and enter output dns_name_servers at its parent)");
        }
        if (api.quotaPerDay() < ApiSettings.dayAt(api.merchantThrottleRate())) {
            warnings.add("warning: API_QUOTA_PER_DAY=" + api.quotaPerDay() + " is less than a day at"
                    + " API_MERCHANT_THROTTLE_RATE=" + api.merchantThrottleRate() + " ("
                    + ApiSettings.dayAt(api.merchantThrottleRate()) + "): a merchant key sending at"
                    + " that rate is refused (429 QUOTA_EXCEEDED) after " + api.secondsAtFullRate() / 60
                    + " minutes for the rest of the day; unset it (auto) unless the cap is deliberate");
        }
        return List.copyOf(warnings);
    }

    /** Terraform state key: one state per environment suffix. */
    public static String stateKey(String suffix) {
        return "payments-dr/" + suffix + "/terraform.tfstate";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from the documented defaults; every setter takes the raw text of its {@link Setting}. */
    public static final class Builder {
        private final java.util.EnumMap<Setting, String> values = new java.util.EnumMap<>(Setting.class);

        private Builder() {
            for (Setting s : Setting.values()) {
                values.put(s, s.defaultValue());
            }
        }

        /** Sets any setting from its text form, as read from the environment or context. */
        public Builder set(Setting setting, String value) {
            values.put(setting, value == null ? "" : value.trim());
            return this;
        }

        public Builder environmentSuffix(String value) {
            return set(Setting.ENVIRONMENT_SUFFIX, value);
        }

        public DrConfig build() {
            String suffix = values.get(Setting.ENVIRONMENT_SUFFIX);
            return new DrConfig(
                    suffix,
                    values.get(Setting.PRIMARY_REGION),
                    values.get(Setting.DR_REGION),
                    new BackendSettings(values.get(Setting.STATE_BUCKET), stateKey(suffix),
                            values.get(Setting.STATE_REGION), values.get(Setting.STATE_LOCK_TABLE),
                            values.get(Setting.STATE_KMS_KEY)),
                    cidr(Setting.PRIMARY_VPC_CIDR),
                    cidr(Setting.DR_VPC_CIDR),
                    integer(Setting.AZ_COUNT),
                    integer(Setting.LOG_RETENTION_DAYS),
                    optional(Setting.ALARM_EMAIL),
                    optional(Setting.DNS_DOMAIN),
                    new DatabaseSettings(values.get(Setting.AURORA_ENGINE_VERSION),
                            decimal(Setting.AURORA_MIN_ACU), decimal(Setting.AURORA_MAX_ACU),
                            integer(Setting.BACKUP_RETENTION_DAYS), integer(Setting.DR_DB_INSTANCES)),
                    bool(Setting.S3_REPLICATION_TIME_CONTROL),
                    new FunctionSettings(java.nio.file.Path.of(values.get(Setting.FUNCTION_PACKAGE)),
                            values.get(Setting.ALLOWED_ORIGIN),
                            List.of(values.get(Setting.PAYMENT_CURRENCIES).split(",", -1))),
                    new ApiSettings(integer(Setting.API_STAGE_THROTTLE_RATE), integer(Setting.API_STAGE_THROTTLE_BURST),
                            integer(Setting.API_MERCHANT_THROTTLE_RATE), integer(Setting.API_MERCHANT_THROTTLE_BURST),
                            ApiSettings.quota(values.get(Setting.API_QUOTA_PER_DAY),
                                    integer(Setting.API_MERCHANT_THROTTLE_RATE)),
                            values.get(Setting.API_LOG_LEVEL), MerchantKey.parse(values.get(Setting.MERCHANTS)),
                            ApiSettings.Account.parse(values.get(Setting.API_GATEWAY_ACCOUNT))),
                    java.nio.file.Path.of(values.get(Setting.EVENTS_PACKAGE)),
                    new AlarmSettings(integer(Setting.ALARM_PERIOD_SECONDS),
                            integer(Setting.ALARM_EVALUATION_PERIODS), integer(Setting.ALARM_LATENCY_MS),
                            integer(Setting.ALARM_RPO_SECONDS)),
                    new HealthCheckSettings(integer(Setting.HEALTH_CHECK_INTERVAL),
                            integer(Setting.HEALTH_CHECK_FAILURE_THRESHOLD),
                            List.of(values.get(Setting.HEALTH_CHECK_REGIONS).split(",", -1))),
                    new CostSettings(decimal(Setting.MONTHLY_BUDGET_USD), decimal(Setting.COST_PAYMENTS_PER_SECOND)),
                    customDomains(optional(Setting.DNS_DOMAIN).isPresent()),
                    bool(Setting.ACK_MIRROR), Protection.parse(values.get(Setting.PROTECTION)));
        }

        /** {@code auto}: custom domains exactly when the operator owns the domain (DNS_DOMAIN). */
        private boolean customDomains(boolean ownDomain) {
            return "auto".equals(values.get(Setting.CUSTOM_DOMAINS)) ? ownDomain : bool(Setting.CUSTOM_DOMAINS);
        }

        private double decimal(Setting setting) {
            String text = values.get(setting);
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new ConfigException(setting, text, "a number: " + setting.allowed());
            }
        }

        private boolean bool(Setting setting) {
            String text = values.get(setting);
            if (!text.equals("true") && !text.equals("false")) {
                throw new ConfigException(setting, text, setting.allowed());
            }
            return Boolean.parseBoolean(text);
        }

        private Ipv4Cidr cidr(Setting setting) {
            String text = values.get(setting);
            Ipv4Cidr cidr = Ipv4Cidr.parseOrNull(text);
            if (cidr == null) {
                throw new ConfigException(setting, text, setting.allowed() + " (network address, host bits zero)");
            }
            return cidr;
        }

        private int integer(Setting setting) {
            String text = values.get(setting);
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new ConfigException(setting, text, "a whole number: " + setting.allowed());
            }
        }

        private Optional<String> optional(Setting setting) {
            String text = values.get(setting);
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        }
    }
}
