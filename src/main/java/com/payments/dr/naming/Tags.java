package com.payments.dr.naming;

import java.util.Map;
import java.util.TreeMap;

/** The tags every resource carries (through the providers' {@code default_tags}) and Name tags. */
public final class Tags {

    private Tags() {
    }

    /** Sorted, so the synthesized JSON is byte-stable. */
    public static Map<String, String> defaults(String environmentSuffix) {
        Map<String, String> tags = new TreeMap<>();
        tags.put("Environment", "DR");
        tags.put("CostCenter", "Operations");
        tags.put("Criticality", "High");
        tags.put("EnvironmentSuffix", environmentSuffix);
        return tags;
    }

    /** The console shows a resource's Name tag; resources without a name argument get one. */
    public static Map<String, String> name(String name) {
        return Map.of("Name", name);
    }
}
