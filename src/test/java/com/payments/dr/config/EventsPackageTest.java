package com.payments.dr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The event functions' package: defaults to the build's zip, must exist. */
class EventsPackageTest {

    @Test
    void defaultsToTheBuildsPackage() {
        assertEquals(Path.of("target/events-function.zip"), DrConfig.builder().build().eventsPackage());
    }

    @Test
    void aMissingPackageIsOneLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DrConfig.builder().set(Setting.EVENTS_PACKAGE, "target/nothing.zip").build());
        assertEquals("invalid EVENTS_PACKAGE=\"target/nothing.zip\": allowed: " + Setting.EVENTS_PACKAGE.allowed(),
                e.getMessage());
    }
}
