package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the artifact the stack deploys, target/payment-function.jar, after `package`: what it
 * contains, what it must not, its size, its fixed timestamps, and that it runs on its own.
 */
class PaymentFunctionArtifactIT {

  private static final long MAX_BYTES = 20L * 1024 * 1024;
  private static Path jar;
  private static List<JarEntry> entries;

  @BeforeAll
  static void open() throws Exception {
    // Failsafe sets this after `package`; a surefire run selected with -Dtest=... comes before
    // the jar exists, so there the class reports itself skipped instead of checking a stale jar.
    String path = System.getProperty("payment.function.jar");
    assumeTrue(path != null, "runs under failsafe (mvn verify), after the artifact is built");
    jar = Path.of(path);
    assertTrue(Files.isRegularFile(jar), jar + " was not built");
    try (JarFile file = new JarFile(jar.toFile())) {
      entries = Collections.list(file.entries());
    }
  }

  private static boolean has(String name) {
    return entries.stream().anyMatch(e -> e.getName().equals(name));
  }

  @Test
  void isSmallEnough() throws Exception {
    long size = Files.size(jar);
    System.out.println("payment-function.jar: " + size + " bytes, " + entries.size() + " entries");
    assertTrue(size < MAX_BYTES, size + " bytes");
  }

  @Test
  void containsTheHandlerAndItsRuntimeLibraries() {
    for (String name : List.of(
        "com/payments/dr/function/PaymentHandler.class",
        "com/amazonaws/services/lambda/runtime/RequestStreamHandler.class",
        "com/google/gson/Gson.class",
        "org/postgresql/Driver.class",
        "software/amazon/awssdk/services/dynamodb/DynamoDbClient.class",
        "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class",
        "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class",
        "META-INF/services/java.sql.Driver")) {
      assertTrue(has(name), name);
    }
  }

  @Test
  void containsNoInfrastructureNorUnusedHttpClients() {
    List<String> forbidden = List.of("com/hashicorp/", "software/amazon/jsii/",
        "software/constructs/", "io/netty/", "org/apache/http/",
        "software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/nio/",
        "com/amazonaws/services/dynamodbv2/", "org/junit/");
    List<String> found = new ArrayList<>();
    for (JarEntry e : entries) {
      String name = e.getName();
      boolean otherProjectCode = name.startsWith("com/payments/dr/")
          && !name.startsWith("com/payments/dr/function/") && !e.isDirectory();
      if (otherProjectCode || forbidden.stream().anyMatch(name::startsWith)
          || name.endsWith("module-info.class")) {
        found.add(name);
      }
    }
    assertEquals(List.of(), found);
    assertTrue(entries.stream().noneMatch(e -> e.getName().contains("Test")
        && e.getName().startsWith("com/payments/")), "no test classes");
  }

  @Test
  void carriesNoBuildTimeTimestamps() {
    Instant fixed = Instant.parse(System.getProperty("project.build.outputTimestamp"));
    LocalDateTime fixedLocal = LocalDateTime.ofInstant(fixed, ZoneOffset.UTC);
    Instant buildTimeFloor = Instant.now().minusSeconds(24 * 3600);
    for (JarEntry e : entries) {
      if (e.getName().startsWith("com/payments/dr/function/")) {
        assertEquals(fixedLocal, e.getTimeLocal(), e.getName());
      }
      // Library entries keep the time recorded in their pinned jars: never today's.
      assertTrue(Instant.ofEpochMilli(e.getTime()).isBefore(buildTimeFloor), e.getName());
    }
  }

  @Test
  void runsOnItsOwnAndReportsItsColdStart() throws Exception {
    // Only the artifact and the probe: nothing else from the build's classpath is visible.
    String classpath = jar.toAbsolutePath() + File.pathSeparator
        + Path.of("target", "test-classes").toAbsolutePath();
    Process process = ColdStartProbe.command(classpath, List.of()).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    String line = output.lines().filter(l -> l.startsWith("{\"init_ms\"")).findFirst()
        .orElseThrow(() -> new AssertionError(output));
    JsonObject result = JsonParser.parseString(line).getAsJsonObject();
    assertEquals(404, result.getAsJsonObject("response").get("statusCode").getAsInt());
    assertTrue(Set.of("init_ms", "first_invoke_ms").stream().allMatch(result::has));
    System.out.println("payment-function cold start (artifact only): init "
        + result.get("init_ms") + " ms, first invocation " + result.get("first_invoke_ms") + " ms");
  }
}
