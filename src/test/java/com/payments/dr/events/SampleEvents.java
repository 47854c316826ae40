package com.payments.dr.events;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.lambda.LogCapture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The sample events in src/test/resources/events, and the functions' log lines while they handle them. */
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
        return LogCapture.during(() -> {
            action.run();
            return null;
        }).log();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
