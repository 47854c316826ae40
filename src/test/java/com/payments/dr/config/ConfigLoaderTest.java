package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path cdktfJson(String json) throws IOException {
        return Files.writeString(dir.resolve("cdktf.json"), json);
    }

    @Test
    void defaultsWhenNothingIsSet() {
        DrConfig config = ConfigLoader.load(Map.of(), dir.resolve("cdktf.json"));
        assertEquals(DrConfig.builder().build(), config);
    }

    @Test
    void environmentBeatsContextBeatsDefault() {
        String context = "{\"environmentSuffix\":\"ctx\",\"drRegion\":\"us-west-2\"}";
        DrConfig config = ConfigLoader.load(Map.of(
                "CDKTF_CONTEXT_JSON", context,
                "ENVIRONMENT_SUFFIX", "env"), dir.resolve("cdktf.json"));
        assertEquals("env", config.environmentSuffix());
        assertEquals("us-west-2", config.drRegion());
        assertEquals("us-east-1", config.primaryRegion());
    }

    @Test
    void blankEnvironmentVariableCountsAsUnset() {
        DrConfig config = ConfigLoader.load(Map.of(
                "CDKTF_CONTEXT_JSON", "{\"environmentSuffix\":\"ctx\"}",
                "ENVIRONMENT_SUFFIX", "  "), dir.resolve("cdktf.json"));
        assertEquals("ctx", config.environmentSuffix());
    }

    @Test
    void cdktfJsonContextIsReadWhenTheCliDidNotPassIt() throws IOException {
        Path file = cdktfJson("{\"app\":\"./main\",\"context\":{\"azCount\":3,\"alarmEmail\":null}}");
        DrConfig config = ConfigLoader.load(Map.of(), file);
        assertEquals(3, config.azCount());
        assertEquals(java.util.Optional.empty(), config.alarmEmail());
    }

    @Test
    void cliContextWinsOverTheFile() throws IOException {
        Path file = cdktfJson("{\"context\":{\"azCount\":3}}");
        DrConfig config = ConfigLoader.load(Map.of("CDKTF_CONTEXT_JSON", "{}"), file);
        assertEquals(2, config.azCount());
    }

    @Test
    void fileWithoutContextUsesDefaults() throws IOException {
        assertEquals(DrConfig.builder().build(), ConfigLoader.load(Map.of(), cdktfJson("{\"app\":\"./main\"}")));
    }

    @Test
    void malformedSourcesFailWithOneLine() throws IOException {
        IllegalStateException notJson = assertThrows(IllegalStateException.class,
                () -> ConfigLoader.load(Map.of("CDKTF_CONTEXT_JSON", "{oops"), dir.resolve("cdktf.json")));
        assertEquals("CDKTF_CONTEXT_JSON is not a JSON object", notJson.getMessage());
        IllegalStateException array = assertThrows(IllegalStateException.class,
                () -> ConfigLoader.load(Map.of("CDKTF_CONTEXT_JSON", "[1]"), dir.resolve("cdktf.json")));
        assertEquals("CDKTF_CONTEXT_JSON is not a JSON object", array.getMessage());
        Path file = cdktfJson("{\"context\":[]}");
        IllegalStateException badContext = assertThrows(IllegalStateException.class,
                () -> ConfigLoader.load(Map.of(), file));
        assertEquals("cdktf.json: \"context\" must be a JSON object", badContext.getMessage());
    }

    @Test
    void directoryInPlaceOfTheFileCountsAsAbsent() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("sub"));
        assertEquals(DrConfig.builder().build(), ConfigLoader.load(Map.of(), directory));
    }

    @Test
    void unreadableFileIsReported() throws IOException {
        // invalid UTF-8 makes Files.readString fail, which works even for root (unlike chmod)
        Path file = Files.write(dir.resolve("cdktf.json"), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigLoader.load(Map.of(), file));
        assertTrue(e.getMessage().startsWith("cannot read "), e.getMessage());
    }

    @Test
    void structuredContextValueIsRejectedForItsSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                Map.of("CDKTF_CONTEXT_JSON", "{\"azCount\":{\"n\":2}}"), dir.resolve("cdktf.json")));
        assertEquals(Setting.AZ_COUNT, e.setting());
        assertTrue(e.getMessage().contains("a string or number"), e.getMessage());
    }

    /** A retired name is refused in one line naming what replaced it, from the environment or the context. */
    @Test
    void aRetiredSettingStopsTheSynthNamingItsReplacements() throws IOException {
        ConfigException fromEnv = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                Map.of("API_THROTTLE_RATE", "80"), dir.resolve("cdktf.json")));
        assertEquals(Setting.API_MERCHANT_THROTTLE_RATE, fromEnv.setting());
        assertEquals("API_THROTTLE_RATE (apiThrottleRate) is no longer read: it was both one merchant key's rate and"
                + " the whole stage's; set API_MERCHANT_THROTTLE_RATE (one key) and API_STAGE_THROTTLE_RATE (all"
                + " callers together)", fromEnv.getMessage());
        ConfigException fromContext = assertThrows(ConfigException.class, () -> ConfigLoader.load(Map.of(),
                cdktfJson("{\"context\":{\"apiThrottleBurst\":\"200\"}}")));
        assertEquals(Setting.API_MERCHANT_THROTTLE_BURST, fromContext.setting());
        assertTrue(fromContext.getMessage().startsWith("API_THROTTLE_BURST (apiThrottleBurst) is no longer read:"),
                fromContext.getMessage());
        assertEquals(1, fromContext.getMessage().lines().count());
        // blank counts as unset, as for every setting
        assertEquals(DrConfig.builder().build(), ConfigLoader.load(Map.of("API_THROTTLE_RATE", " "),
                dir.resolve("none.json")));
    }
}
