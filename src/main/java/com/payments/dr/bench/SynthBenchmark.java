package com.payments.dr.bench;

import com.payments.dr.bench.BenchReport.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ./main --bench [rounds]}: times whole JVMs, as a user of {@code ./main} or
 * {@code cdktf synth} feels them, synthesizing the empty stack and the full stack alternately
 * (after one discarded warm-up of each, which fills jsii's package cache), and prints the medians
 * of wall time, of each phase, of CPU time and of peak memory, and the full/empty ratios. Peak
 * memory is the sum of the high-water marks (VmHWM) of the JVM and of jsii's Node processes, CPU
 * time the sum of their user and system time, both read from /proc every 10 ms while they run. Extra JVM options for the child JVMs come from {@code BENCH_JAVA_OPTS}.
 */
public final class SynthBenchmark {

    private SynthBenchmark() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("synth-bench");
        List<Sample> empty = new ArrayList<>();
        List<Sample> full = new ArrayList<>();
        run("empty", work);
        run("full", work);
        for (int i = 0; i < rounds; i++) {
            empty.add(run("empty", work));
            full.add(run("full", work));
        }
        System.out.print(BenchReport.report(empty, full));
    }

    private static Sample run(String target, Path work) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String opts = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "");
        for (String opt : opts.trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                command.add(opt);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchTarget.class.getName(),
                target, work.resolve(target).toString()));
        long launched = System.currentTimeMillis();
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Map<Long, Long> peaks = new HashMap<>();
        Map<Long, Long> cpuTicks = new HashMap<>();
        while (process.isAlive()) {
            sample(process.toHandle(), peaks, cpuTicks);
            Thread.sleep(10);
        }
        int code = process.waitFor();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long end = System.currentTimeMillis();
        if (code != 0) {
            throw new IllegalStateException(target + " synthesis failed with exit code " + code);
        }
        long jvm = peaks.getOrDefault(process.pid(), 0L);
        long node = peaks.entrySet().stream().filter(e -> e.getKey() != process.pid())
                .mapToLong(Map.Entry::getValue).sum();
        // USER_HZ is 100 on Linux
        long cpu = cpuTicks.values().stream().mapToLong(Long::longValue).sum() * 10;
        // The phases count from the launch: the start a JVM could read from /proc is only as exact
        // as the kernel's boot time, whole seconds, and came out hundreds of milliseconds early.
        Map<String, Long> marks = new LinkedHashMap<>();
        marks.put("start", launched);
        marks.putAll(BenchReport.marks(stdout.join()));
        return new Sample(millis, cpu, marks, end, jvm, node);
    }

    /**
     * Records each live process's VmHWM (KiB) and CPU time (user + system, clock ticks); a
     * process's last reading before it exits stays.
     */
    private static void sample(ProcessHandle root, Map<Long, Long> peaks, Map<Long, Long> cpuTicks) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        for (ProcessHandle p : tree) {
            Path proc = Path.of("/proc", Long.toString(p.pid()));
            try {
                for (String line : Files.readAllLines(proc.resolve("status"))) {
                    if (line.startsWith("VmHWM:")) {
                        peaks.merge(p.pid(), Long.parseLong(line.replaceAll("[^0-9]", "")), Math::max);
                    }
                }
                String stat = Files.readString(proc.resolve("stat"));
                // after the parenthesized command name: state is field 3, utime 14, stime 15
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                cpuTicks.merge(p.pid(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Math::max);
            } catch (IOException | RuntimeException gone) {
                // It exited between listing and reading: its last reading stands.
            }
        }
    }
}
