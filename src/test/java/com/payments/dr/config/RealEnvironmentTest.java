package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real environment (a real domain) cannot forget the settings whose defaults fit only a developer's
 * machine; a development configuration synthesizes and is told about them.
 */
class RealEnvironmentTest {

    @TempDir
    Path dir;

    @Test
    void aRealDomainWithoutAnOriginIsABadSettingInOneLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("DNS_DOMAIN", "pay.acme.io"), dir.resolve("cdktf.json")));
        assertEquals(Setting.ALLOWED_ORIGIN, e.setting());
        assertTrue(e.getMessage().startsWith("ALLOWED_ORIGIN is not set, and DNS_DOMAIN=pay.acme.io makes this a real"
                + " environment (a real domain means a real environment): set ALLOWED_ORIGIN (or allowedOrigin in"
                + " cdktf.json) to the checkout page's origin"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        // an empty variable is unset, for the origin as for everything else
        assertThrows(ConfigException.class, () -> ConfigLoader.load(
                Map.of("DNS_DOMAIN", "pay.acme.io", "ALLOWED_ORIGIN", " "), dir.resolve("cdktf.json")));
    }

    @Test
    void theProductionProfileIsARealEnvironmentAndTheProfileASettingOfTwoValues() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(Map.of("PROTECTION", "production"), dir.resolve("cdktf.json")));
        assertEquals(Setting.ALLOWED_ORIGIN, e.setting());
        assertTrue(e.getMessage().startsWith("ALLOWED_ORIGIN is not set, and PROTECTION=production makes this a real"
                + " environment (the production profile is a real environment): set ALLOWED_ORIGIN"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertEquals(Protection.PRODUCTION, ConfigLoader.load(Map.of("PROTECTION", "production",
                "ALLOWED_ORIGIN", "https://shop.acme.io"), dir.resolve("none.json")).protection());
        assertEquals(Protection.DESTROYABLE, DrConfig.builder().build().protection());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> DrConfig.builder().set(Setting.PROTECTION, "Production").build());
        assertEquals(Setting.PROTECTION, bad.setting());
        assertEquals(365, Protection.PRODUCTION.auditRetentionDays(30));
        assertEquals(400, Protection.PRODUCTION.auditRetentionDays(400));
        assertEquals(30, Protection.DESTROYABLE.auditRetentionDays(30));
    }

    @Test
    void aRealDomainWithAnOriginFromTheEnvironmentOrTheContextSynthesizes() throws IOException {
        DrConfig fromEnv = ConfigLoader.load(Map.of("DNS_DOMAIN", "pay.acme.io",
                "ALLOWED_ORIGIN", "https://shop.acme.io"), dir.resolve("cdktf.json"));
        assertEquals("https://shop.acme.io", fromEnv.function().allowedOrigin());
        Path cdktfJson = Files.writeString(dir.resolve("cdktf.json"),
                "{\"context\": {\"dnsDomain\": \"pay.acme.io\", \"allowedOrigin\": \"https://shop.acme.io\"}}");
        assertEquals(fromEnv, ConfigLoader.load(Map.of(), cdktfJson));
        // chosen on purpose, even the development origin is a choice
        assertEquals("http://localhost:3000", ConfigLoader.load(Map.of("DNS_DOMAIN", "pay.acme.io",
                "ALLOWED_ORIGIN", "http://localhost:3000"), dir.resolve("none.json")).function().allowedOrigin());
    }

    @Test
    void withoutAMarkerTheDefaultStandsAndTheSynthIsToldWhy() {
        assertEquals(DrConfig.builder().build(), ConfigLoader.load(Map.of(), dir.resolve("cdktf.json")));
        assertEquals(List.of("note: ALLOWED_ORIGIN is not set: the deployed functions allow CORS only from"
                + " http://localhost:3000 (a developer's machine); set ALLOWED_ORIGIN (or allowedOrigin in cdktf.json)"
                + " to the checkout page's origin (scheme://host[:port]) for any real environment (required once"
                + " DNS_DOMAIN is set or PROTECTION=production)"), RealEnvironment.notes(Set.of()));
        assertEquals(List.of(), RealEnvironment.notes(Set.of(Setting.ALLOWED_ORIGIN)));
        assertEquals("DNS_DOMAIN is set or PROTECTION=production", RealEnvironment.requiredWhen());
    }

    @Test
    void theDevelopmentDefaultsAreWhatTheConfigurationDeploys() {
        assertEquals(List.of(Setting.ALLOWED_ORIGIN), RealEnvironment.developmentDefaults(DrConfig.builder().build())
                .stream().map(RealEnvironment.Required::setting).toList());
        assertEquals(List.of(), RealEnvironment.developmentDefaults(DrConfig.builder()
                .set(Setting.ALLOWED_ORIGIN, "https://shop.acme.io").build()));
    }

    @Test
    void everyMarkerAndRequiredSettingIsASettingWithADefault() {
        for (RealEnvironment.Marker marker : RealEnvironment.MARKERS) {
            // a marker never applies to the defaults: a fresh clone is a development environment
            assertTrue(marker.value().apply(DrConfig.builder().build()).isEmpty(), marker.setting().name());
        }
        for (RealEnvironment.Required required : RealEnvironment.REQUIRED) {
            assertTrue(!required.setting().defaultValue().isEmpty(), required.setting().name());
        }
    }
}
