package com.payments.dr.function;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The real DynamoDB Local client with hooks to fail a call or to run something between two steps
 * of a request (e.g. take the database down right after the idempotency record was written).
 */
final class FaultyDynamo implements DynamoDbClient {

    private final DynamoDbClient delegate;
    volatile Runnable afterPut = () -> { };
    volatile RuntimeException failUpdate;
    volatile RuntimeException failDelete;
    volatile boolean getFindsNothing;

    FaultyDynamo(DynamoDbClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        PutItemResponse response = delegate.putItem(request);
        afterPut.run();
        return response;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return getFindsNothing ? GetItemResponse.builder().build() : delegate.getItem(request);
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        if (failUpdate != null) {
            throw failUpdate;
        }
        return delegate.updateItem(request);
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        if (failDelete != null) {
            throw failDelete;
        }
        return delegate.deleteItem(request);
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
        // The shared client outlives this wrapper.
    }
}
