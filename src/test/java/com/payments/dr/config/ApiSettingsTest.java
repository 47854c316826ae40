package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST API's limits and log level: defaults, accepted values, one-line errors. */
class ApiSettingsTest {

    @Test
    void defaults() {
        ApiSettings api = DrConfig.builder().build().api();
        assertEquals(new ApiSettings(50, 100, 50 * 86_400, "ERROR",
                List.of(new MerchantKey(MerchantKey.SMOKE_TEST_MERCHANT, 1))), api);
    }

    @Test
    void acceptsTheLimitsAndInfo() {
        ApiSettings api = DrConfig.builder()
                .set(Setting.API_THROTTLE_RATE, "10000")
                .set(Setting.API_THROTTLE_BURST, "5000")
                .set(Setting.API_QUOTA_PER_DAY, "864000000")
                .set(Setting.API_LOG_LEVEL, "INFO")
                .set(Setting.MERCHANTS, "acme,globex:2,acme:2")
                .build().api();
        assertEquals(new ApiSettings(10_000, 5_000, 864_000_000, "INFO", List.of(new MerchantKey("acme", 1),
                new MerchantKey("globex", 2), new MerchantKey("acme", 2))), api);
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
        "API_QUOTA_PER_DAY  | 0       | 1 to 864000000",
        "API_QUOTA_PER_DAY  | 864000001 | 1 to 864000000",
        "API_QUOTA_PER_DAY  | lots    | auto (API_THROTTLE_RATE x 86400",
        "API_LOG_LEVEL      | DEBUG   | ERROR or INFO",
        "API_LOG_LEVEL      | info    | ERROR or INFO",
    })
    void eachRuleFailsWithOneLine(Setting setting, String value, String allowed) {
        Refusals.assertRefusedInOneLine(setting, value, allowed);
    }
}
