package com.payments.dr.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The latest failover drill's measured numbers, as the drill writes them to the committed file
 * {@link #PATH}. Read, never computed here: the report puts them beside the designed figures.
 */
public record DrillResults(
        String measuredAt,
        String command,
        double durationSeconds,
        double ratePerSecond,
        long stateReplicationDelayMs,
        long databaseApplyDelayMs,
        List<Scenario> scenarios) {

    /** Relative to the project directory, where ./main runs (as FUNCTION_PACKAGE is). */
    public static final Path PATH = Path.of("docs", "drill-results.json");

    /** One scenario: {@code planned-switchover}, {@code unplanned-failover} or {@code fail-back}. */
    public record Scenario(String name, long rtoMs, long acknowledged, long lostPayments, long lostWindowMs,
                           long duplicates, long clean503, long errors) {
    }

    /**
     * The results at {@code path}, or empty when no drill has been recorded there. A file that is
     * not the drill's schema is an error naming the file: a report must not quote half a drill.
     */
    public static Optional<DrillResults> read(Path path) {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            JsonObject root = JsonParser.parseString(Files.readString(path)).getAsJsonObject();
            List<Scenario> scenarios = new ArrayList<>();
            for (JsonElement element : member(root, "scenarios").getAsJsonArray()) {
                JsonObject s = element.getAsJsonObject();
                scenarios.add(new Scenario(text(s, "name"), whole(s, "rtoMs"), whole(s, "acknowledged"),
                        whole(s, "lostPayments"), whole(s, "lostWindowMs"), whole(s, "duplicates"),
                        whole(s, "clean503"), whole(s, "errors")));
            }
            return Optional.of(new DrillResults(text(root, "measuredAt"), text(root, "command"),
                    number(root, "durationSeconds"), number(root, "ratePerSecond"),
                    whole(root, "stateReplicationDelayMs"), whole(root, "databaseApplyDelayMs"),
                    List.copyOf(scenarios)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException
                 | UnsupportedOperationException | NumberFormatException e) {
            // gson's accessors fail with these on a missing or mistyped member
            throw new IllegalStateException(path + " is not a drill result (" + e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")", e);
        }
    }

    private static String text(JsonObject o, String key) {
        return member(o, key).getAsString();
    }

    private static double number(JsonObject o, String key) {
        return member(o, key).getAsDouble();
    }

    private static long whole(JsonObject o, String key) {
        return member(o, key).getAsLong();
    }

    private static JsonElement member(JsonObject o, String key) {
        JsonElement value = o.get(key);
        if (value == null || value.isJsonNull()) {
            throw new IllegalStateException("missing \"" + key + "\"");
        }
        return value;
    }

    /** The file's JSON: the drill writes it, the readiness report quotes it. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("measuredAt", measuredAt);
        o.addProperty("command", command);
        o.add("durationSeconds", ReadinessReport.exact(durationSeconds));
        o.add("ratePerSecond", ReadinessReport.exact(ratePerSecond));
        o.addProperty("stateReplicationDelayMs", stateReplicationDelayMs);
        o.addProperty("databaseApplyDelayMs", databaseApplyDelayMs);
        JsonArray array = new JsonArray();
        for (Scenario s : scenarios) {
            JsonObject so = new JsonObject();
            so.addProperty("name", s.name());
            so.addProperty("rtoMs", s.rtoMs());
            so.addProperty("acknowledged", s.acknowledged());
            so.addProperty("lostPayments", s.lostPayments());
            so.addProperty("lostWindowMs", s.lostWindowMs());
            so.addProperty("duplicates", s.duplicates());
            so.addProperty("clean503", s.clean503());
            so.addProperty("errors", s.errors());
            array.add(so);
        }
        o.add("scenarios", array);
        return o;
    }

    /** The scenario called {@code name}, if the drill ran it. */
    public Optional<Scenario> scenario(String name) {
        return scenarios.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
