package com.payments.dr.function;

import java.time.Duration;

/**
 * The waits of the payment function that only pace clients and caches, never guard data: how long
 * an idempotency claim is leased, how long a claim whose outcome is unknown is kept, what
 * Retry-After a database outage answers, how long a health answer is reused and how long an
 * unreachable mirror is skipped, and how long one mirror write may take. Production uses {@link
 * #DEPLOYED}; the failover drill runs the same code with shorter waits (and a longer mirror call
 * timeout: a loaded build machine must not turn a loopback write into a degraded one), so a drill
 * measures behaviour rather than sleeps.
 *
 * @param lease               an idempotency claim's lease: longer than any invocation can run
 * @param unknownOutcomeLease how long a claim is kept after the database connection failed
 *                            mid-insert: past the statement timeout
 * @param dbRetryAfterSeconds the Retry-After of a 503 for a database that is unavailable or read-only
 * @param healthCache         how long one container reuses a /health answer
 * @param mirrorBreaker       how long a container skips the acknowledgement mirror once it has failed
 *                            {@link AckJournal#FAILURES_TO_TRIP} times in a row
 * @param mirrorCallTimeout   one mirror write, the SDK's retries included: what an unreachable DR
 *                            region adds to a payment before its record is written locally
 */
public record Timings(Duration lease, Duration unknownOutcomeLease, int dbRetryAfterSeconds, Duration healthCache,
                      Duration mirrorBreaker, Duration mirrorCallTimeout) {

    /** What the deployed function uses. */
    public static final Timings DEPLOYED = new Timings(IdempotencyStore.LEASE, PaymentService.UNKNOWN_OUTCOME_LEASE,
            PaymentService.DB_RETRY_AFTER_SECONDS, HealthService.CACHE, AckJournal.MIRROR_BREAKER,
            AckJournal.MIRROR_CALL_TIMEOUT);

    public Timings {
        if (lease.compareTo(unknownOutcomeLease) < 0 || dbRetryAfterSeconds < 1) {
            throw new IllegalArgumentException("a lease shorter than the unknown-outcome lease, or a Retry-After"
                    + " under 1 s: " + lease + ", " + unknownOutcomeLease + ", " + dbRetryAfterSeconds);
        }
    }
}
