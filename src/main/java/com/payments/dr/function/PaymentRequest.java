package com.payments.dr.function;

import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/** A validated payment request: every field here has passed {@link PaymentValidator}. */
public record PaymentRequest(
        String idempotencyKey,
        BigDecimal amount,
        String currency,
        String merchantId,
        Optional<String> description) {

    /**
     * SHA-256 over a canonical form of the request, so a replay that differs only in formatting
     * (key order, whitespace, 10.5 vs 10.50) counts as the same request and anything else as a
     * different one.
     */
    public String requestHash() {
        JsonObject canonical = new JsonObject();
        canonical.addProperty("amount", amount.setScale(2).toPlainString());
        canonical.addProperty("currency", currency);
        canonical.addProperty("description", description.orElse(null));
        canonical.addProperty("merchant_id", merchantId);
        return HexFormat.of().formatHex(sha256("POST /payments\n" + canonical));
    }

    /**
     * The payment id is derived from the idempotency key, so every attempt for one key, in either
     * region and after any crash, targets the same row.
     */
    public UUID paymentId() {
        byte[] hash = sha256("payment-id\n" + idempotencyKey);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (hash[i] & 0xff);
            lsb = (lsb << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    static byte[] sha256(String text) {
        return digest("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    // Every Java platform must provide SHA-256, so the failure is a broken JVM, not a request error.
    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
