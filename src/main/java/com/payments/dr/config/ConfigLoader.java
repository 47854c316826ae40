package com.payments.dr.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads the configuration. Precedence, highest first: the environment variable named like the
 * {@link Setting}; the {@code context} of {@code cdktf.json} (passed by the cdktf CLI as
 * {@code CDKTF_CONTEXT_JSON}, or read from {@code cdktf.json} when {@code ./main} runs on its own);
 * the built-in default. An empty environment variable counts as unset. A real environment must set
 * what {@link RealEnvironment} requires.
 */
public final class ConfigLoader {

    /** Set by the cdktf CLI to the JSON of cdktf.json's context plus its own keys. */
    public static final String CONTEXT_ENV = "CDKTF_CONTEXT_JSON";

    private ConfigLoader() {
    }

    /**
     * A setting no longer read, by its environment variable and context key, and what replaced it:
     * given under its old name, it stops the synth rather than being dropped in silence.
     */
    record Retired(String envVar, String contextKey, Setting replacement, String instead) {
    }

    static final java.util.List<Retired> RETIRED = java.util.List.of(
            new Retired("API_THROTTLE_RATE", "apiThrottleRate", Setting.API_MERCHANT_THROTTLE_RATE,
                    "it was both one merchant key's rate and the whole stage's; set API_MERCHANT_THROTTLE_RATE"
                            + " (one key) and API_STAGE_THROTTLE_RATE (all callers together)"),
            new Retired("API_THROTTLE_BURST", "apiThrottleBurst", Setting.API_MERCHANT_THROTTLE_BURST,
                    "it was both one merchant key's burst and the whole stage's; set API_MERCHANT_THROTTLE_BURST"
                            + " (one key) and API_STAGE_THROTTLE_BURST (all callers together)"));

    public static DrConfig load(Map<String, String> env, Path cdktfJson) {
        JsonObject context = context(env, cdktfJson);
        for (Retired retired : RETIRED) {
            String fromEnv = env.get(retired.envVar());
            if (fromEnv != null && !fromEnv.isBlank() || context.has(retired.contextKey())) {
                throw ConfigException.retired(retired.replacement(), retired.envVar() + " (" + retired.contextKey()
                        + ") is no longer read: " + retired.instead());
            }
        }
        Set<Setting> configured = configured(env, context);
        DrConfig.Builder builder = DrConfig.builder();
        for (Setting setting : configured) {
            String fromEnv = env.get(setting.envVar());
            builder.set(setting, fromEnv != null && !fromEnv.isBlank() ? fromEnv : contextValue(context, setting));
        }
        DrConfig config = builder.build();
        RealEnvironment.require(config, configured);
        return config;
    }

    /** The settings given by the environment or the context, rather than defaulted. */
    public static Set<Setting> configured(Map<String, String> env, Path cdktfJson) {
        return configured(env, context(env, cdktfJson));
    }

    /** Whether {@code setting} is given by the environment or the context, rather than defaulted. */
    public static boolean isConfigured(Setting setting, Map<String, String> env, Path cdktfJson) {
        return configured(env, cdktfJson).contains(setting);
    }

    private static Set<Setting> configured(Map<String, String> env, JsonObject context) {
        Set<Setting> configured = EnumSet.noneOf(Setting.class);
        for (Setting setting : Setting.values()) {
            String fromEnv = env.get(setting.envVar());
            if (fromEnv != null && !fromEnv.isBlank() || context.has(setting.contextKey())) {
                configured.add(setting);
            }
        }
        return configured;
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
