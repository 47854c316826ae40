package com.payments.dr.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Settings whose defaults suit only a developer's machine, and what marks a configuration as a real
 * environment. A real environment must set each of those settings itself: otherwise its synth stops
 * with one line naming the setting and what made the environment real (exit 2). Any other
 * configuration synthesizes; the synth names the settings on stdout (the cdktf CLI shows every stderr
 * line as an {@code [ERROR]}) and the readiness report lists the development defaults it deploys.
 * <p>
 * The one place to extend: what else makes an environment real is one more {@link Marker} in
 * {@link #MARKERS} (a real domain, the production profile); a setting a real environment must choose, one more
 * {@link Required} in {@link #REQUIRED}.
 */
public final class RealEnvironment {

    /**
     * A setting whose value, when {@code value} gives one, makes the configuration a real environment;
     * {@code when} says it in a few words ("DNS_DOMAIN is set").
     */
    public record Marker(Setting setting, Function<DrConfig, Optional<String>> value, String meaning, String when) {
    }

    /** A setting a real environment must set, what it deploys and what its default would mean. */
    public record Required(Setting setting, Function<DrConfig, String> value, String defaultMeans, String setTo) {

        /** "set X (or x in cdktf.json) to …". */
        public String howToSet() {
            return "set " + setting.envVar() + " (or " + setting.contextKey() + " in cdktf.json) to " + setTo;
        }
    }

    static final List<Marker> MARKERS = List.of(
            new Marker(Setting.DNS_DOMAIN, DrConfig::dnsDomain, "a real domain means a real environment",
                    "DNS_DOMAIN is set"),
            new Marker(Setting.PROTECTION, config -> config.protection().production()
                    ? Optional.of(config.protection().value()) : Optional.empty(),
                    "the production profile is a real environment", "PROTECTION=production"));

    static final List<Required> REQUIRED = List.of(
            new Required(Setting.ALLOWED_ORIGIN, config -> config.function().allowedOrigin(),
                    "the deployed functions allow CORS only from " + Setting.ALLOWED_ORIGIN.defaultValue()
                            + " (a developer's machine)",
                    "the checkout page's origin (scheme://host[:port])"));

    private RealEnvironment() {
    }

    /**
     * Throws a one-line {@link ConfigException} when a marker makes {@code config} a real environment
     * and a required setting is not among {@code configured} (set by the environment or cdktf.json).
     */
    public static void require(DrConfig config, Set<Setting> configured) {
        for (Marker marker : MARKERS) {
            Optional<String> value = marker.value().apply(config);
            if (value.isEmpty()) {
                continue;
            }
            for (Required required : REQUIRED) {
                if (!configured.contains(required.setting())) {
                    throw ConfigException.notSet(required.setting(), ", and " + marker.setting().envVar() + "="
                            + value.get() + " makes this a real environment (" + marker.meaning() + "): "
                            + required.howToSet() + "; unset, " + required.defaultMeans());
                }
            }
        }
    }

    /** One note per required setting that {@code configured} lacks: what its default means and when it is required. */
    public static List<String> notes(Set<Setting> configured) {
        return REQUIRED.stream().filter(required -> !configured.contains(required.setting()))
                .map(required -> "note: " + required.setting().envVar() + " is not set: " + required.defaultMeans()
                        + "; " + required.howToSet() + " for any real environment (required once " + requiredWhen()
                        + ")")
                .toList();
    }

    /** When the required settings are required: "DNS_DOMAIN is set or PROTECTION=production". */
    public static String requiredWhen() {
        return String.join(" or ", MARKERS.stream().map(Marker::when).toList());
    }

    /** The required settings {@code config} leaves at their development defaults, for the readiness report. */
    public static List<Required> developmentDefaults(DrConfig config) {
        return REQUIRED.stream().filter(r -> r.value().apply(config).equals(r.setting().defaultValue())).toList();
    }
}
