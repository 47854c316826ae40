package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST API's limits and log level: defaults, accepted values, one-line errors. */
class ApiSettingsTest {

    @Test
    void defaults() {
        ApiSettings api = DrConfig.builder().build().api();
        assertEquals(new ApiSettings(50, 100, 100_000, "ERROR"), api);
    }

    @Test
    void acceptsTheLimitsAndInfo() {
        ApiSettings api = DrConfig.builder()
                .set(Setting.API_THROTTLE_RATE, "10000")
                .set(Setting.API_THROTTLE_BURST, "5000")
                .set(Setting.API_QUOTA_PER_DAY, "100000000")
                .set(Setting.API_LOG_LEVEL, "INFO")
                .build().api();
        assertEquals(new ApiSettings(10_000, 5_000, 100_000_000, "INFO"), api);
        assertEquals(1, DrConfig.builder().set(Setting.API_THROTTLE_RATE, "1").set(Setting.API_THROTTLE_BURST, "1")
                .build().api().throttleBurst());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "API_THROTTLE_RATE  | 0       | 1 to 10000",
        "API_THROTTLE_RATE  | 10001   | 1 to 10000",
        "API_THROTTLE_RATE  | fast    | a whole number",
        "API_THROTTLE_BURST | 0       | API_THROTTLE_RATE to 5000",
        "API_THROTTLE_BURST | 5001    | API_THROTTLE_RATE to 5000",
        "API_THROTTLE_BURST | 20      | at least API_THROTTLE_RATE (50)",
        "API_QUOTA_PER_DAY  | 0       | 1 to 100000000",
        "API_QUOTA_PER_DAY  | 100000001 | 1 to 100000000",
        "API_LOG_LEVEL      | DEBUG   | ERROR or INFO",
        "API_LOG_LEVEL      | info    | ERROR or INFO",
    })
    void eachRuleFailsWithOneLine(Setting setting, String value, String allowed) {
        Refusals.assertRefusedInOneLine(setting, value, allowed);
    }
}
