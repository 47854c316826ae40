package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.payments.dr.function.PaymentValidator.ValidationException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PaymentValidatorTest {

    private final PaymentValidator validator =
            new PaymentValidator(Set.of("USD", "EUR", "GBP"), new BigDecimal("1000000.00"));

    /** The key's merchant in these tests: every body here names it, or none. */
    private static final String MERCHANT = "m";

    /** Validates as for a request whose API key acts for {@link #MERCHANT}. */
    private PaymentRequest validate(ApiRequest request) throws ValidationException {
        return validate(request, MERCHANT);
    }

    private PaymentRequest validate(ApiRequest request, String keyMerchant) throws ValidationException {
        try {
            return validator.validate(request, keyMerchant);
        } catch (PaymentValidator.OtherMerchantException e) {
            throw new AssertionError("the body names another merchant than " + keyMerchant, e);
        }
    }

    private static ApiRequest post(String key, String body) {
        Map<String, String> headers = new HashMap<>();
        if (key != null) {
            headers.put("idempotency-key", key);
        }
        return new ApiRequest("POST", "/payments", headers, body);
    }

    @Test
    void acceptsAValidRequestWithANumberAmount() throws Exception {
        PaymentRequest p = validate(post("key-0001",
                "{\"amount\": 12.5, \"currency\": \"EUR\", \"merchant_id\": \"m_42\","
                        + " \"description\": \"Order 17 \u00e9\"}"), "m_42");
        assertEquals("key-0001", p.idempotencyKey());
        assertEquals(new BigDecimal("12.5"), p.amount());
        assertEquals("EUR", p.currency());
        assertEquals("m_42", p.merchantId());
        assertEquals(Optional.of("Order 17 \u00e9"), p.description());
    }

    @Test
    void acceptsAStringAmountTheMaximumAndANullDescription() throws Exception {
        PaymentRequest p = validate(post("key-0001",
                "{\"amount\":\"1000000.00\",\"currency\":\"USD\",\"merchant_id\":\"m\","
                        + "\"description\":null}"));
        assertEquals(new BigDecimal("1000000.00"), p.amount());
        assertEquals(Optional.empty(), p.description());
    }

    @Test
    void amountsAreExactNotRoundedThroughADouble() throws Exception {
        PaymentRequest p = validate(post("key-0001",
                Fixtures.paymentBody("999999.99", "USD", "m")));
        assertEquals("999999.99", p.amount().toPlainString());
    }

    @ParameterizedTest(name = "{1} {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // body | field | rule
            "NULL|body|is required",
            "'  '|body|is required",
            "not json|body|must be valid JSON",
            "{\"amount\":1,|body|must be valid JSON",
            "{} {}|body|must be valid JSON",
            "[1,2]|body|must be a single JSON object",
            "'\"text\"'|body|must be a single JSON object",
            "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\",\"tip\":1}|tip|is not an allowed field",
            "{\"currency\":\"USD\",\"merchant_id\":\"m\"}|amount|is required",
            "{\"amount\":null,\"currency\":\"USD\",\"merchant_id\":\"m\"}|amount|is required",
            "{\"amount\":true,\"currency\":\"USD\",\"merchant_id\":\"m\"}|amount|must be a decimal number written without exponent, such as 12.34",
            "{\"amount\":{},\"currency\":\"USD\",\"merchant_id\":\"m\"}|amount|must be a decimal number written without exponent, such as 12.34",
            "{\"amount\":1e3,\"currency\":\"USD\",\"merchant_id\":\"m\"}|amount|must be a decimal number written without exponent, such as 12.34",
            "{\"amount\":\"12,50\",\"currency\":\"USD\",\"merchant_id\":\"m\"}|amount|must be a decimal number written without exponent, such as 12.34",
            "{\"amount\":0,\"currency\":\"USD\",\"merchant_id\":\"m\"}|amount|must be greater than 0",
            "{\"amount\":-5.00,\"currency\":\"USD\",\"merchant_id\":\"m\"}|amount|must be greater than 0",
            "{\"amount\":1.005,\"currency\":\"USD\",\"merchant_id\":\"m\"}|amount|must have at most two fraction digits",
            "{\"amount\":1000000.01,\"currency\":\"USD\",\"merchant_id\":\"m\"}|amount|must be at most 1000000.00",
            "{\"amount\":1}|currency|is required",
            "{\"amount\":1,\"currency\":7}|currency|must be a string",
            "{\"amount\":1,\"currency\":\"usd\"}|currency|must be an ISO-4217 code of three capital letters",
            "{\"amount\":1,\"currency\":\"JPY\"}|currency|must be one of EUR,GBP,USD",
            "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":[\"m\"]}|merchant_id|must be a string",
            "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"\"}|merchant_id|must be 1-64 characters of A-Z a-z 0-9 _ -",
            "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m 1\"}|merchant_id|must be 1-64 characters of A-Z a-z 0-9 _ -",
            "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\",\"description\":5}|description|must be a string",
            "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\",\"description\":\"a\\nb\"}|description|must not contain control characters",
    })
    void rejectsEachRuleNamingTheFieldAndTheRule(String body, String field, String rule) {
        ValidationException e = assertThrows(ValidationException.class,
                () -> validate(post("key-0001", body)));
        assertEquals(field, e.field());
        assertEquals(rule, e.rule());
        assertEquals(field + " " + rule, e.getMessage());
    }

    @Test
    void rejectsAnOverlongDescription() {
        String description = "x".repeat(PaymentValidator.MAX_DESCRIPTION_LENGTH + 1);
        ValidationException e = assertThrows(ValidationException.class, () -> validate(
                post("key-0001", "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\","
                        + "\"description\":\"" + description + "\"}")));
        assertEquals("description", e.field());
        assertEquals("must be at most 255 characters", e.rule());
    }

    @Test
    void countsDescriptionLengthInCharactersNotBytes() throws Exception {
        String description = "\u20ac".repeat(PaymentValidator.MAX_DESCRIPTION_LENGTH);
        PaymentRequest p = validate(post("key-0001",
                "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\",\"description\":\""
                        + description + "\"}"));
        assertEquals(Optional.of(description), p.description());
    }

    @Test
    void rejectsAnOversizedBody() {
        String body = "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\",\"description\":\""
                + "y".repeat(PaymentValidator.MAX_BODY_BYTES) + "\"}";
        ValidationException e = assertThrows(ValidationException.class,
                () -> validate(post("key-0001", body)));
        assertEquals("body", e.field());
        assertEquals("must be at most 8192 bytes", e.rule());
    }

    @Test
    void requiresTheIdempotencyKeyHeader() {
        ValidationException e = assertThrows(ValidationException.class,
                () -> validate(post(null, Fixtures.paymentBody("1", "USD", "m"))));
        assertEquals("Idempotency-Key", e.field());
        assertEquals("header is required", e.rule());
    }

    @ParameterizedTest
    @CsvSource({"short", "'has space in it'", "'semi;colon-key'"})
    void rejectsAMalformedIdempotencyKey(String key) {
        ValidationException e = assertThrows(ValidationException.class,
                () -> validate(post(key, Fixtures.paymentBody("1", "USD", "m"))));
        assertEquals("Idempotency-Key", e.field());
        assertEquals("must be 8-128 characters of A-Z a-z 0-9 _ . : -", e.rule());
    }

    @Test
    void rejectsAnOverlongIdempotencyKey() {
        assertThrows(ValidationException.class, () -> validate(
                post("k".repeat(129), Fixtures.paymentBody("1", "USD", "m"))));
    }

    @Test
    void requestHashIgnoresFormattingButNotContent() throws Exception {
        PaymentRequest a = validate(post("key-0001",
                "{\"amount\":10.5,\"currency\":\"USD\",\"merchant_id\":\"m\"}"));
        PaymentRequest b = validate(post("key-0001",
                "{ \"merchant_id\" : \"m\", \"currency\":\"USD\", \"amount\":\"10.50\" }"));
        PaymentRequest c = validate(post("key-0001",
                "{\"amount\":10.51,\"currency\":\"USD\",\"merchant_id\":\"m\"}"));
        PaymentRequest d = validate(post("key-0001",
                "{\"amount\":10.5,\"currency\":\"USD\",\"merchant_id\":\"m\",\"description\":\"x\"}"));
        assertEquals(a.requestHash(), b.requestHash());
        assertEquals(64, a.requestHash().length());
        assertNotEquals(a.requestHash(), c.requestHash());
        assertNotEquals(a.requestHash(), d.requestHash());
    }

    @Test
    void requestHashIsTheProjectsOwnCanonicalForm() throws Exception {
        // A fixed vector: changing the canonical form would make every stored hash a mismatch.
        PaymentRequest p = validate(post("key-0001",
                "{\"amount\":\"10.5\",\"currency\":\"USD\",\"merchant_id\":\"m\",\"description\":\"a=1:b\"}"));
        String canonical = "payment-request-v1\namount=5:10.50\ncurrency=3:USD\nmerchant_id=1:m\n"
                + "description=5:a=1:b\n";
        assertEquals(java.util.HexFormat.of().formatHex(PaymentRequest.sha256(canonical)), p.requestHash());
        PaymentRequest empty = validate(post("key-0001",
                "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\",\"description\":\"\"}"));
        PaymentRequest absent = validate(post("key-0001",
                "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\"}"));
        assertNotEquals(empty.requestHash(), absent.requestHash(), "absent and empty differ");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "\\u202e|must not contain invisible format characters (bidi controls, zero-width)",
            "a\\u200bb|must not contain invisible format characters (bidi controls, zero-width)",
            "\\ufeff|must not contain invisible format characters (bidi controls, zero-width)",
            "x\\ud800|must be valid Unicode (no unpaired surrogates)",
            "\\udc00x|must be valid Unicode (no unpaired surrogates)",
            "\\u0007|must not contain control characters"})
    void rejectsInvisibleOrBrokenText(String escaped, String rule) {
        ValidationException e = assertThrows(ValidationException.class, () -> validate(post("key-0001",
                "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\",\"description\":\"" + escaped + "\"}")));
        assertEquals("description", e.field());
        assertEquals(rule, e.rule());
    }

    @Test
    void acceptsPairedSurrogatesSuchAsEmoji() throws Exception {
        PaymentRequest p = validate(post("key-0001",
                "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\",\"description\":\"\\ud83d\\ude00 ok\"}"));
        assertEquals(Optional.of("\ud83d\ude00 ok"), p.description());
    }

    @Test
    void refusesDuplicateMembersInsteadOfKeepingTheLast() {
        ValidationException e = assertThrows(ValidationException.class, () -> validate(post("key-0001",
                "{\"amount\":\"1.00\",\"currency\":\"USD\",\"merchant_id\":\"m\",\"amount\":\"999999.00\"}")));
        assertEquals("amount", e.field());
        assertEquals("must not appear more than once", e.rule());
        ValidationException tip = assertThrows(ValidationException.class, () -> validate(post("key-0001",
                "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"m\",\"merchant_id\":\"m\",\"tip\":1}")));
        assertEquals("merchant_id", tip.field(), "the first duplicate is reported");
    }

    @Test
    void recognisesJsonContentTypes() {
        for (String type : List.of("application/json", "application/json; charset=utf-8", " APPLICATION/JSON ")) {
            assertTrue(PaymentValidator.isJson(new ApiRequest("POST", "/payments", Map.of("content-type", type), "")), type);
        }
        for (String type : List.of("text/json", "application/jsonp", "text/plain", "")) {
            assertFalse(PaymentValidator.isJson(new ApiRequest("POST", "/payments", Map.of("Content-Type", type), "")), type);
        }
        assertFalse(PaymentValidator.isJson(new ApiRequest("POST", "/payments", Map.of(), "")));
    }

    @Test
    void paymentIdIsAStableVersion5StyleUuidDerivedFromTheMerchantScopedKey() throws Exception {
        PaymentRequest a = validate(post("key-0001", Fixtures.paymentBody("1", "USD", "m")));
        PaymentRequest b = validate(post("key-0001", Fixtures.paymentBody("2", "EUR", "m")));
        PaymentRequest c = validate(post("key-0002", Fixtures.paymentBody("1", "USD", "m")));
        PaymentRequest other = validate(post("key-0001", Fixtures.paymentBody("1", "USD", "n")), "n");
        assertEquals("m/key-0001", a.scopedKey());
        assertEquals(a.paymentId(), b.paymentId());
        assertNotEquals(a.paymentId(), c.paymentId());
        assertNotEquals(a.paymentId(), other.paymentId(), "another caller's key is another payment");
        assertEquals(5, a.paymentId().version());
        assertEquals(2, a.paymentId().variant());
    }

    @Test
    void theMerchantIsTheKeysAndTheBodyMayOmitIt() throws Exception {
        PaymentRequest p = validate(post("key-0001", "{\"amount\":1,\"currency\":\"USD\"}"), "acme");
        assertEquals("acme", p.merchantId());
        assertEquals("acme/key-0001", p.scopedKey());
        PaymentRequest named = validate(post("key-0001",
                "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"acme\"}"), "acme");
        assertEquals(p.requestHash(), named.requestHash(), "naming the key's own merchant is the same request");
        PaymentRequest nullMerchant = validate(post("key-0001",
                "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":null}"), "acme");
        assertEquals("acme", nullMerchant.merchantId());
    }

    @Test
    void aBodyNamingAnotherMerchantIsRefusedAfterTheFormatRules() {
        PaymentValidator.OtherMerchantException e = assertThrows(PaymentValidator.OtherMerchantException.class,
                () -> validator.validate(post("key-0001", Fixtures.paymentBody("1", "USD", "globex")), "acme"));
        assertEquals("This API key acts for merchant acme; the body names merchant globex. Omit merchant_id or"
                + " send the key's own.", e.getMessage());
        // a malformed request is a 400 whoever it names: the same answer in every case
        ValidationException malformed = assertThrows(ValidationException.class, () -> validator.validate(
                post("key-0001", "{\"amount\":1,\"currency\":\"USD\",\"merchant_id\":\"globex\","
                        + "\"description\":5}"), "acme"));
        assertEquals("description", malformed.field());
    }

    @Test
    void aMissingDigestAlgorithmIsAnInternalError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PaymentRequest.digest("NO-SUCH-DIGEST"));
        assertEquals("NO-SUCH-DIGEST is not available", e.getMessage());
    }
}
