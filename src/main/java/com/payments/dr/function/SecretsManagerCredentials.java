package com.payments.dr.function;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads {"username": ..., "password": ...} (the RDS secret format) from Secrets Manager once per
 * container and keeps it until the database rejects it.
 */
public final class SecretsManagerCredentials implements DbCredentials.Provider {

    private final SecretsManagerClient client;
    private final String secretArn;
    private volatile DbCredentials cached;

    public SecretsManagerCredentials(SecretsManagerClient client, String secretArn) {
        this.client = client;
        this.secretArn = secretArn;
    }

    @Override
    public DbCredentials current() {
        DbCredentials value = cached;
        if (value == null) {
            value = parse(client.getSecretValue(b -> b.secretId(secretArn)).secretString());
            cached = value;
        }
        return value;
    }

    @Override
    public void invalidate() {
        cached = null;
    }

    private DbCredentials parse(String secret) {
        try {
            JsonObject json = JsonParser.parseString(secret).getAsJsonObject();
            return new DbCredentials(text(json.get("username")), text(json.get("password")));
        } catch (RuntimeException e) {
            // The message names the secret but never echoes its content.
            throw new IllegalStateException("secret " + secretArn
                    + " is not a JSON object with string fields username and password");
        }
    }

    private static String text(JsonElement value) {
        String text = value.getAsJsonPrimitive().getAsString();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return text;
    }
}
