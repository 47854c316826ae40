package com.payments.dr.function;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * DynamoDB Local (the official engine) in-process on a loopback port, shared by the fork. The
 * function's own client talks to it over HTTP exactly as it talks to DynamoDB.
 */
final class TestDynamo {

    private static TestDynamo shared;

    private final DynamoDBProxyServer server;
    private final URI endpoint;
    private final DynamoDbClient client;

    static synchronized TestDynamo shared() {
        if (shared == null) {
            try {
                shared = new TestDynamo();
            } catch (Exception e) {
                throw new IllegalStateException("could not start DynamoDB Local (is -Dsqlite4java.library.path"
                        + " set to the native library directory?)", e);
            }
        }
        return shared;
    }

    /** Another engine, on its own port, sharing nothing with the others (a second region). */
    static TestDynamo startNew() {
        try {
            return new TestDynamo();
        } catch (Exception e) {
            throw new IllegalStateException("could not start DynamoDB Local", e);
        }
    }

    /** Stops an engine from {@link #startNew()}. */
    void stop() {
        client.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop DynamoDB Local", e);
        }
    }

    /** A table as the stack creates it, with the global table's stream (new and old images); its stream ARN. */
    String createTableWithStream(String name, Region region) {
        try (DynamoDbClient regional = clientFor(endpoint, region)) {
            return createTableWithStream(regional, name);
        }
    }

    private static String createTableWithStream(DynamoDbClient client, String name) {
        return client.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .streamSpecification(software.amazon.awssdk.services.dynamodb.model.StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(software.amazon.awssdk.services.dynamodb.model.StreamViewType.NEW_AND_OLD_IMAGES)
                        .build()))
                .tableDescription().latestStreamArn();
    }

    private TestDynamo() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        server = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        // DynamoDB Local's Jetty connector has a port and no host, so it would listen on every
        // interface: bound to loopback here, before it starts
        for (org.eclipse.jetty.server.Connector connector : jetty(server).getConnectors()) {
            ((org.eclipse.jetty.server.ServerConnector) connector).setHost(LOOPBACK);
        }
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception ignored) {
                // JVM is exiting.
            }
        }));
        endpoint = URI.create("http://127.0.0.1:" + port);
        client = clientFor(endpoint);
    }

    /** The only address a test engine listens on. */
    static final String LOOPBACK = "127.0.0.1";

    /** The Jetty server inside DynamoDB Local's proxy server, which offers no other way to set its host. */
    private static org.eclipse.jetty.server.Server jetty(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        java.lang.reflect.Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        return (org.eclipse.jetty.server.Server) field.get(proxy);
    }

    /** The hosts the engine's connectors are bound to, as Jetty reports them. */
    List<String> connectorHosts() throws ReflectiveOperationException {
        List<String> hosts = new java.util.ArrayList<>();
        for (org.eclipse.jetty.server.Connector connector : jetty(server).getConnectors()) {
            hosts.add(((org.eclipse.jetty.server.ServerConnector) connector).getHost());
        }
        return hosts;
    }

    static DynamoDbClient clientFor(URI endpoint) {
        return clientFor(endpoint, Region.US_EAST_1);
    }

    /**
     * DynamoDB Local keeps one namespace per region (and access key): a client, a table and its
     * stream must all use the region of the function that reads them.
     */
    static DynamoDbClient clientFor(URI endpoint, Region region) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    DynamoDbClient client() {
        return client;
    }

    URI endpoint() {
        return endpoint;
    }

    /**
     * The function's own client (its timeouts, retry policy and credentials provider), pointed at
     * this engine with {@code interceptors} inside its execution.
     */
    DynamoDbClient functionClient(FunctionConfig config, ExecutionInterceptor... interceptors) {
        return FunctionRuntime.dynamoClient(config, StaticCredentialsProvider.create(
                AwsBasicCredentials.create("local", "local")), List.of(interceptors));
    }

    /** A table with the key schema the stack creates: pk (S), no sort key. */
    void createTable(String name) {
        createTable(client, name);
    }

    /**
     * The same table created through {@code caller}: DynamoDB Local keeps the tables of each access
     * key and region apart, so a table exists only for the credentials that created it.
     */
    static void createTable(DynamoDbClient caller, String name) {
        caller.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    }
}
