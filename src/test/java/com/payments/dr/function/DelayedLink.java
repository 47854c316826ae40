package com.payments.dr.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The network between two regions, for a standby's replication connection: a loopback TCP proxy
 * that delivers what the upstream sends {@code delayMillis} late (what the standby sends back goes
 * straight through). This is where a global database's lag lives: WAL the primary has committed
 * and sent but the secondary has not received. {@link #cut()} drops every connection with whatever
 * is still in transit and refuses new ones until {@link #restore()}: a failure the other side
 * hears of at once. {@link #blackHole()} is what a regional or zonal failure looks like from
 * outside: connections are accepted and kept, nothing is forwarded either way and nothing is
 * reset, so a client waits for its own timeout. A standby's own apply delay would not do:
 * promotion ends any apply delay or replay pause and applies everything received first, so
 * nothing would be lost.
 */
final class DelayedLink implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private volatile long delayMillis;
    /** Up to this much more, drawn per chunk (in order: a chunk is never due before the one read before it). */
    private volatile long jitterMillis;
    /** While set, nothing is delivered downstream (a lag spike): what arrives waits until {@link #release()}. */
    private volatile boolean held;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    /** While set, connections are accepted and kept but nothing crosses, either way. */
    private volatile boolean blackHoled;
    private volatile boolean closed;

    DelayedLink(int upstreamPort, long delayMillis) throws IOException {
        this.upstreamPort = upstreamPort;
        this.delayMillis = delayMillis;
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "delayed-link-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    long delayMillis() {
        return delayMillis;
    }

    /**
     * Changes the delay for what is read from now on. A standby is seeded over an undelayed link:
     * its connection set-up is a dozen round trips that a delay would only lengthen.
     */
    void delay(long millis) {
        delayMillis = millis;
    }

    /** The delay varies from the base to the base plus {@code millis}, chunk by chunk. */
    void jitter(long millis) {
        jitterMillis = millis;
    }

    /**
     * A lag spike: from now on nothing reaches the standby (the upstream still sends; it is held
     * here, in order) until {@link #release()} or {@link #cut()}.
     */
    void hold() {
        held = true;
    }

    void release() {
        held = false;
    }

    /** Drops every connection and what is in transit on it; refuses new ones until {@link #restore()}. */
    void cut() {
        cut = true;
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /**
     * A black hole: from now on nothing crosses the link in either direction, on open connections
     * or new ones (accepted, never connected onward), and nothing is refused or reset.
     */
    void blackHole() {
        blackHoled = true;
    }

    /**
     * The link works again. Connections that lived through a black hole are dropped with what they
     * held, as a real partition's are (their clients gave up on them): nothing stale is delivered.
     */
    void restore() {
        if (blackHoled) {
            for (Socket socket : sockets) {
                closeQuietly(socket);
            }
            sockets.clear();
        }
        blackHoled = false;
        cut = false;
    }

    private void accept() {
        while (!closed) {
            Socket downstream;
            try {
                downstream = server.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                closeQuietly(downstream);
                continue;
            }
            if (blackHoled) {
                // accepted and kept, never answered
                sockets.add(downstream);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2000);
                sockets.add(downstream);
                sockets.add(upstream);
                pump(downstream, upstream, false);
                pump(upstream, downstream, true);
            } catch (IOException e) {
                closeQuietly(downstream);
            }
        }
    }

    private record Chunk(long dueNanos, byte[] bytes) {
    }

    /** Copies {@code from} to {@code to}, each chunk held for the current delay if {@code delayed}. */
    private void pump(Socket from, Socket to, boolean delayed) {
        LinkedBlockingQueue<Chunk> transit = new LinkedBlockingQueue<>();
        Chunk end = new Chunk(0, new byte[0]);
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[65536];
            long lastDue = 0;
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    long delay = delayed ? delayMillis + (jitterMillis > 0
                            ? java.util.concurrent.ThreadLocalRandom.current().nextLong(jitterMillis + 1) : 0) : 0;
                    long due = Math.max(lastDue, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay));
                    lastDue = due;
                    transit.add(new Chunk(due, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException e) {
                // the connection ended or was cut
            }
            transit.add(end);
        }, "delayed-link-read");
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk chunk = transit.take();
                    if (chunk == end) {
                        break;
                    }
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    while ((delayed && held || blackHoled) && !cut && !closed) {
                        TimeUnit.MILLISECONDS.sleep(5);
                    }
                    if (cut) {
                        break;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended or was cut
            }
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }, "delayed-link-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        cut();
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
