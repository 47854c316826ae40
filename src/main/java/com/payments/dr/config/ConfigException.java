package com.payments.dr.config;

/**
 * A configuration value that cannot be used. Its message is one line naming the setting, the bad
 * value and what is allowed, so the CLI can print it as is.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Setting setting;

    public ConfigException(Setting setting, String value, String allowed) {
        this(setting, "invalid " + setting.envVar() + "=\"" + value + "\": allowed: " + allowed);
    }

    private ConfigException(Setting setting, String message) {
        super(message);
        this.setting = setting;
    }

    /** A setting that must be set here and is not: {@code "<SETTING> is not set" + because}. */
    public static ConfigException notSet(Setting setting, String because) {
        return new ConfigException(setting, setting.envVar() + " is not set" + because);
    }

    /** A setting given under a name no longer read: {@code message} says what replaced it. */
    public static ConfigException retired(Setting replacement, String message) {
        return new ConfigException(replacement, message);
    }

    public Setting setting() {
        return setting;
    }
}
