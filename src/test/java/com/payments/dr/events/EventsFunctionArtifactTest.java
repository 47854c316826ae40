package com.payments.dr.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.List;
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

    @Test
    void entriesHaveFixedTimes() {
        for (ZipEntry entry : entries) {
            assertEquals(FIXED_TIME, entry.getTimeLocal(), entry.getName());
        }
    }
}
