package com.payments.dr.lambda;

import com.google.gson.Gson;
import com.payments.dr.TestLanes;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What the functions log while a test runs them: {@link Log}'s lines, and stdout back afterwards. */
public final class LogCapture {

    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);

    private LogCapture() {
    }

    /** The code under test; it may throw what the code it calls throws. */
    public interface Action<T> {
        T run() throws Exception;
    }

    /** What the action returned and what was logged meanwhile. */
    public record Captured<T>(T value, String log) {
    }

    public static <T> Captured<T> during(Action<T> action) throws Exception {
        TestLanes.require(TestLanes.Lane.FUNCTIONS, "LogCapture");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream previous = Log.redirect(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        T value;
        try {
            value = action.run();
        } finally {
            Log.redirect(previous);
        }
        return new Captured<>(value, buffer.toString(StandardCharsets.UTF_8));
    }

    /**
     * The lines of a function's output that are not JSON objects: Lambda ships every line of
     * stdout and stderr to the log group, where only JSON lines are fields for Logs Insights (read
     * strictly: a {@code Map.toString()} line such as {@code {k=v}} is not JSON). The JVM's own
     * notice of {@code JAVA_TOOL_OPTIONS}, written before any code runs, does not count: nothing can
     * keep it out (it shows in real Lambda logs too).
     */
    public static List<String> nonJsonLines(String output) {
        return output.lines().filter(line -> !line.isBlank() && !line.startsWith("Picked up JAVA_TOOL_OPTIONS:")
                && !isJsonObject(line)).toList();
    }

    private static boolean isJsonObject(String line) {
        try (JsonReader reader = new JsonReader(new StringReader(line))) {
            reader.setLenient(false);
            JsonElement element = ELEMENTS.read(reader);
            return element.isJsonObject() && reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException | JsonParseException | IllegalStateException e) {
            return false;
        }
    }
}
