package org.postern.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on 127.0.0.1 whose backend can be switched: a message's target stays the same while the real
 * server behind it changes (a tempfailing smtp-sink first, a healthy one on the retry).
 */
final class SwitchableProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile int backendPort;

    SwitchableProxy(int backendPort) throws IOException {
        this.backendPort = backendPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().start(this::accept);
    }

    String smtpUrl() {
        return "smtp://127.0.0.1:" + server.getLocalPort();
    }

    void switchTo(int port) {
        backendPort = port;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket backend = new Socket("127.0.0.1", backendPort);
                sockets.add(client);
                sockets.add(backend);
                Thread.ofVirtual().start(() -> pipe(client, backend));
                Thread.ofVirtual().start(() -> pipe(backend, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(SwitchableProxy::closeQuietly);
    }
}
