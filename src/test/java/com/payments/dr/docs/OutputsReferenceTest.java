package com.payments.dr.docs;

import com.google.gson.JsonObject;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import com.payments.dr.stack.Synth;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/outputs.md lists the synthesized outputs with their own descriptions. */
class OutputsReferenceTest {

    static final Path DOC = Path.of("docs/outputs.md");
    private static JsonObject defaults;
    private static JsonObject customDomains;

    @BeforeAll
    static void synthesize() {
        defaults = Synth.defaults().json().getAsJsonObject("output");
        customDomains = Synth.of(DrConfig.builder().set(Setting.CUSTOM_DOMAINS, "true")
                .set(Setting.DNS_DOMAIN, "pay.acme.io").set(Setting.ALLOWED_ORIGIN, "https://shop.acme.io").build())
                .json().getAsJsonObject("output");
    }

    /**
     * One row per output, in name order; a {@code primary_x}/{@code dr_x} pair whose descriptions
     * differ only in the region's name is one row naming both, described for "each region".
     */
    static String table(JsonObject outputs, Set<String> names) {
        TreeMap<String, String> rows = new TreeMap<>();
        for (String name : names) {
            String rest = name.replaceFirst("^(primary|dr)_", "");
            boolean pair = !rest.equals(name) && names.contains("primary_" + rest) && names.contains("dr_" + rest)
                    && generic(outputs, "primary_" + rest).equals(generic(outputs, "dr_" + rest));
            if (!pair) {
                rows.put("`" + name + "`", description(outputs, name));
            } else if (name.startsWith("primary_")) {
                rows.put("`" + name + "`, `dr_" + rest + "`", generic(outputs, name));
            }
        }
        StringBuilder md = new StringBuilder("| output | description |\n|---|---|\n");
        rows.forEach((name, description) -> md.append("| ").append(name).append(" | ")
                .append(SettingsReferenceTest.cell(description)).append(" |\n"));
        return md.toString();
    }

    private static String description(JsonObject outputs, String name) {
        return outputs.getAsJsonObject(name).get("description").getAsString();
    }

    /** The description with "the primary region" or "the dr region" as "each region". */
    private static String generic(JsonObject outputs, String name) {
        String text = description(outputs, name).replaceAll("(?i)\\bthe (primary|dr) region", "each region");
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    @Test
    void theDefaultOutputsAreListed() {
        new GeneratedBlock(DOC, "outputs").check(table(defaults, defaults.keySet()));
    }

    @Test
    void theCustomDomainOutputsAreListed() {
        Set<String> added = new TreeSet<>(customDomains.keySet());
        added.removeAll(defaults.keySet());
        new GeneratedBlock(DOC, "custom domain outputs").check(table(customDomains, added));
    }
}
