package com.payments.dr.function;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The failover name as Route 53 and a client's resolver serve it, on the drill's clock: a health
 * check per region calls its {@code GET /health} every {@link Settings#intervalMillis()}; a region
 * turns unhealthy after {@link Settings#threshold()} failures in a row and healthy again after as
 * many successes (Route 53's rule both ways). The failover record answers the primary while it is
 * healthy, else the DR region if it is healthy, else the primary. The client's resolver keeps an
 * answer for {@link Settings#ttlMillis()} (the record's TTL). This is the custom-domain case: the
 * client has one name and follows it; without custom domains it would change URL by hand (its key
 * is the same in both regions).
 *
 * <p>Every change is recorded with its time, so the drill can lay out the chain from the fault to
 * the first payment in the other region.
 */
final class DrillDns implements AutoCloseable {

    /** The drill's scaled Route 53 settings (the deployed ones are seconds, not milliseconds). */
    record Settings(long intervalMillis, int threshold, long ttlMillis) {
    }

    /** A change of state: what, and when (epoch milliseconds). */
    record Event(long atMillis, String what) {
    }

    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

    private final DrillRegion[] regions;
    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final boolean[] healthy = {true, false};
    private final long[] changedAt = new long[2];
    private final int[] streak = new int[2];
    private volatile int answer = 0;
    private long answerChangedAt;
    private int cached = 0;
    private long resolvedAt = Long.MIN_VALUE / 2;
    final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread checker;
    private volatile boolean running = true;

    /** Starts with the primary healthy and the DR region not (its writer is inactive), as deployed. */
    DrillDns(DrillRegion primary, DrillRegion dr, Settings settings) {
        this.regions = new DrillRegion[] {primary, dr};
        this.settings = settings;
        checker = new Thread(this::check, "drill-route53");
        checker.setDaemon(true);
        checker.start();
    }

    Settings settings() {
        return settings;
    }

    private void check() {
        while (running) {
            long next = System.currentTimeMillis() + settings.intervalMillis();
            for (int r = 0; r < 2; r++) {
                observe(r, passes(regions[r]));
            }
            long wait = next - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * One health checker's call: a 2xx within {@link #RESPONSE_TIMEOUT} passes, anything else fails
     * (Route 53 waits four seconds for the connection, then two for the answer).
     */
    private boolean passes(DrillRegion region) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(region.endpoint() + "/health"))
                    .timeout(RESPONSE_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() >= 200 && response.statusCode() < 300;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized void observe(int r, boolean passed) {
        if (passed == healthy[r]) {
            streak[r] = 0;
            return;
        }
        if (++streak[r] < settings.threshold()) {
            return;
        }
        streak[r] = 0;
        healthy[r] = passed;
        long now = System.currentTimeMillis();
        changedAt[r] = now;
        events.add(new Event(now, regions[r].name() + (passed ? " healthy" : " unhealthy")));
        int now2 = healthy[0] ? 0 : healthy[1] ? 1 : 0;
        if (now2 != answer) {
            answer = now2;
            answerChangedAt = now;
            events.add(new Event(now, "name answers " + regions[now2].name()));
        }
    }

    /**
     * Waits (bounded) until {@code region} is {@code wanted} (healthy or not); returns when it
     * became so, or {@code from} if it already was (a state reached earlier still holds).
     */
    long awaitHealth(int region, boolean wanted, long from, Duration limit) throws InterruptedException {
        long end = System.currentTimeMillis() + limit.toMillis();
        while (System.currentTimeMillis() < end) {
            synchronized (this) {
                if (healthy[region] == wanted) {
                    return Math.max(from, changedAt[region]);
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(regions[region].name() + (wanted ? " healthy" : " unhealthy")
                + " did not happen within " + limit + "; events " + events);
    }

    /** Waits (bounded) until the record answers {@code region}; when it started to (or {@code from}). */
    long awaitAnswer(int region, long from, Duration limit) throws InterruptedException {
        long end = System.currentTimeMillis() + limit.toMillis();
        while (System.currentTimeMillis() < end) {
            synchronized (this) {
                if (answer == region) {
                    return Math.max(from, answerChangedAt);
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the name did not answer " + regions[region].name() + " within " + limit
                + "; events " + events);
    }

    synchronized boolean healthy(int region) {
        return healthy[region];
    }

    /** The record's answer now (what Route 53 serves). */
    int answer() {
        return answer;
    }

    /** What the client's resolver answers: the record's answer, kept for the TTL. */
    synchronized int resolve() {
        long now = System.currentTimeMillis();
        if (now - resolvedAt >= settings.ttlMillis()) {
            if (cached != answer) {
                events.add(new Event(now, "client resolves " + regions[answer].name()));
            }
            cached = answer;
            resolvedAt = now;
        }
        return cached;
    }

    @Override
    public void close() {
        running = false;
        checker.interrupt();
    }
}
