package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsUtilities;

/**
 * The application role's IAM token, compared with the SDK's own RdsUtilities (the RDS client is a
 * test dependency only; the function signs with the auth module it already ships).
 */
class IamAuthTokenTest {

    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsSessionCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "session"));
    private static final String HOST = "cluster-payments.cluster-abc.us-east-1.rds.amazonaws.com";

    @Test
    void isTheTokenTheSdkWouldMakeForTheApplicationRole() {
        IamAuthToken provider = new IamAuthToken(HOST, 5432, "payments_api", Region.US_EAST_1, CREDENTIALS,
                Clock.systemUTC());
        RdsUtilities sdk = RdsUtilities.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS).build();
        // The SDK's builder takes no clock: sign within one second on both sides (retry at a boundary).
        DbCredentials token;
        String expected;
        String again;
        do {
            token = provider.current();
            expected = sdk.generateAuthenticationToken(b -> b.hostname(HOST).port(5432).username("payments_api"));
            again = provider.current().password();
        } while (!token.password().equals(again));
        assertEquals("payments_api", token.username());
        assertEquals(expected, token.password());
        assertTrue(token.password().startsWith(HOST + ":5432/?"));
        assertTrue(token.password().contains("Action=connect"));
        assertTrue(token.password().contains("DBUser=payments_api"));
        assertTrue(token.password().contains("X-Amz-Expires=900"), "valid 15 minutes");
        assertTrue(token.password().contains("X-Amz-Credential=AKIDEXAMPLE%2F"));
        assertTrue(token.password().contains("%2Fus-east-1%2Frds-db%2Faws4_request"));
    }

    @Test
    void makesAFreshTokenForEveryConnection() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
        IamAuthToken provider = new IamAuthToken(HOST, 5432, "payments_api", Region.US_EAST_1, CREDENTIALS, clock);
        String first = provider.current().password();
        provider.invalidate();
        clock.advance(java.time.Duration.ofMinutes(1));
        assertNotEquals(first, provider.current().password());
    }

    @Test
    void theReadinessProbeSignsForTheReaderEndpointItConnectsTo() {
        String reader = "cluster-payments.cluster-ro-abc.us-east-2.rds.amazonaws.com";
        FunctionConfig config = Fixtures.config("DB_READER_HOST", reader, "AWS_REGION", "us-east-2");
        DbCredentials writer = FunctionRuntime.iamToken(config, config.dbHost(), CREDENTIALS).current();
        DbCredentials standby = FunctionRuntime.iamToken(config, config.dbReaderHost(), CREDENTIALS).current();
        assertTrue(writer.password().startsWith(config.dbHost() + ":5432/?"), writer.password());
        assertTrue(standby.password().startsWith(reader + ":5432/?"), standby.password());
        assertTrue(standby.password().contains("DBUser=payments_api"));
        assertTrue(standby.password().contains("%2Fus-east-2%2Frds-db%2Faws4_request"));
    }
}
