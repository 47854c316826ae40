package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.payments.dr.blocks.PaymentFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 8's review findings, fixed: what a plan and an apply need beyond a valid synthesis. */
class PlanReadyTest {

    private static Synth synth;

    @BeforeAll
    static void synthesize() {
        synth = Synth.defaults();
    }

    private static Map<String, JsonObject> statements(String policyReference) {
        Map<String, JsonObject> bySid = new HashMap<>();
        synth.policyDocument(policyReference).getAsJsonArray("statement").forEach(s ->
                bySid.put(s.getAsJsonObject().get("sid").getAsString(), s.getAsJsonObject()));
        return bySid;
    }

    private static JsonObject snapshotWait(String role) {
        return synth.blocks("resource", "terraform_data").entrySet().stream()
                .filter(e -> e.getKey().startsWith(role + "_payment_function_snapshot_ready_"))
                .map(e -> e.getValue().getAsJsonObject()).findFirst().orElseThrow();
    }

    // --- finding 2: the alias moves only to a version whose SnapStart snapshot is ready

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void theAliasWaitsForThePublishedVersionToBecomeActive(String role, String region) {
        JsonObject function = synth.resource("aws_lambda_function", role + "_payment_function_");
        assertTrue(function.get("publish").getAsBoolean());
        assertEquals("PublishedVersions", function.getAsJsonObject("snap_start").get("apply_on").getAsString());
        JsonObject wait = snapshotWait(role);
        String version = "${aws_lambda_function." + role + "_payment_function_";
        assertTrue(wait.get("input").getAsString().startsWith(version), wait.toString());
        assertTrue(wait.get("input").getAsString().endsWith(".version}"));
        assertEquals(wait.get("input"), wait.getAsJsonArray("triggers_replace").get(0),
                "every new version is waited for");
        JsonObject exec = wait.getAsJsonArray("provisioner").get(0).getAsJsonObject().getAsJsonObject("local-exec");
        assertEquals(PaymentFunction.WAIT_FOR_VERSION_COMMAND, exec.get("command").getAsString());
        JsonObject env = exec.getAsJsonObject("environment");
        assertEquals(region, env.get("FUNCTION_REGION").getAsString());
        assertEquals(wait.get("input"), env.get("FUNCTION_VERSION"));
        assertTrue(env.get("FUNCTION_NAME").getAsString().startsWith(version));
        JsonObject alias = synth.resource("aws_lambda_alias", role + "_payment_function_alias");
        assertTrue(alias.get("function_version").getAsString().startsWith("${terraform_data." + role
                + "_payment_function_snapshot_ready_"), "never the function's version directly");
    }

    @Test
    void theWaitCommandPassesExactlyTheFunctionsCoordinatesToTheAwsCliWaiter(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path calls = dir.resolve("calls");
        Path aws = dir.resolve("aws");
        Files.writeString(aws, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + calls + "'\nexit 0\n");
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", PaymentFunction.WAIT_FOR_VERSION_COMMAND);
        shell.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        shell.environment().put("FUNCTION_REGION", "us-east-2");
        // values arrive through the environment: nothing in them is run by the shell
        shell.environment().put("FUNCTION_NAME", "lambda-payment-dev $(touch " + dir.resolve("pwned") + ")");
        shell.environment().put("FUNCTION_VERSION", "7");
        Process process = shell.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertEquals(List.of("lambda", "wait", "published-version-active", "--region", "us-east-2",
                "--function-name", "lambda-payment-dev $(touch " + dir.resolve("pwned") + ")", "--qualifier", "7"),
                Files.readAllLines(calls));
        assertFalse(Files.exists(dir.resolve("pwned")));
    }

    @Test
    void aFailedWaitFailsTheApplyBeforeTheAliasMoves(@TempDir Path dir) throws IOException, InterruptedException {
        Path aws = dir.resolve("aws");
        // what the CLI's waiter does when the version's State becomes Failed
        Files.writeString(aws, "#!/bin/sh\necho 'Waiter PublishedVersionActive failed: terminal failure state' >&2\nexit 255\n");
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", PaymentFunction.WAIT_FOR_VERSION_COMMAND);
        shell.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        Process process = shell.redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(255, process.exitValue(), "local-exec fails the terraform_data, and the alias depends on it");
    }

    // --- issue 9's building-block items: environment encrypted with the region's key, VPC permissions

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void environmentIsEncryptedWithTheRegionsDataKeyAndTheRoleMayDecryptItThroughLambda(String role, String region) {
        JsonObject function = synth.resource("aws_lambda_function", role + "_payment_function_");
        assertTrue(function.get("kms_key_arn").getAsString().startsWith("${aws_kms_key." + role + "_data_key_"),
                function.get("kms_key_arn").toString());
        Map<String, JsonObject> role_ = statements(synth.resource("aws_iam_role_policy",
                role + "_payment_function_role_policy").get("policy").getAsString());
        JsonObject decrypt = role_.get("DecryptEnvironment");
        assertEquals(List.of("kms:Decrypt"), Synth.strings(decrypt.getAsJsonArray("actions")));
        assertEquals(function.get("kms_key_arn"), decrypt.getAsJsonArray("resources").get(0));
        JsonObject via = decrypt.getAsJsonArray("condition").get(0).getAsJsonObject();
        assertEquals("kms:ViaService", via.get("variable").getAsString());
        assertEquals("lambda." + region + ".amazonaws.com", via.getAsJsonArray("values").get(0).getAsString());
        // the key policy lets Lambda use the key for the account (grants, encrypt at create, decrypt)
        JsonObject keyPolicy = synth.policyDocument(synth.resource("aws_kms_key", role + "_data_key_")
                .get("policy").getAsString());
        JsonObject usage = keyPolicy.getAsJsonArray("statement").get(1).getAsJsonObject();
        List<String> actions = Synth.strings(usage.getAsJsonArray("actions"));
        assertTrue(actions.containsAll(List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")));
        JsonObject grants = keyPolicy.getAsJsonArray("statement").get(2).getAsJsonObject();
        assertEquals(List.of("kms:CreateGrant"), Synth.strings(grants.getAsJsonArray("actions")));
        assertEquals(usage.getAsJsonArray("condition").get(0), grants.getAsJsonArray("condition").get(0));
        List<String> services = Synth.strings(usage.getAsJsonArray("condition").get(0).getAsJsonObject()
                .getAsJsonArray("values"));
        assertTrue(services.contains("lambda." + region + ".amazonaws.com"), services.toString());
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void lambdaMayDescribeTheSubnetsItPlacesEnisIn(String role) {
        Map<String, JsonObject> bySid = statements(synth.resource("aws_iam_role_policy",
                role + "_payment_function_role_policy").get("policy").getAsString());
        assertTrue(Synth.strings(bySid.get("ManageVpcNetworkInterfaces").getAsJsonArray("actions"))
                .contains("ec2:DescribeSubnets"));
    }

    // --- finding 3: the global cluster drives upgrades; parameter groups survive a major upgrade

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void membersIgnoreTheEngineVersionTheGlobalClusterDrives(String role) {
        JsonObject cluster = synth.resource("aws_rds_cluster", role + "_database_cluster");
        assertTrue(Synth.strings(cluster.getAsJsonObject("lifecycle").getAsJsonArray("ignore_changes"))
                .contains("engine_version"));
        assertEquals("16.6", synth.resource("aws_rds_global_cluster", "global_").get("engine_version").getAsString());
        for (Map.Entry<String, JsonElement> instance : synth.blocks("resource", "aws_rds_cluster_instance").entrySet()) {
            JsonObject body = instance.getValue().getAsJsonObject();
            assertFalse(body.has("engine_version"), instance.getKey());
            assertFalse(body.get("auto_minor_version_upgrade").getAsBoolean(), instance.getKey());
        }
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void parameterGroupsAreReplacedCreateBeforeDestroyUnderAGeneratedName(String role) {
        JsonObject group = synth.resource("aws_rds_cluster_parameter_group", role + "_database_parameter_group");
        assertFalse(group.has("name"), "a fixed name could not exist twice during the replacement");
        assertEquals("aurora-params-pg16-dev-", group.get("name_prefix").getAsString());
        assertTrue(group.getAsJsonObject("lifecycle").get("create_before_destroy").getAsBoolean());
        assertEquals("aurora-postgresql16", group.get("family").getAsString());
    }

    // --- finding 4: one source for the master password, sensitive values stay out of outputs, state under KMS

    @Test
    void theClusterReadsThePasswordFromTheSecretsCurrentValue() {
        JsonObject current = synth.data("aws_secretsmanager_secret_version").get(0);
        assertTrue(current.get("secret_id").getAsString().startsWith("${aws_secretsmanager_secret.global_master_secret_"));
        Synth.assertDependsFirstOn(current, "aws_secretsmanager_secret_version.global_master_secret_value_");
        JsonObject primary = synth.resource("aws_rds_cluster", "primary_database_cluster");
        assertTrue(primary.get("master_password").getAsString().contains("data.aws_secretsmanager_secret_version."));
        assertFalse(primary.get("master_password").getAsString().contains("random_password"),
                "the generator only seeds the secret");
    }

    @Test
    void noOutputCarriesASensitiveValue() {
        JsonObject outputs = synth.json().getAsJsonObject("output");
        List<String> leaking = new ArrayList<>();
        outputs.entrySet().forEach(e -> {
            String value = e.getValue().getAsJsonObject().get("value").toString();
            if (value.matches(".*(random_password|secret_string|master_password|secretsmanager_secret_version).*")
                    && !e.getValue().getAsJsonObject().has("sensitive")) {
                leaking.add(e.getKey());
            }
        });
        assertEquals(List.of(), leaking);
    }

    @Test
    void theStateIsEncryptedWithACustomerManagedKey() {
        JsonObject s3 = synth.json().getAsJsonObject("terraform").getAsJsonObject("backend").getAsJsonObject("s3");
        assertTrue(s3.get("encrypt").getAsBoolean());
        assertEquals("alias/payments-dr-terraform-state", s3.get("kms_key_id").getAsString());
    }

    // --- finding 5: replication both ways, a failed secret replica is visible, the DR key admits the replica

    @Test
    void bucketsReplicateBothWaysWithReplicaModificationSync() {
        JsonObject toDr = synth.resource("aws_s3_bucket_replication_configuration", "global_bucket_replication");
        JsonObject back = synth.resource("aws_s3_bucket_replication_configuration", "global_failback_replication");
        assertEquals("aws.primary", toDr.get("provider").getAsString());
        assertEquals("aws.dr", back.get("provider").getAsString(), "a bucket's replication is set in its own region");
        assertTrue(back.get("bucket").getAsString().startsWith("${aws_s3_bucket.dr_bucket_"));
        assertEquals(toDr.get("role"), back.get("role"));
        for (JsonObject replication : List.of(toDr, back)) {
            JsonObject rule = replication.getAsJsonArray("rule").get(0).getAsJsonObject();
            assertEquals("Enabled", rule.getAsJsonObject("source_selection_criteria")
                    .getAsJsonObject("replica_modifications").get("status").getAsString());
            assertEquals("Enabled", rule.getAsJsonObject("delete_marker_replication").get("status").getAsString());
            assertEquals(3, replication.getAsJsonArray("depends_on").size());
        }
        String destination = back.getAsJsonArray("rule").get(0).getAsJsonObject().getAsJsonObject("destination")
                .get("bucket").getAsString();
        assertTrue(destination.startsWith("${aws_s3_bucket.primary_bucket_"), destination);
        Map<String, JsonObject> role = statements(synth.resource("aws_iam_role_policy",
                "global_replication_role_policy").get("policy").getAsString());
        for (String sid : List.of("ReadReplicationConfiguration", "ReadSourceVersions", "WriteReplicas")) {
            List<String> resources = Synth.strings(role.get(sid).getAsJsonArray("resources"));
            assertTrue(resources.stream().anyMatch(r -> r.startsWith("${aws_s3_bucket.primary_bucket_"))
                    && resources.stream().anyMatch(r -> r.startsWith("${aws_s3_bucket.dr_bucket_")), sid + resources);
        }
    }

    @Test
    void aSecretReplicaThatFailsToSyncFailsTheApplyAndIsAnOutput() {
        JsonObject secret = synth.resource("aws_secretsmanager_secret", "global_master_secret");
        JsonObject postcondition = secret.getAsJsonObject("lifecycle").getAsJsonArray("postcondition").get(0)
                .getAsJsonObject();
        assertEquals("${alltrue([for replica in self.replica : replica.status != \"Failed\"])}",
                postcondition.get("condition").getAsString());
        assertTrue(postcondition.get("error_message").getAsString().contains("replica failed to sync"));
        JsonObject output = synth.json().getAsJsonObject("output").getAsJsonObject("db_secret_replica_status");
        assertTrue(output.get("value").getAsString().matches(
                "\\$\\{tolist\\(aws_secretsmanager_secret\\.global_master_secret_[0-9A-F]+\\.replica\\)\\.0\\.status}"),
                output.toString());
    }

    @Test
    void theDrKeyAdmitsTheReplicaThroughThePrimaryRegionsSecretsManagerToo() {
        JsonObject dr = synth.policyOf("aws_kms_key", "dr_data_key_");
        JsonObject replica = null;
        for (JsonElement statement : dr.getAsJsonArray("statement")) {
            if (statement.getAsJsonObject().get("sid").getAsString().equals("EncryptSecretReplicaFromPrimaryRegion")) {
                replica = statement.getAsJsonObject();
            }
        }
        assertTrue(replica != null, dr.toString());
        assertTrue(Synth.strings(replica.getAsJsonArray("actions")).containsAll(
                List.of("kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey")));
        List<String> conditions = new ArrayList<>();
        replica.getAsJsonArray("condition").forEach(c -> conditions.add(c.getAsJsonObject().get("variable").getAsString()
                + "=" + c.getAsJsonObject().getAsJsonArray("values").get(0).getAsString()));
        assertEquals("kms:ViaService=secretsmanager.us-east-1.amazonaws.com", conditions.get(0));
        assertTrue(conditions.get(1).startsWith("kms:CallerAccount=${data.aws_caller_identity.dr_caller_identity"));
        JsonObject primary = synth.policyOf("aws_kms_key", "primary_data_key_");
        assertEquals(3, primary.getAsJsonArray("statement").size(), "the primary key needs no cross-region statement");
    }

    // --- finding 6: endpoints let through only this stack's resources; no unused egress

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void everyEndpointAllowsOnlyThisStacksResourcesToThisAccount(String role, String region) {
        Map<String, String> expected = Map.of(
                "dynamodb", ":dynamodb:" + region + ":",
                // the DR replica's ARN comes from its waiter
                "secretsmanager", role.equals("dr") ? "${terraform_data.global_secret_replica_ready_"
                        : "aws_secretsmanager_secret.global_master_secret_",
                "s3", "${aws_s3_bucket." + role + "_bucket_");
        // whichever endpoints the region runs (the Secrets Manager one may go with IAM database auth)
        List<String> present = synth.blocks("resource", "aws_vpc_endpoint").keySet().stream()
                .filter(id -> id.startsWith(role + "_")).toList();
        assertTrue(present.size() >= 2, present.toString());
        int checked = 0;
        for (Map.Entry<String, String> service : expected.entrySet()) {
            if (present.stream().noneMatch(id -> id.startsWith(role + "_network_" + service.getKey() + "_endpoint"))) {
                continue;
            }
            checked++;
            JsonObject endpoint = synth.resource("aws_vpc_endpoint", role + "_network_" + service.getKey() + "_endpoint");
            JsonObject statement = synth.policyDocument(endpoint.get("policy").getAsString())
                    .getAsJsonArray("statement").get(0).getAsJsonObject();
            assertEquals("Allow", statement.get("effect").getAsString());
            for (String resource : Synth.strings(statement.getAsJsonArray("resources"))) {
                assertTrue(resource.contains(service.getValue()), service.getKey() + ": " + resource);
                assertFalse(resource.equals("*"));
            }
            for (String action : Synth.strings(statement.getAsJsonArray("actions"))) {
                assertTrue(action.startsWith(service.getKey() + ":") && !action.contains("*"), action);
            }
            JsonObject account = statement.getAsJsonArray("condition").get(0).getAsJsonObject();
            assertEquals("aws:PrincipalAccount", account.get("variable").getAsString());
        }
        JsonObject table = synth.resource("aws_vpc_endpoint", role + "_network_dynamodb_endpoint");
        // the function's item actions, and the migrator's scan for the reconciliation after a failover
        java.util.Set<String> tableActions = new java.util.TreeSet<>(PaymentFunction.TABLE_ACTIONS);
        tableActions.addAll(com.payments.dr.blocks.MigratorFunction.TABLE_ACTIONS);
        assertEquals(List.copyOf(tableActions), Synth.strings(synth.policyDocument(table.get("policy").getAsString())
                .getAsJsonArray("statement").get(0).getAsJsonObject().getAsJsonArray("actions")));
        assertEquals(present.size(), checked, "every endpoint was checked above: " + present);
    }

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void theFunctionGroupHasNoEgressToS3WhichItDoesNotUse(String role) {
        List<String> egress = synth.blocks("resource", "aws_vpc_security_group_egress_rule").keySet().stream()
                .filter(id -> id.startsWith(role + "_")).toList();
        assertTrue(egress.stream().noneMatch(id -> id.contains("function_to_s3")), egress.toString());
        assertTrue(egress.stream().anyMatch(id -> id.contains("function_to_dynamodb")), egress.toString());
    }

    @Test
    void anEndpointWithoutAPolicyEntryFailsSynth() {
        com.hashicorp.cdktf.TerraformStack stack = new com.hashicorp.cdktf.TerraformStack(
                com.hashicorp.cdktf.Testing.app(), "endpoints");
        com.payments.dr.blocks.RegionContext region = new com.payments.dr.blocks.RegionContext(
                com.payments.dr.naming.RegionRole.PRIMARY, "eu-central-1",
                Providers.aws(stack, com.payments.dr.naming.RegionRole.PRIMARY, "eu-central-1", "t"),
                com.payments.dr.naming.Naming.global("t").forRegion(com.payments.dr.naming.RegionRole.PRIMARY),
                "123456789012", "aws");
        com.payments.dr.blocks.EncryptionKey key = new com.payments.dr.blocks.EncryptionKey(stack, "key", region,
                "logs", "test", List.of());
        com.payments.dr.blocks.Network network = new com.payments.dr.blocks.Network(stack, "network",
                new com.payments.dr.blocks.Network.Props(region, com.payments.dr.config.Ipv4Cidr.parseOrNull(
                        "192.168.0.0/24"), 2, 7, key, List.of("sts"), List.of("s3"), List.of()));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> network.restrictEndpoints(Map.of(
                        "s3", new com.payments.dr.blocks.Network.EndpointAccess(List.of("s3:GetObject"), List.of("x")),
                        "dynamodb", new com.payments.dr.blocks.Network.EndpointAccess(List.of("dynamodb:GetItem"),
                                List.of("y")))));
        assertEquals("no endpoint policy for the sts endpoint of eu-central-1: give restrictEndpoints what the"
                + " stack uses it for", e.getMessage());
    }

    // --- the pinned engine version: a check block's warning, never a failed plan or destroy

    @ParameterizedTest
    @CsvSource({"primary, us-east-1", "dr, us-east-2"})
    void whetherThePinnedVersionIsStillOrderableIsACheckNotADataSource(String role, String region) {
        JsonObject check = synth.json().getAsJsonObject("check").getAsJsonObject("aurora_version_orderable_" + role);
        JsonObject version = check.getAsJsonObject("data").getAsJsonObject("aws_rds_orderable_db_instance")
                .getAsJsonObject("aurora_version_orderable_" + role);
        assertEquals("aws." + role, version.get("provider").getAsString());
        assertEquals("aurora-postgresql", version.get("engine").getAsString());
        assertEquals("16.6", version.get("engine_version").getAsString());
        assertEquals(List.of("db.serverless"), Synth.strings(version.getAsJsonArray("preferred_instance_classes")));
        assertTrue(version.get("supports_global_databases").getAsBoolean());
        JsonObject assertion = check.getAsJsonArray("assert").get(0).getAsJsonObject();
        assertEquals("${data.aws_rds_orderable_db_instance.aurora_version_orderable_" + role
                + ".engine_version == \"16.6\"}", assertion.get("condition").getAsString());
        assertTrue(assertion.get("error_message").getAsString().startsWith(
                "AURORA_ENGINE_VERSION=16.6 is no longer orderable as db.serverless for a global database in "
                        + region + ":"), assertion.toString());
        // nothing outside the check reads the pinned version's offer
        assertTrue(synth.data("aws_rds_orderable_db_instance").stream().noneMatch(d -> d.has("engine_version")));
    }

    // --- finding 7: zones chosen by what Lambda, the endpoints and db.serverless offer

    @ParameterizedTest
    @CsvSource({"primary", "dr"})
    void subnetsGoOnlyToZonesThatOfferEverythingTheStackRunsThere(String role) {
        JsonObject zones = synth.data("aws_availability_zones").stream()
                .filter(z -> z.get("provider").getAsString().equals("aws." + role)).findFirst().orElseThrow();
        assertEquals(List.of("use1-az3"), Synth.strings(zones.getAsJsonArray("exclude_zone_ids")),
                "the zone id Lambda refuses, the same physical zone in every account");
        JsonObject offering = synth.data("aws_rds_orderable_db_instance").stream()
                .filter(z -> z.get("provider").getAsString().equals("aws." + role)).findFirst().orElseThrow();
        assertEquals("aurora-postgresql", offering.get("engine").getAsString());
        assertFalse(offering.has("engine_version"),
                "every plan and destroy read it: a version leaving AWS's offer must not fail them");
        assertEquals(List.of("db.serverless"), Synth.strings(offering.getAsJsonArray("preferred_instance_classes")));
        assertTrue(offering.get("supports_global_databases").getAsBoolean());
        List<String> subnetZones = new ArrayList<>();
        for (Map.Entry<String, JsonElement> subnet : synth.blocks("resource", "aws_subnet").entrySet()) {
            if (!subnet.getKey().startsWith(role + "_")) {
                continue;
            }
            JsonObject body = subnet.getValue().getAsJsonObject();
            String zone = body.get("availability_zone").getAsString();
            subnetZones.add(zone);
            assertTrue(zone.startsWith("${element(sort(setintersection(data.aws_availability_zones."), zone);
            assertTrue(zone.contains("data.aws_rds_orderable_db_instance." + role + "_serverless_offering_"), zone);
            synth.blocks("data", "aws_vpc_endpoint_service").keySet().stream()
                    .filter(id -> id.startsWith(role + "_"))
                    .forEach(id -> assertTrue(zone.contains("data.aws_vpc_endpoint_service." + id), id + " in " + zone));
            JsonObject lifecycle = body.getAsJsonObject("lifecycle");
            assertEquals(List.of("availability_zone"), Synth.strings(lifecycle.getAsJsonArray("ignore_changes")),
                    "a chosen zone stays when AWS's offering changes");
            JsonObject precondition = lifecycle.getAsJsonArray("precondition").get(0).getAsJsonObject();
            assertTrue(precondition.get("condition").getAsString().startsWith("${(length(sort(setintersection("));
            assertTrue(precondition.get("condition").getAsString().endsWith(">= 2)}"));
            assertTrue(precondition.get("error_message").getAsString().contains("AZ_COUNT=2"));
        }
        assertEquals(2, subnetZones.size());
        assertTrue(subnetZones.stream().anyMatch(z -> z.endsWith(", 0)}"))
                && subnetZones.stream().anyMatch(z -> z.endsWith(", 1)}")));
        List<String> interfaceEndpoints = synth.blocks("resource", "aws_vpc_endpoint").entrySet().stream()
                .filter(e -> e.getKey().startsWith(role + "_"))
                .map(e -> e.getValue().getAsJsonObject())
                .filter(e -> e.get("vpc_endpoint_type").getAsString().equals("Interface"))
                .map(e -> e.get("service_name").getAsString())
                .map(name -> name.substring(name.lastIndexOf('.') + 1)).sorted().toList();
        List<String> offered = synth.data("aws_vpc_endpoint_service").stream()
                .filter(z -> z.get("provider").getAsString().equals("aws." + role))
                .peek(z -> assertEquals("Interface", z.get("service_type").getAsString()))
                .map(z -> z.get("service").getAsString()).sorted().toList();
        assertEquals(interfaceEndpoints, offered, "every interface endpoint's offering constrains the zones");
    }
}
