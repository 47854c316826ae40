package com.payments.dr.lambda;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.PrintStream;

/**
 * One JSON object per line on stdout, which Lambda ships to the function's log group: searchable
 * with Logs Insights and cheap at init, unlike a logging framework. Never logs request bodies or
 * secrets. One logger for the payment and the event functions: both zips include this package
 * (src/assembly), so it depends on nothing but gson, which both ship, and never on either function.
 */
public final class Log {
    private static volatile PrintStream out = System.out;

    private Log() {
    }

    /** Where lines go from now on (tests capture them); returns where they went, to hand back. */
    public static PrintStream redirect(PrintStream stream) {
        PrintStream previous = out;
        out = stream;
        return previous;
    }

    public static void info(String event, String... keyValues) {
        write("INFO", event, keyValues);
    }

    public static void warn(String event, String... keyValues) {
        write("WARN", event, keyValues);
    }

    public static void error(String event, String... keyValues) {
        write("ERROR", event, keyValues);
    }

    /** A line built by the caller, e.g. the per-request line in CloudWatch's embedded metric format. */
    public static void line(JsonObject line) {
        out.println(line);
    }

    /**
     * A logger must neither throw nor lose what it was given: a key the line already has ({@code
     * level}, {@code event} or a repeated one) is written with underscores appended until it is
     * new, so it cannot rewrite the line's level, and a key left without a value is written as
     * {@code null}.
     */
    private static void write(String level, String event, String... keyValues) {
        JsonObject line = new JsonObject();
        line.addProperty("level", level);
        line.addProperty("event", event);
        String[] pairs = keyValues == null ? new String[0] : keyValues;
        for (int i = 0; i < pairs.length; i += 2) {
            String key = String.valueOf(pairs[i]);
            while (line.has(key)) {
                key += "_";
            }
            if (i + 1 < pairs.length) {
                line.addProperty(key, pairs[i + 1]);
            } else {
                line.add(key, JsonNull.INSTANCE);
            }
        }
        out.println(line);
    }
}
