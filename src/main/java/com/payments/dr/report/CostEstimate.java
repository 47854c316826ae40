package com.payments.dr.report;

import com.payments.dr.blocks.BackupVault;
import com.payments.dr.blocks.DrDetection;
import com.payments.dr.blocks.WebAcl;
import com.payments.dr.config.DrConfig;
import com.payments.dr.naming.RegionRole;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The monthly cost of one configuration, per resource and region, at idle and at a steady load of
 * {@code COST_PAYMENTS_PER_SECOND} payments in the primary region, from the dated {@link Prices}
 * and the {@link Inventory}. Most lines are a fixed part plus a cost per payment; X-Ray's sampling
 * and API Gateway's per-method metrics are priced at both rates. Only the idle total is held
 * against {@code MONTHLY_BUDGET_USD}: idle is what the stack costs by existing; the load figure
 * shows what traffic adds.
 */
public final class CostEstimate {

    /** AWS prices monthly items by 730 hours. */
    static final double HOURS_PER_MONTH = 730;
    static final double SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
    static final double MILLION = 1_000_000;
    static final double GIB = 1024.0 * 1024 * 1024;

    // Assumptions about one payment and about idle, each with its reason; the report prints them.
    /** A warm payment (claim, INSERT, complete) in the 1024 MB function; cold starts are rare at load. */
    static final double PAYMENT_FUNCTION_SECONDS = 0.2;
    static final double PAYMENT_FUNCTION_GB = 1.0;
    /** /health answers from its 5 s cache nearly always. */
    static final double HEALTH_FUNCTION_SECONDS = 0.01;
    /** The receipt function (512 MB) puts one small object. */
    static final double RECEIPT_FUNCTION_SECONDS = 0.1;
    static final double RECEIPT_FUNCTION_GB = 0.5;
    /**
     * The idempotency claim, the acknowledgement record and the completion: three writes, each
     * replicated to the other region (the record is written in DR when mirrored, in the primary
     * otherwise: one write and one replicated write either way).
     */
    static final int TABLE_WRITES_PER_PAYMENT = 3;
    /**
     * The acknowledgement lookup on every new claim (a key reused over an acknowledged payment is
     * refused before anything is stored): one strongly consistent read, one read request unit.
     */
    static final int TABLE_READS_PER_PAYMENT = 1;
    /** One acknowledgement record as DynamoDB sizes it (names and values). */
    static final double ACK_RECORD_BYTES = 900;
    /** Acknowledgement records are kept a week (AckJournal.TTL), in both replicas. */
    static final double ACK_RECORD_DAYS = 7;
    /**
     * One mirror write on the wire: the PutItem request with its SigV4 headers and the answer, TLS
     * framing included (an estimate from the request's size; not measured on AWS).
     */
    static final double MIRROR_BYTES_PER_PAYMENT = 2048;
    /** The mirror's metric log line (AckJournal), per payment. */
    static final double MIRROR_LOG_BYTES_PER_PAYMENT = 350;
    /** The mirror's interface endpoint sits in one DR zone (AckMirrorPath). */
    static final int MIRROR_ENDPOINT_ZONES = 1;
    /** The INSERT's heap page and unique-index page. */
    static final int DB_WRITE_IOS_PER_PAYMENT = 2;
    static final double PAYMENT_ROW_BYTES = 512;
    static final double RECEIPT_BYTES = 1024;
    /** The function's log line and Lambda's platform lines, the API access log line, the receipt function's lines. */
    static final double LOG_BYTES_PER_PAYMENT = 2500;
    /** The access log line and the function's lines of one /health call. */
    static final double LOG_BYTES_PER_HEALTH_CALL = 1500;
    /** Storage of one idle cluster (schema, WAL, a few test payments). */
    static final double IDLE_DB_STORAGE_GB = 5;
    /** EventBridge Pipes polls each stream shard four times a second, traffic or not (one shard idle). */
    static final double STREAM_POLLS_PER_SECOND = 4;
    /** API Gateway detailed metrics: 7 per method and stage, billed only for methods with traffic. */
    static final int DETAILED_METRICS_PER_METHOD = 7;
    /** X-Ray's default sampling rule: the first request each second, then 5 % of the rest. */
    static final double XRAY_RESERVOIR_PER_SECOND = 1;
    static final double XRAY_FIXED_RATE = 0.05;
    /**
     * Flow logs, table and bucket storage at idle, and the protection's small change: S3 access
     * logs, DNS query logs, the web ACLs' logs of blocked requests, the rotation's four runs a month
     * and its Secrets Manager calls: too small to model item by item.
     */
    static final double IDLE_ALLOWANCE_USD = 1.00;
    /**
     * S3 Replication metrics per rule, billed as custom metrics and published whether or not
     * anything replicates (S3 User Guide, "Using S3 Replication metrics"): bytes pending,
     * operations pending, operations failed, latency.
     */
    static final int REPLICATION_METRICS_PER_RULE = 4;
    /** One probe run: three HTTPS calls at once, answered within a second when the regions are up. */
    static final double PROBE_SECONDS = 0.5;
    static final double PROBE_GB = 0.5;
    /** Its log line (the metric record) and Lambda's START, END and REPORT lines. */
    static final double LOG_BYTES_PER_PROBE = 1000;
    /** The probe's metrics (PrimaryHealthy, PrimaryThrottled, DrServing, DrReady). */
    static final int PROBE_METRICS = 4;
    /**
     * The payment function's embedded metrics: Requests and Latency per function and Outcome (each
     * region's function is its own FunctionName). Idle, /health
     * makes "ok" in the primary region; "unhealthy" (/health of a passive region) and "ok" (its
     * readiness probe) in the DR region. Under load the primary adds "created".
     */
    static final int FUNCTION_METRICS_PER_OUTCOME = 2;

    /** One resource in one place: its cost at idle and at the stated load, and how it is computed. */
    public record Line(String item, String where, String basis, double idleUsd, double loadUsd) {
    }

    private final DrConfig config;
    private final Prices prices;
    private final Inventory inventory;
    private final double paymentsPerSecond;
    private final List<Line> lines = new ArrayList<>();

    private CostEstimate(DrConfig config, Prices prices, Inventory inventory) {
        this.config = config;
        this.prices = prices;
        this.inventory = inventory;
        this.paymentsPerSecond = config.cost().paymentsPerSecond();
        database();
        network();
        dataStores();
        paymentPath();
        observability();
        dns();
        protection();
    }

    public static CostEstimate of(DrConfig config, Prices prices, Inventory inventory) {
        return new CostEstimate(config, prices, inventory);
    }

    private String primary() {
        return "primary " + config.primaryRegion();
    }

    private String dr() {
        return "dr " + config.drRegion();
    }

    private void add(String item, String where, String basis, double idleUsd, double loadUsd) {
        lines.add(new Line(item, where, basis, idleUsd, loadUsd));
    }

    /** A cost that does not depend on the load. */
    private void fixed(String item, String where, String basis, double usd) {
        add(item, where, basis, usd, usd);
    }

    /** A fixed part plus a cost per payment. */
    private void linear(String item, String where, String basis, double fixedUsd, double perPaymentUsd) {
        add(item, where, basis, fixedUsd, fixedUsd + perMonth(paymentsPerSecond) * perPaymentUsd);
    }

    private double price(String key) {
        return prices.usd(key);
    }

    private static double perMonth(double perSecond) {
        return perSecond * SECONDS_PER_MONTH;
    }

    private void database() {
        double acu = config.database().minAcu();
        double instanceMonth = acu * HOURS_PER_MONTH * price("aurora.acuHour");
        fixed("Aurora Serverless v2 instances", primary(), inventory.primaryDbInstances() + " (writer, reader) x "
                + num(acu) + " ACU (AURORA_MIN_ACU) x 730 h; load assumed within the minimum",
                inventory.primaryDbInstances() * instanceMonth);
        fixed("Aurora Serverless v2 instances", dr(), inventory.drDbInstances() + " (DR_DB_INSTANCES) x " + num(acu)
                + " ACU x 730 h", inventory.drDbInstances() * instanceMonth);
        double storage = IDLE_DB_STORAGE_GB * price("aurora.storageGbMonth");
        double rowGb = PAYMENT_ROW_BYTES / GIB;
        linear("Aurora storage and I/O", primary(), num(IDLE_DB_STORAGE_GB) + " GB idle; per payment "
                + DB_WRITE_IOS_PER_PAYMENT + " write I/Os, " + DB_WRITE_IOS_PER_PAYMENT
                + " replicated write I/Os and a " + num(PAYMENT_ROW_BYTES) + "-byte row (one month's rows)",
                storage, DB_WRITE_IOS_PER_PAYMENT * (price("aurora.ioMillion")
                        + price("aurora.replicatedWriteIoMillion")) / MILLION + rowGb * price("aurora.storageGbMonth"));
        linear("Aurora storage", dr(), num(IDLE_DB_STORAGE_GB) + " GB idle; the replicated rows",
                storage, rowGb * price("aurora.storageGbMonth"));
    }

    private void network() {
        if (inventory.primaryInterfaceEndpoints().isEmpty() && inventory.drInterfaceEndpoints().isEmpty()) {
            fixed("Interface VPC endpoints", "both regions", "none, and no NAT gateway: the functions in the VPCs"
                    + " call DynamoDB (free gateway endpoint) and the database only"
                    + (config.ackMirror() ? ", besides the acknowledgement mirror below" : "")
                    + "; the migrator is handed the owner's credentials by its invoker", 0);
        }
        endpoints(primary(), inventory.primaryInterfaceEndpoints());
        endpoints(dr(), inventory.drInterfaceEndpoints());
        double endpointMonth = MIRROR_ENDPOINT_ZONES * HOURS_PER_MONTH * price("vpc.interfaceEndpointAzHour");
        if (config.ackMirror()) {
            linear("Acknowledgement mirror (DynamoDB interface endpoint, VPC peering)", dr(), MIRROR_ENDPOINT_ZONES
                    + " zone x 730 h (ACK_MIRROR); per payment " + num(MIRROR_BYTES_PER_PAYMENT) + " bytes through the "
                    + "endpoint and over the peering, " + num(MIRROR_LOG_BYTES_PER_PAYMENT) + " bytes of log; the "
                    + "peering itself is free", endpointMonth, MIRROR_BYTES_PER_PAYMENT / GIB
                    * (price("vpc.interfaceEndpointGb") + price("vpc.interRegionPeeringGb"))
                    + MIRROR_LOG_BYTES_PER_PAYMENT / GIB * price("cloudwatch.logsIngestGb"));
        } else {
            fixed("Acknowledgement mirror (DynamoDB interface endpoint, VPC peering)", dr(), "off (ACK_MIRROR=false);"
                    + " on: " + usd(endpointMonth) + " for one endpoint zone and the alarm's "
                    + usd(price("cloudwatch.alarmMonth")) + ", plus data per payment", 0);
        }
        fixed("KMS customer-managed keys", "all regions", inventory.kmsKeys() + " keys (per region one for logs and"
                + " alerts, one for data and backups" + (inventory.separateMetricsRegion()
                ? "; the us-east-1 alert topic's and query logs'" : "") + "; the zone's DNSSEC signing key)",
                inventory.kmsKeys() * price("kms.keyMonth"));
        int merchantKeys = inventory.merchantKeys().size();
        fixed("Secrets Manager", "both regions", "the master secret and " + merchantKeys + " merchant key secret(s)"
                + " (MERCHANTS), each with its DR replica", 2 * (1 + merchantKeys) * price("secretsManager.secretMonth"));
    }

    private void endpoints(String where, List<String> services) {
        if (!services.isEmpty()) {
            fixed("Interface VPC endpoints", where, services.size() + " (" + String.join(", ", services) + ") x "
                    + config.azCount() + " AZs (AZ_COUNT) x 730 h; no NAT gateway", services.size() * config.azCount()
                    * HOURS_PER_MONTH * price("vpc.interfaceEndpointAzHour"));
        }
    }

    private void dataStores() {
        double tableWrites = TABLE_WRITES_PER_PAYMENT / MILLION;
        linear("DynamoDB global table writes", primary(), TABLE_WRITES_PER_PAYMENT + " on-demand writes per payment"
                + " (claim, acknowledgement record, completion)", 0, tableWrites * price("dynamodb.writeMillion"));
        linear("DynamoDB global table reads", primary(), TABLE_READS_PER_PAYMENT + " strongly consistent read per"
                + " payment (the acknowledgement lookup before anything is stored)", 0,
                TABLE_READS_PER_PAYMENT / MILLION * price("dynamodb.readMillion"));
        linear("DynamoDB global table replicated writes", dr(), TABLE_WRITES_PER_PAYMENT
                + " replicated writes per payment", 0, tableWrites * price("dynamodb.replicatedWriteMillion"));
        // a week of records at the stated rate, in both replicas
        linear("Acknowledgement records (" + num(ACK_RECORD_DAYS) + " days)", "both regions", "per payment "
                + num(ACK_RECORD_BYTES) + " bytes kept " + num(ACK_RECORD_DAYS) + " days in each replica", 0,
                2 * ACK_RECORD_BYTES / GIB * (ACK_RECORD_DAYS * 24 / HOURS_PER_MONTH) * price("dynamodb.storageGbMonth"));
        for (String where : List.of(primary(), dr())) {
            fixed("Pipe polling the table's stream", where, num(STREAM_POLLS_PER_SECOND)
                    + " GetRecords/s on one shard, traffic or not", perMonth(STREAM_POLLS_PER_SECOND)
                    * price("dynamodb.streamReadMillion") / MILLION);
        }
        double receiptGb = RECEIPT_BYTES / GIB;
        double replication = price("s3.crossRegionTransferGb")
                + (config.replicationTimeControl() ? price("s3.rtcGb") : 0);
        linear("S3 receipts and their replication", "both regions", "per payment a " + num(RECEIPT_BYTES)
                + "-byte receipt: its PUT, the replication PUT, transfer" + (config.replicationTimeControl()
                ? " and RTC" : "") + ", a month of storage in both buckets", 0,
                2 * price("s3.putMillion") / MILLION + receiptGb * (replication + 2 * price("s3.storageGbMonth")));
        if (inventory.replicationRules() > 0) {
            int metrics = REPLICATION_METRICS_PER_RULE * inventory.replicationRules();
            fixed("S3 Replication metrics (RTC)", "both regions", inventory.replicationRules() + " rules x "
                    + REPLICATION_METRICS_PER_RULE + " metrics, billed as custom metrics even when nothing"
                    + " replicates", metrics * price("cloudwatch.metricMonth"));
        }
        fixed("Allowance at idle", "both regions", "flow logs, table and bucket storage, S3 access logs, DNS"
                + " query logs, logs of blocked requests, the secret's rotation", IDLE_ALLOWANCE_USD);
    }

    private void paymentPath() {
        long health = config.healthChecks().requestsPerMonth();
        long probes = DrDetection.RUNS_PER_MONTH;
        // every function runs on arm64 (JavaFunction.ARCHITECTURE)
        double lambdaGbSecond = price("lambda.arm64GbSecond");
        double healthCall = price("apiGateway.restRequestMillion") / MILLION + price("lambda.requestMillion") / MILLION
                + HEALTH_FUNCTION_SECONDS * PAYMENT_FUNCTION_GB * lambdaGbSecond
                + LOG_BYTES_PER_HEALTH_CALL / GIB * price("cloudwatch.logsIngestGb");
        double payment = price("apiGateway.restRequestMillion") / MILLION + price("lambda.requestMillion") / MILLION
                + PAYMENT_FUNCTION_SECONDS * PAYMENT_FUNCTION_GB * lambdaGbSecond
                + LOG_BYTES_PER_PAYMENT / GIB * price("cloudwatch.logsIngestGb");
        // a lower bound: Route 53's checkers do not coordinate, so more calls arrive (HealthCheckSettings)
        String healthBasis = health + " /health calls, a lower bound (" + config.healthChecks().regions().size()
                + " checker regions, one call each every " + config.healthChecks().intervalSeconds()
                + " s; Route 53's checkers do not coordinate): API request, Lambda request and "
                + num(HEALTH_FUNCTION_SECONDS * 1000) + " ms at 1 GB, logs";
        linear("API Gateway, Lambda and logs", primary(), healthBasis + ", and " + probes + " from the DR region's"
                + " probe; per payment an API request, Lambda request, " + num(PAYMENT_FUNCTION_SECONDS * 1000)
                + " ms at 1 GB, " + num(LOG_BYTES_PER_PAYMENT) + " bytes of logs", (health + probes) * healthCall,
                payment);
        // the DR region answers two health checks: its /health and the readiness probe; so does the probe
        fixed("API Gateway, Lambda and logs", dr(), "twice " + healthBasis + " and the probe's " + probes
                + " (/health and ?probe=standby)", 2 * (health + probes) * healthCall);
        double event = price("pipes.requestMillion") / MILLION + price("eventBridge.customEventMillion") / MILLION
                + price("lambda.requestMillion") / MILLION
                + RECEIPT_FUNCTION_SECONDS * RECEIPT_FUNCTION_GB * lambdaGbSecond;
        linear("Payment events (pipe, bus, receipt function)", primary(), "per payment one pipe request, one custom"
                + " event, one receipt invocation of " + num(RECEIPT_FUNCTION_SECONDS * 1000) + " ms at 512 MB",
                0, event);
        double perTrace = price("xray.traceMillion") / MILLION;
        // not linear: the sampling rule's reservoir takes the first request each second. /health is
        // never sampled (the stage's sampling rule), so idle stages record nothing; the receipt
        // function, invoked by EventBridge, samples its own invocations at Lambda's fixed rate
        add("X-Ray traces (API stage and functions)", primary(), "default sampling (1/s, then 5 %) of payments and of"
                + " the receipt function's invocations; /health never (sampling rule)", 0,
                2 * traces(paymentsPerSecond) * perTrace);
        fixed("X-Ray traces (API stage and functions)", dr(), "the probe's " + probes + " runs, sampled by Lambda"
                + " (1/s, then 5 %); /health and ?probe=standby never", traces(probes / SECONDS_PER_MONTH) * perTrace);
        double metricsPerMethod = DETAILED_METRICS_PER_METHOD * price("cloudwatch.metricMonth");
        // a step: POST /payments' metrics exist as soon as it has any traffic
        // GET /health has detailed metrics off (PaymentApi): only POST /payments' are billed, under load
        add("API Gateway detailed metrics", primary(), DETAILED_METRICS_PER_METHOD + " metrics for POST /payments "
                + "once it has traffic (none for GET /health)", 0, paymentsPerSecond > 0 ? metricsPerMethod : 0);
        double outcome = FUNCTION_METRICS_PER_OUTCOME * price("cloudwatch.metricMonth");
        add("Payment function metrics (Requests, Latency per Outcome)", primary(), "created, once payments flow;"
                + " /health publishes none", 0, paymentsPerSecond > 0 ? outcome : 0);
        probe(probes);
    }

    /** The DR region's failover probe: its runs, logs and metrics (its calls are priced with /health above). */
    private void probe(long runs) {
        double run = price("lambda.requestMillion") / MILLION
                + PROBE_SECONDS * PROBE_GB * price("lambda.arm64GbSecond")
                + LOG_BYTES_PER_PROBE / GIB * price("cloudwatch.logsIngestGb");
        fixed("Failover probe (function, logs, metrics)", dr(), runs + " runs (every minute) of "
                + num(PROBE_SECONDS * 1000) + " ms at 512 MB, " + num(LOG_BYTES_PER_PROBE) + " bytes of logs each; "
                + PROBE_METRICS + " custom metrics", runs * run + PROBE_METRICS * price("cloudwatch.metricMonth"));
        fixed("Failover probe alarms", dr(), inventory.drProbeAlarms().size()
                + " metric alarms and the composite " + DrDetection.FAIL_OVER_NOW_ALARM,
                inventory.drProbeAlarms().size() * price("cloudwatch.alarmMonth")
                        + price("cloudwatch.compositeAlarmMonth"));
    }

    /** Traces a month at {@code requestsPerSecond}, as X-Ray's default rule samples them. */
    static double traces(double requestsPerSecond) {
        double sampled = Math.min(requestsPerSecond, XRAY_RESERVOIR_PER_SECOND)
                + XRAY_FIXED_RATE * Math.max(0, requestsPerSecond - XRAY_RESERVOIR_PER_SECOND);
        return perMonth(sampled);
    }

    private void observability() {
        for (RegionRole role : List.of(RegionRole.PRIMARY, RegionRole.DR)) {
            int alarms = inventory.metricAlarms(role);
            fixed("CloudWatch metric alarms", role == RegionRole.PRIMARY ? primary() : dr(), alarms
                    + " alarms from the region's watchlist", alarms * price("cloudwatch.alarmMonth"));
        }
        fixed("CloudWatch dashboard", primary(), "one dashboard of both regions", price("cloudwatch.dashboardMonth"));
    }

    private void dns() {
        int checks = inventory.healthChecks();
        boolean fast = config.healthChecks().intervalSeconds() == 10;
        fixed("Route 53 hosted zone", "global", config.zoneName(), price("route53.hostedZoneMonth"));
        fixed("Route 53 health checks", "global", checks + " HTTPS checks" + (fast ? " at the fast 10 s interval" : "")
                + ", priced as non-AWS endpoints", checks * (price("route53.healthCheckMonth")
                + (fast ? 2 : 1) * price("route53.healthCheckOptionMonth")));
        if (config.customDomains()) {
            fixed("Custom domains (ACM certificates, API Gateway domain names, alias queries)", "both regions",
                    "2 public certificates, 4 regional domain names, queries of the alias records: no charge",
                    2 * price("acm.publicCertificateMonth") + 4 * price("apiGateway.customDomainMonth")
                            + price("route53.aliasQueryMillion"));
        }
        fixed("Health-check alarms", "us-east-1", inventory.healthCheckAlarms().size()
                + " metric alarms and the composite fail-over-now", inventory.healthCheckAlarms().size()
                * price("cloudwatch.alarmMonth") + price("cloudwatch.compositeAlarmMonth"));
        fixed("DNSSEC signing alarms", "us-east-1", inventory.zoneAlarms().size() + " metric alarms",
                inventory.zoneAlarms().size() * price("cloudwatch.alarmMonth"));
    }

    /** The web application firewall, the backups outside the blast radius. */
    private void protection() {
        long health = config.healthChecks().requestsPerMonth();
        long probes = DrDetection.RUNS_PER_MONTH;
        double acl = price("waf.webAclMonth") + WebAcl.RULES * price("waf.ruleMonth");
        double wafRequest = price("waf.requestMillion") / MILLION;
        String basis = "a web ACL with " + WebAcl.RULES + " rules (known bad inputs, a per-IP limit on /health)"
                + " and its requests: ";
        linear("AWS WAF", primary(), basis + (health + probes) + " /health calls, and every payment", acl
                + (health + probes) * wafRequest, wafRequest);
        fixed("AWS WAF", dr(), basis + 2 * (health + probes) + " /health and ?probe=standby calls",
                acl + 2 * (health + probes) * wafRequest);
        // every recovery point is kept in its own region and copied to the other: the primary cluster's
        // volume twice (the DR cluster, a global secondary, is not backed up: its region holds the
        // copies); at idle the daily snapshots after the first add nothing (incremental)
        double auroraCopies = 2 * IDLE_DB_STORAGE_GB * price("backup.auroraGbMonth");
        // per payment: its row in the primary's two vaults, one copy across; its receipt (in both
        // buckets) in each bucket's two vaults, one copy across per bucket
        double perPayment = 2 * PAYMENT_ROW_BYTES / GIB * price("backup.auroraGbMonth")
                + 2 * 2 * RECEIPT_BYTES / GIB * price("backup.s3GbMonth")
                + (PAYMENT_ROW_BYTES + 2 * RECEIPT_BYTES) / GIB * price("backup.crossRegionTransferGb");
        linear("AWS Backup (daily, copied to the other region)", "both regions", "the primary cluster ("
                + num(IDLE_DB_STORAGE_GB) + " GB idle), each region's table and buckets in its vault for "
                + BackupVault.SOURCE_RETENTION_DAYS + " days and in the other region's; snapshots assumed"
                + " incremental (a month's rows stored twice and copied once; its receipts, in both buckets,"
                + " stored twice and copied once per bucket)", auroraCopies, perPayment);
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public double idleUsd() {
        return lines.stream().mapToDouble(Line::idleUsd).sum();
    }

    public double loadUsd() {
        return lines.stream().mapToDouble(Line::loadUsd).sum();
    }

    public double paymentsPerSecond() {
        return paymentsPerSecond;
    }

    /** What one more payment costs on average at the stated load (traffic cost / payments); 0 without load. */
    public double perPaymentUsd() {
        return paymentsPerSecond == 0 ? 0 : (loadUsd() - idleUsd()) / perMonth(paymentsPerSecond);
    }

    public double budgetUsd() {
        return config.cost().monthlyBudgetUsd();
    }

    /** The line naming the largest item, so an over-budget error says where the money goes. */
    Line largest() {
        return lines.stream().max(java.util.Comparator.comparingDouble(Line::idleUsd)).orElseThrow();
    }

    /**
     * {@code null} within the budget, else the one line the synth stops with: the estimate, the
     * budget, the biggest item and the setting to raise.
     */
    public String overBudget() {
        if (cents(idleUsd()).compareTo(cents(budgetUsd())) <= 0) {
            return null;
        }
        Line top = largest();
        return "estimated idle cost " + usd(idleUsd()) + "/month exceeds MONTHLY_BUDGET_USD=" + num(budgetUsd())
                + " (largest: " + top.item() + ", " + top.where() + ", " + usd(top.idleUsd())
                + "); reduce the configuration or raise MONTHLY_BUDGET_USD explicitly";
    }

    static BigDecimal cents(double usd) {
        return BigDecimal.valueOf(usd).setScale(2, RoundingMode.HALF_UP);
    }

    static String usd(double usd) {
        return "$" + cents(usd).toPlainString();
    }

    static String num(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** One line for the synth's output. */
    public String summary() {
        return "idle " + usd(idleUsd()) + "/month (budget " + usd(budgetUsd()) + "), at " + num(paymentsPerSecond)
                + " payment(s)/s " + usd(loadUsd()) + "/month";
    }
}
