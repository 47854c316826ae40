package com.payments.dr.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The deployment trigger's digest. */
class PaymentApiDefinitionTest {

    @Test
    void digestIsLowercaseHexOfTheUtf8Bytes() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                PaymentApi.digest("SHA-256", "abc"));
    }

    @Test
    void anUnknownAlgorithmIsAProgrammingError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PaymentApi.digest("NO-SUCH", "abc"));
        assertEquals("no NO-SUCH in this JVM", e.getMessage());
    }
}
