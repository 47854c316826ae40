package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The alarms' period, window and latency threshold: defaults, limits, one-line errors. */
class AlarmSettingsTest {

    @Test
    void defaults() {
        assertEquals(new AlarmSettings(60, 3, 3000, 10), DrConfig.builder().build().alarms());
    }

    @Test
    void acceptsTheLimits() {
        AlarmSettings alarms = DrConfig.builder()
                .set(Setting.ALARM_PERIOD_SECONDS, "3600")
                .set(Setting.ALARM_EVALUATION_PERIODS, "10")
                .set(Setting.ALARM_LATENCY_MS, "29000")
                .set(Setting.ALARM_RPO_SECONDS, "3600")
                .build().alarms();
        assertEquals(new AlarmSettings(3600, 10, 29_000, 3600), alarms);
        assertEquals(new AlarmSettings(300, 1, 100, 1), DrConfig.builder()
                .set(Setting.ALARM_PERIOD_SECONDS, "300")
                .set(Setting.ALARM_EVALUATION_PERIODS, "1")
                .set(Setting.ALARM_LATENCY_MS, "100")
                .set(Setting.ALARM_RPO_SECONDS, "1")
                .build().alarms());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "ALARM_PERIOD_SECONDS     | 10    | 60, 300, 900 or 3600",
        "ALARM_PERIOD_SECONDS     | 120   | 60, 300, 900 or 3600",
        "ALARM_PERIOD_SECONDS     | 1m    | a whole number",
        "ALARM_EVALUATION_PERIODS | 0     | 1 to 10 periods",
        "ALARM_EVALUATION_PERIODS | 11    | 1 to 10 periods",
        "ALARM_LATENCY_MS         | 99    | 100 to 29000",
        "ALARM_LATENCY_MS         | 29001 | 100 to 29000",
        "ALARM_RPO_SECONDS        | 0     | 1 to 3600 seconds",
        "ALARM_RPO_SECONDS        | 3601  | 1 to 3600 seconds",
    })
    void eachRuleFailsWithOneLine(Setting setting, String value, String allowed) {
        Refusals.assertRefusedInOneLine(setting, value, allowed);
    }
}
