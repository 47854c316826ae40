package com.payments.dr.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the outputs a deployment leaves behind, in either format, and refusing anything else clearly. */
class DeploymentOutputsTest {

    @TempDir
    Path dir;

    private DeploymentOutputs write(String json) throws IOException {
        Path file = dir.resolve("outputs.json");
        Files.writeString(file, json);
        return DeploymentOutputs.read(file);
    }

    @Test
    void readsCdktfsOutputsFileFlatOrNestedByConstruct() throws IOException {
        DeploymentOutputs flat = DeploymentOutputs.read(RunbookTest.FIXTURE);
        assertEquals("aurora-global-dev", flat.get("global_cluster_id"));
        assertEquals("us-east-1", flat.primaryRegion());
        assertEquals("us-east-2", flat.drRegion());
        assertEquals(RunbookTest.FIXTURE, flat.file());
        DeploymentOutputs nested = write("{\"payments-dr\":{\"global\":{\"global_cluster_id\":\"g\"},\"n\":5}}");
        assertEquals("g", nested.get("global_cluster_id"));
        assertEquals("5", nested.get("n"));
    }

    @Test
    void readsTerraformOutputJson() throws IOException {
        DeploymentOutputs outputs = write("{\"state_table_name\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"t\"},"
                + "\"ids\":{\"type\":[\"list\",\"string\"],\"value\":[\"a\"]}}");
        assertEquals("t", outputs.get("state_table_name"));
        IllegalArgumentException list = assertThrows(IllegalArgumentException.class, () -> outputs.get("ids"));
        assertTrue(list.getMessage().endsWith("is not a single value: [\"a\"]"), list.getMessage());
    }

    @Test
    void aMissingOutputNamesTheFileAndWhatItHas() throws IOException {
        DeploymentOutputs outputs = write("{\"payments-dr\":{\"b\":\"1\",\"a\":\"2\"}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> outputs.get("dr_api_key_id"));
        assertEquals("output dr_api_key_id is missing from " + dir.resolve("outputs.json") + " (it has a, b)", e.getMessage());
    }

    @Test
    void badFilesAreOneClearError() throws IOException {
        Path absent = dir.resolve("absent.json");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DeploymentOutputs.read(absent)).getMessage()
                .startsWith("cannot read " + absent));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> write("{\"a\":")).getMessage()
                .contains("is not JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> write("[1]")).getMessage()
                .endsWith("is not a JSON object of outputs"));
    }

    @Test
    void regionsComeFromArns() {
        assertEquals("eu-west-1", DeploymentOutputs.regionOf("arn:aws:sns:eu-west-1:123456789012:topic"));
        assertEquals("us-east-1", DeploymentOutputs.regionOf("arn:aws:cloudwatch:us-east-1:123456789012:alarm:a:b"));
        for (String bad : new String[] {"arn:aws:s3:::bucket", "nope", "urn:aws:sns:r:1:t"}) {
            assertThrows(IllegalArgumentException.class, () -> DeploymentOutputs.regionOf(bad), bad);
        }
    }
}
