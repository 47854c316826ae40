package com.payments.dr.function;

import com.google.gson.JsonObject;
import com.payments.dr.function.FunctionConfig.RegionRole;
import com.payments.dr.function.IdempotencyStore.Claim;
import com.payments.dr.function.PaymentDatabase.DatabaseException;
import com.payments.dr.function.PaymentDatabase.Failure;
import com.payments.dr.function.PaymentDatabase.KeyReusedException;
import com.payments.dr.function.PaymentDatabase.StoredPayment;
import com.payments.dr.function.PaymentValidator.ValidationException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * POST /payments: validate, claim the idempotency key, store the payment, record the response.
 *
 * <p>Invariant: a payment row exists only for a key whose claim this or an earlier request held,
 * and a failed attempt leaves no IN_PROGRESS record behind, so the client's retry is never blocked
 * and never creates a second payment (the row's unique key catches any retry that races past).
 */
public final class PaymentService {

    static final int DB_RETRY_AFTER_SECONDS = 5;
    static final int STORE_RETRY_AFTER_SECONDS = 2;
    static final int IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

    private final PaymentValidator validator;
    private final IdempotencyStore store;
    private final PaymentDatabase database;
    private final String region;
    private final RegionRole role;

    public PaymentService(PaymentValidator validator, IdempotencyStore store,
            PaymentDatabase database, String region, RegionRole role) {
        this.validator = validator;
        this.store = store;
        this.database = database;
        this.region = region;
        this.role = role;
    }

    public ApiResponse create(ApiRequest request) {
        PaymentRequest payment;
        try {
            payment = validator.validate(request);
        } catch (ValidationException e) {
            return ApiResponse.invalid(e.field(), e.rule());
        }
        String key = payment.idempotencyKey();
        Claim claim;
        try {
            claim = store.claim(key, payment.requestHash(), region);
        } catch (SdkException e) {
            Log.error("idempotency_store_failed", "error", e.getClass().getSimpleName());
            return ApiResponse.unavailable("idempotency_store_unavailable",
                    "The idempotency store is unavailable; retry later with the same Idempotency-Key.",
                    STORE_RETRY_AFTER_SECONDS);
        }
        if (claim instanceof Claim.Completed done) {
            return new ApiResponse(done.statusCode(), java.util.Map.of("Content-Type", "application/json"),
                    done.body()).withHeader("Idempotent-Replayed", "true");
        }
        if (claim instanceof Claim.Mismatch) {
            return keyReused();
        }
        if (claim instanceof Claim.InProgress) {
            return ApiResponse.error(409, "request_in_progress",
                    "A request with this Idempotency-Key is still being processed; retry later.")
                    .withHeader("Retry-After", Integer.toString(IN_PROGRESS_RETRY_AFTER_SECONDS));
        }
        String lease = ((Claim.Acquired) claim).leaseToken();
        StoredPayment stored;
        try {
            stored = database.insert(payment, region);
        } catch (KeyReusedException e) {
            release(key, lease);
            return keyReused();
        } catch (DatabaseException e) {
            release(key, lease);
            Log.error("payment_not_stored", "failure", e.failure().name(), "error", e.getMessage());
            return e.failure() == Failure.READ_ONLY
                    ? ApiResponse.unavailable("region_read_only", "This region's database is read-only"
                            + " (region role " + role.label() + "); retry later with the same Idempotency-Key.",
                            DB_RETRY_AFTER_SECONDS)
                    : ApiResponse.unavailable("database_unavailable", "The payment database is unavailable;"
                            + " nothing was stored; retry later with the same Idempotency-Key.",
                            DB_RETRY_AFTER_SECONDS);
        }
        JsonObject body = new JsonObject();
        body.addProperty("payment_id", stored.paymentId());
        body.addProperty("status", stored.status());
        body.addProperty("amount", payment.amount().setScale(2).toPlainString());
        body.addProperty("currency", payment.currency());
        body.addProperty("merchant_id", payment.merchantId());
        body.addProperty("region", stored.region());
        ApiResponse response = ApiResponse.json(201, body);
        try {
            if (!store.complete(key, lease, response.statusCode(), response.body())) {
                Log.warn("idempotency_lease_lost", "payment_id", stored.paymentId());
            }
        } catch (SdkException e) {
            // The payment is stored; a retry waits out the lease and then finds the row by its key.
            Log.error("idempotency_complete_failed", "payment_id", stored.paymentId(),
                    "error", e.getClass().getSimpleName());
        }
        Log.info("payment_accepted", "payment_id", stored.paymentId(), "region", region);
        return response;
    }

    private void release(String key, String lease) {
        try {
            if (!store.release(key, lease)) {
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
