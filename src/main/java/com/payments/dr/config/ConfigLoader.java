package com.payments.dr.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the configuration. Precedence, highest first: the environment variable named like the
 * {@link Setting}; the {@code context} of {@code cdktf.json} (passed by the cdktf CLI as
 * {@code CDKTF_CONTEXT_JSON}, or read from {@code cdktf.json} when {@code ./main} runs on its own);
 * the built-in default. An empty environment variable counts as unset.
 */
public final class ConfigLoader {

    /** Set by the cdktf CLI to the JSON of cdktf.json's context plus its own keys. */
    public static final String CONTEXT_ENV = "CDKTF_CONTEXT_JSON";

    private ConfigLoader() {
    }

    public static DrConfig load(Map<String, String> env, Path cdktfJson) {
        JsonObject context = context(env, cdktfJson);
        DrConfig.Builder builder = DrConfig.builder();
        for (Setting setting : Setting.values()) {
            String fromEnv = env.get(setting.envVar());
            if (fromEnv != null && !fromEnv.isBlank()) {
                builder.set(setting, fromEnv);
            } else if (context.has(setting.contextKey())) {
                builder.set(setting, contextValue(context, setting));
            }
        }
        return builder.build();
    }

    /** Whether {@code setting} is given by the environment or the context, rather than defaulted. */
    public static boolean isConfigured(Setting setting, Map<String, String> env, Path cdktfJson) {
        String fromEnv = env.get(setting.envVar());
        return fromEnv != null && !fromEnv.isBlank() || context(env, cdktfJson).has(setting.contextKey());
    }

    private static JsonObject context(Map<String, String> env, Path cdktfJson) {
        String json = env.get(CONTEXT_ENV);
        if (json != null && !json.isBlank()) {
            return parseObject(json, CONTEXT_ENV);
        }
        if (!Files.isRegularFile(cdktfJson)) {
            return new JsonObject();
        }
        String text;
        try {
            text = Files.readString(cdktfJson);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + cdktfJson + ": " + e.getMessage(), e);
        }
        JsonElement context = parseObject(text, cdktfJson.getFileName().toString()).get("context");
        if (context == null) {
            return new JsonObject();
        }
        if (!context.isJsonObject()) {
            throw new IllegalStateException(cdktfJson.getFileName() + ": \"context\" must be a JSON object");
        }
        return context.getAsJsonObject();
    }

    private static JsonObject parseObject(String json, String source) {
        try {
            JsonElement element = JsonParser.parseString(json);
            if (element.isJsonObject()) {
                return element.getAsJsonObject();
            }
        } catch (JsonParseException e) {
            // reported below with the source named, without gson's stack trace
        }
        throw new IllegalStateException(source + " is not a JSON object");
    }

    private static String contextValue(JsonObject context, Setting setting) {
        JsonElement value = context.get(setting.contextKey());
        if (value.isJsonNull()) {
            return "";
        }
        if (!value.isJsonPrimitive()) {
            throw new ConfigException(setting, value.toString(), "a string or number: " + setting.allowed());
        }
        return value.getAsString();
    }
}
