package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Lambda path proper: a fresh JVM whose environment is what the stack sets, constructing the
 * handler through its public no-argument constructor, exactly as the Lambda runtime does.
 */
class ColdStartTest {

  @Test
  void theLambdaConstructorInitializesFromTheEnvironmentInAFreshJvm() throws Exception {
    // A coverage agent on this JVM (if any) is passed on, so the child's execution is counted too.
    List<String> agents = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> arg.startsWith("-javaagent:")).toList();
    Process process = ColdStartProbe.command(System.getProperty("java.class.path"), agents)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    String line = output.lines().filter(l -> l.startsWith("{\"init_ms\"")).findFirst()
        .orElseThrow(() -> new AssertionError(output));
    JsonObject result = JsonParser.parseString(line).getAsJsonObject();
    JsonObject response = result.getAsJsonObject("response");
    assertEquals(404, response.get("statusCode").getAsInt());
    assertEquals(Fixtures.ORIGIN, response.getAsJsonObject("headers")
        .get("Access-Control-Allow-Origin").getAsString());
    double initMs = result.get("init_ms").getAsDouble();
    // Generous bound for a loaded 2-core CI machine; the measured figure is printed below.
    assertTrue(initMs < 10_000, "handler init took " + initMs + " ms");
    System.out.println("payment-function cold start (test classpath): " + line);
  }
}
