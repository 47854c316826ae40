package com.payments.dr.events;

import com.google.gson.JsonObject;
import java.io.PrintStream;

/** One JSON object per line on stdout, which Lambda ships to the function's log group. */
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

    static void error(String event, String... keyValues) {
        write("ERROR", event, keyValues);
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
