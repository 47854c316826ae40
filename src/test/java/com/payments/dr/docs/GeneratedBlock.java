package com.payments.dr.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A block of a document between two marker lines whose text a test computes from the code, so the
 * document cannot drift from it. {@link #check} fails when the block differs and prints the computed
 * text; run the test with {@code -Ddocs.update=true} to write it in instead, then read the diff.
 * The begin marker is {@code <!-- BEGIN GENERATED: name (…) -->} (the part in parentheses says
 * where it comes from), the end marker {@code <!-- END GENERATED: name -->}.
 */
public record GeneratedBlock(Path file, String name) {

    /** The system property that makes {@link #check} write the computed text in. */
    public static final String UPDATE = "docs.update";

    public String endMarker() {
        return "<!-- END GENERATED: " + name + " -->";
    }

    /** The text between the markers now, or fails naming the missing marker. */
    public String current() {
        String text = read();
        int begin = beginLineEnd(text);
        int end = text.indexOf(endMarker());
        assertTrue(begin >= 0 && end >= begin, file + " lacks the markers of the generated block '" + name + "'");
        return text.substring(begin, end);
    }

    /** Asserts the block is {@code expected}; with {@code -Ddocs.update=true}, writes it in first. */
    public void check(String expected) {
        if (Boolean.getBoolean(UPDATE) && !current().equals(expected)) {
            String text = read();
            String updated = text.substring(0, beginLineEnd(text)) + expected + text.substring(text.indexOf(endMarker()));
            try {
                Files.writeString(file, updated);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertEquals(expected, current(), file + ": the generated block '" + name + "' is stale; rerun this test with -D"
                + UPDATE + "=true to write it, or copy it from here:\n" + expected);
    }

    private int beginLineEnd(String text) {
        int begin = text.indexOf("<!-- BEGIN GENERATED: " + name + " (");
        if (begin < 0) {
            return -1;
        }
        int newline = text.indexOf('\n', begin);
        return newline < 0 ? -1 : newline + 1;
    }

    private String read() {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
