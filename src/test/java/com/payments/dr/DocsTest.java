package com.payments.dr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README, the cheat sheet and cdktf.json say what the code does. */
class DocsTest {

    @Test
    void readmeStartsWithTheTwoCommandsAndDocumentsEverySetting() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> firstLines = readme.lines().limit(5).toList();
        assertTrue(firstLines.contains("./main          # synthesize the stack into cdktf.out/ (builds what it needs on first run)"),
                firstLines.toString());
        assertTrue(firstLines.contains("mvn -B verify   # run all tests, with the coverage gate"), firstLines.toString());
        String help = Files.readString(Path.of("help"));
        for (Setting setting : Setting.values()) {
            assertTrue(readme.contains("| `" + setting.envVar() + "` | `" + setting.contextKey() + "` |"), setting.name());
            assertTrue(help.contains(setting.envVar()) && help.contains(setting.contextKey()), setting.name());
        }
    }

    @Test
    void ciRunsTheReadmeTestCommand() throws IOException {
        assertTrue(Files.readString(Path.of(".ci/run")).contains("\nmvn -B verify\n"));
    }

    @Test
    void cdktfJsonRunsMainAndItsContextKeysAreSettings() throws IOException {
        JsonObject cdktf = JsonParser.parseString(Files.readString(Path.of("cdktf.json"))).getAsJsonObject();
        assertEquals("java", cdktf.get("language").getAsString());
        assertEquals("./main", cdktf.get("app").getAsString());
        List<String> keys = List.of(Setting.values()).stream().map(Setting::contextKey).toList();
        for (String key : cdktf.getAsJsonObject("context").keySet()) {
            assertTrue(keys.contains(key), "unknown context key " + key);
        }
    }
}
