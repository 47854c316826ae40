package com.payments.dr.function;

import com.google.gson.JsonObject;
import java.io.PrintStream;

/**
 * One JSON object per line on stdout, which Lambda ships to CloudWatch Logs: searchable with Logs
 * Insights and cheap at init, unlike a logging framework. Never logs request bodies or secrets.
 */
final class Log {
    private static volatile PrintStream out = System.out;

    private Log() {
    }

    static void redirect(PrintStream stream) {
        out = stream;
    }

    static void info(String event, String... keyValues) {
        write("INFO", event, keyValues);
    }

    static void warn(String event, String... keyValues) {
        write("WARN", event, keyValues);
    }

    static void error(String event, String... keyValues) {
        write("ERROR", event, keyValues);
    }

    /** A line built by the caller, e.g. the per-request line in CloudWatch's embedded metric format. */
    static void line(JsonObject line) {
        out.println(line);
    }

    private static void write(String level, String event, String... keyValues) {
        JsonObject line = new JsonObject();
        line.addProperty("level", level);
        line.addProperty("event", event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.addProperty(keyValues[i], keyValues[i + 1]);
        }
        out.println(line);
    }
}
