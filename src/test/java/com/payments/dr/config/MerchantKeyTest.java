package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MERCHANTS: the merchants' keys, a rotation's two generations, one-line errors; the quota's default. */
class MerchantKeyTest {

    private static List<MerchantKey> merchants(String value) {
        return DrConfig.builder().set(Setting.MERCHANTS, value).build().api().merchantKeys();
    }

    @Test
    void theDefaultIsTheSmokeTestMerchantsOneKey() {
        assertEquals(List.of(new MerchantKey("smoke-test", 1)), DrConfig.builder().build().api().merchantKeys());
        assertEquals("smoke-test", MerchantKey.SMOKE_TEST_MERCHANT);
    }

    @Test
    void entriesAreMerchantsWithAnOptionalGenerationInTheirOrder() {
        assertEquals(List.of(new MerchantKey("acme", 1), new MerchantKey("acme", 2), new MerchantKey("globex-eu", 7),
                new MerchantKey("9lives", 1)), merchants("acme, acme:2,globex-eu:7 ,9lives"));
        MerchantKey rotated = new MerchantKey("acme", 2);
        assertEquals("acme-2", rotated.qualifier());
        assertEquals("acme:2", rotated.toString());
        assertEquals(MerchantKey.MAX_KEYS, merchants(manyMerchants(MerchantKey.MAX_KEYS)).size());
    }

    private static String manyMerchants(int count) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < count; i++) {
            list.append(i == 0 ? "" : ",").append("merchant-").append(i);
        }
        return list.toString();
    }

    @ParameterizedTest(name = "MERCHANTS={0}")
    @CsvSource(delimiter = '|', value = {
        "''                 | at least one merchant",
        "Acme               | entry \"Acme\" is not merchant[:generation]",
        "acme,              | entry \"\" is not merchant[:generation]",
        "acme:0             | entry \"acme:0\" is not merchant[:generation]",
        "acme:100           | entry \"acme:100\" is not merchant[:generation]",
        "acme-              | entry \"acme-\" is not merchant[:generation]",
        "-acme              | entry \"-acme\" is not merchant[:generation]",
        "acme_eu            | entry \"acme_eu\" is not merchant[:generation]",
        "a123456789012345678901234567890123 | is not merchant[:generation]",
        "acme,acme:1        | each merchant key once; acme:1 is listed twice",
        "acme,acme:2,acme:3 | at most two keys of merchant acme (the current one and its successor during a rotation)",
    })
    void eachMistakeIsOneLineNamingTheSetting(String value, String allowed) {
        Refusals.assertRefusedInOneLine(Setting.MERCHANTS, value, allowed);
    }

    @Test
    void moreKeysThanTheFunctionsEnvironmentCarriesAreRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> merchants(manyMerchants(MerchantKey.MAX_KEYS + 1)));
        assertTrue(e.getMessage().contains("at most " + MerchantKey.MAX_KEYS + " keys"), e.getMessage());
    }

    @Test
    void theQuotaLetsTheThrottlesRateRunAllDayUnlessCappedOnPurposeWhichWarns() {
        ApiSettings auto = DrConfig.builder().set(Setting.API_MERCHANT_THROTTLE_RATE, "200")
                .set(Setting.API_MERCHANT_THROTTLE_BURST, "400").build().api();
        assertEquals(200 * 86_400, auto.quotaPerDay());
        assertEquals(86_400, auto.secondsAtFullRate());
        assertEquals(List.of(), DrConfig.builder().build().warnings());
        DrConfig capped = DrConfig.builder().set(Setting.API_QUOTA_PER_DAY, "100000").build();
        assertEquals(100_000, capped.api().quotaPerDay());
        assertEquals(List.of("warning: API_QUOTA_PER_DAY=100000 is less than a day at API_MERCHANT_THROTTLE_RATE=50 (4320000):"
                + " a merchant key sending at that rate is refused (429 QUOTA_EXCEEDED) after 33 minutes for the rest"
                + " of the day; unset it (auto) unless the cap is deliberate"), capped.warnings());
        assertEquals(List.of(), DrConfig.builder().set(Setting.API_QUOTA_PER_DAY, "4320000").build().warnings());
    }
}
