package com.payments.dr.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.ops.Diagram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's architecture diagram is what the generator draws from the stack as synthesized now. */
class DiagramTest {

    private static String mermaid;

    @BeforeAll
    static void draw() {
        mermaid = Diagram.mermaid(Synth.defaults().json());
    }

    @Test
    void theReadmeDiagramIsCurrent() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertEquals(readme, Diagram.replaceIn(readme, mermaid),
                "the README's architecture diagram is stale: run ./main --diagram and commit README.md");
    }

    @Test
    void eachRegionHasItsTiersAndTheGlobalResourcesTheirOwnSubgraph() {
        String primary = section("primary_region");
        String dr = section("dr_region");
        for (String region : List.of(primary, dr)) {
            for (String tier : List.of("VPC<br/>", "Aurora cluster<br/>", "Lambda<br/>lambda-payment-dev",
                    "Lambda<br/>lambda-receipt-dev", "REST API<br/>", "S3 bucket<br/>", "SNS topic<br/>",
                    "EventBridge bus<br/>", "CloudWatch alarms")) {
                assertTrue(region.contains(tier), tier + " in\n" + region);
            }
        }
        assertTrue(primary.contains("VPC<br/>10.10.0.0/16") && dr.contains("VPC<br/>10.20.0.0/16"));
        assertTrue(dr.contains("DynamoDB replica<br/>dynamodb-payment-state-dev"), dr);
        assertTrue(dr.contains("Secret replica<br/>secret-aurora-master-dev"), dr);
        String global = section("global_region");
        for (String node : List.of("Aurora global database<br/>aurora-global-dev",
                "DynamoDB global table<br/>dynamodb-payment-state-dev", "Secret<br/>secret-aurora-master-dev",
                "Route 53 failover<br/>api.payments-dr-dev.com", "Dashboard<br/>dashboard-payments-dr-dev",
                "Composite alarm<br/>alarm-fail-over-now-dev")) {
            assertTrue(global.contains(node), node + " in\n" + global);
        }
    }

    @Test
    void replicationAndFailoverArrowsComeFromTheStack() {
        String dr = section("dr_region");
        String primaryBucket = Synth.defaults().json().getAsJsonObject("resource").getAsJsonObject("aws_s3_bucket")
                .keySet().stream().filter(id -> id.startsWith("primary_")).findFirst().orElseThrow();
        String drBucket = primaryBucket.replace("primary_", "dr_");
        assertTrue(mermaid.lines().anyMatch(l -> l.matches("\\s+primary_bucket_\\w+ ==>\\|S3 replication\\| dr_bucket_\\w+")),
                mermaid);
        assertTrue(mermaid.lines().anyMatch(l -> l.matches("\\s+dr_bucket_\\w+ ==>\\|S3 replication\\| primary_bucket_\\w+")),
                primaryBucket + " " + drBucket);
        assertTrue(mermaid.lines().anyMatch(l -> l.matches(
                "\\s+primary_database_cluster_\\w+ ==>\\|Aurora storage replication\\| dr_database_cluster_\\w+")));
        assertEquals(2, mermaid.lines().filter(l -> l.contains("-.-|member|")).count());
        assertTrue(mermaid.lines().anyMatch(l -> l.matches(
                "\\s+global_state_table_(\\w+) <==>\\|global table replication\\| global_state_table_\\1_replica_us_east_2")));
        assertTrue(mermaid.lines().anyMatch(l -> l.matches(
                "\\s+global_master_secret_(\\w+) ==>\\|secret replica\\| global_master_secret_\\1_replica_us_east_2")));
        assertTrue(mermaid.lines().anyMatch(l -> l.matches("\\s+failover_api_payments_dr_dev_com -->\\|PRIMARY\\| primary_api_\\w+")));
        assertTrue(mermaid.lines().anyMatch(l -> l.matches("\\s+failover_api_payments_dr_dev_com -->\\|SECONDARY\\| dr_api_\\w+")));
        // the DR region's functions use the table's replica, the pipe reads the replica's stream
        assertTrue(mermaid.lines().anyMatch(l -> l.matches(
                "\\s+dr_payment_function_\\w+ -->\\|IDEMPOTENCY_TABLE\\| global_state_table_\\w+_replica_us_east_2")));
        assertTrue(mermaid.lines().anyMatch(l -> l.matches(
                "\\s+global_state_table_\\w+_replica_us_east_2 -->\\|stream\\| dr_events_pipe_\\w+")));
        // the migrator is handed the owner's credentials: no edge from it to a secret
        assertFalse(mermaid.lines().anyMatch(l -> l.matches("\\s+\\w+_migrator_function_\\w+ -->.*secret.*")), mermaid);
        // the acknowledgement mirror: the primary's function writes through the DR VPC's interface
        // endpoint into the DR replica, the two VPCs peered
        assertTrue(dr.contains("Interface endpoint<br/>vpce-dynamodb-mirror-dev"), dr);
        assertTrue(mermaid.lines().anyMatch(l -> l.matches(
                "\\s+primary_payment_function_\\w+ -->\\|ACK_MIRROR_ENDPOINT\\| ack_mirror_endpoint_\\w+")), mermaid);
        assertTrue(mermaid.lines().anyMatch(l -> l.matches(
                "\\s+ack_mirror_endpoint_\\w+ -->\\|dynamodb\\| global_state_table_\\w+_replica_us_east_2")), mermaid);
        assertTrue(mermaid.lines().anyMatch(l -> l.matches(
                "\\s+primary_network_vpc_\\w+ -.-\\|VPC peering\\| dr_network_vpc_\\w+")), mermaid);
        // each merchant key's secret has its DR replica too
        assertTrue(mermaid.lines().anyMatch(l -> l.matches(
                "\\s+global_merchant_keys_smoke_test_1_secret_(\\w+) ==>\\|secret replica\\| "
                        + "global_merchant_keys_smoke_test_1_secret_\\1_replica_us_east_2")), mermaid);
    }

    @Test
    void theOutputIsDeterministic() {
        assertEquals(mermaid, Diagram.mermaid(Synth.defaults().json().deepCopy()));
        List<String> edges = mermaid.lines().filter(l -> l.startsWith("    ") && !l.startsWith("        ")
                && !l.contains("subgraph") && !l.trim().equals("end")).toList();
        assertEquals(edges.stream().sorted().toList(), edges);
    }

    private static String section(String subgraph) {
        int start = mermaid.indexOf("    subgraph " + subgraph);
        return mermaid.substring(start, mermaid.indexOf("\n    end\n", start));
    }
}
