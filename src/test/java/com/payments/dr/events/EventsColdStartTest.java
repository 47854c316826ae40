package com.payments.dr.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Both handlers' Lambda constructors in a fresh JVM with the environment the stack sets: they build
 * their clients from it without touching the network (coverage is recorded there too).
 */
class EventsColdStartTest {

    @Test
    void bothHandlersInitializeFromTheEnvironmentInAFreshJvm() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-javaagent:")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EventsColdStartProbe.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AWS_REGION", "us-east-1");
        builder.environment().put("RECEIPT_BUCKET", "s3-payments-123456789012-primary-dev");
        builder.environment().put("ALERTS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:sns-alerts-dev");
        builder.environment().put("GLOBAL_CLUSTER_ID", "aurora-global-dev");
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "probe finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.matches("(?s).*receipt_init_ms=\\d+ ops_init_ms=\\d+.*"), output);
        System.out.println("events functions init: " + output.trim());
    }
}
