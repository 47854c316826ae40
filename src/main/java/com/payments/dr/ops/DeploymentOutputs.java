package com.payments.dr.ops;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outputs of a deployment, read from the file {@code cdktf deploy payments-dr --outputs-file
 * <file>} writes ({@code {"payments-dr": {"<output>": value, …}}}, values nested by construct in
 * some CLI versions) or from {@code terraform output -json} ({@code {"<output>": {"value": …,
 * "type": …}}}). Everything the runbook and the post-deploy suite name comes from here, never from a
 * name spelled in code.
 */
public final class DeploymentOutputs {

    /** The environment variable naming the outputs file. */
    public static final String ENV = "DR_OUTPUTS_FILE";

    private final Path file;
    private final Map<String, JsonElement> values;

    private DeploymentOutputs(Path file, Map<String, JsonElement> values) {
        this.file = file;
        this.values = values;
    }

    /** Reads {@code file}; a missing or malformed file is an {@link IllegalArgumentException} naming it. */
    public static DeploymentOutputs read(Path file) {
        try {
            JsonElement json = JsonParser.parseString(Files.readString(file));
            if (!json.isJsonObject()) {
                throw new IllegalArgumentException(file + " is not a JSON object of outputs");
            }
            Map<String, JsonElement> values = new TreeMap<>();
            flatten(json.getAsJsonObject(), values);
            return new DeploymentOutputs(file, values);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** Leaf outputs by name, whichever of the two formats (and nesting) the file has. */
    private static void flatten(JsonObject json, Map<String, JsonElement> into) {
        json.entrySet().forEach(e -> {
            JsonElement value = e.getValue();
            if (value.isJsonObject() && value.getAsJsonObject().has("value") && value.getAsJsonObject().has("type")) {
                into.put(e.getKey(), value.getAsJsonObject().get("value"));
            } else if (value.isJsonObject()) {
                flatten(value.getAsJsonObject(), into);
            } else {
                into.put(e.getKey(), value);
            }
        });
    }

    public Path file() {
        return file;
    }

    /** The output {@code name} as a string; a missing output names the file and what it holds. */
    public String get(String name) {
        JsonElement value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("output " + name + " is missing from " + file
                    + " (it has " + String.join(", ", values.keySet()) + ")");
        }
        if (!value.isJsonPrimitive()) {
            throw new IllegalArgumentException("output " + name + " in " + file + " is not a single value: " + value);
        }
        return value.getAsString();
    }

    /** The names of every output in the file, sorted. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    /** The region in an ARN ({@code arn:partition:service:region:account:…}). */
    public static String regionOf(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn") || parts[3].isEmpty()) {
            throw new IllegalArgumentException("not a regional ARN: " + arn);
        }
        return parts[3];
    }

    /** The primary region, from the primary region's alert topic. */
    public String primaryRegion() {
        return regionOf(get("primary_alerts_topic_arn"));
    }

    /** The DR region, from the DR region's alert topic. */
    public String drRegion() {
        return regionOf(get("dr_alerts_topic_arn"));
    }
}
