package com.payments.dr.report;

import com.payments.dr.blocks.FailoverDns;
import com.payments.dr.config.DrConfig;
import com.payments.dr.function.Timings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The end-to-end recovery time of one scenario, as the chain of steps a client waits through,
 * each with where its figure comes from: the settings (designed), AWS's documentation (the page
 * named), the drill (a local emulation), or nothing at all (a person's step: listed, not added).
 */
public record RtoChain(String scenario, boolean customDomains, List<Step> steps) {

    /** Where a step's figure comes from. */
    public enum Source {
        SETTINGS("designed from settings"),
        AWS_DOCUMENTATION("AWS documentation"),
        LOCAL_EMULATION("local emulation (the drill)"),
        NOT_BOUNDED("not bounded by the system");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One step; {@code seconds} is null where nothing bounds it. */
    public record Step(String what, Double seconds, Source source, String basis) {
    }

    /** The Aurora page that documents switchover and failover of a global database. */
    static final String AURORA_PAGE = "Amazon Aurora User Guide, \"Using switchover or failover in an Amazon Aurora"
            + " global database\" (" + Tiers.SOURCES_AURORA_FAILOVER + ")";
    static final String ROUTE53_PAGE = "Amazon Route 53 Developer Guide, \"How Amazon Route 53 determines whether a"
            + " health check is healthy\" (" + Tiers.SOURCES_ROUTE53 + ")";

    /** The bounded steps added up (seconds, to the millisecond: no binary fractions in the report). */
    public double boundedSeconds() {
        return Math.round(steps.stream().filter(s -> s.seconds() != null).mapToDouble(Step::seconds).sum() * 1000)
                / 1000.0;
    }

    /** The steps nothing bounds, by name. */
    public List<String> unbounded() {
        return steps.stream().filter(s -> s.seconds() == null).map(Step::what).toList();
    }

    /** "450 s" or "450 s + the on-call's decision". */
    public String totalText() {
        String total = CostEstimate.num(boundedSeconds()) + " s";
        return unbounded().isEmpty() ? total : total + " + " + String.join(" + ", unbounded());
    }

    /**
     * Both scenarios, each with and without custom domains (the configured variant first), from
     * the settings and, when the latest drill is current, its measured step.
     */
    static List<RtoChain> of(DrConfig config, Optional<DrillResults> currentDrill) {
        List<RtoChain> chains = new ArrayList<>();
        boolean configured = config.customDomains();
        for (boolean domains : List.of(configured, !configured)) {
            chains.add(unplanned(config, currentDrill, domains));
        }
        for (boolean domains : List.of(configured, !configured)) {
            chains.add(planned(config, currentDrill, domains));
        }
        return List.copyOf(chains);
    }

    private static RtoChain unplanned(DrConfig config, Optional<DrillResults> drill, boolean domains) {
        int interval = config.healthChecks().intervalSeconds();
        int threshold = config.healthChecks().failureThreshold();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("Route 53 finds the primary unhealthy", (double) interval * threshold, Source.SETTINGS,
                interval + " s (HEALTH_CHECK_INTERVAL) x " + threshold + " failures (HEALTH_CHECK_FAILURE_THRESHOLD); "
                        + ROUTE53_PAGE));
        steps.add(new Step("the \"fail over now\" alarm fires", (double) FailoverDns.DATAPOINTS_TO_ALARM * 60,
                Source.SETTINGS, FailoverDns.DATAPOINTS_TO_ALARM + " of " + FailoverDns.EVALUATION_PERIODS
                        + " one-minute periods of the primary's health-check metric (the stack's composite alarm)"));
        steps.add(new Step("the on-call's decision", null, Source.NOT_BOUNDED,
                "a person confirms the outage (runbook, \"Unplanned failover\") and runs failover-global-cluster"));
        steps.add(new Step("failover-global-cluster promotes the DR cluster", Tiers.DATABASE_FAILOVER_SECONDS,
                Source.AWS_DOCUMENTATION, "\"in the order of minutes\"; " + CostEstimate.num(
                        Tiers.DATABASE_FAILOVER_SECONDS) + " s taken for it; " + AURORA_PAGE));
        steps.add(functionStep(drill, "unplanned-failover"));
        addClientSteps(steps, interval, threshold, domains, "the DR region");
        return new RtoChain("unplanned failover", domains, List.copyOf(steps));
    }

    private static RtoChain planned(DrConfig config, Optional<DrillResults> drill, boolean domains) {
        int interval = config.healthChecks().intervalSeconds();
        int threshold = config.healthChecks().failureThreshold();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("switchover-global-cluster: writes pause until the DR cluster is promoted",
                Tiers.DATABASE_FAILOVER_SECONDS, Source.AWS_DOCUMENTATION, "the secondary catches up first, then is "
                        + "promoted (no data loss); " + CostEstimate.num(Tiers.DATABASE_FAILOVER_SECONDS)
                        + " s taken for it; " + AURORA_PAGE));
        steps.add(functionStep(drill, drill.flatMap(d -> d.scenario("planned-switchover")).isPresent()
                ? "planned-switchover" : "fail-back"));
        addClientSteps(steps, interval, threshold, domains, "the DR region");
        return new RtoChain("planned switchover", domains, List.copyOf(steps));
    }

    /**
     * After the promotion the DR function's next request succeeds: its writer endpoint refused
     * connections until then, and it keeps no answer from a refused connection. Measured by the
     * drill when it is current (a payment sent straight to the region, so none of the drill's
     * scaled DNS is in it); otherwise the design's bound, the function's own Retry-After.
     */
    private static Step functionStep(Optional<DrillResults> drill, String scenario) {
        Optional<Long> measured = drill.flatMap(d -> d.scenario(scenario)).flatMap(DrillResults::promotionToReadyMs);
        if (measured.isPresent()) {
            return new Step("the DR function takes payments (promotion to its first payment)",
                    measured.get() / 1000.0, Source.LOCAL_EMULATION, "the drill's " + scenario + ": "
                            + measured.get() + " ms from the promotion to a payment sent straight to the region");
        }
        return new Step("the DR function takes payments", (double) Timings.DEPLOYED.dbRetryAfterSeconds(),
                Source.SETTINGS, "at most the Retry-After of its refusals until then (no drill recorded)");
    }

    /** From the DR region serving to the client's payment being acknowledged there. */
    private static void addClientSteps(List<Step> steps, int interval, int threshold, boolean domains, String dr) {
        if (domains) {
            long cache = Timings.DEPLOYED.healthCache().toSeconds();
            double healthy = (double) interval * threshold + cache;
            steps.add(new Step("Route 53 finds " + dr + " healthy and answers with it", healthy, Source.SETTINGS,
                    interval + " s x " + threshold + " successes (Route 53 needs as many to turn healthy) + the"
                            + " function's " + cache + " s health cache; " + ROUTE53_PAGE));
            steps.add(new Step("resolvers drop the old answer", (double) FailoverDns.TTL_SECONDS, Source.SETTINGS,
                    "the failover records' TTL (" + FailoverDns.TTL_SECONDS + " s)"));
        } else {
            steps.add(new Step("clients switch to the DR API's URL", null, Source.NOT_BOUNDED,
                    "without custom domains (no DNS_DOMAIN, or CUSTOM_DOMAINS=false) the failover name cannot serve"
                            + " clients (TLS, Host routing): each client is told to use output dr_api_invoke_url,"
                            + " with the same API key"));
        }
        steps.add(new Step("the client's retry", (double) Timings.DEPLOYED.dbRetryAfterSeconds(), Source.SETTINGS,
                "the Retry-After of the refusals it met (database_unavailable, "
                        + Timings.DEPLOYED.dbRetryAfterSeconds() + " s)"));
    }
}
