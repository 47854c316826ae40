package com.payments.dr.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The connection and concurrency limits the alarms are derived from, against AWS's documented values. */
class WatchlistTest {

    /**
     * The payment function's reservation: 90 % of max_connections (one connection per execution),
     * at most the 885 the account's default 1000 leaves after Lambda's 100 unreserved and the
     * region's other functions' 15; its concurrency alarm at 80 % of it.
     */
    @ParameterizedTest(name = "{0}-{1} ACU: max_connections {2}, reserved {3}, concurrency alarm at {4}")
    @CsvSource({
        // AWS's table for Aurora PostgreSQL Serverless v2 (minimum 1 ACU: no 2000 cap)
        "1,   1,   189, 170, 136",
        "1,   4,   823, 740, 592",
        "1,   8,  1669, 885, 708",
        "1,  16,  3360, 885, 708",
        "1,  32,  5000, 885, 708",
        "1, 128,  5000, 885, 708",
        // linear between the table's rows, proportional below 1 ACU
        "1,   6,  1246, 885, 708",
        "0.5, 0.5,  94,  84,  67",
        // a minimum of 0.5 ACU caps max_connections at 2000
        "0.5, 4,   823, 740, 592",
        "0.5, 16, 2000, 885, 708",
        "0.5, 128, 2000, 885, 708",
    })
    void derivedFromTheCapacityRange(double minAcu, double maxAcu, long maxConnections, int reserved,
                                     long concurrency) {
        assertEquals(maxConnections, Watchlist.maxConnections(minAcu, maxAcu));
        assertEquals(reserved, Watchlist.paymentConcurrency(minAcu, maxAcu));
        assertEquals(concurrency, Watchlist.concurrencyThreshold(minAcu, maxAcu));
    }

    @org.junit.jupiter.api.Test
    void theReservationsOfARegionLeaveLambdasUnreservedMinimum() {
        assertEquals(15, Watchlist.OTHER_RESERVATIONS, "migrator 1, receipts 10, ops notifier 2, probe 1, rotation 1");
        assertEquals(1000 - 100, Watchlist.paymentConcurrency(1, 128) + Watchlist.OTHER_RESERVATIONS);
    }
}
