package com.payments.dr.lambda;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the functions log while a test runs them: {@link Log}'s lines, and stdout back afterwards. */
public final class LogCapture {

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
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        T value;
        try {
            value = action.run();
        } finally {
            Log.redirect(System.out);
        }
        return new Captured<>(value, buffer.toString(StandardCharsets.UTF_8));
    }
}
