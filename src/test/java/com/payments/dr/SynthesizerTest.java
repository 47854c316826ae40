package com.payments.dr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading back what a synthesis wrote, for the policy gate. */
class SynthesizerTest {

    @TempDir
    Path dir;

    @Test
    void readsTheStacksJson() throws IOException {
        Path stack = Files.createDirectories(dir.resolve("stacks/s"));
        Files.writeString(stack.resolve("cdk.tf.json"), "{\"resource\":{}}");
        assertEquals("{\"resource\":{}}", Synthesizer.readStack(dir, "s").toString());
    }

    @Test
    void aMissingStackIsOneReadableError() {
        UncheckedIOException missing = assertThrows(UncheckedIOException.class, () -> Synthesizer.readStack(dir, "s"));
        assertTrue(missing.getMessage().startsWith("cannot read " + dir.resolve("stacks/s/cdk.tf.json")),
                missing.getMessage());
    }
}
