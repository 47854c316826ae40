package com.payments.dr.function;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;

/**
 * The one time budget of a request, taken from the Lambda context when the invocation starts.
 * Every step checks it first and every network call is bounded by what is left, so a dependency
 * that hangs becomes a clean 503 well before API Gateway gives up (29 s, then a 504 without the
 * function's CORS headers).
 */
final class Deadline {

    /** Never plan beyond this, whatever Lambda's timeout: well below API Gateway's 29 s. */
    static final long MAX_BUDGET_MILLIS = 20_000;
    /** Kept back from Lambda's remaining time to write the response and the log line. */
    static final long MARGIN_MILLIS = 1_000;
    /** A step that cannot get at least this long is not started. */
    static final long MIN_STEP_MILLIS = 100;

    private final long endNanos;

    private Deadline(long budgetMillis) {
        endNanos = System.nanoTime() + Math.max(0, budgetMillis) * 1_000_000;
    }

    /** The budget of one invocation: Lambda's remaining time minus the margin, at most the maximum. */
    static Deadline forInvocation(Context context) {
        long budget = MAX_BUDGET_MILLIS;
        if (context != null) {
            budget = Math.min(budget, context.getRemainingTimeInMillis() - MARGIN_MILLIS);
        }
        return new Deadline(budget);
    }

    static Deadline after(Duration budget) {
        return new Deadline(budget.toMillis());
    }

    /** The earlier of this deadline and {@code budget} from now. */
    Deadline within(Duration budget) {
        return new Deadline(Math.min(remainingMillis(), budget.toMillis()));
    }

    long remainingMillis() {
        return Math.max(0, (endNanos - System.nanoTime()) / 1_000_000);
    }

    /** What is left, capped at {@code max}; never zero, which the SDK would refuse as a timeout. */
    Duration cap(Duration max) {
        return Duration.ofMillis(Math.max(1, Math.min(max.toMillis(), remainingMillis())));
    }

    /**
     * Whole seconds for the JDBC driver's timeouts, rounded down so they end inside the budget, at
     * least 1 (0 would mean "none").
     */
    int capSeconds(Duration max) {
        return (int) Math.max(1, cap(max).toMillis() / 1000);
    }

    /** Fails before a step that could not finish in time. */
    void check(String step) throws Exceeded {
        if (remainingMillis() < MIN_STEP_MILLIS) {
            throw new Exceeded(step);
        }
    }

    /** The budget ran out before {@code step}. */
    static final class Exceeded extends Exception {
        private static final long serialVersionUID = 1L;

        Exceeded(String step) {
            super("time budget exhausted before " + step, null, false, false);
        }
    }
}
