package com.payments.dr.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.payments.dr.blocks.JavaFunction;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Java of the functions' Lambda runtime ({@link JavaFunction#RUNTIME}), on which the tests run
 * the packaged functions in child JVMs: the artifact tests, the cold-start test, the SnapStart
 * credentials test.
 *
 * <p>This machine's own Java is 17 (and 25); .ci/lambda-java21 installs a Java 21 (Debian's
 * OpenJDK 21; Lambda runs Amazon Corretto 21, the same Java release) into the directory that the
 * system property {@value #PROPERTY} names (pom.xml passes it, default
 * /tmp/payments-dr-lambda-java21). CI must have it: there a missing one fails the test. Elsewhere
 * the child JVMs run on this JVM's Java instead, and each run says so on stdout: such a run proves
 * the package, not the package on the runtime's Java.
 */
public final class LambdaJava {

    /** The directory .ci/lambda-java21 installed into: a {@code bin/java} there is used. */
    public static final String PROPERTY = "lambda.java.home";
    /** The runtime's Java feature release: {@code java21} is 21. */
    public static final int RUNTIME_FEATURE = Integer.parseInt(JavaFunction.RUNTIME.substring("java".length()));

    private LambdaJava() {
    }

    /** The launcher of the runtime's Java, or this JVM's where that is missing outside CI. */
    static Path launcher(String home, String ci) {
        Path installed = Path.of(home, "bin", "java");
        if (!home.isBlank() && Files.isExecutable(installed)) {
            return installed;
        }
        String missing = "the Lambda runtime's Java (" + JavaFunction.RUNTIME + ") is not at " + installed
                + ": .ci/lambda-java21 installs it there (or -D" + PROPERTY + "=DIR names another)";
        if (ci != null && !ci.isBlank()) {
            fail(missing);
        }
        System.out.println("NOTE: " + missing + "; the packaged functions run on this JVM's Java "
                + Runtime.version().feature() + " instead");
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Path launcher;

    static synchronized Path launcher() {
        if (launcher == null) {
            launcher = launcher(System.getProperty(PROPERTY, ""), System.getenv("CI"));
        }
        return launcher;
    }

    /** The Java feature release the child JVMs run on: the runtime's, or this JVM's (see {@link #launcher}). */
    public static int feature() {
        return launcher().equals(Path.of(System.getProperty("java.home"), "bin", "java")) ? Runtime.version().feature()
                : RUNTIME_FEATURE;
    }

    /** This JVM's coverage agent (if any), for a child JVM, so that its execution counts too. */
    public static List<String> coverageAgents() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-javaagent:")).toList();
    }

    /**
     * A child JVM on the runtime's Java running {@code mainClass} of {@code classpath}, without the
     * JVM options a developer's shell may set for every JVM and Lambda never sets (each makes the
     * JVM print a notice of its own).
     */
    public static ProcessBuilder command(List<String> jvmArgs, String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeAll(Set.of("_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"));
        return builder;
    }

    /** A probe's report names the Java it ran on ({@code java_version}, {@code java_feature}): {@link #feature()}. */
    public static void assertRanOnTheRuntimesJava(JsonObject report) {
        assertEquals(feature(), report.get("java_feature").getAsInt(),
                "the child JVM's Java " + report.get("java_version").getAsString());
    }
}
