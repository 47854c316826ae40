package com.payments.dr.events;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.lambda.Log;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The sample events in src/test/resources/events and a capture of the functions' log lines. */
final class SampleEvents {

    private SampleEvents() {
    }

    static String text(String name) {
        try (InputStream in = SampleEvents.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonObject json(String name) {
        return JsonParser.parseString(text(name)).getAsJsonObject();
    }

    static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Captures what the functions log while {@code action} runs. */
    static String logOf(ThrowingRunnable action) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            Log.redirect(System.out);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
