package com.payments.dr.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.payments.dr.config.DrConfig;
import com.payments.dr.config.RealEnvironment;
import com.payments.dr.stack.DrStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The DR readiness report every synth writes next to the stack ({@link #MARKDOWN} for people,
 * {@link #JSON} for tools): per tier the replication, designed RPO/RTO, the latest drill's
 * measurements, the alarms and the failover steps, the development defaults a real environment must
 * replace, then the cost estimate. Plain Java from
 * {@link DrConfig}, no construct: it is computed while jsii's Node process loads, before the stack
 * is built, so the budget check can stop a synth before anything is written. Byte-deterministic:
 * ordered maps, no clock (only the drill's own timestamp).
 */
public final class ReadinessReport {

    public static final String MARKDOWN = "dr-readiness.md";
    public static final String JSON = "dr-readiness.json";
    /** The heading of the latest drill's section (docs/failover-drill.md quotes the section). */
    public static final String DRILL_HEADING = "## Latest drill (local emulation)\n\n";

    private final DrConfig config;
    private final Prices prices;
    private final CostEstimate cost;
    private final Optional<DrillResults> drill;
    private final DrillResults.Freshness freshness;
    private final List<Tier> tiers;
    private final List<RtoChain> rto;
    // rendered once, with the rest: the synthesis then only writes them (./main computes the report
    // while jsii's Node process loads, docs/performance.md)
    private final String markdown;
    private final String json;

    private ReadinessReport(DrConfig config, Prices prices, Optional<DrillResults> drill,
                            DrillResults.Freshness freshness) {
        this.config = config;
        this.prices = prices;
        this.drill = drill;
        this.freshness = freshness;
        Inventory inventory = Inventory.of(config);
        this.cost = CostEstimate.of(config, prices, inventory);
        // results counted by other code than this checkout's are shown as such, never quoted as measured
        Optional<DrillResults> current = drill.filter(d -> freshness == DrillResults.Freshness.CURRENT);
        this.tiers = Tiers.of(config, inventory, current);
        this.rto = RtoChain.of(config, inventory, current);
        this.markdown = renderMarkdown();
        this.json = renderJson();
    }

    /**
     * The report of {@code config}, with the drill results at {@code drillResults} if there are any,
     * judged against the counting code of the project they belong to ({@code docs/..}'s parent).
     */
    public static ReadinessReport of(DrConfig config, Path drillResults) {
        Path absolute = drillResults.toAbsolutePath();
        Path project = absolute.endsWith(DrillResults.PATH) ? absolute.getParent().getParent() : absolute.getParent();
        return of(config, Prices.load(), DrillResults.read(drillResults), project);
    }

    static ReadinessReport of(DrConfig config, Prices prices, Optional<DrillResults> drill, Path project) {
        return new ReadinessReport(config, prices, drill, drill.map(d -> d.freshness(project))
                .orElse(DrillResults.Freshness.UNKNOWN));
    }

    static ReadinessReport of(DrConfig config, Prices prices, Optional<DrillResults> drill,
                              DrillResults.Freshness freshness) {
        return new ReadinessReport(config, prices, drill, freshness);
    }

    public DrillResults.Freshness drillFreshness() {
        return freshness;
    }

    public List<RtoChain> rto() {
        return rto;
    }

    public CostEstimate cost() {
        return cost;
    }

    public List<Tier> tiers() {
        return tiers;
    }

    /** Writes both files into the synthesized stack's directory under {@code outdir}. */
    public void writeInto(Path outdir) {
        Path dir = outdir.resolve("stacks").resolve(DrStack.NAME);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(MARKDOWN), markdown(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(JSON), json(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the readiness report into " + dir + ": " + e.getMessage(), e);
        }
    }

    public String markdown() {
        return markdown;
    }

    public String json() {
        return json;
    }

    private String renderMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# DR readiness: ").append(DrStack.NAME).append(" (suffix ").append(config.environmentSuffix())
                .append(")\n\n")
                .append("Primary ").append(config.primaryRegion()).append(", DR ").append(config.drRegion())
                .append(". Written by the synth from the configuration; designed figures follow from the settings ")
                .append("and AWS's documented behaviour (sources below), measured ones from the latest failover ")
                .append("drill (`").append(DrillResults.PATH).append("`).\n\n")
                .append("| tier | replication | designed RPO | designed RTO | measured (latest drill) | watched by "
                        + "| a failover must |\n|---|---|---|---|---|---|---|\n");
        for (Tier t : tiers) {
            md.append("| ").append(t.name()).append(" | ").append(t.replication()).append(" | ")
                    .append(t.rpo().text()).append(" | ").append(t.rto().text()).append(" | ")
                    .append(measuredText(t)).append(" | ").append(alarmsText(t)).append(" | ")
                    .append(t.failover()).append(" |\n");
        }
        md.append("\n## Before a real environment\n\n");
        List<RealEnvironment.Required> developmentDefaults = RealEnvironment.developmentDefaults(config);
        if (developmentDefaults.isEmpty()) {
            md.append("No setting a real environment must choose is left at its development default.\n");
        }
        developmentDefaults.forEach(r -> md.append("- `").append(r.setting().envVar()).append("` is `")
                .append(r.value().apply(config)).append("`, its development default: ").append(r.defaultMeans())
                .append(". For a real environment, ").append(r.howToSet()).append("; a synth requires it once ")
                .append(RealEnvironment.requiredWhen()).append(".\n"));
        md.append("\n## End-to-end RTO\n\n")
                .append("From the fault (or the switchover's start) to a client's payment acknowledged in the DR "
                        + "region, step by step; a step nothing bounds is listed and left out of the sum.\n");
        for (RtoChain chain : rto) {
            md.append("\n### ").append(chain.scenario()).append(", ").append(chain.customDomains()
                    ? "with custom domains" : "without custom domains").append(chain.customDomains()
                    == config.customDomains() ? " (as configured)" : "").append(": ").append(chain.totalText())
                    .append("\n\n| step | seconds | source | basis |\n|---|---|---|---|\n");
            for (RtoChain.Step step : chain.steps()) {
                md.append("| ").append(step.what()).append(" | ")
                        .append(step.seconds() == null ? "-" : CostEstimate.num(step.seconds())).append(" | ")
                        .append(step.source().label()).append(" | ").append(step.basis()).append(" |\n");
            }
        }
        md.append("\n").append(DRILL_HEADING);
        drill.ifPresentOrElse(d -> drillSection(md, d, freshness),
                () -> md.append("No drill recorded (`").append(DrillResults.PATH).append("` is absent).\n"));
        md.append("\n## Cost\n\n").append(costSummary()).append("\n\n").append(costTable(cost))
                .append("\nPrices (").append(prices.file()).append(", checked ").append(prices.checked())
                .append("):\n\n| price | USD | per | source |\n|---|---|---|---|\n");
        prices.all().forEach((key, p) -> md.append("| ").append(key).append(" | ")
                .append(BigDecimal.valueOf(p.usd()).toPlainString()).append(" | ").append(p.unit()).append(" | ")
                .append(p.source()).append(" |\n"));
        md.append("\n## Sources\n\n");
        Tiers.SOURCES.forEach((what, url) -> md.append("- ").append(what).append(": ").append(url).append('\n'));
        return md.toString();
    }

    private static String measuredText(Tier t) {
        if (t.measured().isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        t.measured().forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return text.toString();
    }

    private static String alarmsText(Tier t) {
        if (t.alarms().isEmpty()) {
            return "no alarm";
        }
        return String.join(", ", t.alarms().stream().map(a -> "`" + a.name() + "` (" + a.region() + ")").toList());
    }

    private static void drillSection(StringBuilder md, DrillResults d, DrillResults.Freshness freshness) {
        md.append(switch (freshness) {
            case CURRENT -> "Counted by this checkout's drill code (" + d.countingCode() + ").";
            case STALE -> "**STALE**: counted by other drill code (" + d.countingCode() + ") than this checkout's; "
                    + "not quoted above. Rerun `" + d.command() + "`.";
            case UNKNOWN -> "The drill's counting code is not here to compare with (" + d.countingCode()
                    + "): not quoted above.";
        }).append(" Measured at ").append(d.measuredAt()).append(" (commit ").append(d.commit()).append(") by `")
                .append(d.command()).append("`, ").append(d.passed() ? "all assertions passed" : "ASSERTIONS FAILED")
                .append("; ").append(d.machine().cpus()).append(" CPUs, load ")
                .append(CostEstimate.num(d.machine().loadBefore())).append(" before, ")
                .append(CostEstimate.num(d.machine().loadAfter())).append(" after.\n\n")
                .append(d.emulation()).append(".\n\nSettings: ");
        List<String> settings = new java.util.ArrayList<>();
        d.settings().forEach((k, v) -> settings.add(k + " " + v));
        md.append(String.join(", ", settings)).append(".\n\n")
                .append("| scenario | fault to first ack (ms) | promotion to first ack (ms) | error window (ms) "
                        + "| time to ack p50 / p99 / max (ms) | payments | attempts | no answer | 409 | 429 | 503 "
                        + "| other | lost at promotion | recovered by retry | recovered by reconciliation "
                        + "| waited for the primary region | lost for good | duplicates |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (DrillResults.Scenario s : d.scenarios()) {
            md.append("| ").append(s.name()).append(" | ").append(s.faultToFirstAckMs()).append(" | ")
                    .append(s.promotionToFirstAckMs()).append(" | ").append(s.errorWindowMs()).append(" | ")
                    .append(s.timeToAckMs().p50()).append(" / ").append(s.timeToAckMs().p99()).append(" / ")
                    .append(s.timeToAckMs().max()).append(" | ").append(s.payments()).append(" | ")
                    .append(s.attempts()).append(" | ").append(s.unanswered()).append(" | ").append(s.status409())
                    .append(" | ").append(s.status429()).append(" | ").append(s.status503()).append(" | ")
                    .append(s.otherErrors()).append(" | ").append(s.lostAtPromotion()).append(" | ")
                    .append(s.recoveredByRetry()).append(" | ").append(s.recoveredByReconciliation()).append(" | ")
                    .append(s.waitedForPrimaryRegion()).append(" | ").append(s.lostForGood()).append(" | ")
                    .append(s.duplicates()).append(" |\n");
        }
        md.append("\nTimelines (ms after the fault, on the drill's scaled settings):\n\n");
        for (DrillResults.Scenario s : d.scenarios()) {
            List<String> stages = new java.util.ArrayList<>();
            s.timeline().forEach((k, v) -> stages.add(k + " " + v));
            md.append("- ").append(s.name()).append(": ").append(String.join(", ", stages)).append('\n');
        }
        md.append("\nAcknowledgement mirror: ").append(d.mirror().writes()).append(" records, ")
                .append(d.mirror().degraded()).append(" degraded; added latency per payment p50 / p99 / max ")
                .append(d.mirror().latencyMs().p50()).append(" / ").append(d.mirror().latencyMs().p99()).append(" / ")
                .append(d.mirror().latencyMs().max()).append(" ms (DynamoDB Local on loopback: no inter-region "
                        + "round trip).\n");
    }

    private String costSummary() {
        return "Idle **" + CostEstimate.usd(cost.idleUsd()) + "/month** against the budget of "
                + CostEstimate.usd(cost.budgetUsd()) + " (MONTHLY_BUDGET_USD); at "
                + CostEstimate.num(cost.paymentsPerSecond()) + " payment(s)/s (COST_PAYMENTS_PER_SECOND) **"
                + CostEstimate.usd(cost.loadUsd()) + "/month**, "
                + CostEstimate.usd(cost.perPaymentUsd() * CostEstimate.MILLION) + " per million payments. On-demand "
                + "list prices, no free tier; the basis column states each assumption.";
    }

    /** The estimate as a Markdown table: docs/cost.md's table is this table for the defaults. */
    public static String costTable(CostEstimate cost) {
        String load = "at " + CostEstimate.num(cost.paymentsPerSecond()) + "/s";
        StringBuilder md = new StringBuilder("| item | where | basis | idle | " + load + " |\n|---|---|---|---|---|\n");
        for (CostEstimate.Line line : cost.lines()) {
            md.append("| ").append(line.item()).append(" | ").append(line.where()).append(" | ").append(line.basis())
                    .append(" | ").append(CostEstimate.usd(line.idleUsd())).append(" | ")
                    .append(CostEstimate.usd(line.loadUsd())).append(" |\n");
        }
        return md.append("| **total** | | | **").append(CostEstimate.usd(cost.idleUsd())).append("** | **")
                .append(CostEstimate.usd(cost.loadUsd())).append("** |\n").toString();
    }

    private String renderJson() {
        JsonObject root = new JsonObject();
        root.addProperty("stack", DrStack.NAME);
        root.addProperty("environmentSuffix", config.environmentSuffix());
        root.addProperty("primaryRegion", config.primaryRegion());
        root.addProperty("drRegion", config.drRegion());
        JsonArray tierArray = new JsonArray();
        for (Tier t : tiers) {
            JsonObject o = new JsonObject();
            o.addProperty("id", t.id());
            o.addProperty("name", t.name());
            o.addProperty("replication", t.replication());
            o.add("rpo", objective(t.rpo()));
            o.add("rto", objective(t.rto()));
            o.add("measured", t.measured().isEmpty() ? JsonNull.INSTANCE : longs(t.measured()));
            JsonArray alarms = new JsonArray();
            t.alarms().forEach(a -> {
                JsonObject alarm = new JsonObject();
                alarm.addProperty("name", a.name());
                alarm.addProperty("region", a.region());
                alarms.add(alarm);
            });
            o.add("alarms", alarms);
            o.addProperty("failover", t.failover());
            tierArray.add(o);
        }
        root.add("tiers", tierArray);
        JsonArray developmentDefaults = new JsonArray();
        RealEnvironment.developmentDefaults(config).forEach(r -> {
            JsonObject o = new JsonObject();
            o.addProperty("setting", r.setting().envVar());
            o.addProperty("value", r.value().apply(config));
            o.addProperty("meaning", r.defaultMeans());
            o.addProperty("requiredWhen", RealEnvironment.requiredWhen());
            developmentDefaults.add(o);
        });
        root.add("developmentDefaults", developmentDefaults);
        root.add("drill", drill.<JsonElement>map(d -> {
            JsonObject o = d.toJson();
            o.addProperty("freshness", freshness.name().toLowerCase(java.util.Locale.ROOT));
            return o;
        }).orElse(JsonNull.INSTANCE));
        JsonArray chains = new JsonArray();
        for (RtoChain chain : rto) {
            JsonObject c = new JsonObject();
            c.addProperty("scenario", chain.scenario());
            c.addProperty("customDomains", chain.customDomains());
            c.add("boundedSeconds", exact(chain.boundedSeconds()));
            c.addProperty("total", chain.totalText());
            JsonArray steps = new JsonArray();
            for (RtoChain.Step step : chain.steps()) {
                JsonObject st = new JsonObject();
                st.addProperty("step", step.what());
                st.add("seconds", step.seconds() == null ? JsonNull.INSTANCE : exact(step.seconds()));
                st.addProperty("source", step.source().label());
                st.addProperty("basis", step.basis());
                steps.add(st);
            }
            c.add("steps", steps);
            chains.add(c);
        }
        root.add("rto", chains);
        root.add("cost", costJson());
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(root)
                + "\n";
    }

    private static JsonObject objective(Tier.Objective objective) {
        JsonObject o = new JsonObject();
        o.add("seconds", objective.seconds() == null ? JsonNull.INSTANCE : exact(objective.seconds()));
        o.addProperty("text", objective.text());
        return o;
    }

    private static JsonObject longs(Map<String, Long> values) {
        JsonObject o = new JsonObject();
        values.forEach(o::addProperty);
        return o;
    }

    private JsonObject costJson() {
        JsonObject o = new JsonObject();
        o.addProperty("priceTable", prices.file());
        o.addProperty("pricesChecked", prices.checked());
        o.add("paymentsPerSecond", exact(cost.paymentsPerSecond()));
        o.add("budgetUsd", money(cost.budgetUsd()));
        o.add("idleUsd", money(cost.idleUsd()));
        o.add("loadUsd", money(cost.loadUsd()));
        o.add("perMillionPaymentsUsd", money(cost.perPaymentUsd() * CostEstimate.MILLION));
        JsonArray lines = new JsonArray();
        cost.lines().forEach(line -> {
            JsonObject l = new JsonObject();
            l.addProperty("item", line.item());
            l.addProperty("where", line.where());
            l.addProperty("basis", line.basis());
            l.add("idleUsd", money(line.idleUsd()));
            l.add("loadUsd", money(line.loadUsd()));
            lines.add(l);
        });
        o.add("lines", lines);
        return o;
    }

    private static JsonElement money(double usd) {
        return new JsonPrimitive(CostEstimate.cents(usd));
    }

    /** A number as written (0.5, 150): never gson's 150.0, nor an exponent. */
    static JsonElement exact(double value) {
        // toPlainString: a stripped 150 would print as 1.5E+2
        return new JsonPrimitive(new BigDecimal(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()));
    }
}
