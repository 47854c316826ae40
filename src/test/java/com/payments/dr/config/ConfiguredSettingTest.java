package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as configured (for the real-environment rule and the CORS note): a setting given by the user, not taken from the defaults. */
class ConfiguredSettingTest {

    @TempDir
    Path dir;

    @Test
    void aSettingIsConfiguredByTheEnvironmentOrTheContextNeverByItsDefault() throws IOException {
        Path cdktfJson = dir.resolve("cdktf.json");
        assertFalse(ConfigLoader.isConfigured(Setting.ALLOWED_ORIGIN, Map.of(), cdktfJson));
        assertFalse(ConfigLoader.isConfigured(Setting.ALLOWED_ORIGIN, Map.of("ALLOWED_ORIGIN", " "), cdktfJson),
                "an empty variable counts as unset");
        assertTrue(ConfigLoader.isConfigured(Setting.ALLOWED_ORIGIN,
                Map.of("ALLOWED_ORIGIN", "https://shop.payments.io"), cdktfJson));
        Files.writeString(cdktfJson, "{\"context\": {\"allowedOrigin\": \"https://shop.payments.io\"}}");
        assertTrue(ConfigLoader.isConfigured(Setting.ALLOWED_ORIGIN, Map.of(), cdktfJson));
        assertFalse(ConfigLoader.isConfigured(Setting.ALARM_EMAIL, Map.of(), cdktfJson));
    }
}
