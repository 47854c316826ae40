package com.payments.dr.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The Lambda entry point for API Gateway REST proxy events, in both regions. Every response,
 * errors included, is JSON with the CORS headers; no stack trace ever reaches the client.
 */
public final class PaymentHandler implements RequestStreamHandler {

    private final String allowedOrigin;
    private final Function<ApiRequest, ApiResponse> router;

    /** Used by Lambda: configuration comes from the environment and is validated here, at init. */
    public PaymentHandler() {
        this(FunctionRuntime.fromEnvironment(System.getenv()));
    }

    public PaymentHandler(FunctionRuntime runtime) {
        this(runtime.config().allowedOrigin(), runtime.router()::route);
    }

    PaymentHandler(String allowedOrigin, Function<ApiRequest, ApiResponse> router) {
        this.allowedOrigin = allowedOrigin;
        this.router = router;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context)
            throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        output.write(handle(event).toEventJson().getBytes(StandardCharsets.UTF_8));
    }

    ApiResponse handle(String event) {
        ApiRequest request;
        try {
            request = ApiRequest.fromEvent(event);
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(400, "invalid_event", e.getMessage()).withCors(allowedOrigin);
        }
        ApiResponse response;
        try {
            response = router.apply(request);
        } catch (RuntimeException e) {
            Log.error("unhandled_error", "error", e.getClass().getName());
            response = ApiResponse.error(500, "internal_error", "Internal error; the request may be"
                    + " retried with the same Idempotency-Key.");
        }
        return response.withCors(allowedOrigin);
    }
}
