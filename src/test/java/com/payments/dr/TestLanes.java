package com.payments.dr;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Which test classes run at the same time. src/test/resources/junit-platform.properties runs the
 * classes in parallel on two threads (a class's methods one after another on its thread); two
 * things in the test JVM are shared and not thread-safe, and each is a lane that admits one class at
 * a time (this extension takes its lock before the class's {@code @BeforeAll} and releases it after
 * its {@code @AfterAll}):
 * <ul>
 * <li>{@link Lane#JSII}: jsii's one Node process per JVM, which is not thread-safe. Every class that
 *     is not known to be without it: the default, so a new class is safe wherever it is.</li>
 * <li>{@link Lane#FUNCTIONS}: the functions' log ({@code Log.redirect} is process-wide: a class that
 *     captures it would read another class's lines) and the engines the tests share
 *     ({@code TestPostgres.shared()}, which tests stop and restart; DynamoDB Local; S3Proxy). Every
 *     class in the function, events and lambda packages.</li>
 * </ul>
 * A class that needs both holds both ({@link #BOTH}); a class that shares neither runs beside either
 * ({@link #INDEPENDENT}: the packaged functions in child JVMs, a loopback stand-in of its own). So
 * the function classes (engines, the failover drill) run beside the synthesis classes (jsii,
 * terraform), which on two cores is most of what parallel execution can give.
 *
 * <p>{@link Order} puts the function lane first and the jsii lane last: JUnit forks the classes in
 * that order, a second thread takes them from the front and the first from the back, so the two
 * lanes start at once and rarely wait for each other.
 * {@code -Djunit.jupiter.execution.parallel.enabled=false} runs every class one after another.
 */
public final class TestLanes implements BeforeAllCallback, AfterAllCallback {

    /** A shared, non-thread-safe part of the test JVM: one class at a time. Taken in this order. */
    public enum Lane { JSII, FUNCTIONS }

    static final Set<String> FUNCTION_PACKAGES = Set.of("com.payments.dr.function", "com.payments.dr.events",
            "com.payments.dr.lambda");
    /** Share neither: their functions run in child JVMs, their servers are their own. */
    static final Set<String> INDEPENDENT = Set.of(
            "com.payments.dr.function.PaymentFunctionArtifactTest",
            "com.payments.dr.function.ColdStartTest",
            "com.payments.dr.events.EventsFunctionArtifactTest",
            "com.payments.dr.postdeploy.ControlPlaneStandInTest");
    /** In a function package, and synthesizes too. */
    static final Set<String> BOTH = Set.of("com.payments.dr.events.FailoverProbeTest");

    private static final ReentrantLock[] LOCKS = {new ReentrantLock(true), new ReentrantLock(true)};
    private static final ThreadLocal<Set<Lane>> HELD = new ThreadLocal<>();

    /** The lanes {@code testClass} holds while it runs. */
    public static Set<Lane> lanes(Class<?> testClass) {
        String name = testClass.getName();
        if (INDEPENDENT.contains(name)) {
            return EnumSet.noneOf(Lane.class);
        }
        if (BOTH.contains(name)) {
            return EnumSet.allOf(Lane.class);
        }
        return EnumSet.of(FUNCTION_PACKAGES.contains(testClass.getPackageName()) ? Lane.FUNCTIONS : Lane.JSII);
    }

    /**
     * Fails a test that uses {@code lane} from a class that does not hold it, naming the fix (the
     * helpers that reach jsii or the functions' log call this): a race there would be a flaky
     * failure far from its cause. Threads outside a test class's own (a server's) are not checked.
     */
    public static void require(Lane lane, String what) {
        Set<Lane> held = HELD.get();
        if (held != null && !held.contains(lane)) {
            throw new IllegalStateException(what + " needs the " + lane + " lane, which this test class does not hold:"
                    + " list it in " + TestLanes.class.getName() + " (BOTH, or not INDEPENDENT)");
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        Set<Lane> lanes = lanes(context.getRequiredTestClass());
        for (Lane lane : lanes) {
            ForkJoinPool.managedBlock(new Acquire(LOCKS[lane.ordinal()]));
        }
        HELD.set(lanes);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Set<Lane> held = HELD.get();
        HELD.remove();
        if (held != null) {
            held.forEach(lane -> LOCKS[lane.ordinal()].unlock());
        }
    }

    /**
     * Waits for a lane as JUnit waits for its own resource locks: the thread pool may start another
     * thread meanwhile, so a class that waits does not hold back one that could run.
     */
    private static final class Acquire implements ForkJoinPool.ManagedBlocker {
        private final ReentrantLock lock;
        private boolean held;

        Acquire(ReentrantLock lock) {
            this.lock = lock;
        }

        @Override
        public boolean block() throws InterruptedException {
            if (!held) {
                lock.lockInterruptibly();
                held = true;
            }
            return true;
        }

        @Override
        public boolean isReleasable() {
            return held || (held = lock.tryLock());
        }
    }

    /**
     * The function lane first (the failover drill, the longest class, at its head), then the classes
     * holding both lanes (so that the jsii lane never waits for a whole function class), the
     * independent ones, and the jsii lane last.
     */
    public static final class Order implements ClassOrderer {

        private static final List<String> FIRST = List.of("com.payments.dr.function.FailoverDrillTest");

        @Override
        public void orderClasses(ClassOrdererContext context) {
            context.getClassDescriptors().sort(Comparator.comparingInt(Order::rank));
        }

        private static int rank(ClassDescriptor descriptor) {
            Class<?> testClass = descriptor.getTestClass();
            if (FIRST.contains(testClass.getName())) {
                return 0;
            }
            Set<Lane> lanes = lanes(testClass);
            if (lanes.size() == 2) {
                return 2;
            }
            return lanes.contains(Lane.FUNCTIONS) ? 1 : lanes.isEmpty() ? 3 : 4;
        }
    }
}
