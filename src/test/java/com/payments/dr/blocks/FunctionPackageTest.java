package com.payments.dr.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The asset hash computed in Java must be the one cdktf computes, or the asset's directory changes. */
class FunctionPackageTest {

    @TempDir
    Path dir;

    @Test
    void theHashIsCdktfsMd5InUpperCaseHex() throws IOException {
        // cdktf's hashPath: md5 of the file's bytes, hex, upper case (md5("hello") is well known)
        Path file = Files.writeString(dir.resolve("hello.zip"), "hello");
        assertEquals("5D41402ABC4B2A76B9719D911017C592", FunctionPackage.assetHash(file));
        assertEquals(FunctionPackage.assetHash(file), FunctionPackage.assetHash(dir.resolve("./hello.zip")));
    }

    @Test
    void aRebuiltPackageIsHashedAgain() throws IOException {
        Path file = Files.writeString(dir.resolve("f.zip"), "one");
        String first = FunctionPackage.assetHash(file);
        Files.writeString(file, "two");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2_000));
        assertEquals("B8A9F715DBB64FD5C56E7783C6820A61", FunctionPackage.assetHash(file));
        assertTrue(!first.equals(FunctionPackage.assetHash(file)));
    }

    @Test
    void aMissingPackageIsOneReadableError() {
        Path missing = dir.resolve("missing.zip");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FunctionPackage.assetHash(missing));
        assertTrue(e.getMessage().startsWith("cannot read the function package " + missing), e.getMessage());
    }
}
