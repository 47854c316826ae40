package com.payments.dr.events;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * One event function's cold start, as the Lambda runtime does it, in a fresh JVM that
 * {@link EventsFunctionArtifactTest} starts on the unpacked zip: loads the handler class named by
 * {@code args[0]}, constructs it through its public no-argument constructor (the environment is the
 * function's), and invokes it once with the sample event {@code args[1]} (src/test/resources/events).
 * Prints one JSON line with both times and the Java it ran on; a handler that fails ends the JVM
 * with its stack trace.
 */
public final class EventsColdStartProbe {

    private EventsColdStartProbe() {
    }

    public static void main(String[] args) throws Throwable {
        String event = SampleEvents.text(args[1]);
        long start = System.nanoTime();
        // a method handle, not reflection: what the constructor throws ends the JVM unwrapped
        RequestStreamHandler handler = (RequestStreamHandler) MethodHandles.publicLookup()
                .findConstructor(Class.forName(args[0]), MethodType.methodType(void.class)).invoke();
        long constructed = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // neither handler reads the context
        handler.handleRequest(SampleEvents.stream(event), out, null);
        long invoked = System.nanoTime();
        System.out.println("{\"init_ms\":" + (constructed - start) / 1_000_000.0
                + ",\"first_invoke_ms\":" + (invoked - constructed) / 1_000_000.0
                + ",\"java_version\":\"" + System.getProperty("java.version")
                + "\",\"java_feature\":" + Runtime.version().feature()
                + ",\"response_bytes\":" + out.size() + "}");
    }
}
