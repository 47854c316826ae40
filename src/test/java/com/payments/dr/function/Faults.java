package com.payments.dr.function;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Faults injected inside the real DynamoDB client's execution, where the network and the service
 * would cause them: registered as an execution interceptor, so the SDK's own retry policy and
 * error handling see them exactly as they would see a lost response or a failed call.
 */
final class Faults implements ExecutionInterceptor {

    /** Runs after a PutItem succeeded (e.g. take the database down right after the claim). */
    volatile Runnable afterPut = () -> { };
    /** Runs when a GetItem response arrives, inside the call. */
    volatile Runnable onGet = () -> { };
    volatile RuntimeException failUpdate;
    volatile RuntimeException failDelete;
    volatile boolean getFindsNothing;
    /** This many PutItem responses are lost after DynamoDB applied the write; the SDK retries. */
    volatile int lostPutResponses;
    /** The same for UpdateItem and DeleteItem. */
    volatile int lostUpdateResponses;
    volatile int lostDeleteResponses;
    /**
     * While set, every HTTP attempt fails as a refused connection does (before anything is sent):
     * the SDK retries it like one, within the call's timeout.
     */
    volatile boolean unreachable;
    /** Every call (not attempt) by operation name, e.g. "PutItemRequest". */
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** Every HTTP attempt by operation name. */
    final List<String> attempts = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.add(context.request().getClass().getSimpleName());
        if (context.request() instanceof UpdateItemRequest && failUpdate != null) {
            throw failUpdate;
        }
        if (context.request() instanceof DeleteItemRequest && failDelete != null) {
            throw failDelete;
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attempts.add(context.request().getClass().getSimpleName());
        if (unreachable) {
            throw refused();
        }
    }

    /** What the SDK's HTTP client reports for a refused connection. */
    static software.amazon.awssdk.core.exception.SdkClientException refused() {
        return software.amazon.awssdk.core.exception.SdkClientException.builder()
                .message("Unable to execute HTTP request: Connection refused")
                .cause(new java.net.ConnectException("Connection refused")).build();
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
            ExecutionAttributes attributes) {
        synchronized (this) {
            if (context.request() instanceof PutItemRequest && lostPutResponses > 0) {
                lostPutResponses--;
                throw RetryableException.builder().message("response lost after the write applied").build();
            }
            if (context.request() instanceof UpdateItemRequest && lostUpdateResponses > 0) {
                lostUpdateResponses--;
                throw RetryableException.builder().message("response lost after the update applied").build();
            }
            if (context.request() instanceof DeleteItemRequest && lostDeleteResponses > 0) {
                lostDeleteResponses--;
                throw RetryableException.builder().message("response lost after the delete applied").build();
            }
        }
        return context.httpResponse();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (context.response() instanceof GetItemResponse) {
            onGet.run();
            if (getFindsNothing) {
                return GetItemResponse.builder().build();
            }
        }
        return context.response();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutItemRequest) {
            afterPut.run();
        }
    }

    long writes() {
        return calls.stream().filter(c -> c.startsWith("Put") || c.startsWith("Update") || c.startsWith("Delete"))
                .count();
    }
}
