package com.payments.dr.function;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The credentials endpoint Lambda gives a function restored from a SnapStart snapshot
 * ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}), on a loopback port: it answers only a request
 * whose Authorization header carries {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}.
 */
final class ContainerCredentialsEndpoint implements AutoCloseable {

    static final String TOKEN = "snapstart-authorization-token";
    static final String ACCESS_KEY = "snapstartkey";
    private final HttpServer server;
    final AtomicInteger served = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    ContainerCredentialsEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/2021-04-23/credentials", exchange -> {
            boolean authorized = TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            JsonObject body = new JsonObject();
            if (authorized) {
                served.incrementAndGet();
                body.addProperty("AccessKeyId", ACCESS_KEY);
                body.addProperty("SecretAccessKey", "snapstart-secret");
                body.addProperty("Token", "snapstart-session");
                // as container credentials endpoints may answer; the SDK reads it (and the function's
                // DynamoDB client must still use the regional endpoint: DynamoEndpointTest)
                body.addProperty("AccountId", "123456789012");
                body.addProperty("Expiration", Instant.now().plusSeconds(3600).toString());
            } else {
                refused.incrementAndGet();
                body.addProperty("message", "unauthorized");
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(authorized ? 200 : 401, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/2021-04-23/credentials";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
