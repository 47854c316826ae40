package com.payments.dr.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The rotation function's wiring: its environment, and Secrets Manager's event as Lambda delivers
 * it. (Its steps run against PostgreSQL in {@code function.MasterSecretRotationTest}.)
 */
class MasterSecretRotationWiringTest {

    @Test
    void theEnvironmentNamesTheRegionAndTheMigratorAndIsReadOnce() {
        MasterSecretRotation wired = new MasterSecretRotation(Map.of("AWS_REGION", "us-east-1",
                "MIGRATOR_FUNCTION", "lambda-migrator-dev"));
        assertTrue(wired.wire() == wired.wire());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> new MasterSecretRotation(Map.of("AWS_REGION", "us-east-1")).wire());
        assertTrue(missing.getMessage().contains("MIGRATOR_FUNCTION"), missing.getMessage());
        // Lambda's constructor reads the process environment, which here has neither: the first
        // invocation fails naming the variable
        MasterSecretRotation lambda = new MasterSecretRotation();
        assertThrows(IllegalStateException.class, () -> lambda.handleRequest(
                new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), null));
    }

    /** Secrets Manager on a loopback port: one secret whose version "t" is already AWSCURRENT. */
    @Test
    void aCompleteEventReachesSecretsManagerAndAFinishedRotationIsLeftAlone() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        java.util.List<String> targets = new java.util.ArrayList<>();
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            targets.add(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            byte[] body = "{\"ARN\": \"s\", \"RotationEnabled\": true, \"VersionIdsToStages\": {\"t\": [\"AWSCURRENT\"]}}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
            MasterSecretRotation rotation = new MasterSecretRotation(
                    SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                            .region(Region.US_EAST_1).credentialsProvider(credentials).endpointOverride(endpoint).build(),
                    LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                            .region(Region.US_EAST_1).credentialsProvider(credentials).endpointOverride(endpoint).build(),
                    "lambda-migrator-dev");
            rotation.handleRequest(new ByteArrayInputStream(
                    "{\"Step\": \"finishSecret\", \"SecretId\": \"s\", \"ClientRequestToken\": \"t\"}"
                            .getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
            assertEquals(java.util.List.of("secretsmanager.DescribeSecret"), targets, "nothing else to do");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theEventCarriesTheStepTheSecretAndTheToken() {
        URI nowhere = URI.create("http://127.0.0.1:1");
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        MasterSecretRotation rotation = new MasterSecretRotation(
                SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                        .region(Region.US_EAST_1).credentialsProvider(credentials).endpointOverride(nowhere).build(),
                LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                        .region(Region.US_EAST_1).credentialsProvider(credentials).endpointOverride(nowhere).build(),
                "lambda-migrator-dev");
        MalformedEventException malformed = assertThrows(MalformedEventException.class, () -> rotation.handleRequest(
                new ByteArrayInputStream("{\"SecretId\": \"s\"}".getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null));
        assertEquals("Step is missing", malformed.getMessage());
        // a complete event goes to Secrets Manager, unreachable here: the step fails, and Secrets
        // Manager would retry it
        assertThrows(SdkClientException.class, () -> rotation.handleRequest(new ByteArrayInputStream(
                ("{\"Step\": \"createSecret\", \"SecretId\": \"s\", \"ClientRequestToken\": \"t\"}")
                        .getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null));
    }
}
