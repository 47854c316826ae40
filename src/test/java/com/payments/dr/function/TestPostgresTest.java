package com.payments.dr.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The test server itself: the engine family the stack deploys, TLS only, independent instances. */
class TestPostgresTest {

    @Test
    void theServerIsPostgresqlSixteenLikeTheStacksAuroraDefault() throws Exception {
        try (Connection c = TestPostgres.shared().admin("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            r.next();
            assertEquals(16, r.getInt(1));
        }
    }

    @Test
    void aConnectionWithoutTlsIsRefusedEvenWithTheRightPassword() {
        Properties p = new Properties();
        p.setProperty("user", TestPostgres.APP_USER);
        p.setProperty("password", TestPostgres.APP_PASSWORD);
        p.setProperty("sslmode", "disable");
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + TestPostgres.shared().port() + "/postgres", p));
        assertTrue(e.getMessage().contains("no encryption"), e.getMessage());
    }

    @Test
    void severalServersRunAtOnceWithoutSharingAnything() throws Exception {
        TestPostgres shared = TestPostgres.shared();
        try (TestPostgres other = TestPostgres.startNew()) {
            assertNotEquals(shared.port(), other.port());
            assertNotEquals(shared.serverCertificate(), other.serverCertificate());
            other.createDatabase("only_here");
            try (Connection c = other.connect("only_here", TestPostgres.APP_USER, TestPostgres.APP_PASSWORD)) {
                assertTrue(c.isValid(5));
            }
            SQLException missing = assertThrows(SQLException.class,
                    () -> shared.connect("only_here", TestPostgres.APP_USER, TestPostgres.APP_PASSWORD));
            assertEquals("3D000", missing.getSQLState());
            int port = other.port();
            other.close();
            SQLException gone = assertThrows(SQLException.class, () -> other.admin("postgres"));
            assertEquals("08001", gone.getSQLState(), "nothing listens on " + port + " any more");
        }
        try (Connection c = shared.admin("postgres")) {
            assertTrue(c.isValid(5));
        }
    }

    @Test
    void aStandbyRefusesWritesUntilPromotedAndThenTakesThem() throws Exception {
        try (TestPostgres primary = TestPostgres.startNewReplicated()) {
            primary.createDatabase("replicated");
            try (Connection c = primary.admin("replicated"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (v int)");
                s.execute("INSERT INTO t VALUES (1)");
            }
            try (TestPostgres standby = TestPostgres.standbyOf(primary, primary.port(), "unit_standby")) {
                try (Connection c = standby.admin("replicated"); Statement s = c.createStatement()) {
                    SQLException readOnly = assertThrows(SQLException.class, () -> s.execute("INSERT INTO t VALUES (2)"));
                    assertEquals("25006", readOnly.getSQLState(), readOnly.getMessage());
                    try (ResultSet r = s.executeQuery("SELECT pg_is_in_recovery(), (SELECT count(*) FROM t)")) {
                        r.next();
                        assertTrue(r.getBoolean(1));
                        assertEquals(1, r.getInt(2), "the base backup holds the primary's row");
                    }
                }
                standby.promote();
                try (Connection c = standby.admin("replicated"); Statement s = c.createStatement()) {
                    try (ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
                        r.next();
                        assertEquals(false, r.getBoolean(1));
                    }
                    assertEquals(1, s.executeUpdate("INSERT INTO t VALUES (2)"));
                }
            }
        }
    }
}
