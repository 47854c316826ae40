package com.payments.dr.rehearsal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Terraform override files that turn the synthesized stack into a rehearsal: Terraform merges
 * {@code *_override.tf.json} into the configuration it sits beside, so the stack's own files stay as
 * synthesized. One file replaces the S3 backend with a local state file (written before
 * {@code init}, which would otherwise reach for the bucket); the other gives every AWS provider of
 * the stack, whatever its alias, dummy keys and every service endpoint on the emulator.
 */
public final class EmulatorOverride {

    /** Access key of the rehearsal: recognisably fake, accepted by the emulator, refused by AWS. */
    public static final String DUMMY_KEY = "rehearsal-not-a-real-key";
    /**
     * The SDK's own retries of a failed call (the provider's default is 25, with backoff): against an
     * emulator a failure is an answer, not a throttle, and waiting minutes to see it hides it.
     */
    static final int MAX_RETRIES = 2;

    private EmulatorOverride() {
    }

    /** {@code terraform { backend "local" { path = ... } }}: the state stays under target/. */
    public static String backend(String statePath) {
        JsonObject local = new JsonObject();
        local.addProperty("path", statePath);
        JsonObject backend = new JsonObject();
        backend.add("local", local);
        JsonObject terraform = new JsonObject();
        terraform.add("backend", backend);
        JsonObject root = new JsonObject();
        root.add("terraform", terraform);
        return json(root);
    }

    /**
     * Every endpoint the provider's schema offers, less the alternative names of a service (the
     * provider warns when two names of one service are both set): read from
     * {@code terraform providers schema -json}, so a resource type added to the stack later is on
     * the emulator too.
     */
    public static List<String> endpointKeys(JsonObject providersSchema, Set<String> aliases) {
        for (var provider : providersSchema.getAsJsonObject("provider_schemas").entrySet()) {
            if (provider.getKey().endsWith("/hashicorp/aws")) {
                JsonObject endpoints = provider.getValue().getAsJsonObject().getAsJsonObject("provider")
                        .getAsJsonObject("block").getAsJsonObject("block_types").getAsJsonObject("endpoints")
                        .getAsJsonObject("block").getAsJsonObject("attributes");
                Set<String> keys = new TreeSet<>(endpoints.keySet());
                keys.removeAll(aliases);
                return List.copyOf(keys);
            }
        }
        throw new IllegalArgumentException("no hashicorp/aws provider in the schema: was terraform init run?");
    }

    /**
     * One provider block per AWS provider of the stack (matched by alias; a provider without one is
     * the default), pointing it at {@code url} with dummy keys and nothing read from the machine's
     * AWS configuration ({@code emptyFile} stands for the shared config and credentials files).
     */
    public static String providers(JsonObject stack, List<String> endpointKeys, String url, String emptyFile) {
        JsonObject endpoints = new JsonObject();
        endpointKeys.forEach(key -> endpoints.addProperty(key, url));
        JsonArray blocks = new JsonArray();
        for (JsonObject declared : awsProviders(stack)) {
            JsonObject block = new JsonObject();
            if (declared.has("alias")) {
                block.add("alias", declared.get("alias"));
            }
            block.addProperty("access_key", DUMMY_KEY);
            block.addProperty("secret_key", DUMMY_KEY);
            block.add("shared_config_files", strings(emptyFile));
            block.add("shared_credentials_files", strings(emptyFile));
            block.addProperty("skip_credentials_validation", true);
            block.addProperty("skip_metadata_api_check", true);
            block.addProperty("skip_region_validation", true);
            // the emulator serves every bucket under its one host
            block.addProperty("s3_use_path_style", true);
            block.addProperty("max_retries", MAX_RETRIES);
            JsonArray endpointBlock = new JsonArray();
            endpointBlock.add(endpoints.deepCopy());
            block.add("endpoints", endpointBlock);
            blocks.add(block);
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("the stack declares no AWS provider");
        }
        JsonObject provider = new JsonObject();
        provider.add("aws", blocks);
        JsonObject root = new JsonObject();
        root.add("provider", provider);
        return json(root);
    }

    /** The stack's AWS provider blocks: cdktf writes a list, hand-written JSON may hold a single object. */
    static List<JsonObject> awsProviders(JsonObject stack) {
        List<JsonObject> providers = new ArrayList<>();
        JsonObject all = stack.getAsJsonObject("provider");
        JsonElement aws = all == null ? null : all.get("aws");
        if (aws != null && aws.isJsonArray()) {
            aws.getAsJsonArray().forEach(p -> providers.add(p.getAsJsonObject()));
        } else if (aws != null) {
            providers.add(aws.getAsJsonObject());
        }
        return providers;
    }

    private static JsonArray strings(String... values) {
        JsonArray array = new JsonArray();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    private static String json(JsonObject root) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }
}
