package com.payments.dr.report;

import com.payments.dr.config.DrConfig;
import com.payments.dr.docs.GeneratedBlock;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cost figures the documents show are the estimate the synth computes for the default
 * configuration: docs/cost.md holds the whole table (the same as the readiness report's), the
 * README a summary of its largest items. On a change, rerun with {@code -Ddocs.update=true}.
 */
class CostTableTest {

    /** How many items the README's summary names before "other items". */
    static final int README_ITEMS = 6;

    private static CostEstimate defaults() {
        DrConfig defaults = DrConfig.builder().build();
        return CostEstimate.of(defaults, Prices.load(), Inventory.of(defaults));
    }

    /**
     * The README's summary: each item summed over its regions, the {@link #README_ITEMS} largest by
     * idle plus load, the rest in one row, the totals with the budget.
     */
    static String summary(CostEstimate cost) {
        Map<String, double[]> items = new LinkedHashMap<>();
        Map<String, Integer> places = new LinkedHashMap<>();
        for (CostEstimate.Line line : cost.lines()) {
            double[] sum = items.computeIfAbsent(line.item(), k -> new double[2]);
            // the full table's rounded lines, so the summary's rows add up as the reader adds them
            sum[0] += CostEstimate.cents(line.idleUsd()).doubleValue();
            sum[1] += CostEstimate.cents(line.loadUsd()).doubleValue();
            places.merge(line.item(), 1, Integer::sum);
        }
        List<Map.Entry<String, double[]>> sorted = items.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -(e.getValue()[0] + e.getValue()[1]))
                        .thenComparing(Map.Entry::getKey))
                .toList();
        String load = "at " + CostEstimate.num(cost.paymentsPerSecond()) + " payment(s)/s";
        StringBuilder md = new StringBuilder("| default configuration, per month | idle | " + load + " |\n|---|---|---|\n");
        // the other items are the rest of the total, so the rows add up to it to the cent
        double[] other = {CostEstimate.cents(cost.idleUsd()).doubleValue(), CostEstimate.cents(cost.loadUsd()).doubleValue()};
        for (int i = 0; i < README_ITEMS; i++) {
            double[] sum = sorted.get(i).getValue();
            String item = sorted.get(i).getKey();
            md.append("| ").append(item).append(places.get(item) > 1 ? ", both regions" : "")
                    .append(" | ").append(CostEstimate.usd(sum[0])).append(" | ").append(CostEstimate.usd(sum[1]))
                    .append(" |\n");
            other[0] -= CostEstimate.cents(sum[0]).doubleValue();
            other[1] -= CostEstimate.cents(sum[1]).doubleValue();
        }
        return md.append("| ").append(sorted.size() - README_ITEMS).append(" other items | ")
                .append(CostEstimate.usd(other[0])).append(" | ").append(CostEstimate.usd(other[1])).append(" |\n")
                .append("| **total** (budget ").append(CostEstimate.usd(cost.budgetUsd())).append(" idle) | **")
                .append(CostEstimate.usd(cost.idleUsd())).append("** | **").append(CostEstimate.usd(cost.loadUsd()))
                .append("** |\n").toString();
    }

    @Test
    void theCostDocumentsTableIsTheComputedDefaultEstimate() {
        new GeneratedBlock(Path.of("docs/cost.md"), "cost table").check(ReadinessReport.costTable(defaults()));
    }

    @Test
    void theReadmesSummaryIsTheComputedDefaultEstimate() {
        new GeneratedBlock(Path.of("README.md"), "cost summary").check(summary(defaults()));
    }
}
