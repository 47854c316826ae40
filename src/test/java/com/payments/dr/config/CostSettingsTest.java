package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The budget and the stated load: defaults, limits and one-line errors. */
class CostSettingsTest {

    @Test
    void defaultsAndLimits() {
        assertEquals(new CostSettings(200, 1), DrConfig.builder().build().cost());
        assertEquals(new CostSettings(1_000_000, 0), DrConfig.builder().set(Setting.MONTHLY_BUDGET_USD, "1000000")
                .set(Setting.COST_PAYMENTS_PER_SECOND, "0").build().cost());
        assertEquals(new CostSettings(1, 10_000), DrConfig.builder().set(Setting.MONTHLY_BUDGET_USD, "1")
                .set(Setting.COST_PAYMENTS_PER_SECOND, "10000").build().cost());
        assertEquals(0.5, DrConfig.builder().set(Setting.COST_PAYMENTS_PER_SECOND, "0.5").build().cost()
                .paymentsPerSecond());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "MONTHLY_BUDGET_USD       | 0.5      | 0.5       | 1 to 1000000 US dollars",
        "MONTHLY_BUDGET_USD       | 1000001  | 1000001   | 1 to 1000000 US dollars",
        "MONTHLY_BUDGET_USD       | NaN      | NaN       | 1 to 1000000 US dollars",
        "MONTHLY_BUDGET_USD       | lots     | lots      | a number: 1 to 1000000",
        "COST_PAYMENTS_PER_SECOND | -1       | -1        | 0 to 10000 payments per second",
        "COST_PAYMENTS_PER_SECOND | 10000.5  | 10000.5   | 0 to 10000 payments per second",
        "COST_PAYMENTS_PER_SECOND | Infinity | Infinity  | 0 to 10000 payments per second",
    })
    void badValuesFailWithOneLine(Setting setting, String value, String shown, String allowed) {
        Refusals.assertRefusedInOneLine(setting, value, shown, allowed);
    }
}
