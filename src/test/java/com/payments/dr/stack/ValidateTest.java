package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.TerraformStack;
import com.hashicorp.cdktf.Testing;
import com.hashicorp.cdktf.providers.aws.provider.AwsProvider;
import com.hashicorp.cdktf.providers.aws.security_group.SecurityGroup;
import com.payments.dr.naming.RegionRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The synthesized stack passes the AWS provider's own validation ({@code ./main --validate-dir},
 * the command CI and developers use), and that validation really catches what synthesis cannot.
 * Needs terraform and the provider mirror (CI has both); skipped with one line otherwise.
 */
class ValidateTest {

    private static final Path MIRROR = Path.of(System.getenv().getOrDefault("TF_PLUGIN_MIRROR", "/opt/tf-plugins"),
            "registry.terraform.io", "hashicorp", "aws", Providers.AWS_PROVIDER_VERSION);

    @BeforeAll
    static void needsTerraformAndTheProvider() {
        assumeTerraform();
    }

    /** Skips the calling test with one line when terraform or the provider mirror is missing. */
    static void assumeTerraform() {
        Assumptions.assumeTrue(onPath("terraform") && Files.isDirectory(MIRROR),
                "skipped: needs terraform on PATH and the AWS provider " + Providers.AWS_PROVIDER_VERSION
                        + " in " + MIRROR.getParent().getParent());
    }

    @Test
    void theDefaultStackValidatesWithoutWarnings() throws Exception {
        Path outdir = Path.of(Testing.fullSynth(Synth.defaults().stack()));
        Result result = validate(outdir.resolve("stacks").resolve(DrStack.NAME));
        assertEquals(0, result.exitCode(), result.output());
        assertOnlyTheDeliberateWarning(result);
    }

    /**
     * Valid, with one deliberate warning: provider 5.x deprecates reset_on_delete because 6.x always
     * does what it asks (clear the account's CloudWatch role on destroy); drop the override with 6.x.
     */
    static void assertOnlyTheDeliberateWarning(Result result) {
        assertTrue(result.output().contains("Success! The configuration is valid"), result.output());
        List<String> warnings = result.output().lines().filter(l -> l.startsWith("Warning: ")).toList();
        assertEquals(List.of("Warning: Attribute Deprecated"), warnings, result.output());
        assertTrue(result.output().contains("in resource.aws_api_gateway_account."), result.output());
        assertTrue(result.output().contains("\"reset_on_delete\": true"), result.output());
        assertTrue(result.output().contains("(and one more similar warning elsewhere)"), "the other region's");
    }

    @Test
    void aResourceTheProviderRefusesFailsValidation() throws Exception {
        App app = Testing.app();
        TerraformStack stack = new TerraformStack(app, "invalid");
        AwsProvider provider = Providers.aws(stack, RegionRole.PRIMARY, "us-east-1", "dev");
        // what this stack shipped before: EC2 reserves sg- for group ids
        SecurityGroup.Builder.create(stack, "group").provider(provider).name("sg-database-dev")
                .description("reserved prefix").build();
        Path outdir = Path.of(Testing.fullSynth(stack));
        Result result = validate(outdir.resolve("stacks").resolve("invalid"));
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("invalid value for name (cannot begin with sg-)"), result.output());
    }

    record Result(int exitCode, String output) {
    }

    static Result validate(Path stackDir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "./main", "--validate-dir", stackDir.toString())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "terraform did not finish");
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
