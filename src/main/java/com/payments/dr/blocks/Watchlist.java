package com.payments.dr.blocks;

import com.payments.dr.config.AlarmSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one list of metrics watched in a region, every tier of the payment path; {@link Alarms} and
 * {@link Dashboard} both read it. Missing data is decided per metric: most AWS metrics here are
 * only published when something happens (an idle API, function or replication sends nothing),
 * so there silence is health (the global database's lag too: only a secondary publishes it, and
 * which cluster is the secondary changes with every switchover or failover).
 */
public final class Watchlist {

    /** The fraction of the payment function's timeout at which its p99 duration alarms. */
    static final double DURATION_NEAR_TIMEOUT = 0.8;
    /** Fraction of AURORA_MAX_ACU (and of max_connections, CPU, ACU utilisation) that alarms. */
    static final double NEAR_MAX = 0.8;
    /**
     * Aurora PostgreSQL Serverless v2's default max_connections by maximum ACU, as AWS documents it
     * (Aurora User Guide, "Maximum connections for Aurora Serverless v2"): LEAST(memory / 9531392,
     * 5000) of the memory at the maximum capacity, which grows linearly with the ACUs.
     */
    static final double[][] MAX_CONNECTIONS_BY_MAX_ACU = {{1, 189}, {4, 823}, {8, 1669}, {16, 3360}, {32, 5000}};
    static final long MAX_CONNECTIONS_LIMIT = 5000;
    /** With a minimum capacity of 0.5 ACU (or 0), PostgreSQL's max_connections is capped at 2000. */
    static final long MAX_CONNECTIONS_AT_LOW_MIN_ACU = 2000;
    /**
     * Lambda's default concurrency quota per account and region, from which the stack's functions
     * reserve theirs ({@link #paymentConcurrency}).
     */
    static final int LAMBDA_ACCOUNT_CONCURRENCY = 1000;
    /** 5XX share of requests that alarms: one in twenty payments failing server-side. */
    static final double SERVER_ERROR_RATE = 0.05;
    /** 4XX share that alarms: clients suddenly refused far more than the usual bad requests. */
    static final double CLIENT_ERROR_RATE = 0.25;
    /** DynamoDB global table replication latency (ms, average) that alarms. */
    static final int TABLE_REPLICATION_MS = 10_000;
    /** S3 RTC replicates 99.99 % within 15 minutes; later than that is an SLA miss. */
    static final int S3_REPLICATION_SECONDS = 900;
    /** SQS publishes queue metrics every 5 minutes; shorter periods see gaps. */
    static final int SQS_PERIOD_SECONDS = 300;
    /** Operations the payment function sends to the state table (their system errors alarm). */
    static final List<String> TABLE_OPERATIONS = List.of("GetItem", "PutItem", "UpdateItem", "DeleteItem");

    /** The API method whose per-method (detailed) metrics the API alarms watch: payments, not /health. */
    public static final String PAYMENTS_METHOD = "POST";
    public static final String PAYMENTS_RESOURCE = "/payments";

    /**
     * What one region runs, by the names CloudWatch dimensions use.
     *
     * @param replicationLagOf the cluster to watch for global-database lag: the region's own member of
     *                         the global database, which publishes it while it is the secondary
     * @param inboundReplication  the RTC replication into this region's bucket, if its metrics are on:
     *                            S3 publishes its latency in the destination's region, this one
     * @param outboundReplication the RTC replication out of this region's bucket: S3 publishes its
     *                            failed operations in the source's region, this one
     * @param ackMirror           whether this region's payment function mirrors its acknowledgements
     */
    public record Targets(
            String region,
            String otherRegion,
            String paymentFunction,
            String receiptFunction,
            String opsFunction,
            String paymentDlq,
            String opsDlq,
            String apiName,
            String stageName,
            String clusterId,
            double minAcu,
            double maxAcu,
            Optional<String> replicationLagOf,
            String tableName,
            Optional<BucketReplication> inboundReplication,
            Optional<BucketReplication> outboundReplication,
            boolean ackMirror) {
    }

    /** S3 replication metrics' dimensions. */
    public record BucketReplication(String sourceBucket, String destinationBucket, String ruleId) {
    }

    private final AlarmSettings settings;
    private final List<WatchedMetric> metrics = new ArrayList<>();

    private Watchlist(AlarmSettings settings) {
        this.settings = settings;
    }

    public static List<WatchedMetric> of(Targets t, AlarmSettings settings) {
        Watchlist w = new Watchlist(settings);
        Map<String, String> payment = Map.of("FunctionName", t.paymentFunction());
        // an idle function publishes no Errors/Throttles/Duration datapoints: silence is health
        w.add("payment-errors", "Payment function errors", "AWS/Lambda", "Errors", payment, "Sum",
                1, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        w.add("payment-throttles", "Payment function throttles", "AWS/Lambda", "Throttles", payment, "Sum",
                1, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        w.add("payment-duration-p99", "Payment function p99 duration (ms) near its timeout", "AWS/Lambda",
                "Duration", payment, "p99", PaymentFunction.TIMEOUT_SECONDS * 1000 * DURATION_NEAR_TIMEOUT,
                WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        // every execution holds its own database connection: the function runs out of the account's
        // concurrency or of max_connections, whichever comes first
        w.add("payment-concurrency", "Payment function concurrent executions", "AWS/Lambda",
                "ConcurrentExecutions", payment, "Maximum", concurrencyThreshold(t.minAcu(), t.maxAcu()),
                WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        w.add("receipt-errors", "Receipt function errors", "AWS/Lambda", "Errors",
                Map.of("FunctionName", t.receiptFunction()), "Sum", 1, WatchedMetric.GREATER_OR_EQUAL,
                WatchedMetric.NOT_BREACHING);
        w.add("ops-errors", "Ops notifier function errors", "AWS/Lambda", "Errors",
                Map.of("FunctionName", t.opsFunction()), "Sum", 1, WatchedMetric.GREATER_OR_EQUAL,
                WatchedMetric.NOT_BREACHING);
        if (t.ackMirror()) {
            // one payment acknowledged without its record in the DR region is one that an unplanned
            // failover could lose: the first alarms; no payments, no datapoints
            w.add("ack-mirror-failed", "Payments acknowledged without their record in the DR region",
                    com.payments.dr.function.AckJournal.METRIC_NAMESPACE, com.payments.dr.function.AckJournal.FAILED_METRIC,
                    Map.of(), "Sum", settings.periodSeconds(), 1, 1, WatchedMetric.GREATER_OR_EQUAL,
                    WatchedMetric.NOT_BREACHING);
        }
        // SQS keeps publishing for a queue that holds messages; an empty idle queue goes quiet
        w.addSqs("payment-dlq-depth", "Payment events lost to the dead-letter queue", t.paymentDlq());
        w.addSqs("ops-dlq-depth", "Ops events lost to the dead-letter queue", t.opsDlq());

        // POST /payments' own (detailed) metrics: the stage's would mix in /health, which Route 53
        // calls around the clock and which a passive region answers 503 by design. No payments, no
        // datapoints: an idle or passive API is not an outage (the health checks see outages)
        Map<String, String> api = new LinkedHashMap<>();
        api.put("ApiName", t.apiName());
        api.put("Method", PAYMENTS_METHOD);
        api.put("Resource", PAYMENTS_RESOURCE);
        api.put("Stage", t.stageName());
        w.add("api-5xx-rate", "POST /payments 5XX share of requests", "AWS/ApiGateway", "5XXError", api, "Average",
                SERVER_ERROR_RATE, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        w.add("api-4xx-rate", "POST /payments 4XX share of requests (spike)", "AWS/ApiGateway", "4XXError", api,
                "Average", CLIENT_ERROR_RATE, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        w.add("api-latency-p99", "POST /payments p99 latency (ms)", "AWS/ApiGateway", "Latency", api, "p99",
                settings.latencyMs(), WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        w.add("api-integration-latency-p99", "POST /payments p99 integration latency (ms)", "AWS/ApiGateway",
                "IntegrationLatency", api, "p99", settings.latencyMs(), WatchedMetric.GREATER_OR_EQUAL,
                WatchedMetric.NOT_BREACHING);

        Map<String, String> cluster = Map.of("DBClusterIdentifier", t.clusterId());
        // a running cluster reports every minute: a gap is CloudWatch's delay, not news, so the
        // alarm keeps its state (a dead cluster shows in the health checks and the lag alarm)
        w.add("db-capacity", "Aurora Serverless v2 capacity (ACU) near AURORA_MAX_ACU", "AWS/RDS",
                "ServerlessDatabaseCapacity", cluster, "Maximum", t.maxAcu() * NEAR_MAX,
                WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.IGNORE);
        w.add("db-acu-utilization", "Aurora ACU utilisation (% of max)", "AWS/RDS", "ACUUtilization", cluster,
                "Average", 100 * NEAR_MAX, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.IGNORE);
        w.add("db-cpu", "Aurora CPU utilisation (%)", "AWS/RDS", "CPUUtilization", cluster, "Average",
                100 * NEAR_MAX, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.IGNORE);
        w.add("db-connections", "Aurora connections near max_connections", "AWS/RDS", "DatabaseConnections",
                cluster, "Maximum", Math.floor(maxConnections(t.minAcu(), t.maxAcu()) * NEAR_MAX),
                WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.IGNORE);
        t.replicationLagOf().ifPresent(member -> {
            Map<String, String> own = Map.of("DBClusterIdentifier", member);
            // Published for the secondary only: each region watches its own member, so the lag stays
            // watched after a switchover or failover turns the primary into the secondary. Silence
            // is a writer (or a cluster gone, which the health checks and the readiness probe see)
            w.add("db-global-replication-lag", "Aurora global database replication lag (ms), while this region's"
                            + " cluster is the secondary", "AWS/RDS", "AuroraGlobalDBReplicationLag", own, "Maximum",
                    settings.rpoSeconds() * 1000.0, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
            // the commits a failover now would lose (published for secondaries of Aurora PostgreSQL)
            w.add("db-global-rpo-lag", "Aurora global database RPO lag (ms), while this region's cluster is the"
                            + " secondary", "AWS/RDS", "AuroraGlobalDBRPOLag", own, "Maximum",
                    settings.rpoSeconds() * 1000.0, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        });

        // published in the region where the write happened, only while writes replicate
        w.add("table-replication-latency", "DynamoDB replication latency to " + t.otherRegion() + " (ms)",
                "AWS/DynamoDB", "ReplicationLatency",
                ordered("TableName", t.tableName(), "ReceivingRegion", t.otherRegion()), "Average",
                TABLE_REPLICATION_MS, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        Map<String, String> table = Map.of("TableName", t.tableName());
        w.add("table-read-throttles", "DynamoDB read throttle events", "AWS/DynamoDB", "ReadThrottleEvents", table,
                "Sum", 1, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        w.add("table-write-throttles", "DynamoDB write throttle events", "AWS/DynamoDB", "WriteThrottleEvents",
                table, "Sum", 1, WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        for (String operation : TABLE_OPERATIONS) {
            w.add("table-system-errors-" + operation.toLowerCase(java.util.Locale.ROOT),
                    "DynamoDB system errors (" + operation + ")", "AWS/DynamoDB", "SystemErrors",
                    ordered("TableName", t.tableName(), "Operation", operation), "Sum", 1,
                    WatchedMetric.GREATER_OR_EQUAL, WatchedMetric.NOT_BREACHING);
        }

        // RTC metrics (S3 User Guide, "Using S3 Replication metrics"): the latency (like the pending
        // bytes and operations) is published in the destination bucket's region, the failed
        // operations in the source's. Nothing to replicate, no latency datapoints: silence is health
        t.inboundReplication().ifPresent(r -> w.add("s3-replication-latency",
                "S3 replication latency (s) into this region's bucket beyond the RTC objective", "AWS/S3",
                "ReplicationLatency", replicationRule(r), "Maximum", S3_REPLICATION_SECONDS, WatchedMetric.GREATER,
                WatchedMetric.NOT_BREACHING));
        t.outboundReplication().ifPresent(r -> w.add("s3-replication-failed",
                "S3 operations that failed to replicate out of this region's bucket", "AWS/S3",
                "OperationsFailedReplication", replicationRule(r), "Sum", 1, WatchedMetric.GREATER_OR_EQUAL,
                WatchedMetric.NOT_BREACHING));
        return List.copyOf(w.metrics);
    }

    private static Map<String, String> replicationRule(BucketReplication r) {
        Map<String, String> rule = new LinkedHashMap<>();
        rule.put("SourceBucket", r.sourceBucket());
        rule.put("DestinationBucket", r.destinationBucket());
        rule.put("RuleId", r.ruleId());
        return rule;
    }

    /**
     * Aurora PostgreSQL Serverless v2's default max_connections for this capacity range: AWS's table,
     * linear between its rows (memory grows linearly with ACUs), proportional below 1 ACU, capped at
     * 2000 when the minimum is 0.5 ACU.
     */
    static long maxConnections(double minAcu, double maxAcu) {
        double[][] table = MAX_CONNECTIONS_BY_MAX_ACU;
        double connections = table[0][1] * maxAcu / table[0][0];
        for (int i = 1; i < table.length && maxAcu > table[i - 1][0]; i++) {
            double share = Math.min(1, (maxAcu - table[i - 1][0]) / (table[i][0] - table[i - 1][0]));
            connections = table[i - 1][1] + share * (table[i][1] - table[i - 1][1]);
        }
        long limit = minAcu <= 0.5 ? MAX_CONNECTIONS_AT_LOW_MIN_ACU : MAX_CONNECTIONS_LIMIT;
        return Math.min(limit, (long) Math.floor(connections));
    }

    /** Concurrent executions that alarm: near the payment function's reserved (and maximum) concurrency. */
    static long concurrencyThreshold(double minAcu, double maxAcu) {
        return (long) Math.floor(paymentConcurrency(minAcu, maxAcu) * NEAR_MAX);
    }

    /**
     * The share of max_connections the payment function may hold: the rest is for RDS's own
     * sessions, the schema migrator and an operator's psql.
     */
    static final double CONNECTION_SHARE = 0.9;
    /** Lambda keeps at least this much of the account's concurrency unreserved. */
    static final int UNRESERVED_MINIMUM = 100;
    /** What the region's other functions reserve (migrator, receipts, ops notifier, probe, rotation). */
    static final int OTHER_RESERVATIONS = MigratorFunction.RESERVED_CONCURRENCY + EventWorkflows.RECEIPT_CONCURRENCY
            + EventWorkflows.OPS_NOTIFIER_CONCURRENCY + 1 + 1;

    /**
     * The payment function's reserved concurrency, which is also its cap: each execution holds at
     * most one connection to its region's cluster, so it is {@link #CONNECTION_SHARE} of
     * max_connections at AURORA_MAX_ACU, and never more than the account's default quota (1000)
     * leaves after Lambda's unreserved minimum and the other functions' reservations.
     */
    public static int paymentConcurrency(double minAcu, double maxAcu) {
        long budget = (long) Math.floor(maxConnections(minAcu, maxAcu) * CONNECTION_SHARE);
        return (int) Math.min(budget, LAMBDA_ACCOUNT_CONCURRENCY - UNRESERVED_MINIMUM - OTHER_RESERVATIONS);
    }

    private void add(String key, String title, String namespace, String metric, Map<String, String> dimensions,
                     String statistic, double threshold, String comparison, String missingData) {
        add(key, title, namespace, metric, dimensions, statistic, settings.periodSeconds(), threshold, comparison,
                missingData);
    }

    private void add(String key, String title, String namespace, String metric, Map<String, String> dimensions,
                     String statistic, int period, double threshold, String comparison, String missingData) {
        add(key, title, namespace, metric, dimensions, statistic, period, settings.evaluationPeriods(), threshold,
                comparison, missingData);
    }

    private void add(String key, String title, String namespace, String metric, Map<String, String> dimensions,
                     String statistic, int period, int evaluationPeriods, double threshold, String comparison,
                     String missingData) {
        metrics.add(new WatchedMetric(key, title, namespace, metric, dimensions, statistic, period,
                evaluationPeriods, threshold, comparison, missingData));
    }

    private void addSqs(String key, String title, String queue) {
        add(key, title, "AWS/SQS", "ApproximateNumberOfMessagesVisible", Map.of("QueueName", queue), "Maximum",
                // one message is one lost event: the first period that sees it alarms
                Math.max(SQS_PERIOD_SECONDS, settings.periodSeconds()), 1, 0, WatchedMetric.GREATER,
                WatchedMetric.NOT_BREACHING);
    }

    private static Map<String, String> ordered(String k1, String v1, String k2, String v2) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
