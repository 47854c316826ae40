package com.payments.dr.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.events.MasterSecretRotation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The rotation waits for the migrator it invokes: a cold Java function in the VPC with a reserved
 * concurrency of 1, so one attempt that outlasts a rotation step there (a cold start, a login, a
 * statement), and a rotation function that outlasts that attempt.
 */
class RotationTimeoutsTest {

    @Test
    void oneInvokeAttemptOutlastsTheMigratorAndTheRotationOutlastsIt() {
        Duration step = MasterSecretRotation.MIGRATOR_COLD_START
                .plus(com.payments.dr.function.MigrationHandler.CONNECT_TIMEOUT)
                .plus(com.payments.dr.function.MigrationHandler.STATEMENT_TIMEOUT);
        assertTrue(MasterSecretRotation.INVOKE_TIMEOUT.compareTo(step) > 0);
        // the migrator itself may run longer (a reconciliation): the attempt does not wait for that
        assertTrue(Duration.ofSeconds(MigratorFunction.TIMEOUT_SECONDS).compareTo(step) > 0);
        assertEquals(MasterSecretRotation.INVOKE_TIMEOUT, MasterSecretRotation.INVOKE_ONCE.apiCallAttemptTimeout().get());
        assertEquals(MasterSecretRotation.INVOKE_TIMEOUT, MasterSecretRotation.INVOKE_ONCE.apiCallTimeout().get());
        assertEquals(1, MasterSecretRotation.INVOKE_ONCE.retryStrategy().get().maxAttempts(), "no SDK retry");
        // the invocation plus a step's Secrets Manager calls, within Lambda's 900 s maximum
        Duration rotation = Duration.ofSeconds(MasterSecretRotator.TIMEOUT_SECONDS);
        assertTrue(rotation.compareTo(MasterSecretRotation.INVOKE_TIMEOUT.plus(MasterSecretRotation.BOUNDED_CALL)) > 0);
        assertTrue(MasterSecretRotator.TIMEOUT_SECONDS <= 900);
    }
}
