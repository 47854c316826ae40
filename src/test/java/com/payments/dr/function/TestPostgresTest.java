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
    void aStandbyStreamsStaysReadOnlyPromotesAndTheOldPrimaryIsReseededAsItsStandby() throws Exception {
        try (TestPostgres primary = TestPostgres.startNewReplicated();
             DelayedLink link = new DelayedLink(primary.port(), 500);
             TestPostgres standby = TestPostgres.standbyOf(primary, link.port(), "smoke_standby")) {
            try (Connection c = primary.admin("postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE replicated (n int)");
                s.execute("INSERT INTO replicated VALUES (1)");
            }
            assertEquals(1, waitForRows(standby, 1));
            try (Connection c = standby.admin("postgres"); Statement s = c.createStatement()) {
                SQLException readOnly = assertThrows(SQLException.class, () -> s.execute("INSERT INTO replicated VALUES (2)"));
                assertEquals("25006", readOnly.getSQLState());
            }
            primary.stop();
            standby.promote();
            try (Connection c = standby.admin("postgres"); Statement s = c.createStatement()) {
                s.execute("INSERT INTO replicated VALUES (2)");
            }
            // fail back: the old primary, re-seeded from the new one, follows it onto its timeline
            try (DelayedLink back = new DelayedLink(standby.port(), 0)) {
                primary.seedFrom(standby, back.port(), "smoke_old_primary");
                assertEquals(2, waitForRows(primary, 2));
            }
        }
    }

    private static int waitForRows(TestPostgres server, int expected) throws Exception {
        int rows = -1;
        for (int i = 0; i < 100 && rows != expected; i++) {
            try (Connection c = server.admin("postgres"); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM replicated")) {
                r.next();
                rows = r.getInt(1);
            } catch (SQLException e) {
                if (!"42P01".equals(e.getSQLState())) {
                    throw e;
                }
            }
            if (rows != expected) {
                Thread.sleep(100);
            }
        }
        return rows;
    }
}
