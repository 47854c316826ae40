package com.payments.dr.config;

/**
 * The REST API's limits and logging: the usage plan's per-key throttle and daily quota, the same
 * throttle as the stage-wide ceiling, and the execution log level.
 */
public record ApiSettings(int throttleRate, int throttleBurst, int quotaPerDay, String logLevel) {

    /** API Gateway's default account-level ceiling per region (requests per second). */
    static final int MAX_RATE = 10_000;
    /** API Gateway's default account-level burst per region. */
    static final int MAX_BURST = 5_000;
    static final int MAX_QUOTA_PER_DAY = 100_000_000;

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
    }

    private static void requireRange(Setting setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException(setting, Integer.toString(value), setting.allowed());
        }
    }
}
