package com.payments.dr.function;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a POST /payments request. The first broken rule is reported as a field and a rule,
 * in a fixed order (header, body, then fields), so the same bad request always gets the same answer.
 */
public final class PaymentValidator {

    static final int MAX_BODY_BYTES = 8192;
    static final int MAX_DESCRIPTION_LENGTH = 255;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_.:-]{8,128}");
    private static final Pattern MERCHANT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Set<String> FIELDS = Set.of("amount", "currency", "merchant_id", "description");
    private static final TypeAdapter<JsonElement> STRICT_JSON = new Gson().getAdapter(JsonElement.class);

    private final Set<String> allowedCurrencies;
    private final BigDecimal maxAmount;

    public PaymentValidator(Set<String> allowedCurrencies, BigDecimal maxAmount) {
        this.allowedCurrencies = Set.copyOf(allowedCurrencies);
        this.maxAmount = maxAmount;
    }

    /** Thrown for the first rule a request breaks; becomes a 400. */
    public static final class ValidationException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;
        private final String rule;

        public ValidationException(String field, String rule) {
            super(field + " " + rule, null, false, false);
            this.field = field;
            this.rule = rule;
        }

        public String field() {
            return field;
        }

        public String rule() {
            return rule;
        }
    }

    /**
     * A body naming another merchant than the one the API key acts for: a 403, not a 400, since
     * the request is well formed but asks for what its key may not do.
     */
    public static final class OtherMerchantException extends Exception {
        private static final long serialVersionUID = 1L;

        OtherMerchantException(String keyMerchant, String bodyMerchant) {
            super("This API key acts for merchant " + keyMerchant + "; the body names merchant " + bodyMerchant
                    + ". Omit merchant_id or send the key's own.", null, false, false);
        }
    }

    /** Whether the request says its body is JSON ({@code application/json}, parameters allowed). */
    static boolean isJson(ApiRequest request) {
        return request.header("Content-Type")
                .map(value -> value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .filter("application/json"::equals)
                .isPresent();
    }

    /**
     * @param merchant the merchant the request's API key acts for: the payment's merchant. The
     *                 body's {@code merchant_id} is optional; when present it must be this one.
     */
    public PaymentRequest validate(ApiRequest request, String merchant)
            throws ValidationException, OtherMerchantException {
        String key = request.header("Idempotency-Key")
                .orElseThrow(() -> new ValidationException("Idempotency-Key", "header is required"));
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new ValidationException("Idempotency-Key",
                    "must be 8-128 characters of A-Z a-z 0-9 _ . : -");
        }
        JsonObject body = parseBody(request.body());
        for (String name : body.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new ValidationException(name, "is not an allowed field");
            }
        }
        BigDecimal amount = amount(body.get("amount"));
        String currency = requiredString(body, "currency");
        if (!CURRENCY.matcher(currency).matches()) {
            throw new ValidationException("currency", "must be an ISO-4217 code of three capital letters");
        }
        if (!allowedCurrencies.contains(currency)) {
            throw new ValidationException("currency",
                    "must be one of " + String.join(",", allowedCurrencies.stream().sorted().toList()));
        }
        JsonElement named = body.get("merchant_id");
        if (named != null && !named.isJsonNull()) {
            String merchantId = requiredString(body, "merchant_id");
            if (!MERCHANT_ID.matcher(merchantId).matches()) {
                throw new ValidationException("merchant_id", "must be 1-64 characters of A-Z a-z 0-9 _ -");
            }
            if (!merchantId.equals(merchant)) {
                description(body.get("description"));
                throw new OtherMerchantException(merchant, merchantId);
            }
        }
        Optional<String> description = description(body.get("description"));
        return new PaymentRequest(key, amount, currency, merchant, description);
    }

    private static JsonObject parseBody(String body) throws ValidationException {
        if (body == null || body.isBlank()) {
            throw new ValidationException("body", "is required");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new ValidationException("body", "must be at most " + MAX_BODY_BYTES + " bytes");
        }
        JsonObject parsed = new JsonObject();
        String duplicate = null;
        try {
            JsonReader reader = new JsonReader(new StringReader(body));
            reader.setLenient(false);
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw new ValidationException("body", "must be a single JSON object");
            }
            // Member by member: a JSON object model keeps only the last of two equal names, so
            // "amount":"1.00",...,"amount":"999999.00" would silently become the second amount.
            Set<String> names = new HashSet<>();
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                if (!names.add(name) && duplicate == null) {
                    duplicate = name;
                }
                parsed.add(name, STRICT_JSON.read(reader));
            }
            reader.endObject();
            // Strict mode already refuses content after the object; the token check states the rule.
            if (reader.peek() != JsonToken.END_DOCUMENT) { throw new ValidationException("body", "must be valid JSON"); }
        } catch (IOException | RuntimeException e) {
            throw new ValidationException("body", "must be valid JSON");
        }
        if (duplicate != null) {
            throw new ValidationException(duplicate, "must not appear more than once");
        }
        return parsed;
    }

    private BigDecimal amount(JsonElement value) throws ValidationException {
        if (value == null || value.isJsonNull()) {
            throw new ValidationException("amount", "is required");
        }
        String text = primitiveText(value, true);
        if (text == null || !DECIMAL.matcher(text).matches()) {
            throw new ValidationException("amount",
                    "must be a decimal number written without exponent, such as 12.34");
        }
        BigDecimal amount = new BigDecimal(text);
        if (amount.signum() <= 0) {
            throw new ValidationException("amount", "must be greater than 0");
        }
        if (amount.scale() > 2) {
            throw new ValidationException("amount", "must have at most two fraction digits");
        }
        if (amount.compareTo(maxAmount) > 0) {
            throw new ValidationException("amount", "must be at most " + maxAmount.toPlainString());
        }
        return amount;
    }

    /** The literal text of a JSON number or string, so amounts are never rounded through a double. */
    private static String primitiveText(JsonElement value, boolean allowNumber) {
        if (!value.isJsonPrimitive()) {
            return null;
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (primitive.isString() || (allowNumber && primitive.isNumber())) {
            return primitive.getAsString();
        }
        return null;
    }

    private static String requiredString(JsonObject body, String field) throws ValidationException {
        JsonElement value = body.get(field);
        if (value == null || value.isJsonNull()) {
            throw new ValidationException(field, "is required");
        }
        String text = primitiveText(value, false);
        if (text == null) {
            throw new ValidationException(field, "must be a string");
        }
        return text;
    }

    private static Optional<String> description(JsonElement value) throws ValidationException {
        if (value == null || value.isJsonNull()) {
            return Optional.empty();
        }
        String text = primitiveText(value, false);
        if (text == null) {
            throw new ValidationException("description", "must be a string");
        }
        if (text.codePointCount(0, text.length()) > MAX_DESCRIPTION_LENGTH) {
            throw new ValidationException("description",
                    "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            switch (Character.getType(codePoint)) {
                case Character.CONTROL -> throw new ValidationException("description",
                        "must not contain control characters");
                // Bidi overrides and zero-width characters make stored text read differently
                // from what it contains.
                case Character.FORMAT -> throw new ValidationException("description",
                        "must not contain invisible format characters (bidi controls, zero-width)");
                // Only a surrogate without its partner is still a surrogate as a code point.
                case Character.SURROGATE -> throw new ValidationException("description",
                        "must be valid Unicode (no unpaired surrogates)");
                default -> i += Character.charCount(codePoint);
            }
        }
        return Optional.of(text);
    }
}
