package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformOutput;
import com.hashicorp.cdktf.TerraformStack;
import com.payments.dr.config.DrConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DrStack skips cdktf's preparing resolve pass when it is alone in its app (README "Speed"): the
 * pass only creates cross-stack references. Proven against a real pass: beside a second stack that
 * reads one of its attributes, the pass runs and wires the reference, and apart from that wiring the
 * JSON is the one written without the pass.
 */
class PrepareStackTest {

    @TempDir
    Path dir;

    private static JsonObject synthesize(App app, Path outdir) throws IOException {
        app.synth();
        return JsonParser.parseString(Files.readString(outdir.resolve("stacks/payments-dr/cdk.tf.json")))
                .getAsJsonObject();
    }

    /** JSON paths where {@code a} and {@code b} differ (a key on one side only, or another value). */
    private static void diff(String path, JsonElement a, JsonElement b, List<String> into) {
        if (a != null && b != null && a.isJsonObject() && b.isJsonObject()) {
            Set<String> keys = new TreeSet<>(a.getAsJsonObject().keySet());
            keys.addAll(b.getAsJsonObject().keySet());
            keys.forEach(k -> diff(path + "/" + k, a.getAsJsonObject().get(k), b.getAsJsonObject().get(k), into));
        } else if (a == null || !a.equals(b)) {
            into.add(path);
        }
    }

    @Test
    void aloneThePassIsSkippedBesideAnotherStackItRunsAndTheJsonIsTheSame() throws IOException {
        DrConfig config = DrConfig.builder().build();
        Path aloneDir = dir.resolve("alone");
        App alone = App.Builder.create().outdir(aloneDir.toString()).stackTraces(false).build();
        new DrStack(alone, config);
        JsonObject withoutPass = synthesize(alone, aloneDir);

        Path besideDir = dir.resolve("beside");
        App beside = App.Builder.create().outdir(besideDir.toString()).stackTraces(false).build();
        DrStack stack = new DrStack(beside, config);
        TerraformStack consumer = new TerraformStack(beside, "consumer");
        TerraformOutput.Builder.create(consumer, "zone").value(stack.dns().zoneId()).build();
        JsonObject withPass = synthesize(beside, besideDir);

        // the pass ran: the zone id leaves this stack as a cross-stack output ...
        Set<String> outputs = new TreeSet<>(withPass.getAsJsonObject("output").keySet());
        outputs.removeAll(withoutPass.getAsJsonObject("output").keySet());
        assertEquals(1, outputs.size(), outputs.toString());
        String crossStack = outputs.iterator().next();
        assertTrue(crossStack.startsWith("cross-stack-output-"), crossStack);
        String consumerJson = Files.readString(besideDir.resolve("stacks/consumer/cdk.tf.json"));
        assertTrue(consumerJson.contains("terraform_remote_state"), "the consumer reads it from remote state");
        // ... and apart from it, the stack is exactly what the skipped pass left
        List<String> differences = new ArrayList<>();
        diff("", withoutPass, withPass, differences);
        differences.removeIf(path -> path.contains("/cross-stack-output-"));
        assertEquals(List.of(), differences);
        // the backend the pass would add if there were none is the stack's own S3 backend
        assertTrue(withoutPass.getAsJsonObject("terraform").getAsJsonObject("backend").has("s3"));
    }
}
