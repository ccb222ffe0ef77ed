import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens N concurrent SMTP connections, reads the greeting on each, holds them all open for a
 * while, then closes them. Run with the source launcher (no build needed):
 *
 * <pre>java IdleConnections.java HOST PORT COUNT HOLD_SECONDS [CONNECT_TIMEOUT_SECONDS]</pre>
 *
 * Prints "HOLDING ..." once every connection has either got its greeting or failed (the caller
 * can sample the server's memory then), and a final "RESULT ..." line:
 * {@code RESULT attempted=5000 banner220=5000 other_banner=0 errors=0 still_open_at_end=5000 ...}.
 * Uses one virtual thread per connection, so raise {@code ulimit -n} above COUNT first.
 */
public class IdleConnections {

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: java IdleConnections.java HOST PORT COUNT HOLD_SECONDS [TIMEOUT_S]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int holdSeconds = Integer.parseInt(args[3]);
        int timeoutSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;

        List<Socket> sockets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sockets.add(null);
        }
        AtomicInteger ok220 = new AtomicInteger();
        AtomicInteger otherBanner = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Map<String, AtomicInteger> errorKinds = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(count);
        long t0 = System.nanoTime();

        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                final int idx = i;
                executor.submit(() -> {
                    Socket s = new Socket();
                    try {
                        s.connect(new InetSocketAddress(host, port), timeoutSeconds * 1000);
                        s.setSoTimeout(timeoutSeconds * 1000);
                        String line = readLine(s.getInputStream());
                        if (line.startsWith("220")) {
                            ok220.incrementAndGet();
                        } else {
                            otherBanner.incrementAndGet();
                            errorKinds.computeIfAbsent("banner: " + truncate(line), k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                        synchronized (sockets) {
                            sockets.set(idx, s);
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        errorKinds.computeIfAbsent(e.getClass().getSimpleName() + ": " + truncate(e.getMessage()),
                                k -> new AtomicInteger()).incrementAndGet();
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // nothing
                        }
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            done.await(timeoutSeconds * 2L + 30, TimeUnit.SECONDS);
            double setup = (System.nanoTime() - t0) / 1e9;
            System.out.printf("HOLDING banner220=%d other_banner=%d errors=%d setup_seconds=%.2f%n",
                    ok220.get(), otherBanner.get(), errors.get(), setup);
            System.out.flush();

            Thread.sleep(holdSeconds * 1000L);

            // A connection the server dropped while idle shows EOF on a non-blocking-ish read.
            int stillOpen = 0;
            synchronized (sockets) {
                for (Socket s : sockets) {
                    if (s == null) {
                        continue;
                    }
                    try {
                        s.setSoTimeout(1);
                        int b = s.getInputStream().read();
                        if (b >= 0) {
                            stillOpen++; // server said something more, but the socket is open
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        stillOpen++; // nothing to read: still open and idle
                    } catch (IOException e) {
                        // reset: closed
                    }
                }
                for (Socket s : sockets) {
                    if (s != null) {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // nothing
                        }
                    }
                }
            }
            StringBuilder kinds = new StringBuilder();
            errorKinds.forEach((k, v) -> kinds.append(" [").append(v.get()).append("x ").append(k).append(']'));
            System.out.printf("RESULT attempted=%d banner220=%d other_banner=%d errors=%d still_open_at_end=%d"
                    + " hold_seconds=%d setup_seconds=%.2f%s%n",
                    count, ok220.get(), otherBanner.get(), errors.get(), stillOpen, holdSeconds, setup, kinds);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before greeting" + (sb.isEmpty() ? "" : " (got '" + sb + "')"));
            }
            if (c == '\n') {
                return sb.toString().strip();
            }
            if (sb.length() < 1000) {
                sb.append((char) c);
            }
        }
    }

    private static String truncate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 80 ? s.substring(0, 80) : s;
    }
}
