package com.payments.dr.function;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The Lambda containers a test starts: each its own runtime (database connections) and SDK client
 * on the shared DynamoDB Local, with the test's clock; all closed after the test.
 */
final class Containers implements AutoCloseable {

    private final TestDynamo dynamo;
    private final Clock clock;
    private final List<AutoCloseable> opened = new ArrayList<>();

    Containers(TestDynamo dynamo, Clock clock) {
        this.dynamo = dynamo;
        this.clock = clock;
    }

    /** A container with {@code config} whose SDK calls go through {@code faults}. */
    PaymentHandler start(FunctionConfig config, Faults faults) {
        return start(config, faults, client -> new FunctionRuntime(config, client, Fixtures.appCredentials(), clock));
    }

    /** The same, with its readiness probe on {@code reader} (an Aurora secondary's reader endpoint). */
    PaymentHandler start(FunctionConfig config, FunctionConfig reader, Faults faults) {
        return start(config, faults, client -> new FunctionRuntime(config, reader, client, java.util.Optional.empty(),
                Fixtures.appCredentials(), Fixtures.appCredentials(), clock, Timings.DEPLOYED));
    }

    private PaymentHandler start(FunctionConfig config, Faults faults, Function<DynamoDbClient, FunctionRuntime> runtime) {
        DynamoDbClient client = dynamo.functionClient(config, faults);
        PaymentHandler handler = new PaymentHandler(runtime.apply(client));
        opened.add(handler);
        opened.add(client);
        return handler;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable resource : opened) {
            resource.close();
        }
        opened.clear();
    }
}
