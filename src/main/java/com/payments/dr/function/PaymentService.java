package com.payments.dr.function;

import com.google.gson.JsonObject;
import com.payments.dr.function.FunctionConfig.RegionRole;
import com.payments.dr.function.IdempotencyStore.Claim;
import com.payments.dr.function.PaymentDatabase.DatabaseException;
import com.payments.dr.function.PaymentDatabase.Failure;
import com.payments.dr.function.PaymentDatabase.KeyReusedException;
import com.payments.dr.function.PaymentDatabase.StoredPayment;
import com.payments.dr.function.PaymentValidator.ValidationException;
import com.payments.dr.lambda.Log;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * POST /payments: validate, check the region can write, claim the idempotency key, store the
 * payment, record the response.
 *
 * <p>Invariants: a read-only region never writes the global table; a payment row exists only for
 * a key whose claim this or an earlier request held; a failed attempt that certainly wrote nothing
 * releases its claim, so the client's retry is never blocked; an attempt whose outcome is unknown
 * keeps its claim for a short while and says so; a replay in a writable region re-asserts the row
 * before confirming it (after a failover with data loss the table can remember a payment the
 * promoted database lost). The row's unique key catches any retry that races past. Every payment
 * is recorded in the {@link AckJournal} before it is acknowledged (in the other region when this
 * function mirrors), and a 201 leaves only once a table took that record: a payment stored without
 * one is answered {@code payment_outcome_unknown}. A key the journal knows is answered from its
 * record before anything is stored under it: after a failover the claim and the row of an
 * acknowledged payment can both be missing in the surviving region, and a request reusing the key
 * with another body must not be stored under the first payment's id. A retry that meets a claim
 * held elsewhere for a payment already acknowledged is answered with it, not blocked until the
 * lease ends.
 */
public final class PaymentService {

    static final int DB_RETRY_AFTER_SECONDS = 5;
    static final int STORE_RETRY_AFTER_SECONDS = 2;
    static final int TIMEOUT_RETRY_AFTER_SECONDS = 2;
    /**
     * After an unknown outcome the claim is kept this long: past the statement timeout, so whatever
     * the server was still doing for the lost connection has finished or been cancelled.
     */
    static final Duration UNKNOWN_OUTCOME_LEASE = PaymentDatabase.STATEMENT_TIMEOUT.plusSeconds(1);
    /**
     * Releasing or shortening a claim after a failure gets its own short budget, taken from the
     * margin the request keeps back: the request's own may be spent by then.
     */
    static final Duration CLEANUP_BUDGET = Duration.ofMillis(500);
    /**
     * How every 503 for an attempt that did nothing ends. "Nothing was stored" would be false
     * whenever an earlier attempt with the same key did store the payment (a replay, a retry after
     * a lost response): this wording is true in every case.
     */
    static final String NOT_PROCESSED = "this attempt was not processed; earlier attempts with this"
            + " Idempotency-Key are unaffected; retry with the same Idempotency-Key.";

    private final PaymentValidator validator;
    private final IdempotencyStore store;
    private final PaymentDatabase database;
    private final AckJournal journal;
    private final String region;
    private final RegionRole role;
    private final Timings timings;

    /**
     * @param journal where every acknowledgement is recorded before it is sent (mirrored into the
     *                other region when this function has a mirror)
     */
    public PaymentService(PaymentValidator validator, IdempotencyStore store, PaymentDatabase database,
            AckJournal journal, String region, RegionRole role, Timings timings) {
        this.validator = validator;
        this.store = store;
        this.database = database;
        this.journal = journal;
        this.region = region;
        this.role = role;
        this.timings = timings;
    }

    /** @param merchant the merchant the request's API key acts for: the payment's, whatever the body says */
    public ApiResponse create(ApiRequest request, String merchant, Deadline deadline) {
        if (!PaymentValidator.isJson(request)) {
            return ApiResponse.error(415, "unsupported_media_type",
                    "Send the payment as Content-Type: application/json.");
        }
        PaymentRequest payment;
        try {
            payment = validator.validate(request, merchant);
        } catch (ValidationException e) {
            return ApiResponse.invalid(e.field(), e.rule());
        } catch (PaymentValidator.OtherMerchantException e) {
            return ApiResponse.error(403, "merchant_mismatch", e.getMessage());
        }
        Claim claim;
        try {
            // A read-only region must not write the global table, not even a claim it would delete.
            deadline.check("the database check");
            if (!database.writable(deadline)) {
                return readOnly();
            }
            deadline.check("the claim");
            claim = store.claim(payment.scopedKey(), payment.requestHash(), region, deadline);
        } catch (DatabaseException e) {
            return notStored(e);
        } catch (SdkException e) {
            Log.error("idempotency_store_failed", "error", e.getClass().getSimpleName(),
                    "message", e.getMessage());
            return ApiResponse.unavailable("idempotency_store_unavailable",
                    "The idempotency store is unavailable; " + NOT_PROCESSED, STORE_RETRY_AFTER_SECONDS);
        } catch (Deadline.Exceeded e) {
            return timeUp(e);
        }
        if (claim instanceof Claim.Completed done) {
            return replay(payment, done, deadline);
        }
        if (claim instanceof Claim.Mismatch) {
            return keyReused();
        }
        if (claim instanceof Claim.InProgress busy) {
            Optional<ApiResponse> acknowledged = acknowledgedElsewhere(payment, deadline);
            if (acknowledged.isPresent()) {
                return acknowledged.get();
            }
            return ApiResponse.error(409, "request_in_progress",
                    "A request with this Idempotency-Key is still being processed; retry later.")
                    .withHeader("Retry-After", Long.toString(busy.retryAfterSeconds()));
        }
        String lease = ((Claim.Acquired) claim).leaseToken();
        Optional<AckJournal.Ack> recorded;
        try {
            deadline.check("the acknowledgement lookup");
            recorded = journal.find(payment.scopedKey(), deadline);
        } catch (SdkException e) {
            // without the journal's word a reused key could be stored under an acknowledged payment's id
            Log.error("ack_lookup_failed", "error", e.getClass().getSimpleName(), "message", e.getMessage());
            release(payment.scopedKey(), lease);
            return ApiResponse.unavailable("idempotency_store_unavailable",
                    "The idempotency store is unavailable; " + NOT_PROCESSED, STORE_RETRY_AFTER_SECONDS);
        } catch (Deadline.Exceeded e) {
            release(payment.scopedKey(), lease);
            return timeUp(e);
        }
        if (recorded.isPresent()) {
            return answerFromRecord(payment, recorded.get(), lease, deadline);
        }
        return store(payment, lease, deadline);
    }

    /**
     * A key whose claim this request acquired although the journal holds a record for it: the
     * claim (its completion) never reached this region, or it expired before the record did. The
     * same body is the acknowledged payment, answered from its record (the row re-asserted, as a
     * replay does) and the claim completed with that answer; another body is the key reused.
     */
    private ApiResponse answerFromRecord(PaymentRequest payment, AckJournal.Ack ack, String lease, Deadline deadline) {
        String key = payment.scopedKey();
        if (!ack.requestHash().equals(payment.requestHash())) {
            Log.warn("idempotency_key_reused_after_ack", "payment_id", ack.paymentId(), "acked_region", ack.ackedRegion());
            release(key, lease);
            return keyReused();
        }
        Log.info("payment_replayed_from_ack", "payment_id", ack.paymentId(), "acked_region", ack.ackedRegion());
        ApiResponse answer = replay(payment, new Claim.Completed(ack.responseStatus(), ack.responseBody()), deadline);
        if (answer.statusCode() != ack.responseStatus()) {
            release(key, lease);
            return answer;
        }
        complete(key, lease, ack.paymentId(), ack.responseStatus(), ack.responseBody(), deadline);
        return answer;
    }

    private ApiResponse store(PaymentRequest payment, String lease, Deadline deadline) {
        String key = payment.scopedKey();
        StoredPayment stored;
        try {
            deadline.check("the insert");
            stored = database.insert(payment, region, deadline);
        } catch (KeyReusedException e) {
            release(key, lease);
            return keyReused();
        } catch (Deadline.Exceeded e) {
            release(key, lease);
            return timeUp(e);
        } catch (DatabaseException e) {
            if (e.failure() == Failure.OUTCOME_UNKNOWN) {
                keepClaimBriefly(key, lease);
                return outcomeUnknown(e);
            }
            release(key, lease);
            return notStored(e);
        }
        JsonObject body = new JsonObject();
        body.addProperty("payment_id", stored.paymentId());
        body.addProperty("status", stored.status());
        body.addProperty("amount", payment.amount().setScale(2).toPlainString());
        body.addProperty("currency", payment.currency());
        body.addProperty("merchant_id", payment.merchantId());
        body.addProperty("region", stored.region());
        ApiResponse response = ApiResponse.json(201, body);
        // before anything can tell the client: mirrored, the payment is durable in the other region
        // from here on, whatever the database's replication lag
        AckJournal.Durability durability = journal.record(new AckJournal.Ack(key, stored.paymentId(),
                payment.requestHash(), payment.amount().setScale(2).toPlainString(), payment.currency(),
                payment.merchantId(), payment.description().orElse(null), stored.status(), stored.region(),
                stored.createdAt(), response.statusCode(), response.body(), region, role.label(), null), deadline);
        if (durability == AckJournal.Durability.NONE) {
            // stored, but with no record anywhere: an acknowledgement now could be lost for good by a
            // failover, so none leaves; the retry finds the row and records it
            release(key, lease);
            return unrecorded();
        }
        if (durability == AckJournal.Durability.CONFLICT) {
            // another body's acknowledgement holds the key (it reached this table after the lookup):
            // that payment stands; this row is left for the reconciliation, which reports it
            Log.error("payment_conflicts_with_ack", "payment_id", stored.paymentId());
            release(key, lease);
            return keyReused();
        }
        complete(key, lease, stored.paymentId(), response.statusCode(), response.body(), deadline);
        Log.info("payment_accepted", "payment_id", stored.paymentId(), "region", region,
                "durability", durability.label());
        // The row was already there: an earlier attempt stored it, this answer repeats it.
        return stored.existing() ? response.withHeader("Idempotent-Replayed", "true") : response;
    }

    /**
     * A completed key: the table remembers the answer, and this region's database must hold the row
     * before the answer is repeated (the same idempotent insert under the same id does both). When
     * that check cannot be made, the answer is {@code replay_unavailable}: the earlier attempt's
     * payment stands, only this confirmation failed.
     */
    private ApiResponse replay(PaymentRequest payment, Claim.Completed done, Deadline deadline) {
        try {
            deadline.check("the replay check");
            StoredPayment row = database.insert(payment, region, deadline);
            if (!row.existing()) {
                Log.warn("payment_reasserted", "payment_id", row.paymentId(), "region", region);
            }
        } catch (KeyReusedException e) {
            return keyReused();
        } catch (DatabaseException e) {
            Log.error("replay_not_confirmed", "failure", e.failure().name(), "error", e.getMessage());
            return replayUnavailable(e.failure() == Failure.READ_ONLY ? "this region's database is read-only"
                    : "the payment database is unavailable");
        } catch (Deadline.Exceeded e) {
            Log.error("replay_not_confirmed", "error", e.getMessage());
            return replayUnavailable("the request ran out of time before "
                    + e.getMessage().substring("time budget exhausted before ".length()));
        }
        return new ApiResponse(done.statusCode(), Map.of("Content-Type", "application/json"), done.body())
                .withHeader("Idempotent-Replayed", "true");
    }

    /**
     * A claim held elsewhere whose payment was already acknowledged: the request that holds it (in
     * the failed region, its completion never replicated) recorded the acknowledgement here before
     * answering. The payment stands, so this answer repeats it (the row re-asserted, as a replay
     * does) instead of a 409 that would block the client until the lease ends.
     */
    private Optional<ApiResponse> acknowledgedElsewhere(PaymentRequest payment, Deadline deadline) {
        Optional<AckJournal.Ack> ack;
        try {
            deadline.check("the acknowledgement lookup");
            ack = journal.find(payment.scopedKey(), deadline);
        } catch (SdkException | Deadline.Exceeded e) {
            // the 409 that follows is true too: the key's claim is held
            Log.warn("ack_lookup_failed", "error", e.getClass().getSimpleName());
            return Optional.empty();
        }
        if (ack.isEmpty()) {
            return Optional.empty();
        }
        if (!ack.get().requestHash().equals(payment.requestHash())) {
            return Optional.of(keyReused());
        }
        Log.info("payment_replayed_from_ack", "payment_id", ack.get().paymentId(), "acked_region",
                ack.get().ackedRegion());
        return Optional.of(replay(payment, new Claim.Completed(ack.get().responseStatus(), ack.get().responseBody()),
                deadline));
    }

    /**
     * Records the answer on the claim. A failure leaves the answer standing: the payment is stored
     * and recorded; a retry waits out the lease and then finds the row by its key.
     */
    private void complete(String key, String lease, String paymentId, int status, String body, Deadline deadline) {
        try {
            if (!store.complete(key, lease, status, body, deadline)) {
                Log.warn("idempotency_lease_lost", "payment_id", paymentId);
            }
        } catch (SdkException e) {
            Log.error("idempotency_complete_failed", "payment_id", paymentId,
                    "error", e.getClass().getSimpleName(), "message", e.getMessage());
        }
    }

    /** Keeps the claim, so nothing else stores under the key meanwhile, but only briefly. */
    private void keepClaimBriefly(String key, String lease) {
        try {
            store.shortenLease(key, lease, timings.unknownOutcomeLease(), Deadline.after(CLEANUP_BUDGET));
        } catch (SdkException failure) {
            // The lease then runs its full length; the retry is answered 409 until it ends.
            Log.error("idempotency_shorten_failed", "error", failure.getClass().getSimpleName());
        }
    }

    private ApiResponse outcomeUnknown(DatabaseException e) {
        Log.error("payment_outcome_unknown", "error", e.getMessage());
        return ApiResponse.unavailable("payment_outcome_unknown", "The database connection failed while the"
                + " payment was being stored; it may or may not have been stored. Retry with the same"
                + " Idempotency-Key: the retry returns the stored payment or stores it exactly once.",
                (int) timings.unknownOutcomeLease().toSeconds() + 1);
    }

    /** A payment stored whose acknowledgement record no table took: not acknowledged. */
    private static ApiResponse unrecorded() {
        return ApiResponse.unavailable("payment_outcome_unknown", "The payment was stored but its"
                + " acknowledgement record could not be written, so it is not acknowledged yet. Retry with the"
                + " same Idempotency-Key: the retry returns this payment, under the same payment_id, once its"
                + " record is written.", STORE_RETRY_AFTER_SECONDS);
    }

    private ApiResponse replayUnavailable(String reason) {
        return ApiResponse.unavailable("replay_unavailable", "An earlier attempt with this Idempotency-Key"
                + " completed, but " + reason + ", so its result cannot be confirmed now; " + NOT_PROCESSED,
                timings.dbRetryAfterSeconds());
    }

    /** A database failure that certainly wrote nothing. */
    private ApiResponse notStored(DatabaseException e) {
        Log.error("payment_not_stored", "failure", e.failure().name(), "error", e.getMessage());
        if (e.failure() == Failure.READ_ONLY) {
            return readOnly();
        }
        return ApiResponse.unavailable("database_unavailable", "The payment database is unavailable; "
                + NOT_PROCESSED, timings.dbRetryAfterSeconds());
    }

    private ApiResponse readOnly() {
        return ApiResponse.unavailable("region_read_only", "This region's database is read-only"
                + " (region role " + role.label() + "); " + NOT_PROCESSED, timings.dbRetryAfterSeconds());
    }

    private static ApiResponse timeUp(Deadline.Exceeded e) {
        Log.error("time_budget_exceeded", "error", e.getMessage());
        return ApiResponse.unavailable("time_budget_exceeded", "The request ran out of time before "
                + e.getMessage().substring("time budget exhausted before ".length())
                + "; " + NOT_PROCESSED, TIMEOUT_RETRY_AFTER_SECONDS);
    }

    private void release(String key, String lease) {
        try {
            if (!store.release(key, lease, Deadline.after(CLEANUP_BUDGET))) {
                Log.warn("idempotency_lease_lost_on_release");
            }
        } catch (SdkException e) {
            // Left IN_PROGRESS: the retry is answered 409 until the lease ends, then takes it over.
            Log.error("idempotency_release_failed", "error", e.getClass().getSimpleName());
        }
    }

    private static ApiResponse keyReused() {
        return ApiResponse.error(409, "idempotency_key_reused",
                "This Idempotency-Key was already used with a different request body.");
    }
}
