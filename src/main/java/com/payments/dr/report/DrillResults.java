package com.payments.dr.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The latest long failover drill's figures, as the drill writes them to the committed file {@link
 * #PATH} once its assertions have passed: a <b>local emulation</b> (PostgreSQL with a streaming
 * standby, DynamoDB Local, the payment function in-process), never AWS. Read, never computed here.
 *
 * <p>The file names the code that counted it ({@link #countingCode()}, a digest of {@link
 * #COUNTING_CODE}): results counted by other code than the checkout's are {@link Freshness#STALE}
 * and the report does not quote them as measurements.
 */
public record DrillResults(
        int schema,
        String measuredAt,
        String command,
        String commit,
        String countingCode,
        boolean passed,
        String emulation,
        Machine machine,
        Map<String, String> settings,
        List<Scenario> scenarios,
        Mirror mirror) {

    /** Relative to the project directory, where ./main runs (as FUNCTION_PACKAGE is). */
    public static final Path PATH = Path.of("docs", "drill-results.json");
    public static final int SCHEMA = 3;
    /**
     * The code that records, classifies and counts a drill's attempts and payments, and the schema
     * it is written in (what the digest covers).
     */
    public static final List<Path> COUNTING_CODE = List.of(
            Path.of("src", "test", "java", "com", "payments", "dr", "function", "DrillClient.java"),
            Path.of("src", "test", "java", "com", "payments", "dr", "function", "DrillLedger.java"),
            Path.of("src", "main", "java", "com", "payments", "dr", "report", "DrillResults.java"));

    /** The timeline's stage when the new writer's promotion ended and its writer endpoint activated. */
    public static final String PROMOTED_STAGE = "promoted, writer endpoint active";
    /**
     * The timeline's stage when the new writer region's function first stored a payment sent
     * straight to it (the drill's probe, not a client following the name): the function's own
     * readiness after the promotion, without the emulated DNS in it.
     */
    public static final String READY_STAGE = "function takes a payment (direct probe)";

    /** The machine the drill ran on: processors and the one-minute load average before and after. */
    public record Machine(int cpus, double loadBefore, double loadAfter) {
    }

    /** Nearest-rank percentiles of a set of milliseconds. */
    public record Percentiles(long p50, long p99, long max) {

        public static Percentiles of(List<Long> values) {
            if (values.isEmpty()) {
                return new Percentiles(0, 0, 0);
            }
            List<Long> sorted = new ArrayList<>(values);
            sorted.sort(null);
            return new Percentiles(rank(sorted, 50), rank(sorted, 99), sorted.get(sorted.size() - 1));
        }

        private static long rank(List<Long> sorted, int percentile) {
            int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, index));
        }
    }

    /**
     * One scenario, counted by the client's experience and by the databases afterwards.
     *
     * @param faultToFirstAckMs         from the fault (or the switchover's start) to the first payment the
     *                                  new writer region acknowledged
     * @param promotionToFirstAckMs     from the promotion's end to that payment
     * @param errorWindowMs             from the first to the last attempt that did not succeed, at or after the fault
     * @param timeToAckMs               per payment started in the scenario: first attempt to acknowledgement
     * @param unanswered                attempts without an answer (refused, reset, timed out)
     * @param lostAtPromotion           acknowledged payments the promoted database lacked
     * @param recoveredByRetry          of those, stored again by a client's retry before the reconciliation
     * @param recoveredByReconciliation of those, stored again by the surviving region's reconciliation
     * @param waitedForPrimaryRegion    of those, still missing after it, back only once the primary
     *                                  region returned (acknowledged while the mirror failed, their
     *                                  records in the failed region's replica)
     * @param lostForGood               acknowledged payments missing at the end: the goal is 0
     * @param duplicates                keys stored twice, or answered with two payment ids
     * @param timeline                  stage name to milliseconds after the fault, in order
     */
    public record Scenario(String name, long faultToFirstAckMs, long promotionToFirstAckMs, long errorWindowMs,
                           Percentiles timeToAckMs, long payments, long acknowledged, long attempts,
                           long unanswered, long status409, long status429, long status503, long otherErrors,
                           long lostAtPromotion, long recoveredByRetry, long recoveredByReconciliation,
                           long waitedForPrimaryRegion, long lostForGood, long duplicates, Map<String, Long> timeline) {
    }

    /** The acknowledgement mirror as the primary's function logged it: writes, degraded ones, latency. */
    public record Mirror(long writes, long degraded, Percentiles latencyMs) {
    }

    /** Whether results were counted by the checkout's own counting code. */
    public enum Freshness {
        CURRENT, STALE, UNKNOWN
    }

    /**
     * The digest of {@link #COUNTING_CODE} under {@code projectDir} (SHA-256 over each file's path
     * and bytes, in order), or empty when a file is missing (a packaged run without sources).
     */
    public static Optional<String> countingCodeDigest(Path projectDir) {
        StringBuilder code = new StringBuilder();
        for (Path file : COUNTING_CODE) {
            Path path = projectDir.resolve(file);
            if (!Files.isRegularFile(path)) {
                return Optional.empty();
            }
            try {
                // line endings normalised: a checkout on Windows counts the same code
                code.append(file.toString().replace('\\', '/')).append('\n')
                        .append(Files.readString(path).replace("\r\n", "\n"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
            }
        }
        return Optional.of(digest("SHA-256", code.toString()).substring(0, 16));
    }

    /** The hex digest of {@code text}; an algorithm the platform lacks is a broken JVM, not an input error. */
    static String digest(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    /** Whether these results were counted by the counting code under {@code projectDir}. */
    public Freshness freshness(Path projectDir) {
        return countingCodeDigest(projectDir).map(d -> d.equals(countingCode) ? Freshness.CURRENT : Freshness.STALE)
                .orElse(Freshness.UNKNOWN);
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
            int schema = member(root, "schema").getAsInt();
            if (schema != SCHEMA) {
                throw new IllegalStateException("schema " + schema + ", expected " + SCHEMA
                        + " (rerun the long drill)");
            }
            List<Scenario> scenarios = new ArrayList<>();
            for (JsonElement element : member(root, "scenarios").getAsJsonArray()) {
                JsonObject s = element.getAsJsonObject();
                JsonObject attempts = member(s, "attempts").getAsJsonObject();
                JsonObject loss = member(s, "loss").getAsJsonObject();
                Map<String, Long> timeline = new LinkedHashMap<>();
                member(s, "timelineMs").getAsJsonObject().entrySet()
                        .forEach(e -> timeline.put(e.getKey(), e.getValue().getAsLong()));
                scenarios.add(new Scenario(text(s, "name"), whole(s, "faultToFirstAckMs"),
                        whole(s, "promotionToFirstAckMs"), whole(s, "errorWindowMs"),
                        percentiles(member(s, "timeToAckMs").getAsJsonObject()), whole(s, "payments"),
                        whole(s, "acknowledged"), whole(attempts, "total"), whole(attempts, "unanswered"),
                        whole(attempts, "status409"), whole(attempts, "status429"), whole(attempts, "status503"),
                        whole(attempts, "other"), whole(loss, "lostAtPromotion"), whole(loss, "recoveredByRetry"),
                        whole(loss, "recoveredByReconciliation"), whole(loss, "waitedForPrimaryRegion"),
                        whole(loss, "lostForGood"),
                        whole(s, "duplicates"), timeline));
            }
            JsonObject machine = member(root, "machine").getAsJsonObject();
            Map<String, String> settings = new LinkedHashMap<>();
            member(root, "settings").getAsJsonObject().entrySet()
                    .forEach(e -> settings.put(e.getKey(), e.getValue().getAsString()));
            JsonObject mirror = member(root, "mirror").getAsJsonObject();
            return Optional.of(new DrillResults(schema, text(root, "measuredAt"), text(root, "command"),
                    text(root, "commit"), text(root, "countingCode"), member(root, "passed").getAsBoolean(),
                    text(root, "emulation"), new Machine(member(machine, "cpus").getAsInt(),
                    member(machine, "loadBefore").getAsDouble(), member(machine, "loadAfter").getAsDouble()),
                    settings, List.copyOf(scenarios), new Mirror(whole(mirror, "writes"), whole(mirror, "degraded"),
                    percentiles(member(mirror, "latencyMs").getAsJsonObject()))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException | NullPointerException | ClassCastException
                 | UnsupportedOperationException | NumberFormatException e) {
            // gson's accessors fail with these on a missing or mistyped member
            throw new IllegalStateException(path + " is not a drill result (" + e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")", e);
        }
    }

    private static Percentiles percentiles(JsonObject o) {
        return new Percentiles(whole(o, "p50"), whole(o, "p99"), whole(o, "max"));
    }

    private static String text(JsonObject o, String key) {
        return member(o, key).getAsString();
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

    private static JsonObject json(Percentiles p) {
        JsonObject o = new JsonObject();
        o.addProperty("p50", p.p50());
        o.addProperty("p99", p.p99());
        o.addProperty("max", p.max());
        return o;
    }

    /** The file's JSON: the drill writes it, the readiness report quotes it. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("schema", schema);
        o.addProperty("measuredAt", measuredAt);
        o.addProperty("command", command);
        o.addProperty("commit", commit);
        o.addProperty("countingCode", countingCode);
        o.addProperty("passed", passed);
        o.addProperty("emulation", emulation);
        JsonObject m = new JsonObject();
        m.addProperty("cpus", machine.cpus());
        m.add("loadBefore", ReadinessReport.exact(machine.loadBefore()));
        m.add("loadAfter", ReadinessReport.exact(machine.loadAfter()));
        o.add("machine", m);
        JsonObject s = new JsonObject();
        settings.forEach(s::addProperty);
        o.add("settings", s);
        JsonArray array = new JsonArray();
        for (Scenario sc : scenarios) {
            JsonObject so = new JsonObject();
            so.addProperty("name", sc.name());
            so.addProperty("faultToFirstAckMs", sc.faultToFirstAckMs());
            so.addProperty("promotionToFirstAckMs", sc.promotionToFirstAckMs());
            so.addProperty("errorWindowMs", sc.errorWindowMs());
            so.add("timeToAckMs", json(sc.timeToAckMs()));
            so.addProperty("payments", sc.payments());
            so.addProperty("acknowledged", sc.acknowledged());
            JsonObject attempts = new JsonObject();
            attempts.addProperty("total", sc.attempts());
            attempts.addProperty("unanswered", sc.unanswered());
            attempts.addProperty("status409", sc.status409());
            attempts.addProperty("status429", sc.status429());
            attempts.addProperty("status503", sc.status503());
            attempts.addProperty("other", sc.otherErrors());
            so.add("attempts", attempts);
            JsonObject loss = new JsonObject();
            loss.addProperty("lostAtPromotion", sc.lostAtPromotion());
            loss.addProperty("recoveredByRetry", sc.recoveredByRetry());
            loss.addProperty("recoveredByReconciliation", sc.recoveredByReconciliation());
            loss.addProperty("waitedForPrimaryRegion", sc.waitedForPrimaryRegion());
            loss.addProperty("lostForGood", sc.lostForGood());
            so.add("loss", loss);
            so.addProperty("duplicates", sc.duplicates());
            JsonObject timeline = new JsonObject();
            sc.timeline().forEach(timeline::addProperty);
            so.add("timelineMs", timeline);
            array.add(so);
        }
        o.add("scenarios", array);
        JsonObject mi = new JsonObject();
        mi.addProperty("writes", mirror.writes());
        mi.addProperty("degraded", mirror.degraded());
        mi.add("latencyMs", json(mirror.latencyMs()));
        o.add("mirror", mi);
        return o;
    }

    /** From the promotion to the function's first payment, when the scenario's timeline has both. */
    public static Optional<Long> promotionToReadyMs(Scenario s) {
        Long promoted = s.timeline().get(PROMOTED_STAGE);
        Long ready = s.timeline().get(READY_STAGE);
        return promoted == null || ready == null ? Optional.empty() : Optional.of(ready - promoted);
    }

    /** The scenario called {@code name}, if the drill ran it. */
    public Optional<Scenario> scenario(String name) {
        return scenarios.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
