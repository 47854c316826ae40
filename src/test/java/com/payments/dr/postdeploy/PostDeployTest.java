package com.payments.dr.postdeploy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.payments.dr.ops.DeploymentOutputs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The post-deploy suite: proves a deployed stack works, through AWS's APIs and the stack's own
 * public endpoints, with every name from the deployment's outputs file. Run after
 * {@code cdktf deploy payments-dr --outputs-file outputs.json}:
 * {@code DR_OUTPUTS_FILE=outputs.json mvn -B test -Dtest='PostDeploy*' -Djacoco.skip=true}
 * (AWS credentials as for the deploy). Without {@code DR_OUTPUTS_FILE} it is skipped with one line,
 * so {@code mvn -B verify} stays green without an AWS account.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostDeployTest {

    /** How long a record may take to reach the DR replica (global tables: typically about a second). */
    static final String TABLE_BOUND_ENV = "DR_TABLE_REPLICATION_BOUND_SECONDS";
    /** How long an object may take to reach the DR bucket (RTC's objective is 15 minutes). */
    static final String BUCKET_BOUND_ENV = "DR_BUCKET_REPLICATION_BOUND_SECONDS";
    /**
     * How long the metrics the Aurora alarms watch may take to be listed: CloudWatch allows up to
     * 15 minutes for a new metric to appear in ListMetrics.
     */
    static final String METRICS_BOUND_ENV = "DR_METRICS_PUBLISHED_BOUND_SECONDS";
    static final String SKIPPED = "post-deploy suite skipped: " + DeploymentOutputs.ENV + " is not set (after cdktf"
            + " deploy payments-dr --outputs-file outputs.json, run DR_OUTPUTS_FILE=outputs.json mvn -B test"
            + " -Dtest='PostDeploy*' -Djacoco.skip=true)";

    private static PostDeployChecks checks;

    @BeforeAll
    static void outputs() {
        Optional<PostDeployChecks> configured = configure(System.getenv(), Path.of("").toAbsolutePath(), System.out,
                AwsClients.aws());
        assumeTrue(configured.isPresent(), SKIPPED);
        checks = configured.get();
    }

    /**
     * The checks for this environment, or empty after printing the one skip line when
     * {@code DR_OUTPUTS_FILE} is not set; a file that is set but unreadable is an error, not a skip.
     */
    static Optional<PostDeployChecks> configure(Map<String, String> env, Path dir, PrintStream out, AwsClients aws) {
        String file = env.getOrDefault(DeploymentOutputs.ENV, "");
        if (file.isBlank()) {
            out.println(SKIPPED);
            return Optional.empty();
        }
        DeploymentOutputs outputs = DeploymentOutputs.read(dir.resolve(file));
        return Optional.of(new PostDeployChecks(outputs, aws, seconds(env, TABLE_BOUND_ENV, 60),
                seconds(env, BUCKET_BOUND_ENV, 900), seconds(env, METRICS_BOUND_ENV, 900), Duration.ofSeconds(2)));
    }

    static Duration seconds(Map<String, String> env, String name, int fallback) {
        String value = env.getOrDefault(name, "");
        if (value.isBlank()) {
            return Duration.ofSeconds(fallback);
        }
        if (!value.matches("[1-9][0-9]{0,4}")) {
            throw new IllegalArgumentException("invalid " + name + "=\"" + value + "\": allowed: 1 to 99999 seconds");
        }
        return Duration.ofSeconds(Integer.parseInt(value));
    }

    @Test
    @Order(1)
    void thePrimaryTakesAPaymentOnceReplaysItAndTheRecordReachesTheDrReplica() {
        PostDeployChecks.Payment payment = checks.primaryTakesAPaymentOnceAndReplaysIt();
        Duration took = checks.recordReachesTheDrReplica(payment);
        System.out.println("post-deploy: idempotency record in the DR replica after " + took.toMillis() + " ms");
    }

    @Test
    @Order(2)
    void anObjectReachesTheDrBucket() {
        Duration took = checks.objectReachesTheDrBucket();
        System.out.println("post-deploy: object in the DR bucket after " + took.toSeconds() + " s");
    }

    @Test
    @Order(3)
    void healthChecksAndTheFailoverRecordsExist() {
        checks.healthChecksAndTheFailoverPairExist();
    }

    @Test
    @Order(4)
    void alarmsAndTheDashboardAreWiredToTheTopics() {
        assertTrue(checks.alarmsAndDashboardAreWiredToTheTopics() > 0);
    }

    @Test
    @Order(5)
    void everyMerchantKeyHasOneValueInBothRegions() {
        assertTrue(checks.everyMerchantKeyHasOneValueInBothRegions() > 0);
    }

    @Test
    @Order(6)
    void theDrRegionRefusesPaymentsUntilPromoted() {
        checks.drRefusesPaymentsWhileNotWritable();
    }

    @Test
    @Order(7)
    void theAuroraAlarmsWatchMetricsCloudWatchPublishes() {
        int listed = checks.auroraAlarmsWatchPublishedMetrics();
        System.out.println("post-deploy: the metrics of " + listed + " Aurora alarms are listed");
    }

    @Test
    @Order(8)
    void theDrProbesAlarmsWatchMetricsCloudWatchPublishes() {
        int listed = checks.probeAlarmsWatchPublishedMetrics();
        System.out.println("post-deploy: the metrics of " + listed + " probe alarms are listed in the DR region");
    }
}
