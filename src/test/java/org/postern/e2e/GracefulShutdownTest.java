package org.postern.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.postern.testsupport.TestDns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestSmtpClient;

/**
 * SIGTERM on {@code postern serve}: the listener closes at once (new connections are refused), an idle session is
 * told 421, a session in the middle of DATA may finish its message and gets its 250, the process exits 0, and the
 * message acknowledged during the drain is delivered (after a restart if the drain did not get to it).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {

    @TempDir
    Path dir;

    private final List<GatewayProcess> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        for (GatewayProcess child : children) {
            child.close();
        }
    }

    @Test
    void sigtermLetsTheMessageInProgressFinishRefusesNewConnectionsAndExitsZero() throws Exception {
        int port = GatewayProcess.freePort();
        Path mail = dir.resolve("mail");
        Path config = writeConfig(port, mail);
        GatewayProcess gateway = GatewayProcess.start(config, port, dir.resolve("gateway-1.log"), Duration.ofSeconds(30));
        children.add(gateway);

        // an idle session, and a session half-way through DATA
        TestSmtpClient idle = TestSmtpClient.connect("127.0.0.1", port, Duration.ofSeconds(10));
        idle.greeting().assertCode(220);
        idle.ehlo("idle.e2e.test").assertCode(250);

        TestSmtpClient busy = TestSmtpClient.connect("127.0.0.1", port, Duration.ofSeconds(20));
        busy.greeting().assertCode(220);
        busy.ehlo("busy.e2e.test").assertCode(250);
        busy.mailFrom("sender@busy.e2e.test").assertCode(250);
        busy.rcptTo("alice@acme.test").assertCode(250);
        busy.command("DATA").assertCode(354);
        String marker = "drain-" + Long.toHexString(System.nanoTime());
        busy.writeRaw(("From: <sender@busy.e2e.test>\r\n"
                + "To: <alice@acme.test>\r\n"
                + "Subject: sent across a SIGTERM\r\n"
                + "Message-ID: <" + marker + "@e2e.postern.test>\r\n"
                + "X-E2E-Marker: " + marker + "\r\n"
                + "\r\n"
                + "first half of the body, sent before SIGTERM\r\n").getBytes(StandardCharsets.US_ASCII));
        Thread.sleep(200); // the server has read the first half

        long sigterm = System.nanoTime();
        gateway.terminate(); // SIGTERM

        // the listener closes at once while the process is still alive (draining the busy session)
        boolean refused = false;
        boolean aliveWhenRefused = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (gateway.refusesConnections()) {
                refused = true;
                aliveWhenRefused = gateway.isAlive();
                break;
            }
            Thread.sleep(20);
        }
        double refusedAfter = (System.nanoTime() - sigterm) / 1e9;
        assertThat(refused).as("a new connection is refused within 5 s of SIGTERM; log:%n%s", gateway.log()).isTrue();
        assertThat(aliveWhenRefused)
                .as("the refusal came from the drain, not from a process that was already gone; log:%n%s", gateway.log())
                .isTrue();

        // the idle session is told 421 and closed
        TestSmtpClient.Reply idleReply = idle.readReply();
        assertThat(idleReply.code()).as("idle session on shutdown: %s", idleReply).isEqualTo(421);
        assertThat(idle.isClosedByServer(Duration.ofSeconds(2))).isTrue();
        idle.close();

        // the busy one finishes its message a second after SIGTERM and gets its 250
        long sinceTerm = (System.nanoTime() - sigterm) / 1_000_000;
        if (sinceTerm < 1000) {
            Thread.sleep(1000 - sinceTerm);
        }
        assertThat(gateway.isAlive()).as("still draining while the message is unfinished").isTrue();
        busy.writeRaw("second half of the body, sent after SIGTERM\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
        TestSmtpClient.Reply end = busy.readReply();
        assertThat(end.code()).as("reply to the end of DATA during the drain: %s; log:%n%s", end, gateway.log())
                .isEqualTo(250);
        TestSmtpClient.Reply afterDrain = busy.quit();
        System.out.println("GracefulShutdownTest: reply to QUIT after the drained message: " + afterDrain);
        busy.close();

        Integer exit = gateway.waitFor(Duration.ofSeconds(30));
        double exitedAfter = (System.nanoTime() - sigterm) / 1e9;
        assertThat(exit).as("the process exits after draining; log:%n%s", gateway.log()).isNotNull();
        System.out.printf("GracefulShutdownTest figures: listener refused %.3f s after SIGTERM; exit code %d "
                + "%.2f s after SIGTERM%n", refusedAfter, exit, exitedAfter);
        assertThat(exit).as("exit code after SIGTERM (INTERFACES §1: drains and exits 0); log:%n%s", gateway.log())
                .isZero();
        assertThat(gateway.log()).contains("stopped");

        // the message acknowledged during the drain is not lost: delivered now, or after the next start
        if (!delivered(mail, marker)) {
            GatewayProcess again = GatewayProcess.start(config, port, dir.resolve("gateway-2.log"), Duration.ofSeconds(30));
            children.add(again);
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!delivered(mail, marker) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            again.terminate();
            again.waitFor(Duration.ofSeconds(30));
        }
        assertThat(delivered(mail, marker)).as("the message acknowledged during the drain reached the Maildir").isTrue();
    }

    private static boolean delivered(Path mail, String marker) throws IOException {
        if (!Files.exists(mail)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(mail)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getParent().getFileName().toString().equals("new")).toList()) {
                if (Files.readString(f, StandardCharsets.ISO_8859_1).contains("X-E2E-Marker: " + marker)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Path writeConfig(int port, Path mail) throws IOException {
        Path data = dir.resolve("data");
        String yaml = """
                node:
                  hostname: mx-drain.postern.test
                  data-dir: %1$s
                listeners:
                  smtp: { address: 127.0.0.1, port: %2$d }
                  admin: { address: 127.0.0.1, port: 0 }
                store: { url: "jdbc:h2:file:%1$s/postern" }
                dns: { servers: ["@DNS@"] }
                delivery:
                  retry-initial: 1s
                tenants:
                  - id: acme
                    domains: [acme.test]
                    delivery: "maildir:%3$s"
                """.replace("@DNS@", TestDns.sharedAddress()).formatted(data, port, mail);
        Path file = dir.resolve("postern.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
