package com.payments.dr.lambda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A built Lambda package, unpacked as Lambda lays it out in /var/task, for the artifact tests. */
public final class FunctionZip {

    private FunctionZip() {
    }

    /** Unpacks {@code zip} into {@code task}; returns its entries in zip order. */
    public static List<ZipEntry> unpack(Path zip, Path task) throws IOException {
        assertTrue(Files.isRegularFile(zip), zip + " was not built (mvn process-classes builds it)");
        try (ZipFile file = new ZipFile(zip.toFile())) {
            List<ZipEntry> entries = Collections.list(file.entries()).stream().map(e -> (ZipEntry) e).toList();
            for (ZipEntry entry : entries) {
                Path target = task.resolve(entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
            return entries;
        }
    }
}
