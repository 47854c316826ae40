package com.payments.dr.function;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Run in a fresh JVM with the function's environment, the way Lambda starts a container: times
 * the handler's construction (class loading, configuration, SDK client set-up) and its first
 * invocation, then prints one JSON line. Used by {@link ColdStartTest} and {@link PaymentFunctionArtifactTest}.
 */
public final class ColdStartProbe {

  private ColdStartProbe() {
  }

  public static void main(String[] args) throws Exception {
    long start = System.nanoTime();
    PaymentHandler handler = new PaymentHandler();
    long constructed = System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(Fixtures.event("GET", "/cold-start", Map.of(),
        null).getBytes(StandardCharsets.UTF_8)), out, null);
    long invoked = System.nanoTime();
    System.out.println("{\"init_ms\":" + (constructed - start) / 1_000_000.0
        + ",\"first_invoke_ms\":" + (invoked - constructed) / 1_000_000.0
        + ",\"response\":" + out.toString(StandardCharsets.UTF_8) + "}");
  }

  /** The command that runs this probe in a child JVM with a valid function environment. */
  static ProcessBuilder command(String classpath, java.util.List<String> jvmArgs) {
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classpath);
    command.add(ColdStartProbe.class.getName());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(Fixtures.env());
    return pb;
  }
}
