package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST API's limits and log level: defaults, accepted values, one-line errors. */
class ApiSettingsTest {

    @Test
    void defaults() {
        ApiSettings api = DrConfig.builder().build().api();
        assertEquals(new ApiSettings(500, 1000, 50, 100, 50 * 86_400, "ERROR",
                List.of(new MerchantKey(MerchantKey.SMOKE_TEST_MERCHANT, 1)), ApiSettings.Account.MANAGED), api);
    }

    @Test
    void acceptsTheLimitsAndInfo() {
        ApiSettings api = DrConfig.builder()
                .set(Setting.API_STAGE_THROTTLE_RATE, "10000")
                .set(Setting.API_STAGE_THROTTLE_BURST, "5000")
                .set(Setting.API_MERCHANT_THROTTLE_RATE, "10000")
                .set(Setting.API_MERCHANT_THROTTLE_BURST, "5000")
                .set(Setting.API_QUOTA_PER_DAY, "864000000")
                .set(Setting.API_LOG_LEVEL, "INFO")
                .set(Setting.MERCHANTS, "acme,globex:2,acme:2")
                .set(Setting.API_GATEWAY_ACCOUNT, "external")
                .build().api();
        assertEquals(new ApiSettings(10_000, 5_000, 10_000, 5_000, 864_000_000, "INFO", List.of(
                new MerchantKey("acme", 1), new MerchantKey("globex", 2), new MerchantKey("acme", 2)),
                ApiSettings.Account.EXTERNAL), api);
        ApiSettings smallest = DrConfig.builder().set(Setting.API_STAGE_THROTTLE_RATE, "1")
                .set(Setting.API_STAGE_THROTTLE_BURST, "1").set(Setting.API_MERCHANT_THROTTLE_RATE, "1")
                .set(Setting.API_MERCHANT_THROTTLE_BURST, "1").build().api();
        assertEquals(List.of(1, 1, 1, 1), List.of(smallest.stageThrottleRate(), smallest.stageThrottleBurst(),
                smallest.merchantThrottleRate(), smallest.merchantThrottleBurst()));
        // above the stage's burst a key's bucket can only be the stage's: 8000/s with a bucket of 5000
        ApiSettings beyondTheBurst = DrConfig.builder().set(Setting.API_STAGE_THROTTLE_RATE, "10000")
                .set(Setting.API_STAGE_THROTTLE_BURST, "5000").set(Setting.API_MERCHANT_THROTTLE_RATE, "8000")
                .set(Setting.API_MERCHANT_THROTTLE_BURST, "5000").build().api();
        assertEquals(5000, beyondTheBurst.merchantThrottleBurst());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "API_STAGE_THROTTLE_RATE     | 0         | 1 to 10000",
        "API_STAGE_THROTTLE_RATE     | 10001     | 1 to 10000",
        "API_STAGE_THROTTLE_RATE     | fast      | a whole number",
        "API_STAGE_THROTTLE_BURST    | 0         | API_STAGE_THROTTLE_RATE (500) to 5000 requests",
        "API_STAGE_THROTTLE_BURST    | 5001      | API_STAGE_THROTTLE_RATE (500) to 5000 requests",
        "API_STAGE_THROTTLE_BURST    | 200       | at least API_STAGE_THROTTLE_RATE (500) and at most 5000",
        "API_MERCHANT_THROTTLE_RATE  | 0         | 1 to API_STAGE_THROTTLE_RATE (500) requests per second",
        "API_MERCHANT_THROTTLE_RATE  | 501       | one merchant key may not send more than all callers together",
        "API_MERCHANT_THROTTLE_BURST | 0         | API_MERCHANT_THROTTLE_RATE (50) to API_STAGE_THROTTLE_BURST (1000)",
        "API_MERCHANT_THROTTLE_BURST | 1001      | API_MERCHANT_THROTTLE_RATE (50) to API_STAGE_THROTTLE_BURST (1000)",
        "API_MERCHANT_THROTTLE_BURST | 20        | at least API_MERCHANT_THROTTLE_RATE (50)",
        "API_QUOTA_PER_DAY           | 0         | 1 to 864000000",
        "API_QUOTA_PER_DAY           | 864000001 | 1 to 864000000",
        "API_QUOTA_PER_DAY           | lots      | auto (API_MERCHANT_THROTTLE_RATE x 86400",
        "API_LOG_LEVEL               | DEBUG     | ERROR or INFO",
        "API_LOG_LEVEL               | info      | ERROR or INFO",
        "API_GATEWAY_ACCOUNT         | none      | managed or external",
        "API_GATEWAY_ACCOUNT         | Managed   | managed or external",
    })
    void eachRuleFailsWithOneLine(Setting setting, String value, String allowed) {
        Refusals.assertRefusedInOneLine(setting, value, allowed);
    }

    /** The stage is validated first: a key's limits are read against the stage's as configured. */
    @Test
    void aKeysLimitsAreBoundedByTheStagesAsConfigured() {
        ConfigException e = assertThrows(ConfigException.class, () -> DrConfig.builder()
                .set(Setting.API_STAGE_THROTTLE_RATE, "40").set(Setting.API_STAGE_THROTTLE_BURST, "80").build());
        assertEquals(Setting.API_MERCHANT_THROTTLE_RATE, e.setting());
        assertEquals("invalid API_MERCHANT_THROTTLE_RATE=\"50\": allowed: 1 to API_STAGE_THROTTLE_RATE (40) requests"
                + " per second: one merchant key may not send more than all callers together", e.getMessage());
    }
}
