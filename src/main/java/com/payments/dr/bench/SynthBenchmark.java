package com.payments.dr.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./main --bench [rounds]}: times whole JVMs, as a user of {@code ./main} or
 * {@code cdktf synth} feels them, synthesizing the empty stack and the full stack alternately
 * (after one discarded warm-up of each, which fills jsii's package cache), and prints the medians
 * and their ratio. Extra JVM options for the child JVMs come from {@code BENCH_JAVA_OPTS}.
 */
public final class SynthBenchmark {

    private SynthBenchmark() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("synth-bench");
        long[] empty = new long[rounds];
        long[] full = new long[rounds];
        run("empty", work);
        run("full", work);
        for (int i = 0; i < rounds; i++) {
            empty[i] = run("empty", work);
            full[i] = run("full", work);
        }
        System.out.print(BenchReport.report(empty, full));
    }

    private static long run(String target, Path work) throws IOException, InterruptedException {
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
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).inheritIO().redirectOutput(new File("/dev/null")).start();
        int code = process.waitFor();
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (code != 0) {
            throw new IllegalStateException(target + " synthesis failed with exit code " + code);
        }
        return millis;
    }
}
