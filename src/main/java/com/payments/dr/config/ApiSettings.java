package com.payments.dr.config;

import java.util.List;

/**
 * The REST API's clients, limits and logging: the merchants' API keys; the stage's throttle, which
 * all callers of a method share (API Gateway applies a stage's limits per method, to every caller
 * together); the usage plan's per-key throttle and daily quota, which each merchant key gets on its
 * own; and the execution log level. One key's limits never exceed the stage's: a key allowed more
 * than everybody together would take the whole stage, and every other merchant would get 429.
 *
 * @param stageThrottleRate    requests per second all callers of a method may send together
 * @param merchantThrottleRate requests per second one merchant key may send
 * @param quotaPerDay          requests one key may make a day: by default a whole day at its rate
 * @param account              whether the stack sets API Gateway's account-wide CloudWatch Logs role
 */
public record ApiSettings(int stageThrottleRate, int stageThrottleBurst, int merchantThrottleRate,
                          int merchantThrottleBurst, int quotaPerDay, String logLevel,
                          List<MerchantKey> merchantKeys, Account account) {

    /**
     * Who sets API Gateway's "CloudWatch log role ARN", one setting per account and region that
     * every REST API there logs through (API_GATEWAY_ACCOUNT).
     */
    public enum Account {
        /** This stack: its own role in each region, cleared again on destroy. */
        MANAGED,
        /** The account's owner, before this stack is deployed: the stack neither creates nor touches it. */
        EXTERNAL;

        static Account parse(String text) {
            return switch (text) {
                case "managed" -> MANAGED;
                case "external" -> EXTERNAL;
                default -> throw new ConfigException(Setting.API_GATEWAY_ACCOUNT, text,
                        Setting.API_GATEWAY_ACCOUNT.allowed());
            };
        }
    }

    /** API Gateway's default account-level ceiling per region (requests per second). */
    static final int MAX_RATE = 10_000;
    /** API Gateway's default account-level burst per region. */
    static final int MAX_BURST = 5_000;
    public static final int SECONDS_PER_DAY = 86_400;
    /** A day at the highest rate: a larger quota could never be reached. */
    static final int MAX_QUOTA_PER_DAY = MAX_RATE * SECONDS_PER_DAY;
    /** API_QUOTA_PER_DAY's default: computed from API_MERCHANT_THROTTLE_RATE. */
    static final String AUTO = "auto";

    /** Validates, the stage first (a key's limits are bounded by it); every problem names its setting. */
    public ApiSettings {
        requireRange(Setting.API_STAGE_THROTTLE_RATE, stageThrottleRate, 1, MAX_RATE,
                Setting.API_STAGE_THROTTLE_RATE.allowed());
        requireBurst(Setting.API_STAGE_THROTTLE_BURST, stageThrottleBurst, "API_STAGE_THROTTLE_RATE",
                stageThrottleRate, "5000", MAX_BURST);
        requireRange(Setting.API_MERCHANT_THROTTLE_RATE, merchantThrottleRate, 1, stageThrottleRate,
                "1 to API_STAGE_THROTTLE_RATE (" + stageThrottleRate + ") requests per second: one merchant key"
                        + " may not send more than all callers together");
        requireBurst(Setting.API_MERCHANT_THROTTLE_BURST, merchantThrottleBurst, "API_MERCHANT_THROTTLE_RATE",
                merchantThrottleRate, "API_STAGE_THROTTLE_BURST (" + stageThrottleBurst + ")", stageThrottleBurst);
        requireRange(Setting.API_QUOTA_PER_DAY, quotaPerDay, 1, MAX_QUOTA_PER_DAY, Setting.API_QUOTA_PER_DAY.allowed());
        if (!logLevel.equals("ERROR") && !logLevel.equals("INFO")) {
            throw new ConfigException(Setting.API_LOG_LEVEL, logLevel, Setting.API_LOG_LEVEL.allowed());
        }
        merchantKeys = List.copyOf(merchantKeys);
    }

    /** A day at {@code rate}: the quota that lets a key's rate run around the clock. */
    public static int dayAt(int rate) {
        return rate * SECONDS_PER_DAY;
    }

    /**
     * The quota a key gets: {@code auto} is {@link #dayAt} the key's rate; a number is taken as given
     * (a deliberate cap per merchant key, which {@link DrConfig#warnings()} points out when the key's
     * rate could exhaust it within the day).
     */
    static int quota(String text, int merchantThrottleRate) {
        if (AUTO.equals(text)) {
            return dayAt(Math.max(1, Math.min(merchantThrottleRate, MAX_RATE)));
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(Setting.API_QUOTA_PER_DAY, text, Setting.API_QUOTA_PER_DAY.allowed());
        }
    }

    /** Seconds at a key's full rate until its quota is spent: a whole day or more unless capped. */
    public long secondsAtFullRate() {
        return quotaPerDay / merchantThrottleRate;
    }

    private static void requireRange(Setting setting, int value, int min, int max, String allowed) {
        if (value < min || value > max) {
            throw new ConfigException(setting, Integer.toString(value), allowed);
        }
    }

    /**
     * A token bucket of at least one second at its rate (a smaller one throttles steady load) and at
     * most {@code max}; when the rate is above {@code max}, the bucket can only be {@code max}.
     */
    private static void requireBurst(Setting setting, int burst, String rateName, int rate, String maxName, int max) {
        requireRange(setting, burst, 1, max, rateName + " (" + rate + ") to " + maxName + " requests");
        if (burst < Math.min(rate, max)) {
            throw new ConfigException(setting, Integer.toString(burst), "at least " + rateName + " (" + rate
                    + ") and at most " + maxName + ": a bucket smaller than one second of traffic throttles steady load");
        }
    }
}
