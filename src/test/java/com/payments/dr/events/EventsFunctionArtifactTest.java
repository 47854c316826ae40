package com.payments.dr.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** target/events-function.zip: both handlers, only their libraries, reproducible entries. */
class EventsFunctionArtifactTest {

    static final Path ZIP = Path.of("target", "events-function.zip");
    private static final long MAX_BYTES = 20L * 1024 * 1024;
    /** project.build.outputTimestamp in pom.xml, as zip entries store it. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2024, 1, 1, 0, 0);
    private static final Pattern PROJECT_CLASS = Pattern.compile("com/payments/dr/[A-Za-z0-9_/$]+");
    private static List<ZipEntry> entries;

    @BeforeAll
    static void open() throws IOException {
        assertTrue(Files.isRegularFile(ZIP), ZIP + " was not built (mvn process-classes builds it)");
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            entries = Collections.list(zip.entries()).stream().map(e -> (ZipEntry) e).toList();
        }
    }

    private static List<String> names() {
        return entries.stream().map(ZipEntry::getName).toList();
    }

    @Test
    void containsBothHandlersAndTheirClientsOnly() throws IOException {
        assertTrue(names().contains("com/payments/dr/events/ReceiptHandler.class"));
        assertTrue(names().contains("com/payments/dr/events/OpsNotifier.class"));
        // the logger both handlers call, shared with the payment function's package
        assertTrue(names().contains("com/payments/dr/lambda/Log.class"));
        for (String library : List.of("aws-lambda-java-core-", "gson-", "s3-2", "sns-2", "rds-2", "url-connection-client-2")) {
            assertTrue(names().stream().anyMatch(n -> n.startsWith("lib/" + library)), library);
        }
        for (String forbidden : List.of("lib/dynamodb-", "lib/secretsmanager-", "lib/postgresql-", "lib/cdktf",
                "lib/jsii", "lib/netty", "lib/apache-client", "lib/DynamoDBLocal", "lib/junit", "lib/s3proxy",
                "com/payments/dr/function/", "com/payments/dr/stack/", "Test.class", "Fake")) {
            assertTrue(names().stream().noneMatch(n -> n.contains(forbidden)), forbidden);
        }
        assertTrue(Files.size(ZIP) < MAX_BYTES, Files.size(ZIP) + " bytes");
    }

    /**
     * No test runs the handlers from the zip alone, so this is what stands in for it: every project
     * class a packaged class names (in its constant pool, where the JVM resolves it from) is packaged.
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
}
