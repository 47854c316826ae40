package com.payments.dr.config;

import java.util.Set;

/**
 * How quickly alarms fire: one period and one window for every alarm (so the dashboard's graphs
 * and the alarms agree), the API latency that counts as slow, and how far the DR cluster may fall
 * behind (the data a failover at that moment would lose) before anyone hears of it.
 */
public record AlarmSettings(int periodSeconds, int evaluationPeriods, int latencyMs, int rpoSeconds) {

    /** Standard-resolution periods (high resolution costs three times as much per alarm). */
    static final Set<Integer> PERIODS = Set.of(60, 300, 900, 3600);
    /** API Gateway's integration timeout: a p99 above it cannot be measured. */
    static final int MAX_LATENCY_MS = 29_000;
    /** An hour behind is no longer a recovery point anyone plans with. */
    static final int MAX_RPO_SECONDS = 3600;

    /** Validates; every problem names its setting. */
    public AlarmSettings {
        if (!PERIODS.contains(periodSeconds)) {
            throw new ConfigException(Setting.ALARM_PERIOD_SECONDS, Integer.toString(periodSeconds),
                    Setting.ALARM_PERIOD_SECONDS.allowed());
        }
        if (evaluationPeriods < 1 || evaluationPeriods > 10) {
            throw new ConfigException(Setting.ALARM_EVALUATION_PERIODS, Integer.toString(evaluationPeriods),
                    Setting.ALARM_EVALUATION_PERIODS.allowed());
        }
        if (latencyMs < 100 || latencyMs > MAX_LATENCY_MS) {
            throw new ConfigException(Setting.ALARM_LATENCY_MS, Integer.toString(latencyMs),
                    Setting.ALARM_LATENCY_MS.allowed());
        }
        if (rpoSeconds < 1 || rpoSeconds > MAX_RPO_SECONDS) {
            throw new ConfigException(Setting.ALARM_RPO_SECONDS, Integer.toString(rpoSeconds),
                    Setting.ALARM_RPO_SECONDS.allowed());
        }
    }
}
