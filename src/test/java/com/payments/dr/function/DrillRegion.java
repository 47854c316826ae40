package com.payments.dr.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One region's API for the failover drill: a loopback HTTP server standing in for API Gateway's
 * REST proxy integration in front of a few warm Lambda containers, each a {@link PaymentHandler}
 * built from the region's environment as Lambda builds it ({@link FunctionConfig#fromEnvironment}),
 * with its own DynamoDB client (the function's timeouts and retries) and its own database
 * connection (TLS verify-full against the region's server certificate). A request waits for a
 * free container, as Lambda would start one; every invocation gets the deployed 25 s timeout.
 */
final class DrillRegion implements AutoCloseable {

    /** The deployed function's timeout (PaymentFunction): the context's remaining time at the start. */
    static final int FUNCTION_TIMEOUT_MILLIS = 25_000;

    private final String name;
    private volatile HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<PaymentHandler> containers;
    private final List<AutoCloseable> resources = new ArrayList<>();

    /**
     * @param env the function's environment as the stack sets it (DB_HOST, DB_PORT, ... pointing at
     *            this region's engines)
     */
    DrillRegion(String name, Map<String, String> env, int containerCount, Timings timings) throws IOException {
        this.name = name;
        containers = new ArrayBlockingQueue<>(containerCount);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("local", "local"));
        for (int i = 0; i < containerCount; i++) {
            FunctionConfig config = FunctionConfig.fromEnvironment(env);
            DynamoDbClient dynamo = FunctionRuntime.dynamoClient(config, credentials, List.of());
            // the other region's replica, through the path the stack builds (here a cuttable link)
            java.util.Optional<DynamoDbClient> mirror = config.ackMirror()
                    .map(m -> FunctionRuntime.mirrorClient(m, credentials, List.of()));
            // the application role; in AWS an IAM token, here the password that stands in for it
            PaymentHandler handler = new PaymentHandler(new FunctionRuntime(config, dynamo, mirror,
                    Fixtures.appCredentials(), Clock.systemUTC(), timings));
            resources.add(handler);
            resources.add(dynamo);
            mirror.ifPresent(resources::add);
            containers.add(handler);
        }
        executor = Executors.newFixedThreadPool(containerCount * 2);
        server = listen(0);
    }

    private HttpServer listen(int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        s.createContext("/", this::serve);
        s.setExecutor(executor);
        s.start();
        return s;
    }

    /**
     * The region's API goes away at once: the listener and every open connection are closed, so
     * requests in flight lose their responses (their invocations run on, as a Lambda invocation
     * does when its caller is gone) and new ones are refused.
     */
    void kill() {
        server.stop(0);
    }

    /** The region's API is back, on the same address when the port is free again. */
    void restart() throws IOException {
        int port = server.getAddress().getPort();
        try {
            server = listen(port);
        } catch (java.net.BindException taken) {
            server = listen(0);
        }
    }

    String name() {
        return name;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            String event = Fixtures.event(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    headers, body);
            PaymentHandler container;
            try {
                container = containers.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                container.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                        context());
            } finally {
                containers.add(container);
            }
            JsonObject result = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
            result.getAsJsonObject("headers").entrySet()
                    .forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue().getAsString()));
            byte[] bytes = result.get("body").getAsString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(result.get("statusCode").getAsInt(), bytes.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(bytes);
            }
        }
    }

    private static Context context() {
        return Fixtures.context(FUNCTION_TIMEOUT_MILLIS);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // closing a container whose database is gone
            }
        }
    }
}
