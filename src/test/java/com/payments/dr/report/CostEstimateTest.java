package com.payments.dr.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.payments.dr.config.DrConfig;
import com.payments.dr.config.Setting;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The estimate's arithmetic, and settings moving it the right way. */
class CostEstimateTest {

    static final Prices PRICES = Prices.load();

    static CostEstimate estimate(String... settings) {
        DrConfig.Builder builder = DrConfig.builder();
        for (int i = 0; i < settings.length; i += 2) {
            builder.set(Setting.valueOf(settings[i]), settings[i + 1]);
        }
        DrConfig config = builder.build();
        return CostEstimate.of(config, PRICES, Inventory.of(config));
    }

    static CostEstimate.Line line(CostEstimate e, String item, String where) {
        return e.lines().stream().filter(l -> l.item().equals(item) && l.where().startsWith(where))
                .findFirst().orElseThrow(() -> new AssertionError(item + " in " + where + ": " + e.lines()));
    }

    @Test
    void theDefaultIdleEstimateLineByLine() {
        CostEstimate e = estimate();
        // 2 primary instances and 1 DR instance x 0.5 ACU x 730 h x $0.12
        assertEquals(87.60, line(e, "Aurora Serverless v2 instances", "primary").idleUsd(), 1e-9);
        assertEquals(43.80, line(e, "Aurora Serverless v2 instances", "dr").idleUsd(), 1e-9);
        // no interface endpoint (was 1 x 2 zones x 730 h x $0.01 per region): shown, at $0
        assertEquals(0, line(e, "Interface VPC endpoints", "both").idleUsd(), 1e-9);
        assertTrue(e.lines().stream().noneMatch(l -> l.item().equals("Interface VPC endpoints")
                && !l.where().equals("both regions")));
        // the master secret and the smoke-test merchant's key, each with its replica, x $0.40
        assertEquals(1.60, line(e, "Secrets Manager", "both").idleUsd(), 1e-9);
        // 2 rules x 4 replication metrics x $0.30, published (and billed) whether or not anything replicates
        assertEquals(2.40, line(e, "S3 Replication metrics (RTC)", "both").idleUsd(), 1e-9);
        // the DR probe: 43 800 runs x ($0.20/M + 0.5 s at 0.5 GB + 1000 bytes of logs) + 4 metrics x $0.30
        assertEquals(43_800 * (0.2e-6 + 0.25 * 0.0000133334 + 1000 / Math.pow(1024, 3) * 0.5) + 1.20,
                line(e, "Failover probe (function, logs, metrics)", "dr").idleUsd(), 1e-9);
        // 4 x $0.10 + the composite $0.50, in the DR region
        assertEquals(0.90, line(e, "Failover probe alarms", "dr").idleUsd(), 1e-9);
        // the payment function's embedded metrics: none at idle (GET /health publishes none), and no
        // line for the DR region, which takes no payments until a failover
        assertEquals(0, line(e, "Payment function metrics (Requests, Latency per Outcome)", "primary").idleUsd(), 1e-9);
        assertTrue(e.lines().stream().noneMatch(l -> l.item().startsWith("Payment function metrics")
                && l.where().startsWith("dr")));
        // per region one key for logs and alerts and one for data and backups; the zone's signing key
        assertEquals(5.00, line(e, "KMS customer-managed keys", "all").idleUsd(), 1e-9);
        // the acknowledgement mirror's endpoint in one DR zone: 1 x 730 h x $0.01
        assertEquals(7.30, line(e, "Acknowledgement mirror (DynamoDB interface endpoint, VPC peering)", "dr")
                .idleUsd(), 1e-9);
        // the watchlists: 28 alarms in the primary (each cluster's replication and RPO lag and the mirror's
        // among them), 27 in DR x $0.10
        assertEquals(2.80, line(e, "CloudWatch metric alarms", "primary").idleUsd(), 1e-9);
        assertEquals(2.70, line(e, "CloudWatch metric alarms", "dr").idleUsd(), 1e-9);
        // 3 x $0.10 (primary unhealthy, DR not ready, DR serving) + the composite $0.50; 3 checks (both /health, the DR readiness probe) x ($0.75 + $2.00 HTTPS)
        assertEquals(0.80, line(e, "Health-check alarms", "us-east-1").idleUsd(), 1e-9);
        assertEquals(8.25, line(e, "Route 53 health checks", "global").idleUsd(), 1e-9);
        // 262 800 /health calls from Route 53 and 43 800 from the DR probe: API $3.50/M + Lambda $0.20/M
        // + 10 ms at 1 GB on arm64 + 1500 bytes of logs
        double health = (262_800 + 43_800) * (3.5e-6 + 0.2e-6 + 0.01 * 0.0000133334 + 1500 / Math.pow(1024, 3) * 0.5);
        assertEquals(health, line(e, "API Gateway, Lambda and logs", "primary").idleUsd(), 1e-9);
        // Route 53's checkers do not coordinate: one call per checker region and interval is the least
        for (String where : List.of("primary", "dr")) {
            assertTrue(line(e, "API Gateway, Lambda and logs", where).basis().contains("262800 /health calls, a lower"
                    + " bound (3 checker regions, one call each every 30 s"), where);
        }
        // the DR region answers two checks and two probes: its /health and ?probe=standby
        assertEquals(2 * health, line(e, "API Gateway, Lambda and logs", "dr").idleUsd(), 1e-9);
        // 4 polls a second, 2 628 000 s, $0.20 per million
        assertEquals(2.1024, line(e, "Pipe polling the table's stream", "primary").idleUsd(), 1e-9);
        // X-Ray: /health is never sampled; the probe's runs, one a minute, all within Lambda's 1/s reservoir
        assertEquals(0, line(e, "X-Ray traces (API stage and functions)", "primary").idleUsd(), 1e-9);
        assertEquals(43_800 * 5e-6, line(e, "X-Ray traces (API stage and functions)", "dr").idleUsd(), 1e-9);
        // WAF: a web ACL ($5) with two rules ($1 each) and $0.60 per million requests inspected
        assertEquals(7 + (262_800 + 43_800) * 0.6e-6, line(e, "AWS WAF", "primary").idleUsd(), 1e-9);
        assertEquals(7 + 2 * (262_800 + 43_800) * 0.6e-6, line(e, "AWS WAF", "dr").idleUsd(), 1e-9);
        // the primary cluster's 5 GB in its own vault and in the other region's, at $0.021 per GB-month
        // (the DR cluster, a global secondary, is not backed up)
        assertEquals(2 * 5 * 0.021, line(e, "AWS Backup (daily, copied to the other region)", "both").idleUsd(), 1e-9);
        assertEquals(e.lines().stream().mapToDouble(CostEstimate.Line::idleUsd).sum(), e.idleUsd(), 1e-9);
        assertEquals("$193.58", CostEstimate.usd(e.idleUsd()));
        // a real margin under the budget at the defaults, not just under it
        assertTrue(e.idleUsd() <= e.budgetUsd() - 5, CostEstimate.usd(e.idleUsd()));
        assertNull(e.overBudget());
    }

    @Test
    void theLoadAddsWhatEachPaymentCosts() {
        CostEstimate e = estimate();
        double payments = 2_628_000;
        // 3 writes (claim, acknowledgement record, completion) and 3 replicated writes per payment, $0.625
        // per million each
        assertEquals(payments * 3 * 0.625e-6, line(e, "DynamoDB global table writes", "primary").loadUsd(), 1e-9);
        assertEquals(payments * 3 * 0.625e-6, line(e, "DynamoDB global table replicated writes", "dr").loadUsd(),
                1e-9);
        // the acknowledgement lookup on every new claim: one strongly consistent read at $0.125 per million
        assertEquals(payments * 0.125e-6, line(e, "DynamoDB global table reads", "primary").loadUsd(), 1e-9);
        // a week of 900-byte acknowledgement records in both replicas at $0.25 per GB-month
        assertEquals(payments * 2 * 900 / Math.pow(1024, 3) * (7 * 24 / 730.0) * 0.25,
                line(e, "Acknowledgement records (7 days)", "both").loadUsd(), 1e-9);
        assertEquals(0, line(e, "DynamoDB global table writes", "primary").idleUsd());
        // 1/s of payments, all in the stage's 1/s reservoir, and as many receipt invocations, all in
        // Lambda's own: /health takes no trace
        assertEquals(2 * payments * 5e-6, line(e, "X-Ray traces (API stage and functions)", "primary").loadUsd(), 1e-6);
        // WAF inspects every payment
        assertEquals(payments * 0.6e-6, line(e, "AWS WAF", "primary").loadUsd() - line(e, "AWS WAF", "primary").idleUsd(),
                1e-9);
        // detailed metrics only for POST /payments once it has traffic, never for the health checks' GET
        assertEquals(2.10, line(e, "API Gateway detailed metrics", "primary").loadUsd(), 1e-9);
        assertEquals(0, line(e, "API Gateway detailed metrics", "primary").idleUsd(), 1e-9);
        // the payment function's "created" metrics once payments flow
        assertEquals(0.60, line(e, "Payment function metrics (Requests, Latency per Outcome)", "primary").loadUsd(), 1e-9);
        assertEquals((e.loadUsd() - e.idleUsd()) / payments, e.perPaymentUsd(), 1e-12);
        assertEquals("$290.41", CostEstimate.usd(e.loadUsd()));
        assertEquals("idle $193.58/month (budget $200.00), at 1 payment(s)/s $290.41/month", e.summary());

        CostEstimate none = estimate("COST_PAYMENTS_PER_SECOND", "0");
        assertEquals(none.idleUsd(), none.loadUsd(), 1e-9);
        assertEquals(0, none.perPaymentUsd());
        assertEquals(e.idleUsd(), none.idleUsd(), 1e-9);
        assertTrue(estimate("COST_PAYMENTS_PER_SECOND", "10").loadUsd() > e.loadUsd());
    }

    @Test
    void xrayTracesFollowTheDefaultSamplingRule() {
        assertEquals(0.5 * 2_628_000, CostEstimate.traces(0.5), 1e-6);
        assertEquals((1 + 0.05 * 2) * 2_628_000, CostEstimate.traces(3), 1e-6);
    }

    @ParameterizedTest(name = "{0}={1}: +{2}")
    @CsvSource({
        "DR_DB_INSTANCES, 2, 43.80",
        "DR_DB_INSTANCES, 3, 87.60",
        // two more merchant keys: a secret and its replica each
        "MERCHANTS, 'smoke-test,acme,globex', 1.60",
        // 3 instances x 0.5 more ACU x 730 h x $0.12
        "AURORA_MIN_ACU, 1, 131.40",
        // the fast-interval option on the three checks ($6.00), three times the health-check traffic
        // (+$7.15) and the web ACLs' requests (+$0.95); /health takes no trace
        "HEALTH_CHECK_INTERVAL, 10, 14.09",
        // a fourth checker region: a third more health-check traffic (+$1.19) and WAF requests (+$0.16)
        "HEALTH_CHECK_REGIONS, 'us-east-1,us-west-2,eu-west-1,sa-east-1', 1.35",
        // the us-east-1 alert topic's key when neither region is in us-east-1
        "PRIMARY_REGION, us-west-2, 1.00",
    })
    void settingsMoveTheIdleFigureUp(String setting, String value, double more) {
        CostEstimate base = estimate();
        CostEstimate changed = estimate(setting, value);
        assertEquals(more, changed.idleUsd() - base.idleUsd(), 0.005);
        assertTrue(changed.loadUsd() > base.loadUsd());
    }

    @Test
    void theMirrorCostsItsEndpointIdleAndItsDataPerPayment() {
        CostEstimate on = estimate();
        CostEstimate.Line mirror = line(on, "Acknowledgement mirror (DynamoDB interface endpoint, VPC peering)", "dr");
        assertEquals(7.30, mirror.idleUsd(), 1e-9);
        // 2048 bytes through the endpoint ($0.01/GB) and over the peering ($0.02/GB), 350 bytes of log ($0.50/GB)
        double perPayment = 2048 / Math.pow(1024, 3) * 0.03 + 350 / Math.pow(1024, 3) * 0.5;
        assertEquals(7.30 + 2_628_000 * perPayment, mirror.loadUsd(), 1e-9);
        assertTrue(mirror.basis().startsWith("1 zone x 730 h (ACK_MIRROR)"), mirror.basis());
        // the same table writes either way: the record is written in DR instead of the primary
        CostEstimate off = estimate("ACK_MIRROR", "false");
        assertEquals(line(off, "DynamoDB global table writes", "primary").loadUsd(),
                line(on, "DynamoDB global table writes", "primary").loadUsd(), 1e-12);
        // the endpoint zone and the alarm ($0.10): on by default, within the budget with a margin
        assertEquals(7.40, on.idleUsd() - off.idleUsd(), 1e-9);
        assertEquals("$193.58", CostEstimate.usd(on.idleUsd()));
        assertEquals("$186.18", CostEstimate.usd(off.idleUsd()));
        assertNull(on.overBudget());
        // off, the line stays, at $0, stating what on would cost
        CostEstimate.Line none = line(off, "Acknowledgement mirror (DynamoDB interface endpoint, VPC peering)", "dr");
        assertEquals(0, none.loadUsd());
        assertTrue(none.basis().startsWith("off (ACK_MIRROR=false); on: $7.30 for one endpoint zone and the alarm's"
                + " $0.10"), none.basis());
    }

    @Test
    void customDomainsAreListedWithTheirPriceNoCharge() {
        CostEstimate on = estimate("DNS_DOMAIN", "payments.acme-corp.net");
        assertEquals(0, line(on, "Custom domains (ACM certificates, API Gateway domain names, alias queries)", "both")
                .idleUsd());
        assertEquals(estimate().idleUsd(), on.idleUsd(), 1e-9);
        assertTrue(estimate().lines().stream().noneMatch(l -> l.item().startsWith("Custom domains")));
    }

    @Test
    void theAzCountCostsNothingWithoutInterfaceEndpoints() {
        assertEquals(estimate().idleUsd(), estimate("AZ_COUNT", "3").idleUsd(), 1e-9);
    }

    /**
     * A Secrets Manager endpoint brought back in the primary region alone (for a rotation function in
     * its VPC; RegionalResources.interfaceEndpoints): priced per zone there, nothing in the DR region.
     */
    @Test
    void anInterfaceEndpointBroughtBackInThePrimaryIsPricedPerZoneThere() {
        DrConfig config = DrConfig.builder().set(Setting.AZ_COUNT, "3").build();
        Inventory base = Inventory.of(config);
        Inventory withEndpoint = new Inventory(base.primaryWatchlist(), base.drWatchlist(), base.primaryDbInstances(),
                base.drDbInstances(), List.of("secretsmanager"), List.of(), base.merchantKeys(), base.replicationRules(),
                base.healthChecks(), base.healthCheckAlarms(), base.failOverNowAlarm(), base.drProbeAlarms(),
                base.drFailOverNowAlarm(), base.separateMetricsRegion(), base.naming());
        CostEstimate e = CostEstimate.of(config, PRICES, withEndpoint);
        // 1 x 3 zones x 730 h x $0.01
        assertEquals(21.90, line(e, "Interface VPC endpoints", "primary").idleUsd(), 1e-9);
        assertTrue(line(e, "Interface VPC endpoints", "primary").basis().startsWith("1 (secretsmanager) x 3 AZs"));
        assertTrue(e.lines().stream().noneMatch(l -> l.item().equals("Interface VPC endpoints")
                && !l.where().startsWith("primary")));
        assertEquals(21.90, e.idleUsd() - CostEstimate.of(config, PRICES, base).idleUsd(), 1e-9);
    }

    @Test
    void withoutReplicationTimeControlTheS3AlarmsAndRtcChargesGo() {
        CostEstimate base = estimate();
        CostEstimate off = estimate("S3_REPLICATION_TIME_CONTROL", "false");
        // two S3 replication alarms fewer per region, and no replication metrics
        assertEquals(2.60, line(off, "CloudWatch metric alarms", "primary").idleUsd(), 1e-9);
        assertTrue(off.lines().stream().noneMatch(l -> l.item().startsWith("S3 Replication metrics")));
        assertTrue(line(off, "S3 receipts and their replication", "both").loadUsd()
                < line(base, "S3 receipts and their replication", "both").loadUsd());
        assertTrue(line(off, "S3 receipts and their replication", "both").basis().contains("transfer, a month"));
    }

    @Test
    void overBudgetIsOneLineNamingTheEstimateTheBudgetTheLargestItemAndTheSetting() {
        assertEquals("estimated idle cost $237.38/month exceeds MONTHLY_BUDGET_USD=200 (largest: Aurora Serverless v2"
                + " instances, primary us-east-1, $87.60); reduce the configuration or raise MONTHLY_BUDGET_USD"
                + " explicitly", estimate("DR_DB_INSTANCES", "2").overBudget());
        assertNull(estimate("DR_DB_INSTANCES", "2", "MONTHLY_BUDGET_USD", "250").overBudget());
        // the budget is compared in cents: exactly the estimate is within it
        assertNull(estimate("MONTHLY_BUDGET_USD", "193.58").overBudget());
        assertTrue(estimate("MONTHLY_BUDGET_USD", "193.57").overBudget().startsWith(
                "estimated idle cost $193.58/month exceeds MONTHLY_BUDGET_USD=193.57 (largest: "));
    }

    @Test
    void everyLineStatesItsBasisAndPlace() {
        List<CostEstimate.Line> lines = estimate().lines();
        assertEquals(36, lines.size());
        lines.forEach(l -> assertTrue(!l.basis().isBlank() && !l.where().isBlank() && l.loadUsd() >= l.idleUsd(),
                l.toString()));
    }
}
