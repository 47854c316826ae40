package com.payments.dr.function;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's postgresql package) in a temp directory on a free loopback
 * port, shared by every test class in the fork and removed at JVM exit.
 *
 * <p>initdb and postgres refuse to run as root, so when the tests run as root every server command
 * runs as the {@code postgres} system user through runuser. The server accepts only TLS connections
 * with a password (hostssl + scram-sha-256), like Aurora with rds.force_ssl, using a certificate
 * for 127.0.0.1 made with openssl; a second, unrelated certificate serves as the wrong CA.
 *
 * <p>Binaries: $PG_BIN if set, else the newest /usr/lib/postgresql/N/bin.
 */
final class TestPostgres {

    static final String SUPERUSER_PASSWORD = "test-superuser-password";
    static final String APP_USER = "payments_app";
    static final String APP_PASSWORD = "test-app-password";

    private static TestPostgres shared;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final boolean asPostgresUser;
    private final int port;

    static synchronized TestPostgres shared() {
        if (shared == null) {
            try {
                shared = new TestPostgres();
                shared.start();
                shared.createAppRole();
            } catch (IOException | InterruptedException | SQLException e) {
                throw new IllegalStateException("could not start the test PostgreSQL server", e);
            }
            TestPostgres server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        }
        return shared;
    }

    private TestPostgres() throws IOException, InterruptedException {
        bin = findBin();
        asPostgresUser = "root".equals(System.getProperty("user.name"));
        dir = Files.createTempDirectory("function-pg");
        data = dir.resolve("data");
        if (asPostgresUser) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        Files.writeString(dir.resolve("pwfile"), SUPERUSER_PASSWORD + "\n");
        chownToServer(dir.resolve("pwfile"));
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=scram-sha-256", "--pwfile=" + dir.resolve("pwfile"), "--encoding=UTF8",
                "--locale=C", "--no-sync"));
        makeCertificate("server");
        makeCertificate("other");
        Files.writeString(data.resolve("pg_hba.conf"),
                "hostssl all all 127.0.0.1/32 scram-sha-256\n");
        port = freePort();
    }

    private static Path findBin() {
        String configured = System.getenv("PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL server binaries not found under"
                    + " /usr/lib/postgresql (apt-get install -y postgresql) and PG_BIN is not set", e);
        }
    }

    private void makeCertificate(String name) throws IOException, InterruptedException {
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", dir.resolve(name + ".key").toString(),
                "-out", dir.resolve(name + ".crt").toString()));
        // The server refuses a private key that others can read.
        run(List.of("chmod", "600", dir.resolve(name + ".key").toString()));
    }

    /** The certificate the server presents; a valid sslrootcert for verify-full. */
    Path serverCertificate() {
        return dir.resolve("server.crt");
    }

    /** A CA that did not sign the server's certificate. */
    Path otherCertificate() {
        return dir.resolve("other.crt");
    }

    int port() {
        return port;
    }

    synchronized void start() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-c port=" + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                        + " -c ssl=on -c ssl_cert_file=" + dir.resolve("server.crt")
                        + " -c ssl_key_file=" + dir.resolve("server.key")
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                        + " -c max_connections=60 -c shared_buffers=32MB",
                "start"));
    }

    /** Stops the server at once, as a crash or a network cut would look to a client. */
    synchronized void stop() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                "-w", "stop"));
    }

    Connection admin(String database) throws SQLException {
        return connect(database, "postgres", SUPERUSER_PASSWORD);
    }

    Connection connect(String database, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "require");
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
    }

    private void createAppRole() throws SQLException {
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
        }
    }

    /** A fresh database owned by the application role (as the Aurora master user owns its own). */
    void createDatabase(String name) throws SQLException {
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name + " OWNER " + APP_USER);
        }
    }

    /** Sets the whole database read-only for new sessions, as an Aurora secondary looks. */
    void makeReadOnly(String name) throws SQLException {
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + name + " SET default_transaction_read_only = on");
        }
    }

    private void chownToServer(Path path) throws IOException {
        if (asPostgresUser) {
            Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres"));
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process process = pb.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            String log = Files.exists(dir.resolve("server.log"))
                    ? Files.readString(dir.resolve("server.log")) : "";
            throw new IOException("command failed: " + String.join(" ", full) + "\n"
                    + new String(output, StandardCharsets.UTF_8) + "\n" + log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void destroy() {
        try {
            stop();
        } catch (IOException | InterruptedException ignored) {
            // Already stopped.
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: it is a temp directory.
        }
    }
}
