package com.payments.dr.config;

import java.util.List;
import java.util.Set;

/**
 * Route 53 health checks of each region's {@code /health}: how often and from where they call,
 * and how many failures in a row make a region unhealthy. Every checker region calls at least once
 * every interval, so these settings decide at least the requests (and the API Gateway and Lambda
 * cost) the checks cause: see {@link #requestsPerMonth()}.
 */
public record HealthCheckSettings(int intervalSeconds, int failureThreshold, List<String> regions) {

    /** The regions Route 53 runs health checkers in (it needs at least three). */
    public static final Set<String> CHECKER_REGIONS = Set.of("us-east-1", "us-west-1", "us-west-2", "eu-west-1",
            "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1");
    static final int MIN_REGIONS = 3;
    /** Seconds in an average month (730 hours), as AWS prices by. */
    static final long SECONDS_PER_MONTH = 730L * 3600;

    public HealthCheckSettings {
        if (intervalSeconds != 10 && intervalSeconds != 30) {
            throw new ConfigException(Setting.HEALTH_CHECK_INTERVAL, Integer.toString(intervalSeconds),
                    Setting.HEALTH_CHECK_INTERVAL.allowed());
        }
        if (failureThreshold < 1 || failureThreshold > 10) {
            throw new ConfigException(Setting.HEALTH_CHECK_FAILURE_THRESHOLD, Integer.toString(failureThreshold),
                    Setting.HEALTH_CHECK_FAILURE_THRESHOLD.allowed());
        }
        String text = String.join(",", regions);
        if (regions.size() < MIN_REGIONS || !CHECKER_REGIONS.containsAll(regions)
                || Set.copyOf(regions).size() != regions.size()) {
            throw new ConfigException(Setting.HEALTH_CHECK_REGIONS, text, Setting.HEALTH_CHECK_REGIONS.allowed());
        }
        regions = List.copyOf(regions);
    }

    /**
     * A lower bound of the requests one region's {@code /health} receives a month: one call per
     * checker region and interval. Each health checker calls at that interval, and Route 53's
     * checkers "in different data centers don't coordinate with one another, so you'll sometimes see
     * several requests per second regardless of the interval" (Route 53 developer guide, "How
     * Amazon Route 53 determines whether a health check is healthy"): the real count is higher.
     */
    public long requestsPerMonth() {
        return regions.size() * SECONDS_PER_MONTH / intervalSeconds;
    }
}
