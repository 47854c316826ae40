package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every settings test asserts of a refused value: one line naming the setting, the value and what is allowed. */
final class Refusals {

    private Refusals() {
    }

    /** {@code setting=value} is refused with {@code invalid SETTING="value": allowed: …} naming {@code allowed}. */
    static void assertRefusedInOneLine(Setting setting, String value, String allowed) {
        assertRefusedInOneLine(setting, value, value, allowed);
    }

    /** The same, where the message shows the value as {@code shown}. */
    static void assertRefusedInOneLine(Setting setting, String value, String shown, String allowed) {
        ConfigException e = assertThrows(ConfigException.class, () -> DrConfig.builder().set(setting, value).build());
        assertEquals(setting, e.setting());
        String message = e.getMessage();
        String start = "invalid " + setting.name() + "=\"" + shown + "\": allowed: ";
        assertTrue(message.startsWith(start), message);
        assertTrue(message.substring(start.length()).contains(allowed), message);
        assertEquals(1, message.lines().count(), "one line: " + message);
    }
}
