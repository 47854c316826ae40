package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.payments.dr.lambda.FunctionZip;
import com.payments.dr.lambda.LogCapture;
import com.payments.dr.stack.RegionalResources;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The artifact the stack deploys, target/payment-function.zip (built in process-classes, before
 * the tests): what it contains, what it must not, its size, its fixed timestamps and modes, and
 * that the function runs from it alone on the Lambda runtime's Java ({@link
 * com.payments.dr.lambda.LambdaJava}), as a cold start and as a SnapStart restore.
 */
class PaymentFunctionArtifactTest {

    static final Path ZIP = Path.of("target", "payment-function.zip");
    private static final long MAX_BYTES = 20L * 1024 * 1024;
    /** project.build.outputTimestamp in pom.xml, as zip entries store it (local time fields). */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2024, 1, 1, 0, 0);

    private static List<ZipEntry> entries;

    @TempDir
    static Path unpacked;

    @BeforeAll
    static void open() throws IOException {
        entries = FunctionZip.unpack(ZIP, unpacked);
    }

    private static List<String> libraries() {
        return entries.stream().map(ZipEntry::getName)
                .filter(n -> n.startsWith("lib/") && n.endsWith(".jar")).toList();
    }

    @Test
    void isSmallEnough() throws IOException {
        long size = Files.size(ZIP);
        System.out.println("payment-function.zip: " + size + " bytes, " + libraries().size() + " libraries");
        assertTrue(size < MAX_BYTES, size + " bytes");
    }

    @Test
    void containsTheHandlerAtTheRootAndItsRuntimeLibrariesUnderLib() {
        assertTrue(entries.stream().anyMatch(e -> e.getName().equals("com/payments/dr/function/PaymentHandler.class")));
        // the shared logger the function's classes call (runsFromTheArtifactAlone... loads it from here)
        assertTrue(entries.stream().anyMatch(e -> e.getName().equals("com/payments/dr/lambda/Log.class")));
        for (String library : List.of("aws-lambda-java-core-", "gson-", "postgresql-", "dynamodb-2",
                "url-connection-client-2", "sdk-core-2")) {
            assertTrue(libraries().stream().anyMatch(l -> l.startsWith("lib/" + library)), library);
        }
        // nothing in the package calls Secrets Manager: the migrator is handed the owner's credentials
        assertTrue(libraries().stream().noneMatch(l -> l.startsWith("lib/secretsmanager-")), libraries().toString());
    }

    @Test
    void containsNoInfrastructureTestEnginesNorUnusedHttpClients() {
        List<String> forbidden = List.of("cdktf", "jsii", "constructs", "netty", "apache-client",
                "httpclient", "DynamoDBLocal", "junit", "jackson-databind", "sqlite4java", "cognito", "pinpoint");
        List<String> found = new ArrayList<>();
        for (ZipEntry e : entries) {
            String name = e.getName();
            boolean ownCode = name.startsWith("com/payments/dr/function/") || name.startsWith("com/payments/dr/lambda/");
            boolean otherProjectCode = name.startsWith("com/payments/dr/") && !ownCode && !e.isDirectory();
            boolean testClass = ownCode
                    && (name.contains("Test") || name.contains("Probe") || name.contains("Fake"));
            boolean strayTopLevel = !e.isDirectory() && !name.startsWith("lib/")
                    && !ownCode && !name.equals("rds-ca/rds-ca-bundle.pem");
            if (otherProjectCode || testClass || strayTopLevel || forbidden.stream().anyMatch(name::contains)) {
                found.add(name);
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void carriesNoBuildTimeTimestampsNorUmaskDependentModes() throws IOException {
        for (ZipEntry e : entries) {
            assertEquals(FIXED_TIME, e.getTimeLocal(), e.getName());
        }
        // unix mode lives in the central directory's external attributes: 0644 files, 0755 directories
        byte[] zip = Files.readAllBytes(ZIP);
        int modes = 0;
        for (int i = 0; i + 46 <= zip.length; i++) {
            if (zip[i] == 0x50 && zip[i + 1] == 0x4b && zip[i + 2] == 0x01 && zip[i + 3] == 0x02) {
                int external = (zip[i + 38] & 0xff) | (zip[i + 39] & 0xff) << 8 | (zip[i + 40] & 0xff) << 16
                        | (zip[i + 41] & 0xff) << 24;
                int mode = (external >>> 16) & 0777;
                assertTrue(Set.of(0644, 0755).contains(mode), Integer.toOctalString(mode));
                modes++;
            }
        }
        assertEquals(entries.size(), modes);
    }

    /** The unpacked package (as Lambda lays it out) and the probe: nothing else from the build. */
    private static String artifactClasspath() {
        List<String> classpath = new ArrayList<>();
        classpath.add(unpacked.toString());
        libraries().forEach(l -> classpath.add(unpacked.resolve(l).toString()));
        classpath.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        return String.join(File.pathSeparator, classpath);
    }

    @Test
    void shipsTheRdsCaBundleWhereTheStackPointsDbSslRootCert() throws IOException {
        Path bundle = unpacked.resolve("rds-ca/rds-ca-bundle.pem");
        assertEquals("/var/task/rds-ca/rds-ca-bundle.pem", RegionalResources.FUNCTION_CA_BUNDLE);
        assertEquals(-1L, Files.mismatch(bundle, RdsCaBundleTest.BUNDLE), "the vendored file, unchanged");
    }

    @Test
    void aSnapStartRestoreSignsWithContainerCredentialsAndFollowsDnsWithin5Seconds() throws Exception {
        TestDynamo dynamo = TestDynamo.shared();
        String table = "snapstart-table";
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        // DynamoDB Local keeps one namespace per access key: the table exists only for the
        // credentials the container endpoint hands out, so a call signed otherwise cannot find it.
        try (ContainerCredentialsEndpoint credentials = new ContainerCredentialsEndpoint();
                  DynamoDbClient asFunction = DynamoDbClient.builder().endpointOverride(dynamo.endpoint())
                          .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                  ContainerCredentialsEndpoint.ACCESS_KEY, "any"))).build()) {
            TestDynamo.createTable(asFunction, table);
            ProcessBuilder probe = ColdStartProbe.command(artifactClasspath(),
                    List.of("--add-opens=java.base/sun.net=ALL-UNNAMED"), "/health",
                    // the first check of a cold JVM may spend its 1.5 s loading the SDK: ask again
                    Long.toString(HealthService.CACHE.toMillis() + 500));
            Map<String, String> env = probe.environment();
            // What Lambda gives a restored snapshot: no access-key variables, no profile.
            env.keySet().removeIf(name -> name.startsWith("AWS_") && !name.equals("AWS_REGION"));
            env.putAll(Fixtures.env("AWS_CONTAINER_CREDENTIALS_FULL_URI", credentials.uri(),
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN", ContainerCredentialsEndpoint.TOKEN,
                    "IDEMPOTENCY_TABLE", table, "AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString(),
                    "DB_HOST", "127.0.0.1", "DB_PORT", Integer.toString(closedPort),
                    "JAVA_TOOL_OPTIONS", RegionalResources.FUNCTION_JVM_OPTIONS));
            JsonObject result = ColdStartProbe.run(probe);
            assertEquals(List.of(), LogCapture.nonJsonLines(result.get("output").getAsString()),
                    "lines the log group cannot parse");
            JsonObject health = JsonParser.parseString(result.getAsJsonObject("response").get("body").getAsString())
                    .getAsJsonObject();
            assertEquals("pass", health.getAsJsonObject("checks").get("idempotency_table").getAsString(),
                    health.toString());
            assertEquals("database_connection", health.get("failed_check").getAsString());
            assertTrue(credentials.served.get() >= 1, "credentials came from the container endpoint");
            assertEquals(0, credentials.refused.get(), "with the authorization token");
            assertEquals(5, result.get("dns_ttl").getAsInt());
        }
    }

    @Test
    void runsFromTheArtifactAloneAndReportsItsColdStart() throws Exception {
        JsonObject result = ColdStartProbe.run(artifactClasspath(), List.of());
        assertEquals(List.of(), LogCapture.nonJsonLines(result.get("output").getAsString()),
                "lines the log group cannot parse");
        assertEquals(404, result.getAsJsonObject("response").get("statusCode").getAsInt());
        assertTrue(Set.of("init_ms", "first_invoke_ms").stream().allMatch(result::has));
        System.out.println("payment-function cold start (artifact only, Java " + result.get("java_version").getAsString()
                + "): init " + result.get("init_ms") + " ms, first invocation " + result.get("first_invoke_ms") + " ms");
    }
}
