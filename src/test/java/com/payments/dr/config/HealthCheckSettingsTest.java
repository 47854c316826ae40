package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Health-check interval, threshold and checker regions; the traffic they cause; the zone's name. */
class HealthCheckSettingsTest {

    @Test
    void defaultsAndTheirTraffic() {
        HealthCheckSettings checks = DrConfig.builder().build().healthChecks();
        assertEquals(new HealthCheckSettings(30, 3, List.of("us-east-1", "us-west-2", "eu-west-1")), checks);
        // 3 checker regions, one call each per 30 s, 730 h: 262 800 requests per region and month
        assertEquals(262_800, checks.requestsPerMonth());
        // the most Route 53 allows: all 8 regions every 10 s, 2.1 million a month per region
        assertEquals(2_102_400, new HealthCheckSettings(10, 1, List.copyOf(
                new java.util.TreeSet<>(HealthCheckSettings.CHECKER_REGIONS))).requestsPerMonth());
    }

    @Test
    void acceptsTheLimits() {
        HealthCheckSettings checks = DrConfig.builder()
                .set(Setting.HEALTH_CHECK_INTERVAL, "10")
                .set(Setting.HEALTH_CHECK_FAILURE_THRESHOLD, "10")
                .set(Setting.HEALTH_CHECK_REGIONS, "sa-east-1,ap-northeast-1,ap-southeast-2,us-west-1")
                .build().healthChecks();
        assertEquals(new HealthCheckSettings(10, 10,
                List.of("sa-east-1", "ap-northeast-1", "ap-southeast-2", "us-west-1")), checks);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "HEALTH_CHECK_INTERVAL          | 20  | 10 or 30 seconds",
        "HEALTH_CHECK_INTERVAL          | ten | a whole number",
        "HEALTH_CHECK_FAILURE_THRESHOLD | 0   | 1 to 10",
        "HEALTH_CHECK_FAILURE_THRESHOLD | 11  | 1 to 10",
        "HEALTH_CHECK_REGIONS           | 'us-east-1,us-west-2' | 3 to 8 distinct",
        "HEALTH_CHECK_REGIONS           | 'us-east-1,us-west-2,us-east-2' | 3 to 8 distinct",
        "HEALTH_CHECK_REGIONS           | 'us-east-1,us-west-2,us-east-1' | 3 to 8 distinct",
        "HEALTH_CHECK_REGIONS           | 'us-east-1,us-west-2,' | 3 to 8 distinct",
    })
    void eachRuleFailsWithOneLine(Setting setting, String value, String allowed) {
        Refusals.assertRefusedInOneLine(setting, value, allowed);
    }

    @Test
    void theZoneIsTheDomainOrANameDerivedFromTheSuffix() {
        assertEquals("payments-dr-dev.com", DrConfig.builder().build().zoneName());
        assertEquals(Optional.empty(), DrConfig.builder().build().dnsDomain());
        assertEquals("pay.acme.io", DrConfig.builder().set(Setting.DNS_DOMAIN, "pay.acme.io").build().zoneName());
    }
}
