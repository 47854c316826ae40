package com.payments.dr;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hashicorp.cdktf.App;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.jsii.JsiiEngine;
import software.constructs.Construct;

/**
 * Synthesizes into a staging directory beside the output directory and swaps it in only when the
 * whole synthesis succeeded, so a failure never leaves a half-written {@code cdktf.out}.
 */
public final class Synthesizer {

    private Synthesizer() {
    }

    /**
     * Builds whatever {@code build} adds to a fresh app and synthesizes it into {@code outdir}:
     * through a staging directory swapped in only on success when {@code staged}, else in place.
     * {@code check} runs on the written directory before it is swapped in: when it throws, nothing
     * is swapped in (in place, the stacks and the manifest just written are removed).
     */
    public static void synthesize(Consumer<Construct> build, Path outdir, boolean staged, Consumer<Path> check) {
        Path target = outdir.toAbsolutePath().normalize();
        Path staging = null;
        try {
            Files.createDirectories(target.getParent());
            if (staged) {
                // not createTempDirectory: its owner-only mode would end up on cdktf.out itself
                staging = Files.createDirectory(target.getParent().resolve(
                        ".cdktf.out.staging-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
            }
            App app = App.Builder.create().outdir((staged ? staging : target).toString()).stackTraces(false).build();
            build.accept(app);
            app.synth();
            try {
                check.accept(staged ? staging : target);
            } catch (RuntimeException e) {
                if (!staged) {
                    deleteTree(target.resolve("stacks"));
                    deleteTree(target.resolve("manifest.json"));
                }
                throw e;
            }
            if (staged) {
                swap(staging, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * Runs {@code work} on this thread while another starts jsii's Node process and loads the cdktf
     * and AWS provider assemblies into it: about 4 s in which the JVM would otherwise only wait
     * (docs/performance.md); the work begins once Node has started. {@code loaded} hears {@code node},
     * {@code cdktf} and {@code provider} as each step ends (on the loading thread). Returns once both
     * are done, with the work's result and whatever failed while loading, which the caller reports
     * as a failed synthesis ({@link HeadStart#rethrowLoadFailure()}).
     */
    public static <T> HeadStart<T> whileJsiiLoads(Supplier<T> work, Consumer<String> loaded) {
        return whileLoading(work, started -> {
            JsiiEngine engine = JsiiEngine.getInstance();
            engine.getClient();
            loaded.accept("node");
            started.run();
            engine.loadModule(com.hashicorp.cdktf.$Module.class);
            loaded.accept("cdktf");
            engine.loadModule(com.hashicorp.cdktf.providers.aws.$Module.class);
            loaded.accept("provider");
        });
    }

    /**
     * Runs {@code load} on another thread and {@code work} here once the load has called its
     * {@code started} callback (or ended): on two cores, work that would compete with Node's own
     * start-up waits for it and then overlaps the assembly loading, a single Node thread. Returns
     * once both are done. jsii is not thread-safe: the loading thread is joined before anything
     * else may call it, also when {@code work} throws (its exception then wins).
     */
    static <T> HeadStart<T> whileLoading(Supplier<T> work, Consumer<Runnable> load) {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread loader = new Thread(() -> {
            try {
                load.accept(started::countDown);
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                started.countDown();
            }
        }, "jsii-load");
        loader.start();
        T result;
        try {
            uninterruptibly(started::await);
            result = work.get();
        } finally {
            uninterruptibly(loader::join);
        }
        return new HeadStart<>(result, failure.get());
    }

    /** What ran while jsii loaded: the work's result, and what failed while loading (or null). */
    public record HeadStart<T>(T value, Throwable loadFailure) {

        /**
         * Throws what failed while loading jsii (Node missing, a failed handshake, an assembly that
         * does not load), with its own message: a retry by the synthesis would only report that the
         * client was never created.
         */
        public void rethrowLoadFailure() {
            if (loadFailure != null) {
                throw loadFailure instanceof RuntimeException e ? e
                        : new IllegalStateException(String.valueOf(loadFailure.getMessage()), loadFailure);
            }
        }
    }

    /** A wait that an interrupt can cut short. */
    @FunctionalInterface
    private interface Wait {
        void run() throws InterruptedException;
    }

    /** Waits until {@code wait} returns, however often this thread is interrupted, and keeps the interrupt. */
    private static void uninterruptibly(Wait wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.run();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The JSON cdktf wrote for {@code stack} in a synthesized directory. */
    public static JsonObject readStack(Path synthesized, String stack) {
        Path json = synthesized.resolve("stacks").resolve(stack).resolve("cdk.tf.json");
        try (Reader reader = Files.newBufferedReader(json)) {
            return JsonParser.parseReader(reader).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json + ": " + e.getMessage(), e);
        }
    }

    /** Moves {@code staging} to {@code target}, replacing what was there whole. */
    static void swap(Path staging, Path target) throws IOException {
        Path previous = null;
        if (Files.exists(target)) {
            previous = target.getParent().resolve(".cdktf.out.previous-" + ProcessHandle.current().pid()
                    + "-" + System.nanoTime());
            Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(previous);
    }

    static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        File[] children = root.toFile().listFiles();
        if (children != null) {
            for (File child : children) {
                deleteTree(child.toPath());
            }
        }
        root.toFile().delete();
    }
}
