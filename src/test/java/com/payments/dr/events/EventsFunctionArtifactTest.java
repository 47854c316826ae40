package com.payments.dr.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.lambda.FunctionZip;
import com.payments.dr.lambda.LambdaJava;
import com.payments.dr.lambda.LogCapture;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * target/events-function.zip: both handlers, only their libraries, reproducible entries, and both
 * handlers running from the unpacked zip alone, each in its own JVM on the Lambda runtime's Java
 * ({@link LambdaJava}) as Lambda runs it, against local S3, SNS and RDS.
 */
class EventsFunctionArtifactTest {

    static final Path ZIP = Path.of("target", "events-function.zip");
    private static final long MAX_BYTES = 20L * 1024 * 1024;
    /** project.build.outputTimestamp in pom.xml, as zip entries store it. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2024, 1, 1, 0, 0);
    private static final Pattern PROJECT_CLASS = Pattern.compile("com/payments/dr/[A-Za-z0-9_/$]+");
    /** What the stack names the resources (EventWorkflows), in the primary region of the "dev" suffix. */
    private static final String BUCKET = "s3-payments-123456789012-primary-dev";
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:sns-alerts-dev";
    private static final String GLOBAL_CLUSTER = "aurora-global-dev";
    /** A cold JVM with the coverage agent on a shared 2-core machine takes a few seconds; a hang takes this. */
    private static final long PROBE_TIMEOUT_SECONDS = 60;
    private static List<ZipEntry> entries;

    @TempDir
    static Path unpacked;

    @BeforeAll
    static void open() throws IOException {
        entries = FunctionZip.unpack(ZIP, unpacked.resolve("task"));
    }

    private static List<String> names() {
        return entries.stream().map(ZipEntry::getName).toList();
    }

    @Test
    void containsBothHandlersAndTheirClientsOnly() throws IOException {
        assertTrue(names().contains("com/payments/dr/events/ReceiptHandler.class"));
        assertTrue(names().contains("com/payments/dr/events/OpsNotifier.class"));
        // and the master secret's rotation, which calls Secrets Manager and invokes the migrator
        assertTrue(names().contains("com/payments/dr/events/MasterSecretRotation.class"));
        // the logger both handlers call, shared with the payment function's package
        assertTrue(names().contains("com/payments/dr/lambda/Log.class"));
        for (String library : List.of("aws-lambda-java-core-", "gson-", "s3-2", "sns-2", "rds-2", "secretsmanager-2",
                "lambda-2", "url-connection-client-2")) {
            assertTrue(names().stream().anyMatch(n -> n.startsWith("lib/" + library)), library);
        }
        for (String forbidden : List.of("lib/dynamodb-", "lib/postgresql-", "lib/cdktf",
                "lib/jsii", "lib/netty", "lib/apache-client", "lib/DynamoDBLocal", "lib/junit", "lib/s3proxy",
                "com/payments/dr/function/", "com/payments/dr/stack/", "Test.class", "Fake")) {
            assertTrue(names().stream().noneMatch(n -> n.contains(forbidden)), forbidden);
        }
        assertTrue(Files.size(ZIP) < MAX_BYTES, Files.size(ZIP) + " bytes");
    }

    /**
     * Every project class a packaged class names (in its constant pool, where the JVM resolves it
     * from) is packaged. The runs below load only what one successful event needs; this also covers
     * the classes of the paths they do not take (a rejected event, RDS not answering).
     */
    @Test
    void everyProjectClassThePackagedCodeNamesIsPackaged() throws IOException {
        Set<String> packaged = new TreeSet<>();
        Set<String> named = new TreeSet<>();
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            for (ZipEntry entry : entries) {
                if (entry.getName().startsWith("com/payments/dr/") && entry.getName().endsWith(".class")) {
                    packaged.add(entry.getName().substring(0, entry.getName().length() - ".class".length()));
                    try (InputStream in = zip.getInputStream(entry)) {
                        Matcher m = PROJECT_CLASS.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                        while (m.find()) {
                            named.add(m.group());
                        }
                    }
                }
            }
        }
        assertTrue(named.contains("com/payments/dr/lambda/Log"), named.toString());
        named.removeAll(packaged);
        assertEquals(Set.of(), named);
    }

    @Test
    void entriesHaveFixedTimes() {
        for (ZipEntry entry : entries) {
            assertEquals(FIXED_TIME, entry.getTimeLocal(), entry.getName());
        }
    }

    /**
     * The classpath Lambda gives a Java function, /var/task and every jar in /var/task/lib (the
     * unpacked zip); then the probe's classes (target/test-classes). Nothing from target/classes
     * nor the Maven test classpath: the test classes hold no production code, so a class missing
     * from the zip stays missing.
     */
    private static String artifactClasspath() {
        Path task = unpacked.resolve("task");
        List<String> classpath = new ArrayList<>();
        classpath.add(task.toString());
        entries.stream().map(ZipEntry::getName).filter(n -> n.startsWith("lib/") && n.endsWith(".jar"))
                .forEach(n -> classpath.add(task.resolve(n).toString()));
        classpath.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        return String.join(File.pathSeparator, classpath);
    }

    /**
     * Runs {@code handler} from the unpacked zip in a fresh JVM with the function's environment as
     * the stack sets it (plus what Lambda adds: region and the role's access keys) and one sample
     * event; returns the probe's report with the JVM's output under {@code output}. The local
     * services come in as {@code AWS_ENDPOINT_URL_<SERVICE>}, which the SDK reads itself: the
     * handlers' own clients, unchanged, resolve, sign and send for them.
     */
    private static JsonObject coldStart(String handler, String event, Map<String, String> functionEnvironment)
            throws Exception {
        Path output = Files.createTempFile(unpacked, "probe", ".log");
        // on the Lambda runtime's Java, with JaCoCo's agent, so that the handlers' coverage counts
        // (the zip's classes are the same bytes)
        ProcessBuilder builder = LambdaJava.command(LambdaJava.coverageAgents(), artifactClasspath(),
                EventsColdStartProbe.class.getName(), handler, event)
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        // nothing Lambda would not set: no inherited AWS settings, no JVM options of a developer's shell
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("JAVA_TOOL_OPTIONS"));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", FakeQueryService.CREDENTIALS.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", FakeQueryService.CREDENTIALS.secretAccessKey());
        // no shared config or credentials files: the keys above are the only credentials
        env.put("AWS_CONFIG_FILE", unpacked.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", unpacked.resolve("no-credentials").toString());
        env.putAll(functionEnvironment);
        Process process = builder.start();
        boolean finished = process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String log = Files.readString(output);
        assertTrue(finished, handler + " did not finish within " + PROBE_TIMEOUT_SECONDS + " s:\n" + log);
        assertEquals(0, process.exitValue(), handler + " did not run from the events zip alone:\n" + log);
        assertEquals(List.of(), LogCapture.nonJsonLines(log), handler + " wrote lines its log group cannot parse");
        JsonObject report = JsonParser.parseString(log.lines().filter(l -> l.startsWith("{\"init_ms\""))
                .findFirst().orElseThrow(() -> new AssertionError(log))).getAsJsonObject();
        report.addProperty("output", log);
        LambdaJava.assertRanOnTheRuntimesJava(report);
        System.out.println("events-function.zip " + handler.substring(handler.lastIndexOf('.') + 1)
                + " cold start (artifact only, Java " + report.get("java_version").getAsString() + "): init "
                + report.get("init_ms") + " ms, first invocation " + report.get("first_invoke_ms") + " ms");
        return report;
    }

    /** The single log line of {@code event} the handler wrote, as JSON. */
    private static JsonObject logLine(JsonObject report, String event) {
        List<String> lines = report.get("output").getAsString().lines()
                .filter(l -> l.contains("\"event\":\"" + event + "\"")).toList();
        assertEquals(1, lines.size(), report.get("output").getAsString());
        return JsonParser.parseString(lines.get(0)).getAsJsonObject();
    }

    @Test
    void theReceiptHandlerRunsFromTheZipAloneAndWritesTheReceipt() throws Exception {
        try (TestS3Server server = new TestS3Server(); S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            JsonObject report = coldStart(ReceiptHandler.class.getName(), "payment-completed.json", Map.of(
                    "RECEIPT_BUCKET", BUCKET, "AWS_ENDPOINT_URL_S3", server.endpoint().toString()));
            String key = "receipts/2026/11/23/pay_3f9a1c2e.json";
            List<String> keys = s3.listObjectsV2(b -> b.bucket(BUCKET)).contents().stream()
                    .map(S3Object::key).toList();
            assertEquals(List.of(key), keys);
            JsonObject receipt = JsonParser.parseString(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key))
                    .asUtf8String()).getAsJsonObject();
            JsonObject expected = JsonParser.parseString("{\"payment_id\":\"pay_3f9a1c2e\",\"amount\":\"12.34\","
                    + "\"currency\":\"USD\",\"merchant_id\":\"m-1\",\"region\":\"us-east-1\","
                    + "\"completed_at\":\"2026-11-23T09:30Z\",\"event_id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\"}")
                    .getAsJsonObject();
            assertEquals(expected, receipt);
            assertEquals("application/json", s3.headObject(b -> b.bucket(BUCKET).key(key)).contentType());
            // the shared logger, loaded from the zip
            assertEquals(key, logLine(report, "receipt_written").get("key").getAsString());
            assertEquals(0, report.get("response_bytes").getAsInt());
        }
    }

    @Test
    void theOpsNotifierRunsFromTheZipAloneAsksRdsForTheWriterAndPublishes() throws Exception {
        try (FakeQueryService sns = new FakeQueryService("sns", Region.US_EAST_1,
                    call -> new FakeQueryService.Response(200, OpsNotifierTest.PUBLISHED));
                FakeQueryService rds = new FakeQueryService("rds", Region.US_EAST_1,
                    call -> OpsNotifierTest.writerIn("us-east-2"))) {
            JsonObject report = coldStart(OpsNotifier.class.getName(), "rds-global-failover.json", Map.of(
                    "ALERTS_TOPIC_ARN", TOPIC, "GLOBAL_CLUSTER_ID", GLOBAL_CLUSTER,
                    "AWS_ENDPOINT_URL_SNS", sns.endpoint().toString(),
                    "AWS_ENDPOINT_URL_RDS", rds.endpoint().toString()));
            assertEquals(0, sns.rejected() + rds.rejected(), "every request signed with the environment's keys");
            // one call each, or the SDK's retry of an attempt a loaded machine made slower than 4 s
            assertFalse(rds.calls().isEmpty());
            for (FakeQueryService.Call call : rds.calls()) {
                assertEquals("DescribeGlobalClusters", call.get("Action"));
                assertEquals(GLOBAL_CLUSTER, call.get("GlobalClusterIdentifier"));
            }
            assertFalse(sns.calls().isEmpty());
            FakeQueryService.Call publish = sns.calls().get(0);
            assertEquals(Set.of(publish), Set.copyOf(sns.calls()));
            assertEquals("Publish", publish.get("Action"));
            assertEquals(TOPIC, publish.get("TopicArn"));
            assertEquals("Aurora global database failover or switchover in us-east-2", publish.get("Subject"));
            String message = publish.get("Message");
            assertTrue(message.contains("What happened: Global failover to DB cluster aurora-dr-dev in Region us-east-2"
                    + " completed. (RDS-EVENT-0185, aurora-dr-dev)"), message);
            assertTrue(message.contains("Writer: The Aurora writer is now the cluster in us-east-2."), message);
            assertTrue(message.contains("Runbook: docs/runbook.md"), message);
            assertEquals("GLOBAL_FAILOVER", logLine(report, "ops_event_published").get("situation").getAsString());
        }
    }
}
