package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which DynamoDB endpoint the idempotency table's client sends to when its credentials carry an
 * account id (as the container credentials of a SnapStart restore may): the regional one, which
 * the function's security group reaches through the VPC's gateway endpoint
 * ({@link FunctionRuntime#dynamoClient}). The client is the function's own, with no endpoint
 * override, so it resolves its endpoint as in Lambda; only the network differs: what the SDK sends
 * is carried to DynamoDB Local, as the VPC carries it to DynamoDB, which serves it.
 */
class DynamoEndpointTest {

    private static final String ACCOUNT = "123456789012";
    /** What the SDK reads from a credentials source that knows the account, such as a container endpoint. */
    private static final AwsCredentialsProvider WITH_ACCOUNT_ID = StaticCredentialsProvider.create(
            AwsBasicCredentials.builder().accessKeyId("accountkey").secretAccessKey("secret").accountId(ACCOUNT).build());

    /** The network of the test: notes where each request was addressed, and delivers it to DynamoDB Local. */
    private static final class ToDynamoDbLocal implements SdkHttpClient {
        private final SdkHttpClient delivery = UrlConnectionHttpClient.create();
        private final URI local = TestDynamo.shared().endpoint();
        final List<String> addressed = new CopyOnWriteArrayList<>();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            SdkHttpRequest sent = request.httpRequest();
            addressed.add(sent.protocol() + "://" + sent.host() + ":" + sent.port());
            return delivery.prepareRequest(HttpExecuteRequest.builder()
                    .request(sent.toBuilder().protocol(local.getScheme()).host(local.getHost()).port(local.getPort()).build())
                    .contentStreamProvider(request.contentStreamProvider().orElse(null))
                    .build());
        }

        @Override
        public void close() {
            delivery.close();
        }
    }

    /** One item written and read back through {@code client} (the table created as this caller). */
    private static void writeAndRead(DynamoDbClient client, String table) {
        if (!client.listTables().tableNames().contains(table)) {
            TestDynamo.createTable(client, table);
        }
        client.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("IDEMPOTENCY#k1"))));
        assertTrue(client.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("IDEMPOTENCY#k1"))))
                .hasItem());
    }

    @Test
    void theFunctionsClientUsesTheRegionalEndpointAlsoWithCredentialsThatCarryTheAccountId() {
        FunctionConfig config = FunctionConfig.fromEnvironment(Fixtures.env());
        assertTrue(config.dynamoEndpoint().isEmpty(), "no endpoint override: the SDK resolves the endpoint");
        ToDynamoDbLocal network = new ToDynamoDbLocal();
        try (DynamoDbClient client = FunctionRuntime.dynamoClientBuilder(config, WITH_ACCOUNT_ID, List.of())
                .httpClient(network).build()) {
            writeAndRead(client, config.idempotencyTable());
        }
        assertEquals(Set.of("https://dynamodb.us-east-1.amazonaws.com:443"), Set.copyOf(network.addressed));
    }

    /**
     * The acknowledgement mirror's client goes to the DR region's interface endpoint by its own name
     * (the one path the stack builds to that region), also with credentials that carry the account id.
     */
    @Test
    void theMirrorsClientUsesTheInterfaceEndpointAlsoWithCredentialsThatCarryTheAccountId() {
        String endpoint = "https://vpce-0a1b2c3d4e5f67890-abcdefgh.dynamodb.us-east-2.vpce.amazonaws.com";
        FunctionConfig config = FunctionConfig.fromEnvironment(Fixtures.env("ACK_MIRROR_REGION", "us-east-2",
                "ACK_MIRROR_ENDPOINT", endpoint));
        ToDynamoDbLocal network = new ToDynamoDbLocal();
        try (DynamoDbClient client = FunctionRuntime.mirrorClientBuilder(config.ackMirror().orElseThrow(),
                WITH_ACCOUNT_ID, List.of()).httpClient(network).build()) {
            writeAndRead(client, "mirror-table");
        }
        assertEquals(Set.of(endpoint + ":443"), Set.copyOf(network.addressed));
    }

    /** The case the setting is for: with the SDK's default the same credentials pick the account-based endpoint. */
    @Test
    void withTheSdksDefaultTheSameCredentialsWouldUseTheAccountBasedEndpoint() {
        ToDynamoDbLocal network = new ToDynamoDbLocal();
        try (DynamoDbClient client = DynamoDbClient.builder().region(Region.US_EAST_1).httpClient(network)
                .credentialsProvider(WITH_ACCOUNT_ID).build()) {
            writeAndRead(client, "default-mode-table");
        }
        assertEquals(Set.of("https://" + ACCOUNT + ".ddb.us-east-1.amazonaws.com:443"), Set.copyOf(network.addressed));
    }
}
