package com.payments.dr.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The dated price table: every price has its source page; what is missing is refused. */
class PricesTest {

    @Test
    void everyPriceNamesItsAwsPricingPageAndTheTableItsDate() {
        Prices prices = Prices.load();
        assertEquals("aws-prices-2026-11.json", prices.file());
        assertEquals("2026-11-23", prices.checked());
        assertTrue(prices.all().size() >= 20, prices.all().keySet().toString());
        prices.all().forEach((key, p) -> {
            assertTrue(p.source().startsWith("https://aws.amazon.com/") && p.source().endsWith("/pricing/")
                    || p.source().endsWith("/pricing/on-demand/"), key + ": " + p.source());
            // a free item is in the table too, so the estimate can show it priced, and says so
            assertTrue((p.usd() > 0 || p.usd() == 0 && p.unit().contains("no charge")) && !p.unit().isBlank(), key);
        });
        // the reference figures the README's budget was built on
        assertEquals(0.12, prices.usd("aurora.acuHour"));
        assertEquals(0.01, prices.usd("vpc.interfaceEndpointAzHour"));
        assertEquals(3.50, prices.usd("apiGateway.restRequestMillion"));
    }

    @Test
    void aMissingPriceOrTableIsABugNamedPlainly() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Prices.load().usd("nat.gatewayHour"));
        assertEquals("no price nat.gatewayHour in aws-prices-2026-11.json", missing.getMessage());
        IllegalStateException absent = assertThrows(IllegalStateException.class, () -> Prices.load("/prices/none.json"));
        assertEquals("price table /prices/none.json is not on the classpath", absent.getMessage());
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        };
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> Prices.parse(failing, "x.json"));
        assertEquals("cannot read price table x.json: disk gone", io.getMessage());
    }
}
