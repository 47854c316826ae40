package com.payments.dr.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The connection and concurrency limits the alarms are derived from, against AWS's documented values. */
class WatchlistTest {

    @ParameterizedTest(name = "{0}-{1} ACU: max_connections {2}, concurrency alarm at {3}")
    @CsvSource({
        // AWS's table for Aurora PostgreSQL Serverless v2 (minimum 1 ACU: no 2000 cap)
        "1,   1,   189, 151",
        "1,   4,   823, 658",
        "1,   8,  1669, 800",
        "1,  16,  3360, 800",
        "1,  32,  5000, 800",
        "1, 128,  5000, 800",
        // linear between the table's rows, proportional below 1 ACU
        "1,   6,  1246, 800",
        "0.5, 0.5,  94,  75",
        // a minimum of 0.5 ACU caps max_connections at 2000
        "0.5, 4,   823, 658",
        "0.5, 16, 2000, 800",
        "0.5, 128, 2000, 800",
    })
    void derivedFromTheCapacityRange(double minAcu, double maxAcu, long maxConnections, long concurrency) {
        assertEquals(maxConnections, Watchlist.maxConnections(minAcu, maxAcu));
        assertEquals(concurrency, Watchlist.concurrencyThreshold(minAcu, maxAcu));
    }
}
