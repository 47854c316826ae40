package com.payments.dr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /** A loading step that says it started, takes {@code millis}, then records that it finished (or throws). */
    private static java.util.function.Consumer<Runnable> slowLoad(long millis, AtomicBoolean done, boolean fail) {
        return started -> {
            started.run();
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            done.set(true);
            if (fail) {
                throw new IllegalStateException("node: not found");
            }
        };
    }

    @Test
    void theWorkStartsOnceTheLoadingSaysNodeStartedAndRunsAlongsideTheRest() {
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean loaded = new AtomicBoolean();
        String result = Synthesizer.whileLoading(() -> {
            assertTrue(started.get(), "the work waits for the start");
            assertFalse(loaded.get(), "and runs while the rest of the loading does");
            return "report";
        }, start -> {
            try {
                Thread.sleep(100);
                started.set(true);
                start.run();
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            loaded.set(true);
        }).value();
        assertEquals("report", result);
        assertTrue(loaded.get());
    }

    @Test
    void theWorkRunsWhileTheLoadingDoesAndBothAreDoneOnReturn() {
        AtomicBoolean loaded = new AtomicBoolean();
        String thread = Thread.currentThread().getName();
        String result = Synthesizer.whileLoading(() -> {
            assertFalse(loaded.get(), "the work runs before the 200 ms loading ends");
            return Thread.currentThread().getName();
        }, slowLoad(200, loaded, false)).value();
        assertEquals(thread, result, "the work runs on the caller's thread");
        assertTrue(loaded.get(), "the loading thread is joined before returning: jsii is not thread-safe");
    }

    @Test
    void aFailedLoadingComesBackWithTheWorksResultAndItsOwnMessage() {
        AtomicBoolean loaded = new AtomicBoolean();
        Synthesizer.HeadStart<String> h = Synthesizer.whileLoading(() -> "report", slowLoad(50, loaded, true));
        assertEquals("report", h.value());
        assertTrue(loaded.get());
        IllegalStateException e = assertThrows(IllegalStateException.class, h::rethrowLoadFailure);
        assertEquals("node: not found", e.getMessage(), "what failed, not a later 'client not created'");
        Synthesizer.whileLoading(() -> "report", slowLoad(10, loaded, false)).rethrowLoadFailure();
    }

    @Test
    void aLoadingErrorThatIsNoRuntimeExceptionIsWrappedAndItsMessageKept() {
        Synthesizer.HeadStart<String> h = Synthesizer.whileLoading(() -> "report", started -> {
            throw new NoClassDefFoundError("software/amazon/jsii/JsiiEngine");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, h::rethrowLoadFailure);
        assertEquals("software/amazon/jsii/JsiiEngine", e.getMessage());
        assertTrue(e.getCause() instanceof NoClassDefFoundError);
    }

    @Test
    void theWorksFailureComesOutOnlyOnceTheLoadingIsDone() {
        AtomicBoolean loaded = new AtomicBoolean();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Synthesizer.whileLoading(() -> {
            throw new IllegalStateException("over budget");
        }, slowLoad(200, loaded, false)));
        assertEquals("over budget", e.getMessage());
        assertTrue(loaded.get(), "no jsii call may start while the loading thread still runs");
    }

    @Test
    void anInterruptWaitsForTheLoadingAndIsKept() {
        AtomicBoolean loaded = new AtomicBoolean();
        Thread.currentThread().interrupt();
        try {
            assertEquals("done", Synthesizer.whileLoading(() -> "done", slowLoad(100, loaded, false)).value());
            assertTrue(loaded.get());
            assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt is restored");
        } finally {
            Thread.interrupted();
        }
    }
}
