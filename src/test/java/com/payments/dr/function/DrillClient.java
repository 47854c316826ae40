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
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A payment client behind the failover name ({@link DrillDns}): it posts payments at a steady
 * rate, each with its own Idempotency-Key, to whichever region the name resolves to (its resolver
 * keeps an answer for the record's TTL). A payment is retried, same key and body, until it is
 * acknowledged: after an answer with {@code Retry-After} it waits exactly that long, after no
 * answer at all (refused, reset, timed out) {@link #BACKOFF}; any other refusal is a failure of
 * the drill ({@link #abandoned}). It never switches region on its own: only the name moves it.
 *
 * <p>Every attempt and every acknowledgement is recorded with its time, and each payment's first
 * attempt, so the drill can count every non-2xx a client saw and the time to acknowledgement.
 */
final class DrillClient implements AutoCloseable {

    /** API Gateway answers within 29 s (its integration timeout), so a client waits no longer than that. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** After no answer at all: the client tries again this much later (resolving the name again). */
    static final Duration BACKOFF = Duration.ofMillis(250);
    static final String MERCHANT = "m-drill";
    /**
     * Every this-many-th payment is sent once more with the same key and body after its
     * acknowledgement, as a client does that timed out before the answer reached it: the answer
     * must repeat the first one, never create another.
     */
    static final int REPLAY_EVERY = 5;
    /** The resend comes this long after the acknowledgement, plus up to {@link #REPLAY_WITHIN_MILLIS}. */
    static final long REPLAY_AFTER_MILLIS = 100;
    static final long REPLAY_WITHIN_MILLIS = 500;

    /** One answer, or none ({@code status} 0: refused, reset or timed out). */
    record Attempt(long atMillis, String key, String region, int status, String code, OptionalInt retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * A payment the client was told is stored: which region answered, whether the answer said it
     * repeats an earlier one ({@code Idempotent-Replayed}), the payment the body names, and when the
     * payment's first attempt (of this send) went out.
     */
    record Ack(String key, String paymentId, String region, long atMillis, String amount, boolean replayed,
               String bodyRegion, long firstAttemptMillis, boolean resend) {
    }

    /** Whether the client sends this key again after its acknowledgement. */
    static boolean resent(String key) {
        return Integer.parseInt(key.substring(key.lastIndexOf('-') + 1)) % REPLAY_EVERY == 0;
    }

    private final DrillRegion[] regions;
    private final DrillDns dns;
    private final Duration giveUp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1).build();
    // a payment waiting out a Retry-After holds its worker: enough of them that the rate never queues
    private final ExecutorService workers = Executors.newFixedThreadPool(256);
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> abandoned = new ConcurrentLinkedQueue<>();
    private volatile java.util.concurrent.ScheduledFuture<?> sending;

    /** @param giveUp how long one payment is retried before the drill counts it abandoned */
    DrillClient(DrillRegion primary, DrillRegion dr, DrillDns dns, Duration giveUp) {
        regions = new DrillRegion[] {primary, dr};
        this.dns = dns;
        this.giveUp = giveUp;
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

    static String body(String amount) {
        return "{\"amount\":\"" + amount + "\",\"currency\":\"USD\",\"merchant_id\":\"" + MERCHANT + "\"}";
    }

    private void pay() {
        try {
            int n = sequence.incrementAndGet();
            String key = "drill-" + run + "-" + n;
            String amount = (n % 997 + 1) + "." + String.format("%02d", n % 100);
            if (send(key, amount, false) && resent(key)) {
                Thread.sleep(REPLAY_AFTER_MILLIS
                        + java.util.concurrent.ThreadLocalRandom.current().nextLong(REPLAY_WITHIN_MILLIS));
                send(key, amount, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Sends one payment until it is acknowledged (true), refused for good or given up (abandoned). */
    private boolean send(String key, String amount, boolean resend) throws InterruptedException {
        long first = System.currentTimeMillis();
        long end = System.nanoTime() + giveUp.toNanos();
        java.util.Deque<String> history = new java.util.ArrayDeque<>();
        while (System.nanoTime() < end) {
            int region = dns.resolve();
            Attempt a = post(regions[region], key, body(amount), first, amount, resend, true);
            history.addLast(a.region() + " " + a.status() + " " + a.code());
            if (history.size() > 6) {
                history.removeFirst();
            }
            if (a.ok()) {
                return true;
            }
            long wait;
            if (a.retryAfter().isPresent()) {
                wait = a.retryAfter().getAsInt() * 1000L;
            } else if (a.status() == 0) {
                wait = BACKOFF.toMillis();
            } else {
                abandoned.add(key + " refused without Retry-After: " + a.status() + " " + a.code());
                return false;
            }
            Thread.sleep(Math.max(0, Math.min(wait, (end - System.nanoTime()) / 1_000_000)));
        }
        abandoned.add(key + " gave up after " + giveUp + "; last answers " + history);
        return false;
    }

    /**
     * A client sending an acknowledged payment once more (same key and body) through the name,
     * as one whose own timeout fired long after the answer: counted like any resend. True once
     * acknowledged again.
     */
    boolean resend(String key, String amount) throws InterruptedException {
        inFlight.incrementAndGet();
        try {
            return send(key, amount, true);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * A payment sent straight to {@code region}, once, outside the name (the drill's own probe of a
     * region, not a client's payment): not recorded among the client's attempts.
     */
    Attempt probe(int region, String key, String amount) throws InterruptedException {
        return post(regions[region], key, body(amount), System.currentTimeMillis(), amount, false, false);
    }

    private Attempt post(DrillRegion target, String key, String body, long first, String amount, boolean resend,
                         boolean record) throws InterruptedException {
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
            OptionalInt retryAfter = response.headers().firstValue("Retry-After")
                    .map(v -> OptionalInt.of(Integer.parseInt(v))).orElse(OptionalInt.empty());
            attempt = new Attempt(at, key, target.name(), response.statusCode(), code, retryAfter);
            if (attempt.ok() && record) {
                acks.add(new Ack(key, paymentId, target.name(), at, amount,
                        "true".equals(response.headers().firstValue("Idempotent-Replayed").orElse(null)), bodyRegion,
                        first, resend));
            }
        } catch (IOException e) {
            attempt = new Attempt(System.currentTimeMillis(), key, target.name(), 0, e.getClass().getSimpleName(),
                    OptionalInt.empty());
        }
        if (record) {
            attempts.add(attempt);
        }
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
