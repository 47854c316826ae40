package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

class SecretsManagerCredentialsTest {

    @Test
    void readsTheSecretOncePerContainerUntilInvalidated() throws Exception {
        try (FakeSecretsManager fake = new FakeSecretsManager(FakeSecretsManager.secret("app", "pw1"))) {
            SecretsManagerCredentials credentials =
                    new SecretsManagerCredentials(fake.client(), Fixtures.SECRET_ARN);
            assertEquals(new DbCredentials("app", "pw1"), credentials.current());
            fake.secretString = FakeSecretsManager.secret("app", "pw2");
            assertEquals(new DbCredentials("app", "pw1"), credentials.current());
            assertEquals(1, fake.calls.get());
            credentials.invalidate();
            DbCredentials fresh = credentials.current();
            assertEquals("pw2", fresh.password(), () -> fresh.password() + " calls=" + fake.calls.get());
            assertEquals(2, fake.calls.get());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{\"username\":\"app\"}",
            "{\"username\":\"app\",\"password\":\"\"}", "{\"username\":{},\"password\":\"p\"}"})
    void aMalformedSecretIsAClearErrorThatNeverEchoesTheSecret(String secret) throws Exception {
        try (FakeSecretsManager fake = new FakeSecretsManager(secret)) {
            SecretsManagerCredentials credentials =
                    new SecretsManagerCredentials(fake.client(), Fixtures.SECRET_ARN);
            IllegalStateException e = assertThrows(IllegalStateException.class, credentials::current);
            assertEquals("secret " + Fixtures.SECRET_ARN
                    + " is not a JSON object with string fields username and password", e.getMessage());
            assertFalse(e.getMessage().contains(secret));
        }
    }

    @Test
    void serviceErrorsPropagateAsSdkExceptions() throws Exception {
        try (FakeSecretsManager fake = new FakeSecretsManager("{}")) {
            fake.failing = true;
            SecretsManagerCredentials credentials =
                    new SecretsManagerCredentials(fake.client(), Fixtures.SECRET_ARN);
            ResourceNotFoundException e =
                    assertThrows(ResourceNotFoundException.class, credentials::current);
            assertTrue(e.getMessage().contains("can't find"));
        }
    }
}
