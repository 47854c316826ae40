package com.payments.dr.function;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A payment client behind the failover DNS name: it posts payments, each with its own
 * Idempotency-Key, at a steady rate to the region the name points at, and on a 5xx or a timeout
 * retries the same request against the other region at once (the name's other answer). When the
 * other region answers where the preferred one failed, the client follows it, as the name does
 * once its health checks have flipped. A payment is retried (same key, same body) until it is
 * acknowledged or {@link #GIVE_UP} has passed; every attempt and every acknowledgement is recorded.
 *
 * <p>Between rounds the client waits {@link #MAX_BACKOFF}, less than any Retry-After the function
 * sends (1 s and more): the drill measures when the regions can take payments again, not how long
 * a client chooses to wait.
 */
final class DrillClient implements AutoCloseable {

    /** API Gateway answers within 29 s (its integration timeout), so a client waits no longer than that. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Longer than the idempotency lease: a claim whose outcome the function could not learn (a
     * DynamoDB timeout under load, a region that died mid-request) holds its key for the whole
     * lease, answering 409 request_in_progress, and only then can a retry take it.
     */
    static final Duration GIVE_UP = IdempotencyStore.LEASE.plusSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofMillis(250);
    static final String MERCHANT = "m-drill";

    /** One answer (or none: a transport failure or timeout, status 0). */
    record Attempt(long atMillis, String key, String region, int status, String code, boolean retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** A 503 the client is told to retry, with Retry-After. */
        boolean clean503() {
            return status == 503 && retryAfter && code != null;
        }

        /** The documented concurrent-duplicate answer: the key's lease is held (here: by the other region's attempt). */
        boolean inProgress409() {
            return status == 409 && retryAfter && "request_in_progress".equals(code);
        }
    }

    /**
     * A payment the client was told is stored: which region answered, whether the answer said it
     * repeats an earlier one ({@code Idempotent-Replayed}), and the payment the body describes.
     */
    record Ack(String key, String paymentId, String region, long atMillis, String amount, boolean replayed,
            String bodyRegion) {
    }

    /**
     * Every this-many-th payment is sent once more with the same key and body after its
     * acknowledgement, as a client does that timed out before the answer reached it: the answer
     * must repeat the first one (same payment, {@code Idempotent-Replayed}), never create another.
     */
    static final int REPLAY_EVERY = 5;
    /** The resend comes this long after the acknowledgement, plus up to {@link #REPLAY_WITHIN_MILLIS}. */
    static final long REPLAY_AFTER_MILLIS = 100;
    static final long REPLAY_WITHIN_MILLIS = 500;

    /** Whether the client sends this key again after its acknowledgement. */
    static boolean resent(String key) {
        return Integer.parseInt(key.substring(key.lastIndexOf('-') + 1)) % REPLAY_EVERY == 0;
    }

    private final DrillRegion[] regions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService workers = Executors.newFixedThreadPool(48);
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> abandoned = new ConcurrentLinkedQueue<>();
    private volatile int preferred;
    private volatile java.util.concurrent.ScheduledFuture<?> sending;

    DrillClient(DrillRegion primary, DrillRegion dr) {
        regions = new DrillRegion[] {primary, dr};
    }

    /** Points the name at a region (0 primary, 1 DR), as the operator's DNS change or the health checks do. */
    void pointAt(int region) {
        preferred = region;
    }

    synchronized void startSending(double perSecond) {
        long periodMicros = (long) (1_000_000 / perSecond);
        sending = ticker.scheduleAtFixedRate(() -> {
            inFlight.incrementAndGet();
            workers.execute(this::pay);
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** Stops starting payments and waits (bounded) for those under way to end. */
    synchronized void stopSending(Duration wait) throws InterruptedException {
        if (sending != null) {
            sending.cancel(false);
            sending = null;
        }
        long end = System.nanoTime() + wait.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        if (inFlight.get() > 0) {
            throw new IllegalStateException(inFlight.get() + " payments still under way after " + wait);
        }
    }

    private void pay() {
        try {
            int n = sequence.incrementAndGet();
            String key = "drill-" + run + "-" + n;
            String amount = (n % 997 + 1) + "." + String.format("%02d", n % 100);
            String body = "{\"amount\":\"" + amount + "\",\"currency\":\"USD\",\"merchant_id\":\"" + MERCHANT + "\"}";
            if (send(key, body, amount) && resent(key)) {
                Thread.sleep(REPLAY_AFTER_MILLIS
                        + java.util.concurrent.ThreadLocalRandom.current().nextLong(REPLAY_WITHIN_MILLIS));
                send(key, body, amount);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Sends one payment until it is acknowledged (true) or given up (recorded as abandoned). */
    private boolean send(String key, String body, String amount) throws InterruptedException {
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        java.util.Deque<String> history = new java.util.ArrayDeque<>();
        while (System.nanoTime() < giveUp) {
            int first = preferred;
            Attempt a = post(first, key, body, amount);
            remember(history, a);
            if (a.ok()) {
                return true;
            }
            long backoff = MAX_BACKOFF.toMillis();
            if (a.status >= 500 || a.status == 0) {
                Attempt b = post(1 - first, key, body, amount);
                remember(history, b);
                if (b.ok()) {
                    preferred = 1 - first;
                    return true;
                }
            } else if (!a.inProgress409()) {
                abandoned.add(key + " " + a.status + " " + a.code);
                return false;
            }
            Thread.sleep(backoff);
        }
        abandoned.add(key + " gave up after " + GIVE_UP + "; last answers " + history);
        return false;
    }

    private static void remember(java.util.Deque<String> history, Attempt a) {
        history.addLast(a.region() + " " + a.status() + " " + a.code());
        if (history.size() > 6) {
            history.removeFirst();
        }
    }

    private Attempt post(int region, String key, String body, String amount) throws InterruptedException {
        DrillRegion target = regions[region];
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.endpoint() + "/payments"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Attempt attempt;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long at = System.currentTimeMillis();
            String code = null;
            String paymentId = null;
            String bodyRegion = null;
            try {
                JsonObject json = JsonParser.parseString(response.body()).getAsJsonObject();
                code = json.has("error") ? json.get("error").getAsString() : null;
                paymentId = json.has("payment_id") ? json.get("payment_id").getAsString() : null;
                bodyRegion = json.has("region") ? json.get("region").getAsString() : null;
            } catch (RuntimeException notJson) {
                code = "not_json";
            }
            Optional<String> retryAfter = response.headers().firstValue("Retry-After");
            attempt = new Attempt(at, key, target.name(), response.statusCode(), code, retryAfter.isPresent());
            if (attempt.ok()) {
                acks.add(new Ack(key, paymentId, target.name(), at, amount,
                        "true".equals(response.headers().firstValue("Idempotent-Replayed").orElse(null)), bodyRegion));
            }
        } catch (IOException e) {
            attempt = new Attempt(System.currentTimeMillis(), key, target.name(), 0, e.getClass().getSimpleName(),
                    false);
        }
        attempts.add(attempt);
        return attempt;
    }

    List<Attempt> attemptsBetween(long from, long to) {
        return attempts.stream().filter(a -> a.atMillis >= from && a.atMillis < to).toList();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        workers.shutdownNow();
    }
}
