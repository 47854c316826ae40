package com.payments.dr.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The functions' JSON lines, as Logs Insights reads them: one object per line, nothing lost. */
class LogTest {

    private static List<JsonObject> capture(Runnable logging) {
        String log;
        try {
            log = LogCapture.during(() -> {
                logging.run();
                return null;
            }).log();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return log.lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static JsonObject one(Consumer<String[]> call, String... keyValues) {
        List<JsonObject> lines = capture(() -> call.accept(keyValues));
        assertEquals(1, lines.size());
        return lines.get(0);
    }

    @Test
    void eachLevelWritesOneObjectWithItsEventAndPairs() {
        JsonObject info = one(kv -> Log.info("payment_accepted", kv), "payment_id", "p-1", "region", "us-east-1");
        assertEquals("{\"level\":\"INFO\",\"event\":\"payment_accepted\",\"payment_id\":\"p-1\",\"region\":\"us-east-1\"}",
                info.toString());
        assertEquals("WARN", one(kv -> Log.warn("slow", kv)).get("level").getAsString());
        assertEquals("ERROR", one(kv -> Log.error("failed", kv)).get("level").getAsString());
    }

    @Test
    void aCallersKeyNeverRewritesTheLevelTheEventOrAnEarlierKey() {
        JsonObject line = one(kv -> Log.error("db_down", kv), "level", "INFO", "event", "fine", "a", "1", "a", "2");
        assertEquals("ERROR", line.get("level").getAsString());
        assertEquals("db_down", line.get("event").getAsString());
        assertEquals("INFO", line.get("level_").getAsString());
        assertEquals("fine", line.get("event_").getAsString());
        assertEquals("1", line.get("a").getAsString());
        assertEquals("2", line.get("a_").getAsString());
    }

    @Test
    void aKeyWithoutAValueIsKeptAsNull() {
        JsonObject line = one(kv -> Log.warn("odd", kv), "a", "1", "dangling");
        assertTrue(line.has("dangling"));
        assertTrue(line.get("dangling").isJsonNull());
        assertEquals("1", line.get("a").getAsString());
    }

    @Test
    void aLineBuiltByTheCallerIsWrittenAsItIs() {
        JsonObject metrics = new JsonObject();
        metrics.addProperty("_aws", "emf");
        assertEquals(List.of(metrics), capture(() -> Log.line(metrics)));
    }

    @Test
    void noPairsAtAllIsAnEventAlone() {
        assertEquals("{\"level\":\"INFO\",\"event\":\"bare\"}",
                one(kv -> Log.info("bare", (String[]) null)).toString());
    }

    @Test
    void capturesNestAndHandBackTheOuterStream() throws Exception {
        LogCapture.Captured<String> outer = LogCapture.during(() -> {
            Log.info("outer_before");
            String inner = LogCapture.during(() -> {
                Log.info("inner");
                return null;
            }).log();
            Log.info("outer_after");
            return inner;
        });
        assertTrue(outer.value().contains("\"inner\""), outer.value());
        assertTrue(outer.log().contains("outer_before") && outer.log().contains("outer_after"), outer.log());
        assertFalse(outer.log().contains("\"inner\""), outer.log());
    }

    @Test
    void onlyStrictJsonObjectLinesAreLogGroupFields() {
        assertEquals(List.of("{k=v, n=1}", "{a:b}", "{'a':'b'}", "[1]", "{\"a\":1} trailing",
                        "SLF4J: Failed to load class"),
                LogCapture.nonJsonLines(String.join("\n", "{\"level\":\"INFO\"}", "{k=v, n=1}", "{a:b}",
                        "{'a':'b'}", "[1]", "{\"a\":1} trailing", "", "Picked up JAVA_TOOL_OPTIONS: -Dx=1",
                        "SLF4J: Failed to load class")));
    }
}
