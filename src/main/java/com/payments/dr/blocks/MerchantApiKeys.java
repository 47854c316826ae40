package com.payments.dr.blocks;

import com.hashicorp.cdktf.providers.aws.api_gateway_api_key.ApiGatewayApiKey;
import com.payments.dr.config.MerchantKey;
import com.payments.dr.naming.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.constructs.Construct;

/**
 * One region's API keys, one per merchant key, each with the value its secret holds
 * ({@link MerchantKeySecrets}): the same value in both regions, a different key id in each (API
 * Gateway makes the ids). The payment function learns which merchant a request acts for from the
 * key's id ({@code requestContext.identity.apiKeyId}), through {@link #merchantsByKeyId()}.
 */
public final class MerchantApiKeys extends Construct {

    /** The function's environment variable holding {@link #merchantsByKeyId()}. */
    public static final String ENVIRONMENT_VARIABLE = "MERCHANT_KEYS";

    private final Map<MerchantKey, String> keyIds = new LinkedHashMap<>();

    public MerchantApiKeys(Construct scope, String id, RegionContext region, MerchantKeySecrets secrets) {
        super(scope, id);
        secrets.all().forEach((key, secret) -> keyIds.put(key, ApiGatewayApiKey.Builder.create(this,
                        key.qualifier().replace('-', '_'))
                .provider(region.provider())
                .name(region.naming().name(ResourceType.API_KEY, key.qualifier()))
                .description("Merchant " + key.merchant() + ", key generation " + key.generation() + " ("
                        + region.role().label() + " region; the same value in both regions)")
                // a Terraform expression reading the secret, never the value itself
                .value(secret.value())
                .enabled(true)
                .build()
                .getId()));
    }

    /** The key ids of this region, in MERCHANTS order. */
    public Map<MerchantKey, String> keyIds() {
        return java.util.Collections.unmodifiableMap(keyIds);
    }

    /** The key ids by qualifier ({@code <merchant>-<generation>}), in MERCHANTS order. */
    public Map<String, String> idsByQualifier() {
        Map<String, String> ids = new LinkedHashMap<>();
        keyIds.forEach((key, keyId) -> ids.put(key.qualifier(), keyId));
        return ids;
    }

    /**
     * {@code {"<key id>": "<merchant>", …}} as a Terraform template: API Gateway's key ids are
     * letters and digits, merchant ids letters, digits and hyphens, so nothing needs escaping.
     */
    public String merchantsByKeyId() {
        List<String> entries = new ArrayList<>();
        keyIds.forEach((key, keyId) -> entries.add("\"" + keyId + "\":\"" + key.merchant() + "\""));
        return "{" + String.join(",", entries) + "}";
    }
}
