package com.payments.dr.config;

/**
 * A configuration value that cannot be used. Its message is one line naming the setting, the bad
 * value and what is allowed, so the CLI can print it as is.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Setting setting;

    public ConfigException(Setting setting, String value, String allowed) {
        super("invalid " + setting.envVar() + "=\"" + value + "\": allowed: " + allowed);
        this.setting = setting;
    }

    public Setting setting() {
        return setting;
    }
}
