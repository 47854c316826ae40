package com.payments.dr.function;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The function's configuration, read from the environment variables the stack sets and validated
 * once at init: a bad deployment fails the cold start with a message naming the variable, the value
 * and what is allowed, instead of failing payments one by one.
 */
public record FunctionConfig(
        RegionRole regionRole,
        String awsRegion,
        String idempotencyTable,
        String dbHost,
        String dbReaderHost,
        int dbPort,
        String dbName,
        String dbUser,
        SslMode dbSslMode,
        Optional<String> dbSslRootCert,
        String allowedOrigin,
        Set<String> allowedCurrencies,
        BigDecimal maxAmount,
        Optional<URI> dynamoEndpoint,
        Map<String, String> merchantsByKeyId,
        Optional<AckMirror> ackMirror) {

    /**
     * The other region's replica of the idempotency table, where every acknowledgement is recorded
     * before it is sent ({@link AckJournal}): its region and the endpoint that reaches it from this
     * VPC (the DR region's DynamoDB interface endpoint, over VPC peering).
     */
    public record AckMirror(String region, URI endpoint) {
    }

    /** The application role's name when DB_USER is not set; migration 3 creates it. */
    static final String DEFAULT_DB_USER = "payments_api";

    /** Whether this region's stack is the writer in normal operation or the standby. */
    public enum RegionRole {
        PRIMARY, DR;

        public String label() {
            return name().toLowerCase();
        }
    }

    /**
     * TLS modes accepted for the database connection. There is no mode without TLS: Aurora is run
     * with rds.force_ssl, so a plaintext setting could only ever be a mistake.
     */
    public enum SslMode {
        REQUIRE("require"), VERIFY_CA("verify-ca"), VERIFY_FULL("verify-full");

        private final String value;

        SslMode(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        public boolean verifiesCertificate() {
            return this != REQUIRE;
        }
    }

    /** Largest amount the payments.amount column (numeric(14,2)) can hold. */
    static final BigDecimal COLUMN_MAX_AMOUNT = new BigDecimal("999999999999.99");

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    /** API Gateway's key ids, and merchant ids as the request body spells them. */
    private static final Pattern API_KEY_ID = Pattern.compile("[A-Za-z0-9]{1,128}");
    private static final Pattern MERCHANT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?");
    private static final Pattern DB_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern ORIGIN =
            Pattern.compile("https?://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\\d{1,5})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Loopback only: an override exists for local runs and tests, never to leave AWS's endpoints. */
    private static final Pattern LOCAL_ENDPOINT = Pattern.compile("http://(127\\.0\\.0\\.1|localhost):\\d{1,5}");
    /** A DynamoDB interface endpoint's own DNS name (never a public endpoint: the VPC has no NAT). */
    private static final Pattern MIRROR_ENDPOINT = Pattern.compile(
            "https://vpce-[a-z0-9-]+\\.dynamodb\\.[a-z]{2}(-[a-z]+)+-\\d\\.vpce\\.amazonaws\\.com|"
                    + LOCAL_ENDPOINT.pattern());

    static final String DEFAULT_CURRENCIES = "USD,EUR,GBP";
    static final String DEFAULT_MAX_AMOUNT = "1000000.00";

    public FunctionConfig {
        allowedCurrencies = Collections.unmodifiableSet(new LinkedHashSet<>(allowedCurrencies));
        merchantsByKeyId = Map.copyOf(merchantsByKeyId);
    }

    /**
     * Reads and validates every variable, reporting all problems at once so one failed deployment
     * shows everything that is wrong.
     */
    public static FunctionConfig fromEnvironment(Map<String, String> env) {
        Reader r = new Reader(env);
        RegionRole role = r.regionRole();
        String region = r.matching("AWS_REGION", null, REGION, "an AWS region name such as us-east-1");
        String table = r.matching("IDEMPOTENCY_TABLE", null, TABLE,
                "a DynamoDB table name: 3-255 characters of A-Z a-z 0-9 _ . -");
        String host = r.matching("DB_HOST", null, HOST, "a DNS host name or IP address");
        // An Aurora global secondary's cluster (writer) endpoint is inactive until promotion; its
        // reader endpoint answers. Without one (a single server, the migrator) the writer's host serves.
        String readerHost = r.optional("DB_READER_HOST", HOST, "unset (then DB_HOST), or a DNS host name or IP address")
                .orElse(host);
        int port = r.port();
        String dbName = r.matching("DB_NAME", null, DB_NAME,
                "a PostgreSQL identifier: a letter or _ then up to 62 letters, digits or _");
        String dbUser = r.matching("DB_USER", DEFAULT_DB_USER, ROLE_NAME,
                "the application role: a lowercase letter or _ then up to 62 lowercase letters, digits or _"
                        + " (default " + DEFAULT_DB_USER + ")");
        SslMode sslMode = r.sslMode();
        Optional<String> rootCert = r.rootCert(sslMode);
        String origin = r.matching("ALLOWED_ORIGIN", null, ORIGIN,
                "one origin such as https://app.example.org (scheme, host, optional port; no path, no *)");
        Set<String> currencies = r.currencies();
        BigDecimal maxAmount = r.maxAmount();
        // The variable the SDK reads itself, read here too: tests build the function from a map, not
        // the process environment, and nothing but a loopback DynamoDB is accepted in its place.
        Optional<URI> dynamoEndpoint = r.optional("AWS_ENDPOINT_URL_DYNAMODB", LOCAL_ENDPOINT,
                "unset, or http://127.0.0.1:<port> for a local DynamoDB").map(URI::create);
        Map<String, String> merchants = r.merchantsByKeyId();
        Optional<AckMirror> mirror = r.ackMirror(region);
        r.failIfProblems();
        return new FunctionConfig(role, region, table, host, readerHost, port, dbName, dbUser, sslMode, rootCert,
                origin, currencies, maxAmount, dynamoEndpoint, merchants, mirror);
    }

    /** The same settings aimed at the reader endpoint: what the readiness probe connects to. */
    public FunctionConfig reader() {
        return new FunctionConfig(regionRole, awsRegion, idempotencyTable, dbReaderHost, dbReaderHost,
                dbPort, dbName, dbUser, dbSslMode, dbSslRootCert, allowedOrigin, allowedCurrencies, maxAmount,
                dynamoEndpoint, merchantsByKeyId, ackMirror);
    }

    /** The same settings aimed at another host and port: the reconciliation's restored snapshot. */
    public FunctionConfig withDbEndpoint(String host, int port) {
        return new FunctionConfig(regionRole, awsRegion, idempotencyTable, host, host, port, dbName,
                dbUser, dbSslMode, dbSslRootCert, allowedOrigin, allowedCurrencies, maxAmount, dynamoEndpoint,
                merchantsByKeyId, ackMirror);
    }

    /** Collects problems instead of stopping at the first. */
    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        private String raw(String name, String defaultValue) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            return value.trim();
        }

        private void problem(String name, String value, String allowed) {
            problems.add(value == null
                    ? name + " is not set; allowed: " + allowed
                    : name + "='" + value + "' is invalid; allowed: " + allowed);
        }

        String matching(String name, String defaultValue, Pattern pattern, String allowed) {
            String value = raw(name, defaultValue);
            if (value == null || !pattern.matcher(value).matches()) {
                problem(name, value, allowed);
                return null;
            }
            return value;
        }

        Optional<String> optional(String name, Pattern pattern, String allowed) {
            String value = raw(name, null);
            return value == null ? Optional.empty() : Optional.ofNullable(matching(name, null, pattern, allowed));
        }

        RegionRole regionRole() {
            String value = raw("REGION_ROLE", null);
            if ("primary".equals(value)) {
                return RegionRole.PRIMARY;
            }
            if ("dr".equals(value)) {
                return RegionRole.DR;
            }
            problem("REGION_ROLE", value, "primary or dr");
            return null;
        }

        int port() {
            String value = raw("DB_PORT", "5432");
            if (value.matches("\\d{1,5}")) {
                int port = Integer.parseInt(value);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            }
            problem("DB_PORT", value, "an integer from 1 to 65535 (default 5432)");
            return 0;
        }

        SslMode sslMode() {
            String value = raw("DB_SSL_MODE", SslMode.REQUIRE.value());
            for (SslMode mode : SslMode.values()) {
                if (mode.value().equals(value)) {
                    return mode;
                }
            }
            problem("DB_SSL_MODE", value, "require (default), verify-ca or verify-full");
            return null;
        }

        Optional<String> rootCert(SslMode mode) {
            String value = raw("DB_SSL_ROOT_CERT", null);
            if (value == null && mode != null && mode.verifiesCertificate()) {
                problem("DB_SSL_ROOT_CERT", null,
                        "the path of a PEM CA bundle; required when DB_SSL_MODE is " + mode.value());
            }
            return Optional.ofNullable(value);
        }

        Set<String> currencies() {
            String value = raw("ALLOWED_CURRENCIES", DEFAULT_CURRENCIES);
            Set<String> result = new LinkedHashSet<>();
            for (String part : value.split(",", -1)) {
                String code = part.trim();
                if (!CURRENCY.matcher(code).matches()) {
                    problem("ALLOWED_CURRENCIES", value,
                            "a comma-separated list of ISO-4217 codes such as " + DEFAULT_CURRENCIES);
                    return Set.of();
                }
                result.add(code);
            }
            return result;
        }

        BigDecimal maxAmount() {
            String value = raw("MAX_AMOUNT", DEFAULT_MAX_AMOUNT);
            String allowed = "a decimal greater than 0 and at most " + COLUMN_MAX_AMOUNT.toPlainString()
                    + " with at most two fraction digits (default " + DEFAULT_MAX_AMOUNT + ")";
            if (value.matches("\\d{1,12}(\\.\\d{1,2})?")) {
                BigDecimal amount = new BigDecimal(value);
                if (amount.signum() > 0) {
                    return amount;
                }
            }
            problem("MAX_AMOUNT", value, allowed);
            return null;
        }

        /**
         * MERCHANT_KEYS: {@code {"<API key id>": "<merchant id>", …}}, this region's key ids (the
         * stack's MerchantApiKeys). Unset or empty means no key acts for any merchant: every payment
         * is refused (403), never accepted for a merchant the key does not belong to.
         */
        Map<String, String> merchantsByKeyId() {
            String value = raw("MERCHANT_KEYS", "{}");
            String allowed = "a JSON object of API key ids (letters and digits) to merchant ids (1-64 of"
                    + " A-Z a-z 0-9 _ -), such as {\"a1b2c3d4e5\":\"acme\"}";
            Map<String, String> merchants = new java.util.HashMap<>();
            try {
                com.google.gson.JsonElement json = com.google.gson.JsonParser.parseString(value);
                for (Map.Entry<String, com.google.gson.JsonElement> e : json.getAsJsonObject().entrySet()) {
                    String merchant = e.getValue().getAsJsonPrimitive().isString() ? e.getValue().getAsString() : "";
                    if (!API_KEY_ID.matcher(e.getKey()).matches() || !MERCHANT_ID.matcher(merchant).matches()) {
                        throw new IllegalArgumentException();
                    }
                    merchants.put(e.getKey(), merchant);
                }
            } catch (RuntimeException e) {
                problem("MERCHANT_KEYS", value, allowed);
                return Map.of();
            }
            return merchants;
        }

        /** Both mirror variables or neither; the mirror's region is another region than the function's. */
        Optional<AckMirror> ackMirror(String ownRegion) {
            Optional<String> region = optional("ACK_MIRROR_REGION", REGION, "unset, or the other region's name");
            Optional<String> endpoint = optional("ACK_MIRROR_ENDPOINT", MIRROR_ENDPOINT,
                    "unset, or https://vpce-<id>.dynamodb.<region>.vpce.amazonaws.com (an interface endpoint's own name)");
            boolean regionSet = raw("ACK_MIRROR_REGION", null) != null;
            if (regionSet != (raw("ACK_MIRROR_ENDPOINT", null) != null)) {
                problems.add("ACK_MIRROR_REGION and ACK_MIRROR_ENDPOINT are set together or not at all; only "
                        + (regionSet ? "ACK_MIRROR_REGION" : "ACK_MIRROR_ENDPOINT") + " is set");
                return Optional.empty();
            }
            if (region.isEmpty() || endpoint.isEmpty()) {
                return Optional.empty();
            }
            if (region.get().equals(ownRegion)) {
                problem("ACK_MIRROR_REGION", region.get(), "another region than AWS_REGION");
                return Optional.empty();
            }
            return Optional.of(new AckMirror(region.get(), URI.create(endpoint.get())));
        }

        void failIfProblems() {
            if (!problems.isEmpty()) {
                throw new ConfigException("Invalid payment function configuration: "
                        + String.join("; ", problems));
            }
        }
    }

    /** Thrown at init when the environment is unusable; the message is meant for the operator. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
