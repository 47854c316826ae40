package com.payments.dr.config;

import java.util.List;

/**
 * The REST API's clients, limits and logging: the merchants' API keys, the usage plan's per-key
 * throttle and daily quota, the same throttle as the stage-wide ceiling, and the execution log level.
 *
 * @param quotaPerDay requests one key may make a day: by default a whole day at the throttle's rate
 */
public record ApiSettings(int throttleRate, int throttleBurst, int quotaPerDay, String logLevel,
                          List<MerchantKey> merchantKeys) {

    /** API Gateway's default account-level ceiling per region (requests per second). */
    static final int MAX_RATE = 10_000;
    /** API Gateway's default account-level burst per region. */
    static final int MAX_BURST = 5_000;
    public static final int SECONDS_PER_DAY = 86_400;
    /** A day at the highest rate: a larger quota could never be reached. */
    static final int MAX_QUOTA_PER_DAY = MAX_RATE * SECONDS_PER_DAY;
    /** API_QUOTA_PER_DAY's default: computed from API_THROTTLE_RATE. */
    static final String AUTO = "auto";

    /** Validates; every problem names its setting. */
    public ApiSettings {
        requireRange(Setting.API_THROTTLE_RATE, throttleRate, 1, MAX_RATE);
        requireRange(Setting.API_THROTTLE_BURST, throttleBurst, 1, MAX_BURST);
        if (throttleBurst < throttleRate && throttleBurst < MAX_BURST) {
            throw new ConfigException(Setting.API_THROTTLE_BURST, Integer.toString(throttleBurst),
                    "at least API_THROTTLE_RATE (" + throttleRate + ") and at most " + MAX_BURST
                            + ": a bucket smaller than one second of traffic throttles steady load");
        }
        requireRange(Setting.API_QUOTA_PER_DAY, quotaPerDay, 1, MAX_QUOTA_PER_DAY);
        if (!logLevel.equals("ERROR") && !logLevel.equals("INFO")) {
            throw new ConfigException(Setting.API_LOG_LEVEL, logLevel, Setting.API_LOG_LEVEL.allowed());
        }
        merchantKeys = List.copyOf(merchantKeys);
    }

    /** A day at {@code rate}: the quota that lets the throttle's rate run around the clock. */
    public static int dayAt(int rate) {
        return rate * SECONDS_PER_DAY;
    }

    /**
     * The quota a key gets: {@code auto} is {@link #dayAt} the throttle's rate; a number is taken as
     * given (a deliberate cap per merchant key, which {@link DrConfig#warnings()} points out when the
     * throttle's rate could exhaust it within the day).
     */
    static int quota(String text, int throttleRate) {
        if (AUTO.equals(text)) {
            return dayAt(Math.max(1, Math.min(throttleRate, MAX_RATE)));
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(Setting.API_QUOTA_PER_DAY, text, Setting.API_QUOTA_PER_DAY.allowed());
        }
    }

    /** Seconds at the throttle's rate until a key's quota is spent: a whole day or more unless capped. */
    public long secondsAtFullRate() {
        return quotaPerDay / throttleRate;
    }

    private static void requireRange(Setting setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(setting, Integer.toString(value), setting.allowed());
        }
    }
}
