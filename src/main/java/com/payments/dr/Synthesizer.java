package com.payments.dr;

import com.hashicorp.cdktf.App;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
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
     */
    public static void synthesize(Consumer<Construct> build, Path outdir, boolean staged) {
        synthesize(build, outdir, staged, written -> { });
    }

    /**
     * As {@link #synthesize(Consumer, Path, boolean)}, and {@code alongside} adds files of its own to
     * the synthesized directory before it is swapped in: they appear together with the stack, or not
     * at all.
     */
    public static void synthesize(Consumer<Construct> build, Path outdir, boolean staged, Consumer<Path> alongside) {
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
            alongside.accept(staged ? staging : target);
            if (staged) {
                swap(staging, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteTree(staging);
        }
    }

    private static void swap(Path staging, Path target) throws IOException {
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
