package com.payments.dr.function;

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
     * The key as stored: scoped to the merchant, so two callers that happen to pick the same key
     * never see each other's payment. The merchant (not the API key id) is the scope because API
     * Gateway key ids are regional: a retry in the other region after failover must land on the
     * same record. Neither part can contain '/', so the pair is unambiguous.
     */
    public String scopedKey() {
        return merchantId + "/" + idempotencyKey;
    }

    /**
     * SHA-256 over a canonical form this project owns: version tag, then each field as
     * {@code name=length:value} on its own line in a fixed order, the amount at scale 2 (so 10.5 and
     * 10.50 are the same request), an absent description distinct from an empty one. Formatting of
     * the client's JSON (key order, whitespace, number vs string amount) cannot change it.
     */
    public String requestHash() {
        StringBuilder canonical = new StringBuilder("payment-request-v1\n");
        field(canonical, "amount", amount.setScale(2).toPlainString());
        field(canonical, "currency", currency);
        field(canonical, "merchant_id", merchantId);
        canonical.append(description.map(d -> "description=" + d.length() + ":" + d).orElse("description-absent"))
                .append('\n');
        return HexFormat.of().formatHex(sha256(canonical.toString()));
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(name).append('=').append(value.length()).append(':').append(value).append('\n');
    }

    /**
     * The payment id is derived from the scoped key, so every attempt for one key, in either
     * region and after any crash, targets the same row.
     */
    public UUID paymentId() {
        byte[] hash = sha256("payment-id\n" + scopedKey());
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
