package com.payments.dr.rehearsal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rehearsal runs only where no real AWS credentials could be picked up: it talks to an emulator
 * on loopback with dummy keys, and a mistake in its override must never turn into calls against an
 * account. Any credential or profile in the environment, or a credentials file the SDKs and the
 * provider would read by default, stops it before anything starts.
 */
public final class CredentialGuard {

    /** Variables through which the AWS SDKs, the CLI or the provider find credentials or a profile. */
    static final List<String> VARIABLES = List.of(
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
            "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE");

    /** Keys of a shared config file that hold or lead to credentials (a profile with only a region does not). */
    static final List<String> CONFIG_CREDENTIAL_KEYS = List.of("aws_access_key_id", "aws_secret_access_key",
            "aws_session_token", "credential_process", "credential_source", "role_arn", "web_identity_token_file",
            "sso_start_url", "sso_session", "sso_account_id", "login_session");

    private CredentialGuard() {
    }

    /** Why the rehearsal must not run here, one reason each; empty when nothing real could be used. */
    public static List<String> reasons(Map<String, String> env, Path home) throws IOException {
        List<String> reasons = new ArrayList<>();
        for (String variable : VARIABLES) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                reasons.add(variable + " is set");
            }
        }
        Path credentials = home.resolve(".aws").resolve("credentials");
        if (Files.exists(credentials)) {
            reasons.add(credentials + " exists (the SDKs' default credentials file)");
        }
        Path config = home.resolve(".aws").resolve("config");
        if (Files.isRegularFile(config)) {
            for (String line : Files.readAllLines(config)) {
                String key = line.split("=", 2)[0].trim().toLowerCase(Locale.ROOT);
                if (line.contains("=") && CONFIG_CREDENTIAL_KEYS.contains(key)) {
                    reasons.add(config + " holds credentials (" + key + ")");
                    break;
                }
            }
        }
        return reasons;
    }

    /** The refusal as ./main prints it: what was found and how to run the rehearsal anyway. */
    public static String refusal(List<String> reasons) {
        return "error: ./main --rehearse runs only without real AWS credentials (it talks to a local emulator): "
                + String.join("; ", reasons) + ". Unset them, or run it in a shell with HOME pointing at an"
                + " empty directory.";
    }
}
