package com.payments.dr.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rehearsal refuses to start wherever real AWS credentials or a profile could be picked up. */
class CredentialGuardTest {

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"})
    void anyCredentialOrProfileVariableRefuses(String variable) throws IOException {
        assertEquals(List.of(variable + " is set"), CredentialGuard.reasons(Map.of(variable, "x"), home));
    }

    @Test
    void aCleanEnvironmentPassesAndBlankOrUnrelatedVariablesDoNotCount() throws IOException {
        assertEquals(List.of(), CredentialGuard.reasons(Map.of(), home));
        assertEquals(List.of(), CredentialGuard.reasons(Map.of("AWS_PROFILE", " ", "AWS_REGION", "us-east-1",
                "HOME", home.toString()), home));
    }

    @Test
    void theDefaultCredentialsFileRefusesEvenEmpty() throws IOException {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), "");
        assertEquals(List.of(home.resolve(".aws/credentials") + " exists (the SDKs' default credentials file)"),
                CredentialGuard.reasons(Map.of(), home));
    }

    @Test
    void aConfigFileRefusesOnlyWhenItLeadsToCredentials() throws IOException {
        Files.createDirectories(home.resolve(".aws"));
        Path config = home.resolve(".aws/config");
        Files.writeString(config, "[default]\nregion = us-east-1\noutput=json\n# role_arn is a comment\n");
        assertEquals(List.of(), CredentialGuard.reasons(Map.of(), home));
        Files.writeString(config, "[profile ops]\nsso_session = corp\nsso_account_id = 1\n");
        assertEquals(List.of(config + " holds credentials (sso_session)"), CredentialGuard.reasons(Map.of(), home));
        Files.writeString(config, "[default]\n  Credential_Process=/bin/creds\n");
        assertEquals(List.of(config + " holds credentials (credential_process)"),
                CredentialGuard.reasons(Map.of(), home));
    }

    @Test
    void everyReasonIsNamedInOneLineWithTheWayOut() throws IOException {
        List<String> reasons = CredentialGuard.reasons(Map.of("AWS_PROFILE", "prod", "AWS_ACCESS_KEY_ID", "AKIA"), home);
        assertEquals(List.of("AWS_ACCESS_KEY_ID is set", "AWS_PROFILE is set"), reasons);
        String refusal = CredentialGuard.refusal(reasons);
        assertEquals(1, refusal.lines().count());
        assertTrue(refusal.startsWith("error: ./main --rehearse runs only without real AWS credentials (it talks to"
                + " a local emulator): AWS_ACCESS_KEY_ID is set; AWS_PROFILE is set. Unset them"), refusal);
    }
}
