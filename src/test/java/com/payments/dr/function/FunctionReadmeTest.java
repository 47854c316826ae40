package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/payment-function.md says what the code does: error codes, figures, timings. */
class FunctionReadmeTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "com", "payments", "dr", "function");
    private static final Pattern ERROR_CODE =
            Pattern.compile("(?<!Log\\.)(?:error|unavailable)\\(\\s*(?:\\d+,\\s*)?\"([a-z_]+)\"");

    private static String section() throws IOException {
        return Files.readString(Path.of("docs/payment-function.md"));
    }

    /** Every code the function answers with, read from its sources. */
    static Set<String> errorCodes() throws IOException {
        Set<String> codes = new TreeSet<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.toList()) {
                Matcher m = ERROR_CODE.matcher(Files.readString(file));
                while (m.find()) {
                    codes.add(m.group(1));
                }
            }
        }
        codes.add("validation_failed");
        return codes;
    }

    @Test
    void everyErrorCodeIsDocumented() throws IOException {
        String section = section();
        Set<String> codes = errorCodes();
        assertTrue(codes.containsAll(List.of("invalid_event", "unsupported_media_type", "request_in_progress",
                "idempotency_key_reused", "idempotency_store_unavailable", "database_unavailable",
                "region_read_only", "payment_outcome_unknown", "time_budget_exceeded", "replay_unavailable", "internal_error")), codes::toString);
        List<String> missing = new ArrayList<>();
        for (String code : codes) {
            if (!section.contains("`" + code + "`")) {
                missing.add(code);
            }
        }
        assertEquals(List.of(), missing);
        assertFalse(section.contains("invalid_request"), "the 400 code is validation_failed");
    }

    @Test
    void figuresMatchTheCode() throws IOException {
        String section = section();
        assertTrue(section.contains("`idempotency_store_unavailable` (" + PaymentService.STORE_RETRY_AFTER_SECONDS + " s)"));
        assertTrue(section.contains("`database_unavailable` (" + PaymentService.DB_RETRY_AFTER_SECONDS + " s"));
        assertTrue(section.contains("`payment_outcome_unknown` (" + (PaymentService.UNKNOWN_OUTCOME_LEASE.toSeconds() + 1)
                + " s)"));
        assertTrue(section.contains("lease cut to " + PaymentService.UNKNOWN_OUTCOME_LEASE.toSeconds() + " s"));
        assertTrue(section.contains("at most " + Deadline.MAX_BUDGET_MILLIS / 1000 + " s"));
        // budget < Lambda timeout < API Gateway's integration timeout, and the page says so
        int timeout = com.payments.dr.blocks.PaymentFunction.TIMEOUT_SECONDS;
        assertTrue(Deadline.MAX_BUDGET_MILLIS / 1000 < timeout, "the function answers before Lambda stops it");
        assertTrue(timeout * 1000 < com.payments.dr.blocks.PaymentApi.INTEGRATION_TIMEOUT_MS,
                "Lambda stops it before API Gateway gives up");
        assertTrue(section.contains("1024 MB, " + timeout + " s timeout"), "the deployed timeout");
        assertTrue(section.contains("between the " + Deadline.MAX_BUDGET_MILLIS / 1000 + " s budget and API Gateway's "
                + com.payments.dr.blocks.PaymentApi.INTEGRATION_TIMEOUT_MS / 1000 + " s"));
        assertTrue(section.contains("`statement_timeout` " + PaymentDatabase.STATEMENT_TIMEOUT.toSeconds() + " s"));
        assertTrue(section.contains("`lock_timeout` " + PaymentDatabase.LOCK_TIMEOUT.toSeconds() + " s"));
        assertTrue(section.contains("answers within " + HealthService.BUDGET.toMillis() / 1000.0 + " s"));
        assertTrue(section.contains("cached " + HealthService.CACHE.toSeconds() + " s per container"));
        assertTrue(section.contains((FunctionRuntime.SDK_RETRIES + 1) + " attempts"));
        assertTrue(section.contains("`" + FunctionConfig.DEFAULT_DB_USER + "`"));
        assertTrue(section.contains("(" + IdempotencyStore.LEASE.toSeconds() + " s leases)"));
        String tests = Files.readString(Path.of("docs/testing.md"));
        assertTrue(tests.contains(PaymentFlowTest.CONCURRENT_CONTAINERS + " concurrent requests with one key"));
    }
}
