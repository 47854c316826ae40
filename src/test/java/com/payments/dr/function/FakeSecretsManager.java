package com.payments.dr.function;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A loopback HTTP endpoint that answers GetSecretValue in the Secrets Manager wire format (there
 * is no local Secrets Manager engine on Maven Central), so the real SDK client and its error
 * handling are exercised.
 */
final class FakeSecretsManager implements AutoCloseable {

    private final HttpServer server;
    volatile String secretString;
    volatile boolean failing;
    final AtomicInteger calls = new AtomicInteger();

    FakeSecretsManager(String secretString) throws IOException {
        this.secretString = secretString;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            JsonObject body = new JsonObject();
            int status;
            if (failing || !"secretsmanager.GetSecretValue".equals(
                    exchange.getRequestHeaders().getFirst("X-Amz-Target"))) {
                status = 400;
                body.addProperty("__type", "ResourceNotFoundException");
                body.addProperty("message", "Secrets Manager can't find the specified secret.");
            } else {
                status = 200;
                body.addProperty("ARN", Fixtures.SECRET_ARN);
                body.addProperty("Name", "payments/db");
                body.addProperty("VersionId", "v1");
                body.addProperty("SecretString", this.secretString);
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    static String secret(String user, String password) {
        JsonObject json = new JsonObject();
        json.addProperty("username", user);
        json.addProperty("password", password);
        json.addProperty("engine", "postgres");
        return json.toString();
    }

    SecretsManagerClient client() {
        return SecretsManagerClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
