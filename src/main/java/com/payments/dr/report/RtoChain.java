package com.payments.dr.report;

import com.payments.dr.blocks.FailoverDns;
import com.payments.dr.config.DrConfig;
import com.payments.dr.function.Timings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The end-to-end recovery time of one scenario, as the chain of steps a client waits through,
 * each with where its figure comes from: the settings (designed; approximate where Route 53's
 * checking adds its own slack), the project's assumption (beside AWS's own wording), the drill (a
 * local emulation), or nothing at all (detection and a person's decision: listed, not added).
 * Totals are whole seconds: the figures they add are not more precise than that.
 */
public record RtoChain(String scenario, boolean customDomains, List<Step> steps) {

    /** Where a step's figure comes from. */
    public enum Source {
        SETTINGS("designed from settings"),
        APPROXIMATE("designed from settings, approximate"),
        ASSUMPTION("the project's assumption"),
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

    /** The Aurora page that documents switchover and failover of a global database, and the RTO. */
    static final String AURORA_PAGE = "Amazon Aurora User Guide, \"Using switchover or failover in an Amazon Aurora"
            + " global database\" (" + Tiers.SOURCES_AURORA_FAILOVER + ")";
    /** What that page says of the RTO, word for word. */
    static final String AURORA_RTO_WORDS = "\"For an Aurora global database, RTO can be in the order of minutes.\"";
    static final String SWITCHOVER_PAGE = "Amazon RDS API Reference, SwitchoverGlobalCluster ("
            + Tiers.SOURCES_SWITCHOVER + ")";
    static final String ROUTE53_PAGE = "Amazon Route 53 Developer Guide, \"How Amazon Route 53 determines whether a"
            + " health check is healthy\" (" + Tiers.SOURCES_ROUTE53 + ")";
    static final String ALIAS_PAGE = "Amazon Route 53 Developer Guide, \"Choosing between alias and non-alias"
            + " records\" (" + Tiers.SOURCES_ALIAS + ")";
    /** Why a Route 53 step is approximate. */
    static final String ROUTE53_SLACK = "approximate: each check may wait up to 4 s to connect and 2 s for the answer,"
            + " and Route 53 decides from its checkers' reports together (healthy when more than 18 % of them say so)";
    /** The detection and decision step's name (the total names it). */
    static final String DETECTION = "detection and the on-call's decision";

    /** The bounded steps added up, in whole seconds. */
    public double boundedSeconds() {
        return Math.round(steps.stream().filter(s -> s.seconds() != null).mapToDouble(Step::seconds).sum());
    }

    /** The steps nothing bounds, by name. */
    public List<String> unbounded() {
        return steps.stream().filter(s -> s.seconds() == null).map(Step::what).toList();
    }

    /** "280 s" or "280 s + detection and the on-call's decision". */
    public String totalText() {
        String total = CostEstimate.num(boundedSeconds()) + " s";
        return unbounded().isEmpty() ? total : total + " + " + String.join(" + ", unbounded());
    }

    /**
     * Both scenarios, each with and without custom domains (the configured variant first), from
     * the settings and, when the latest drill is current, its measured step.
     */
    static List<RtoChain> of(DrConfig config, Inventory inventory, Optional<DrillResults> currentDrill) {
        List<RtoChain> chains = new ArrayList<>();
        boolean configured = config.customDomains();
        for (boolean domains : List.of(configured, !configured)) {
            chains.add(unplanned(config, inventory, currentDrill, domains));
        }
        for (boolean domains : List.of(configured, !configured)) {
            chains.add(planned(config, currentDrill, domains));
        }
        return List.copyOf(chains);
    }

    private static RtoChain unplanned(DrConfig config, Inventory inventory, Optional<DrillResults> drill,
                                      boolean domains) {
        int interval = config.healthChecks().intervalSeconds();
        int threshold = config.healthChecks().failureThreshold();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(DETECTION, null, Source.NOT_BOUNDED, "the on-call hears `"
                + inventory.drFailOverNowAlarm() + "` (" + config.drRegion() + "): the DR region's probe asks the"
                + " primary's /health every minute, and the composite needs " + FailoverDns.DATAPOINTS_TO_ALARM + " of "
                + FailoverDns.EVALUATION_PERIODS + " failing minutes, so at least "
                + FailoverDns.DATAPOINTS_TO_ALARM * 60 + " s after the fault; `" + inventory.failOverNowAlarm()
                + "` lives in " + FailoverDns.METRICS_REGION + " (Route 53 publishes its health-check metrics only"
                + " there) and is silent when that region is the one failing; meanwhile Route 53 finds the primary"
                + " unhealthy after about " + interval + " s x " + threshold + " failures (HEALTH_CHECK_INTERVAL,"
                + " HEALTH_CHECK_FAILURE_THRESHOLD; " + ROUTE53_SLACK + "); then a person confirms the outage"
                + " (runbook, \"Unplanned failover\") and runs failover-global-cluster"));
        steps.add(new Step("failover-global-cluster promotes the DR cluster", Tiers.DATABASE_FAILOVER_SECONDS,
                Source.ASSUMPTION, CostEstimate.num(Tiers.DATABASE_FAILOVER_SECONDS) + " s assumed; AWS gives no"
                        + " figure: " + AURORA_RTO_WORDS + " (" + AURORA_PAGE + ")"));
        steps.add(functionStep(drill, "unplanned-failover"));
        addClientSteps(steps, interval, threshold, domains, "the DR region");
        return new RtoChain("unplanned failover", domains, List.copyOf(steps));
    }

    private static RtoChain planned(DrConfig config, Optional<DrillResults> drill, boolean domains) {
        int interval = config.healthChecks().intervalSeconds();
        int threshold = config.healthChecks().failureThreshold();
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("switchover-global-cluster: writes pause until the DR cluster is promoted",
                Tiers.DATABASE_FAILOVER_SECONDS, Source.ASSUMPTION, CostEstimate.num(Tiers.DATABASE_FAILOVER_SECONDS)
                        + " s assumed; AWS gives no figure: the secondary catches up first (no data loss), then \"your"
                        + " database is unavailable for a short time while the primary and selected secondary clusters"
                        + " are assuming their new roles\" (" + SWITCHOVER_PAGE + "); " + AURORA_RTO_WORDS + " ("
                        + AURORA_PAGE + ")"));
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
            steps.add(new Step("Route 53 finds " + dr + " healthy and answers with it", healthy, Source.APPROXIMATE,
                    "about " + interval + " s x " + threshold + " successes (Route 53 needs as many to turn healthy) + the"
                            + " function's " + cache + " s health cache; " + ROUTE53_SLACK + "; " + ROUTE53_PAGE));
            steps.add(new Step("resolvers drop the old answer", (double) FailoverDns.TTL_SECONDS, Source.ASSUMPTION,
                    "the failover records are alias A records to API Gateway's regional domain names: they have no TTL"
                            + " of their own, Route 53 answers with the alias target's (" + ALIAS_PAGE + "), which"
                            + " API Gateway sets and does not document; " + FailoverDns.TTL_SECONDS + " s assumed"));
        } else {
            steps.add(new Step("clients switch to the DR API's URL", null, Source.NOT_BOUNDED,
                    "without custom domains (no DNS_DOMAIN, or CUSTOM_DOMAINS=false) the failover name cannot serve"
                            + " clients (TLS, Host routing): each client is told to use output dr_api_invoke_url,"
                            + " with the same API key (the name's CNAME records move with their " + FailoverDns.TTL_SECONDS
                            + " s TTL, a setting, but no client can use them)"));
        }
        steps.add(new Step("the client's retry", (double) Timings.DEPLOYED.dbRetryAfterSeconds(), Source.SETTINGS,
                "the Retry-After of the refusals it met (database_unavailable, "
                        + Timings.DEPLOYED.dbRetryAfterSeconds() + " s)"));
    }
}
