package com.payments.dr.function;

import com.payments.dr.lambda.LambdaJava;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Run in a fresh JVM with the function's environment, the way Lambda starts a container: times
 * the handler's construction (class loading, configuration, SDK client set-up) and its first
 * invocation of {@code GET <args[0]>} (default {@code /cold-start}), then prints one JSON line,
 * with the Java it ran on and the JVM's effective DNS cache time when {@code sun.net} is opened to
 * it. Used by {@link ColdStartTest} and {@link PaymentFunctionArtifactTest}.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        String path = args.length > 0 ? args[0] : "/cold-start";
        long start = System.nanoTime();
        PaymentHandler handler = new PaymentHandler();
        long constructed = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Fixtures.event("GET", path, Map.of(),
                null).getBytes(StandardCharsets.UTF_8)), out, Fixtures.context(10_000));
        long invoked = System.nanoTime();
        if (args.length > 1) {
            // Ask again once the health cache has expired: the answer of a warm container.
            Thread.sleep(Long.parseLong(args[1]));
            out.reset();
            handler.handleRequest(new ByteArrayInputStream(Fixtures.event("GET", path, Map.of(),
                    null).getBytes(StandardCharsets.UTF_8)), out, Fixtures.context(10_000));
        }
        System.out.println("{\"init_ms\":" + (constructed - start) / 1_000_000.0
                + ",\"first_invoke_ms\":" + (invoked - constructed) / 1_000_000.0
                + ",\"java_version\":\"" + System.getProperty("java.version")
                + "\",\"java_feature\":" + Runtime.version().feature()
                + ",\"dns_ttl\":" + dnsCacheSeconds()
                + ",\"response\":" + out.toString(StandardCharsets.UTF_8) + "}");
    }

    /** What the JDK's resolver will cache a positive answer for, or -2 when it cannot be read. */
    private static int dnsCacheSeconds() {
        try {
            return (int) Class.forName("sun.net.InetAddressCachePolicy").getMethod("get").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -2;
        }
    }

    static com.google.gson.JsonObject run(String classpath, java.util.List<String> jvmArgs) throws Exception {
        return run(command(classpath, jvmArgs));
    }

    /**
     * Runs the probe {@code process} and returns its JSON report ({@code init_ms},
     * {@code first_invoke_ms}, the Java it ran on, {@code dns_ttl}, {@code response}) and everything
     * the JVM wrote ({@code output}); fails on a non-zero exit or a JVM other than the Lambda
     * runtime's Java ({@link LambdaJava}).
     */
    static com.google.gson.JsonObject run(ProcessBuilder command) throws Exception {
        Process process = command.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assertions.assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        org.junit.jupiter.api.Assertions.assertEquals(0, process.exitValue(), output);
        String line = output.lines().filter(l -> l.startsWith("{\"init_ms\"")).findFirst()
                .orElseThrow(() -> new AssertionError(output));
        com.google.gson.JsonObject report = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
        report.addProperty("output", output);
        LambdaJava.assertRanOnTheRuntimesJava(report);
        return report;
    }

    /**
     * The command that runs this probe in a child JVM on the Lambda runtime's Java with a valid
     * function environment.
     */
    static ProcessBuilder command(String classpath, java.util.List<String> jvmArgs, String... args) {
        ProcessBuilder pb = LambdaJava.command(jvmArgs, classpath, ColdStartProbe.class.getName(), args)
                .redirectErrorStream(true);
        pb.environment().putAll(Fixtures.env());
        return pb;
    }
}
