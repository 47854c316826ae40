package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.blocks.EventWorkflows;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The contract between the payment function and the payment-events pipe: the function's real
 * idempotency records, read back from a real DynamoDB stream (DynamoDB Local, NEW_AND_OLD_IMAGES as
 * the stack configures the global table), run through the pipe's own filter pattern and the receipt
 * rule's pattern as the stack synthesizes them. A renamed attribute or status on either side makes
 * the pipe emit nothing in AWS, silently; here it fails.
 */
class PaymentEventContractTest {

    private static final String TABLE = "payment-event-contract";
    private static final String DB = "payments_contract";
    private static final String SERVING_REGION = "us-east-1";
    private static final String OTHER_REGION = "us-east-2";
    private static TestDynamo dynamo;
    private static DynamoDbStreamsClient streams;
    private static PaymentHandler handler;
    private static DynamoDbClient functionClient;
    private static String streamArn;

    @BeforeAll
    static void engines() throws SQLException {
        TestPostgres pg = TestPostgres.shared();
        dynamo = TestDynamo.shared();
        streamArn = dynamo.client().createTable(b -> b.tableName(TABLE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build()))
                .tableDescription().latestStreamArn();
        pg.createDatabase(DB);
        Fixtures.prepareRoles(pg);
        streams = DynamoDbStreamsClient.builder().endpointOverride(dynamo.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        FunctionConfig config = Fixtures.localConfig(TABLE, DB);
        // as at deploy time: the migrator first, then payments as the application role
        Fixtures.migrate(config);
        functionClient = dynamo.functionClient(config);
        handler = new PaymentHandler(new FunctionRuntime(config, functionClient,
                Fixtures.appCredentials(), new MutableClock(Instant.now())));
    }

    @AfterAll
    static void close() throws Exception {
        handler.close();
        functionClient.close();
        streams.close();
    }

    @Test
    void eachPaymentPassesThePipeFilterOnceInTheRegionThatServedItAndNeverInTheOther() {
        String key = "contract-" + UUID.randomUUID();
        String body = Fixtures.paymentBody("12.34", "USD", "m-1");
        ApiResponse first = handler.handle(Fixtures.postPayment(key, body));
        assertEquals(201, first.statusCode(), first.body());
        ApiResponse replay = handler.handle(Fixtures.postPayment(key, body));
        assertEquals(201, replay.statusCode(), replay.body());

        List<JsonObject> records = streamRecordsOf("IDEMPOTENCY#m-1/" + key);
        assertTrue(records.size() >= 2, "the claim and its completion: " + records);
        JsonObject serving = JsonParser.parseString(EventWorkflows.streamFilter(SERVING_REGION)).getAsJsonObject();
        JsonObject other = JsonParser.parseString(EventWorkflows.streamFilter(OTHER_REGION)).getAsJsonObject();
        List<JsonObject> passed = records.stream().filter(r -> matches(serving, r)).toList();
        assertEquals(1, passed.size(), "exactly one event per payment (the replay adds none): " + records);
        // the other region's pipe reads the replica's stream, which carries the same images
        assertTrue(records.stream().noneMatch(r -> matches(other, r)), "the other region emits nothing");

        // what the pipe puts on the bus reaches the receipt rule, with what the receipt needs
        JsonObject event = new JsonObject();
        event.addProperty("source", EventWorkflows.PAYMENT_EVENT_SOURCE);
        event.addProperty("detail-type", EventWorkflows.PAYMENT_COMPLETED);
        event.add("detail", passed.get(0));
        assertTrue(matches(JsonParser.parseString(EventWorkflows.paymentCompletedPattern()).getAsJsonObject(), event));
        JsonObject payment = JsonParser.parseString(passed.get(0).getAsJsonObject("dynamodb")
                .getAsJsonObject("NewImage").getAsJsonObject("response_body").get("S").getAsString()).getAsJsonObject();
        for (String field : List.of("payment_id", "amount", "currency", "merchant_id", "region")) {
            assertTrue(payment.has(field) && !payment.get(field).getAsString().isEmpty(), field + " in " + payment);
        }
        assertEquals(SERVING_REGION, payment.get("region").getAsString());
        assertTrue(passed.get(0).getAsJsonObject("dynamodb").get("ApproximateCreationDateTime").isJsonPrimitive());
    }

    @Test
    void theMatcherItselfTellsPrefixesValuesAndMissingFieldsApart() {
        JsonObject pattern = JsonParser.parseString(
                "{\"a\": [{\"prefix\": \"X#\"}], \"b\": {\"c\": [\"1\", \"2\"]}}").getAsJsonObject();
        assertTrue(matches(pattern, JsonParser.parseString("{\"a\": \"X#1\", \"b\": {\"c\": \"2\"}}").getAsJsonObject()));
        assertFalse(matches(pattern, JsonParser.parseString("{\"a\": \"Y#1\", \"b\": {\"c\": \"2\"}}").getAsJsonObject()));
        assertFalse(matches(pattern, JsonParser.parseString("{\"a\": \"X#1\", \"b\": {\"c\": \"3\"}}").getAsJsonObject()));
        assertFalse(matches(pattern, JsonParser.parseString("{\"a\": \"X#1\"}").getAsJsonObject()));
        assertFalse(matches(pattern, JsonParser.parseString("{\"a\": \"X#1\", \"b\": \"c\"}").getAsJsonObject()));
    }

    /** Every record of {@code pk} on the table's stream, in the JSON shape a pipe filters and forwards. */
    private static List<JsonObject> streamRecordsOf(String pk) {
        List<JsonObject> found = new ArrayList<>();
        for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            for (int page = 0; iterator != null && page < 20; page++) {
                String current = iterator;
                var result = streams.getRecords(b -> b.shardIterator(current));
                for (Record r : result.records()) {
                    if (pk.equals(r.dynamodb().keys().get("pk").s())) {
                        found.add(asPipeJson(r));
                    }
                }
                if (result.records().isEmpty()) {
                    break;
                }
                iterator = result.nextShardIterator();
            }
        }
        return found;
    }

    private static JsonObject asPipeJson(Record r) {
        JsonObject dynamodb = new JsonObject();
        dynamodb.addProperty("ApproximateCreationDateTime", r.dynamodb().approximateCreationDateTime().getEpochSecond());
        dynamodb.add("Keys", image(r.dynamodb().keys()));
        if (r.dynamodb().hasNewImage()) {
            dynamodb.add("NewImage", image(r.dynamodb().newImage()));
        }
        if (r.dynamodb().hasOldImage()) {
            dynamodb.add("OldImage", image(r.dynamodb().oldImage()));
        }
        JsonObject record = new JsonObject();
        record.addProperty("eventName", r.eventNameAsString());
        record.add("dynamodb", dynamodb);
        return record;
    }

    /** DynamoDB JSON for the attribute kinds the function writes (S, N). */
    private static JsonObject image(Map<String, AttributeValue> item) {
        JsonObject image = new JsonObject();
        item.forEach((name, value) -> {
            JsonObject typed = new JsonObject();
            if (value.s() != null) {
                typed.addProperty("S", value.s());
            } else {
                typed.addProperty("N", value.n());
            }
            image.add(name, typed);
        });
        return image;
    }

    /** EventBridge's matching for what these patterns use: exact values, {@code prefix}, nesting. */
    static boolean matches(JsonObject pattern, JsonObject event) {
        for (Map.Entry<String, JsonElement> field : pattern.entrySet()) {
            JsonElement actual = event.get(field.getKey());
            if (actual == null) {
                return false;
            }
            if (field.getValue().isJsonObject()) {
                if (!actual.isJsonObject() || !matches(field.getValue().getAsJsonObject(), actual.getAsJsonObject())) {
                    return false;
                }
            } else if (!actual.isJsonPrimitive() || !anyOf(field.getValue().getAsJsonArray(), actual.getAsString())) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyOf(JsonArray allowed, String value) {
        for (JsonElement option : allowed) {
            boolean hit = option.isJsonObject()
                    ? value.startsWith(option.getAsJsonObject().get("prefix").getAsString())
                    : value.equals(option.getAsString());
            if (hit) {
                return true;
            }
        }
        return false;
    }
}
