package com.payments.dr.function;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An Aurora cluster (writer) endpoint in front of one test server, as a global database's member
 * has it: <b>active</b> only while its cluster is the writer. A secondary's writer endpoint is
 * inactive (connections to it fail, it does not answer "read-only"); its reader endpoint (the
 * server itself, on 127.0.0.1) answers. A switchover or failover drops the connections open at that
 * moment, an INSERT in flight among them: its outcome is unknown to the function.
 *
 * <p>It listens on {@link #HOST} (another loopback address: the function's configuration has one
 * port for both endpoints, as on Aurora) at the server's port and forwards to the server. {@link
 * #deactivate()} refuses new connections and resets the open ones, whatever they wait for.
 */
final class WriterEndpoint implements AutoCloseable {

    /** The writer endpoints' address; the test servers' certificates name it too. */
    static final String HOST = "127.0.0.2";

    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    /** Inactive, like a secondary's, until {@link #activate()}. */
    WriterEndpoint(int serverPort) {
        this.port = serverPort;
    }

    int port() {
        return port;
    }

    boolean active() {
        return listener != null;
    }

    /** The cluster became the writer: connections are forwarded to its server. */
    synchronized void activate() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 64);
        listener = s;
        Thread acceptor = new Thread(() -> accept(s), "writer-endpoint-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * The cluster is no longer the writer (switchover, failover, failure): new connections are
     * refused and every open one is reset, whatever it was waiting for.
     */
    synchronized void deactivate() {
        ServerSocket s = listener;
        listener = null;
        if (s != null) {
            closeQuietly(s);
        }
        for (Socket socket : sockets) {
            reset(socket);
        }
        sockets.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return;
            }
            try {
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                sockets.add(client);
                sockets.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                reset(client);
            }
        }
    }

    /** Copies {@code from} to {@code to} until either end is closed or reset. */
    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // reset or closed
            }
            reset(from);
            reset(to);
            sockets.remove(from);
            sockets.remove(to);
        }, "writer-endpoint-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Closes with a TCP reset (linger 0), as a dropped connection looks to its peer. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        deactivate();
    }
}
