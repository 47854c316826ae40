package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The function's waits: the deployed ones, and the combinations that make no sense refused. */
class TimingsTest {

    @Test
    void theDeployedWaitsAreTheFunctionsConstants() {
        assertEquals(new Timings(Duration.ofSeconds(60), Duration.ofSeconds(6), 5, Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(1)), Timings.DEPLOYED);
    }

    @Test
    void aLeaseShorterThanTheUnknownOutcomeLeaseOrARetryAfterUnderASecondIsRefused() {
        IllegalArgumentException lease = assertThrows(IllegalArgumentException.class, () -> new Timings(
                Duration.ofSeconds(1), Duration.ofSeconds(2), 1, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertTrue(lease.getMessage().startsWith("a lease shorter than the unknown-outcome lease"), lease.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Timings(Duration.ofSeconds(3), Duration.ofSeconds(1), 0,
                Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }
}
