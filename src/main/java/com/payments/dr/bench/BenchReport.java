package com.payments.dr.bench;

import java.util.Arrays;
import java.util.Locale;

/** The arithmetic and wording of the synthesis benchmark, kept apart from the process launching. */
public final class BenchReport {

    /** The goal from the project: the resources may add at most 30% to a synthesis. */
    public static final double GOAL_RATIO = 1.3;

    private BenchReport() {
    }

    public static double median(long[] samplesMillis) {
        long[] sorted = samplesMillis.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    public static String report(long[] emptyMillis, long[] fullMillis) {
        double empty = median(emptyMillis);
        double full = median(fullMillis);
        double ratio = full / empty;
        return String.format(Locale.ROOT,
                "empty stack (2 providers): median %.0f ms of %s%n"
                        + "full stack:                median %.0f ms of %s%n"
                        + "ratio full/empty: %.2f (goal <= %.1f: %s)%n",
                empty, Arrays.toString(emptyMillis), full, Arrays.toString(fullMillis), ratio, GOAL_RATIO,
                ratio <= GOAL_RATIO ? "met" : "NOT met");
    }
}
