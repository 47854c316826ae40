package com.payments.dr.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One API key of one merchant ({@code MERCHANTS}): the merchant it authenticates and its
 * generation. A merchant has one key, and two while it rotates (the current generation and its
 * successor, both valid in both regions until the old one is removed from the list).
 */
public record MerchantKey(String merchant, int generation) {

    /** Ids become part of resource names (secrets, API keys), so they are kept short and plain. */
    public static final int MAX_MERCHANT_LENGTH = 32;
    public static final int MAX_GENERATION = 99;
    /**
     * The payment function receives every key id with its merchant in one environment variable;
     * Lambda allows 4 KB of environment in all, about 50 bytes per key.
     */
    public static final int MAX_KEYS = 40;
    /** What the runbook's and the post-deploy suite's test payments are booked to: never a real merchant. */
    public static final String SMOKE_TEST_MERCHANT = "smoke-test";

    private static final Pattern ENTRY = Pattern.compile("([a-z0-9][a-z0-9-]{0," + (MAX_MERCHANT_LENGTH - 1)
            + "})(?::([1-9][0-9]?))?");

    /** {@code merchant-generation}: the qualifier of the key's secret and API key names. */
    public String qualifier() {
        return merchant + "-" + generation;
    }

    /** {@code merchant:generation}, as MERCHANTS spells it in full. */
    @Override
    public String toString() {
        return merchant + ":" + generation;
    }

    /** Parses and validates {@code MERCHANTS}; every problem is one line naming the setting. */
    static List<MerchantKey> parse(String text) {
        Setting setting = Setting.MERCHANTS;
        if (text.isBlank()) {
            throw new ConfigException(setting, text, "at least one merchant: " + setting.allowed());
        }
        String[] entries = text.split(",", -1);
        if (entries.length > MAX_KEYS) {
            throw new ConfigException(setting, text, "at most " + MAX_KEYS + " keys (the payment function's"
                    + " environment carries every key id): " + setting.allowed());
        }
        List<MerchantKey> keys = new ArrayList<>();
        Set<MerchantKey> seen = new HashSet<>();
        Map<String, Integer> generations = new HashMap<>();
        for (String entry : entries) {
            Matcher m = ENTRY.matcher(entry.trim());
            if (!m.matches() || m.group(1).endsWith("-")) {
                throw new ConfigException(setting, text, "entry \"" + entry.trim() + "\" is not merchant[:generation]: "
                        + setting.allowed());
            }
            MerchantKey key = new MerchantKey(m.group(1), m.group(2) == null ? 1 : Integer.parseInt(m.group(2)));
            if (!seen.add(key)) {
                throw new ConfigException(setting, text, "each merchant key once; " + key + " is listed twice");
            }
            if (generations.merge(key.merchant(), 1, Integer::sum) > 2) {
                throw new ConfigException(setting, text, "at most two keys of merchant " + key.merchant()
                        + " (the current one and its successor during a rotation)");
            }
            keys.add(key);
        }
        return List.copyOf(keys);
    }
}
