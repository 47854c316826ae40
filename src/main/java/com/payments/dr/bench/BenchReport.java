package com.payments.dr.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The arithmetic and wording of the synthesis benchmark, kept apart from the process launching. */
public final class BenchReport {

    /** The goals from the project: the resources may add at most 30% to the time of a synthesis... */
    public static final double GOAL_TIME_RATIO = 1.3;
    /** ...and at most 20% to its peak memory. */
    public static final double GOAL_RSS_RATIO = 1.2;

    /** Where a synthesis spends its time, in order; "exit" is JVM and Node shutdown. */
    static final List<String> PHASES = List.of("jvm", "node", "cdktf", "provider", "construct", "synth", "exit");

    /**
     * One child JVM's run: wall time as the parent saw it, CPU time of the JVM and its Node
     * processes, the end of each phase (epoch ms, as the child printed it), the parent's end (epoch
     * ms), and the peak resident memory of the JVM and of its Node processes (each process's own
     * high-water mark, summed, KiB).
     */
    public record Sample(long millis, long cpuMillis, Map<String, Long> marks, long endEpochMillis, long jvmKib,
                         long nodeKib) {

        /** Duration of each phase in {@link #PHASES} order. */
        Map<String, Long> phases() {
            Map<String, Long> phases = new LinkedHashMap<>();
            long previous = marks.get("start");
            for (String phase : PHASES) {
                long end = phase.equals("exit") ? endEpochMillis : marks.get(phase);
                phases.put(phase, end - previous);
                previous = end;
            }
            return phases;
        }

        long rssKib() {
            return jvmKib + nodeKib;
        }
    }

    private BenchReport() {
    }

    public static double median(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    /** Parses the child's {@code bench-phase <name> <epoch ms>} lines; other lines are ignored. */
    public static Map<String, Long> marks(String childStdout) {
        Map<String, Long> marks = new LinkedHashMap<>();
        childStdout.lines().filter(l -> l.startsWith(BenchTarget.PHASE)).forEach(l -> {
            String[] parts = l.substring(BenchTarget.PHASE.length()).split(" ");
            marks.put(parts[0], Long.parseLong(parts[1]));
        });
        return marks;
    }

    public static String report(List<Sample> empty, List<Sample> full) {
        double emptyMillis = median(empty.stream().mapToLong(Sample::millis).toArray());
        double fullMillis = median(full.stream().mapToLong(Sample::millis).toArray());
        double emptyRss = median(empty.stream().mapToLong(Sample::rssKib).toArray()) / 1024;
        double fullRss = median(full.stream().mapToLong(Sample::rssKib).toArray()) / 1024;
        double timeRatio = fullMillis / emptyMillis;
        double rssRatio = fullRss / emptyRss;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-22s %10s %10s%n", "median of " + empty.size(), "empty", "full"));
        out.append(line("time (ms)", emptyMillis, fullMillis));
        for (String phase : PHASES) {
            out.append(line("  " + phase, medianPhase(empty, phase), medianPhase(full, phase)));
        }
        out.append(line("CPU time (ms)", median(empty.stream().mapToLong(Sample::cpuMillis).toArray()),
                median(full.stream().mapToLong(Sample::cpuMillis).toArray())));
        out.append(line("peak RSS (MiB)", emptyRss, fullRss));
        out.append(line("  JVM", median(empty.stream().mapToLong(Sample::jvmKib).toArray()) / 1024,
                median(full.stream().mapToLong(Sample::jvmKib).toArray()) / 1024));
        out.append(line("  Node processes", median(empty.stream().mapToLong(Sample::nodeKib).toArray()) / 1024,
                median(full.stream().mapToLong(Sample::nodeKib).toArray()) / 1024));
        out.append(String.format(Locale.ROOT, "times (ms): empty %s, full %s%n",
                millis(empty), millis(full)));
        out.append(String.format(Locale.ROOT, "ratio full/empty: time %.2f (goal <= %.1f: %s), peak RSS %.2f (goal <= %.1f: %s)%n",
                timeRatio, GOAL_TIME_RATIO, timeRatio <= GOAL_TIME_RATIO ? "met" : "NOT met",
                rssRatio, GOAL_RSS_RATIO, rssRatio <= GOAL_RSS_RATIO ? "met" : "NOT met"));
        return out.toString();
    }

    private static double medianPhase(List<Sample> samples, String phase) {
        return median(samples.stream().mapToLong(s -> s.phases().get(phase)).toArray());
    }

    private static List<Long> millis(List<Sample> samples) {
        List<Long> millis = new ArrayList<>();
        samples.forEach(s -> millis.add(s.millis()));
        return millis;
    }

    private static String line(String label, double empty, double full) {
        return String.format(Locale.ROOT, "%-22s %10.0f %10.0f%n", label, empty, full);
    }
}
