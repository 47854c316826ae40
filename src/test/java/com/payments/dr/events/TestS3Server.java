package com.payments.dr.events;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * S3Proxy (an S3 API server from Maven Central, in-memory "transient" storage, Signature V4 with
 * the test's credentials) as a separate process on a free loopback port. Its own JVM keeps its
 * libraries (jclouds, an older gson, Jetty) apart from the functions' and DynamoDB Local's.
 */
public final class TestS3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIDEXAMPLE";
    public static final String SECRET_KEY = "test-secret-key";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;

    public TestS3Server() throws IOException, InterruptedException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path properties = Files.createTempFile("s3proxy", ".properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=transient",
                "jclouds.identity=unused",
                "jclouds.credential=unused",
                ""));
        Path log = Files.createTempFile("s3proxy", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 and the serial collector: a test's server starts with a third less CPU (measured)
        process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-jar", Path.of("target", "s3proxy", "s3proxy.jar").toString(), "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!listening()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IllegalStateException("S3Proxy did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** An S3 client of this server with its credentials, as the tests read and prepare buckets. */
    S3Client client() {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint())
                .forcePathStyle(true)
                // over plain HTTP the SDK asks for an MD5 trailer on reads (x-amz-te), which S3Proxy
                // refuses (501); over HTTPS, as in AWS, it does not
                .serviceConfiguration(S3Configuration.builder().checksumValidationEnabled(false).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
