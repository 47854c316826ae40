package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hashicorp.cdktf.Annotations;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import com.payments.dr.Synthesizer;
import com.payments.dr.naming.RegionRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The full synthesis path ({@code Testing.fullSynth}: aspects, validations, annotations, manifest,
 * assets, files), which {@code Testing.synth} skips: a construct that reports an error must fail it.
 */
class FullSynthesisTest {

    private static final String ERROR_LEVEL = "@cdktf/error";

    /**
     * Error annotations of a full synthesis: cdktf aborts on the first one (the message lists them
     * all), or, with SYNTH_CONTINUE_ON_ERROR_ANNOTATIONS set as the cdktf CLI does, records them in
     * the manifest.
     */
    static List<String> errorAnnotations(TerraformStack stack) {
        String outdir;
        try {
            outdir = Testing.fullSynth(stack);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("Encountered Annotations with level \"ERROR\"")) {
                throw e;
            }
            // jsii repeats the JavaScript message in the exception's text
            return message.lines().filter(l -> l.startsWith("[")).distinct().toList();
        }
        try {
            JsonObject manifest = JsonParser.parseString(Files.readString(Path.of(outdir, "manifest.json")))
                    .getAsJsonObject();
            List<String> errors = new ArrayList<>();
            for (JsonElement annotation : manifest.getAsJsonObject("stacks")
                    .getAsJsonObject(stack.getNode().getId()).getAsJsonArray("annotations")) {
                JsonObject a = annotation.getAsJsonObject();
                if (a.get("level").getAsString().equals(ERROR_LEVEL)) {
                    errors.add("[" + a.get("constructPath").getAsString() + "] " + a.get("message").getAsString());
                }
            }
            return errors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(Path.of(outdir));
        }
    }

    @Test
    void theStackSynthesizesFullyWithoutErrorAnnotationsAndWritesWhatTheTestsCheck() throws IOException {
        Synth synth = Synth.defaults();
        assertEquals(List.of(), errorAnnotations(synth.stack()));
        Path outdir = Path.of(Testing.fullSynth(synth.stack()));
        try {
            JsonObject written = JsonParser.parseString(
                    Files.readString(outdir.resolve("stacks/payments-dr/cdk.tf.json"))).getAsJsonObject();
            stripMetadata(written);
            assertTrue(synth.json().equals(written), "the JSON the matchers see is the JSON Terraform gets");
        } finally {
            delete(outdir);
        }
    }

    @Test
    void anErrorAnnotationOnAnyConstructFailsTheSynthesisAndAWarningDoesNot() {
        TerraformStack stack = new TerraformStack(Testing.app(), "annotated");
        Providers.aws(stack, RegionRole.PRIMARY, "us-east-1", "t");
        Annotations.of(stack).addWarning("only a warning");
        assertEquals(List.of(), errorAnnotations(stack));
        TerraformStack broken = new TerraformStack(Testing.app(), "annotated");
        Annotations.of(Providers.aws(broken, RegionRole.PRIMARY, "us-east-1", "t")).addError("broken on purpose");
        List<String> errors = errorAnnotations(broken);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).matches("\\[annotated/.*] broken on purpose"), errors.get(0));
    }

    /** Removes cdktf's {@code "//"} metadata entries (construct paths), which Testing.synth leaves out. */
    private static void stripMetadata(JsonElement element) {
        if (element.isJsonObject()) {
            element.getAsJsonObject().remove("//");
            element.getAsJsonObject().asMap().values().forEach(FullSynthesisTest::stripMetadata);
        } else if (element.isJsonArray()) {
            element.getAsJsonArray().forEach(FullSynthesisTest::stripMetadata);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
