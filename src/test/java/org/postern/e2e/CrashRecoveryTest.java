package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.postern.testsupport.TestDns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.Downstreams;
import org.postern.testsupport.TestSmtpClient;

/**
 * SIGKILL in the middle of a 1,000-message load, then a restart on the same data directory: every message the
 * gateway acknowledged with 250 reaches the real downstream (Postfix smtp-sink), and the only duplicates are the
 * deliveries that were in flight at the kill (at most the delivery worker count).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrashRecoveryTest {

    private static final int TOTAL = 1000;
    private static final int KILL_AFTER_ACKS = 400;
    private static final int CLIENTS = 8;
    private static final int DELIVERY_WORKERS = 8;
    private static final Pattern MARKER = Pattern.compile("(?m)^X-E2E-Marker: (m-\\d{4})\\s*$");

    @TempDir
    Path dir;

    private final List<GatewayProcess> children = new ArrayList<>();
    private Downstreams.SmtpSink sink;

    @AfterEach
    void stopEverything() {
        for (GatewayProcess child : children) {
            child.close(); // SIGKILL if still running
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void everyMessageAcknowledgedBeforeAKill9IsDeliveredAfterTheRestart() throws Exception {
        sink = Downstreams.smtpSink(dir.resolve("sink"));
        int port = GatewayProcess.freePort();
        Path config = writeConfig(port, sink.smtpUrl());

        long firstStartAt = System.nanoTime();
        GatewayProcess first = GatewayProcess.start(config, port, dir.resolve("gateway-1.log"), Duration.ofSeconds(30));
        children.add(first);
        double firstStartSeconds = (System.nanoTime() - firstStartAt) / 1e9;

        // ---- phase 1: load from 8 clients, SIGKILL once 400 messages are acknowledged
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        Set<Integer> attemptedNotAcked = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch enoughAcks = new CountDownLatch(1);
        long loadStart = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.execute(() -> sendUntilFailure(port, next, killed, acked, attemptedNotAcked, enoughAcks));
        }
        assertThat(enoughAcks.await(60, TimeUnit.SECONDS))
                .as("%d messages acknowledged within 60 s (got %d); gateway log:%n%s", KILL_AFTER_ACKS, acked.size(), first.log())
                .isTrue();
        killed.set(true);
        first.process().destroyForcibly(); // SIGKILL on Linux
        Integer exit = first.waitFor(Duration.ofSeconds(10));
        assertThat(exit).as("the child died of SIGKILL").isEqualTo(137);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("clients noticed the kill").isTrue();
        double phase1Seconds = (System.nanoTime() - loadStart) / 1e9;
        int attemptedBeforeKill = Math.min(next.get(), TOTAL);
        int ackedBeforeKill = acked.size();
        int notAckedBeforeKill = attemptedNotAcked.size();
        assertThat(ackedBeforeKill + notAckedBeforeKill).isEqualTo(attemptedBeforeKill);
        assertThat(ackedBeforeKill).isGreaterThanOrEqualTo(KILL_AFTER_ACKS);

        // ---- phase 2: restart on the same data directory and send the rest
        long restartAt = System.nanoTime();
        System.out.println("restart at " + java.time.LocalTime.now());
        GatewayProcess second = GatewayProcess.start(config, port, dir.resolve("gateway-2.log"), Duration.ofSeconds(30));
        children.add(second);
        double restartSeconds = (System.nanoTime() - restartAt) / 1e9;
        Set<Integer> acked2 = ConcurrentHashMap.newKeySet();
        Set<Integer> notAcked2 = ConcurrentHashMap.newKeySet();
        ExecutorService clients2 = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean never = new AtomicBoolean();
        CountDownLatch unused = new CountDownLatch(1);
        for (int c = 0; c < CLIENTS; c++) {
            clients2.execute(() -> sendUntilFailure(port, next, never, acked2, notAcked2, unused));
        }
        clients2.shutdown();
        assertThat(clients2.awaitTermination(60, TimeUnit.SECONDS)).as("phase 2 finished").isTrue();
        assertThat(notAcked2).as("after the restart every message is accepted; log:%n%s", second.log()).isEmpty();
        acked.addAll(acked2);
        assertThat(acked.size() + attemptedNotAcked.size()).as("1,000 messages attempted in all").isEqualTo(TOTAL);

        // ---- every acknowledged message reaches smtp-sink (bounded wait)
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Integer> delivered;
        Set<Integer> missing;
        while (true) {
            delivered = deliveredMarkers();
            missing = new TreeSet<>();
            for (int i : acked) {
                if (!delivered.containsKey(marker(i))) {
                    missing.add(i);
                }
            }
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        double allDeliveredSeconds = (System.nanoTime() - restartAt) / 1e9;
        assertThat(missing)
                .as("acknowledged messages never delivered (%d of %d acked); gateway log after restart:%n%s",
                        missing.size(), acked.size(), tail(second.log(), 4000))
                .isEmpty();

        // let any redelivery of in-flight messages land before counting duplicates
        Thread.sleep(1000);
        delivered = deliveredMarkers();
        int duplicates = 0;
        List<String> duplicated = new ArrayList<>();
        for (var e : delivered.entrySet()) {
            if (e.getValue() > 1) {
                duplicates += e.getValue() - 1;
                duplicated.add(e.getKey() + "x" + e.getValue());
            }
        }
        int notAckedButDelivered = 0;
        for (int i : attemptedNotAcked) {
            if (delivered.containsKey(marker(i))) {
                notAckedButDelivered++;
            }
        }
        int unknownMarkers = 0;
        for (String m : delivered.keySet()) {
            int i = Integer.parseInt(m.substring(2));
            if (!acked.contains(i) && !attemptedNotAcked.contains(i)) {
                unknownMarkers++;
            }
        }

        System.out.printf("CrashRecoveryTest figures: attempted before kill=%d, acked before kill=%d, "
                        + "not acked before kill=%d, phase-1 %.1f s; first start to listening %.2f s; restart to listening %.2f s; "
                        + "restart to all acked delivered %.2f s; total acked=%d; delivered distinct=%d; "
                        + "duplicate deliveries=%d %s; not-acked-but-delivered=%d%n",
                attemptedBeforeKill, ackedBeforeKill, notAckedBeforeKill, phase1Seconds, firstStartSeconds, restartSeconds,
                allDeliveredSeconds, acked.size(), delivered.size(), duplicates, duplicated, notAckedButDelivered);

        System.out.println("---- gateway log after the restart (not delivery lines):\n" + String.join("\n", second.log().lines().filter(l -> !l.contains("status=Delivered")).limit(40).toList()));
        assertThat(unknownMarkers).as("deliveries of messages nobody sent").isZero();
        assertThat(duplicates)
                .as("duplicate deliveries %s: at most the attempts in flight at the kill (%d workers)", duplicated,
                        DELIVERY_WORKERS)
                .isLessThanOrEqualTo(DELIVERY_WORKERS);
    }

    /** One client: a persistent session sending message after message until the gateway goes away. */
    private static void sendUntilFailure(int port, AtomicInteger next, AtomicBoolean stop, Set<Integer> acked,
                                         Set<Integer> notAcked, CountDownLatch enoughAcks) {
        TestSmtpClient client = null;
        int current = -1;
        try {
            client = TestSmtpClient.connect("127.0.0.1", port, Duration.ofSeconds(30));
            client.greeting();
            client.ehlo("load.e2e.test").assertCode(250);
            while (!stop.get()) {
                current = next.getAndIncrement();
                if (current >= TOTAL) {
                    current = -1;
                    break;
                }
                TestSmtpClient.Reply r = client.send("sender@load.e2e.test", List.of("user" + (current % 50) + "@acme.test"),
                        message(current));
                if (r.code() == 250) {
                    acked.add(current);
                    if (acked.size() >= KILL_AFTER_ACKS) {
                        enoughAcks.countDown();
                    }
                } else {
                    notAcked.add(current);
                    if (r.code() == 421) {
                        current = -1;
                        break;
                    }
                }
                current = -1;
            }
            client.quit();
        } catch (RuntimeException e) {
            // the gateway was killed under us: the message in progress was not acknowledged
            if (current >= 0) {
                notAcked.add(current);
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private static String marker(int i) {
        return String.format("m-%04d", i);
    }

    private static String message(int i) {
        String m = marker(i);
        return "From: <sender@load.e2e.test>\r\n"
                + "To: <user" + (i % 50) + "@acme.test>\r\n"
                + "Subject: crash recovery " + m + "\r\n"
                + "Message-ID: <" + m + ".crash@e2e.postern.test>\r\n"
                + "X-E2E-Marker: " + m + "\r\n"
                + "\r\n"
                + "Message " + m + ".\r\n"
                + "Some body text so the message is not trivially small.\r\n".repeat(20);
    }

    /** marker -> number of times smtp-sink received it (every file in its dump directory). */
    private Map<String, Integer> deliveredMarkers() throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (Path f : sink.messageFiles()) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.ISO_8859_1);
            } catch (java.nio.file.NoSuchFileException e) {
                continue;
            }
            Matcher m = MARKER.matcher(text);
            if (m.find()) {
                counts.merge(m.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    private Path writeConfig(int port, String deliveryUrl) throws IOException {
        Path data = dir.resolve("data");
        String yaml = """
                node:
                  hostname: mx-crash.postern.test
                  data-dir: %1$s
                listeners:
                  smtp: { address: 127.0.0.1, port: %2$d }
                  admin: { address: 127.0.0.1, port: 0 }
                store: { url: "jdbc:h2:file:%1$s/postern" }
                dns: { servers: ["@DNS@"] }
                limits:
                  connections-per-ip: 100
                  messages-per-ip-per-minute: 100000
                delivery:
                  retry-initial: 1s
                  retry-max: 2s
                  connect-timeout: 5s
                  read-timeout: 30s
                  workers: %4$d
                tenants:
                  - id: acme
                    domains: [acme.test]
                    delivery: "%3$s"
                """.replace("@DNS@", TestDns.sharedAddress()).formatted(data, port, deliveryUrl, DELIVERY_WORKERS);
        Path file = dir.resolve("postern.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String tail(String s, int chars) {
        return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
    }

    private static String head(String s, int chars) {
        return s.length() <= chars ? s : s.substring(0, chars) + "...";
    }
}
