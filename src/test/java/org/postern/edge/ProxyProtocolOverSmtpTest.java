package org.postern.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;
import org.postern.trace.TraceStatus;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listener behind a TCP load balancer (PROXY protocol): the client the header names is the client for every
 * decision and in the trace; no header, a garbled one or a peer that is not a trusted proxy gets 554 5.7.1 and is
 * disconnected.
 */
class ProxyProtocolOverSmtpTest {

    @TempDir Path dir;

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private String config(String extra) {
        return """
                listeners:
                  smtp: { address: 127.0.0.1, port: 0, proxy-protocol: true, trusted-proxies: ["127.0.0.1/32"], proxy-timeout: 1s }
                  admin: { address: 127.0.0.1, port: 0 }
                  submission: { address: 127.0.0.1, port: 0, proxy-protocol: true, trusted-proxies: ["127.0.0.1/32"] }
                operator: { blocked-ips: ["203.0.113.66/32"] }
                tenants:
                  - { id: acme, domains: [acme.test], delivery: "maildir:%s" }
                """.formatted(dir.resolve("mail")) + extra;
    }

    private static byte[] v1(String client) {
        return ("PROXY TCP4 " + client + " 127.0.0.1 40000 25\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2(String client) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12)
                .put(InetAddress.getByName(client).getAddress()).put(InetAddress.getByName("127.0.0.1").getAddress())
                .putShort((short) 40000).putShort((short) 25);
        return b.array();
    }

    private static TestSmtpClient through(TestGateway gw, byte[] header) {
        return TestSmtpClient.connectThroughProxy("127.0.0.1", gw.gateway.smtpPort(), header);
    }

    @Test
    void theClientNamedByAV1OrV2HeaderIsTracedAndJudged() throws Exception {
        try (TestGateway gw = new TestGateway(dir.resolve("gw"), "mx1.postern.test", config(""))) {
            for (byte[] header : List.of(v1("198.51.100.7"), v2("198.51.100.7"))) {
                try (TestSmtpClient c = through(gw, header)) {
                    c.greeting().assertCode(220);
                    c.ehlo("client.example.org").assertCode(250);
                    var reply = c.send("someone@example.org", List.of("alice@acme.test"),
                            TestGateway.wellFormed("someone@example.org", "Subject: via the balancer\r\n\r\nhi\r\n"));
                    assertThat(reply.code()).isEqualTo(250);
                    assertThat(gw.traceOf(reply).clientIp()).isEqualTo("198.51.100.7");
                }
            }
            // The operator's hard ban applies to the client behind the balancer, not to the balancer.
            try (TestSmtpClient banned = through(gw, v2("203.0.113.66"))) {
                var greeting = banned.greeting();
                assertThat(greeting.code()).isEqualTo(554);
                var traced = gw.traceOf(greeting);
                assertThat(traced.clientIp()).isEqualTo("203.0.113.66");
                assertThat(traced.decisions()).singleElement().satisfies(d -> assertThat(d.setting()).isEqualTo("operator.blocked-ips"));
            }
        }
    }

    @Test
    void theSubmissionListenerTakesTheHeaderToo() throws Exception {
        try (TestGateway gw = new TestGateway(dir.resolve("gw"), "mx1.postern.test", config(""))) {
            int port = gw.gateway.submissionPort("submission").orElseThrow();
            try (TestSmtpClient c = TestSmtpClient.connectThroughProxy("127.0.0.1", port, v1("198.51.100.7"))) {
                c.greeting().assertCode(220);
                c.ehlo("client.example.org").assertCode(250);
            }
            try (TestSmtpClient banned = TestSmtpClient.connectThroughProxy("127.0.0.1", port, v2("203.0.113.66"))) {
                assertThat(banned.greeting().code()).isEqualTo(554);
                assertThat(gw.traceOf(banned.greeting()).clientIp()).isEqualTo("203.0.113.66");
            }
            try (TestSmtpClient direct = TestSmtpClient.connectThroughProxy("127.0.0.1", port, new byte[0])) {
                var refused = direct.greeting();
                assertThat(refused.code()).isEqualTo(554);
                assertThat(gw.traceOf(refused).decisions()).singleElement()
                        .satisfies(d -> assertThat(d.setting()).isEqualTo("listeners.submission.trusted-proxies"));
            }
        }
    }

    @Test
    void connectionLimitsCountTheClientsBehindTheBalancerNotTheBalancer() throws Exception {
        try (TestGateway gw = new TestGateway(dir.resolve("gw"), "mx1.postern.test", config("limits: { connections-per-ip: 1 }\n"));
             TestSmtpClient a = through(gw, v2("198.51.100.7"));
             TestSmtpClient b = through(gw, v1("198.51.100.8"))) {
            a.greeting().assertCode(220);
            b.greeting().assertCode(220); // same balancer, another client: its own limit
            try (TestSmtpClient again = through(gw, v1("198.51.100.7"))) {
                assertThat(again.greeting().code()).isEqualTo(421);
                assertThat(gw.traceOf(again.greeting()).clientIp()).isEqualTo("198.51.100.7");
            }
        }
    }

    @Test
    void noHeaderAGarbledOneOrAnUntrustedPeerGet554AndAreDisconnected() throws Exception {
        try (TestGateway gw = new TestGateway(dir.resolve("gw"), "mx1.postern.test", config(""))) {
            ByteArrayOutputStream smtpFirst = new ByteArrayOutputStream();
            smtpFirst.writeBytes("EHLO client.example.org\r\n".getBytes(StandardCharsets.US_ASCII));
            for (byte[] wrong : List.of(smtpFirst.toByteArray(), "PROXY TCP4 198.51.100.7 127.0.0.1 40000\r\n".getBytes(StandardCharsets.US_ASCII),
                    java.util.Arrays.copyOf(v2("198.51.100.7"), 20))) {
                try (TestSmtpClient c = through(gw, wrong)) {
                    var refused = c.greeting();
                    assertThat(refused.code()).as(new String(wrong, StandardCharsets.ISO_8859_1)).isEqualTo(554);
                    assertThat(refused.enhancedCode()).isEqualTo("5.7.1");
                    assertThat(c.isClosedByServer(Duration.ofSeconds(5))).isTrue();
                    var traced = gw.traceOf(refused);
                    assertThat(traced.status()).isEqualTo(TraceStatus.Rejected);
                    assertThat(traced.phase()).isEqualTo("CONNECT");
                    assertThat(traced.clientIp()).isEqualTo("127.0.0.1");
                    assertThat(traced.decisions()).singleElement().satisfies(d -> assertThat(d.reason()).startsWith("operator.proxy-protocol: "));
                }
            }
            // 127.0.0.2 is not a trusted proxy: even a well-formed header is not read, let alone believed.
            try (TestSmtpClient c = TestSmtpClient.connectThroughProxy("127.0.0.2", gw.gateway.smtpPort(), v2("198.51.100.7"))) {
                var refused = c.greeting();
                assertThat(refused.code()).isEqualTo(554);
                assertThat(c.isClosedByServer(Duration.ofSeconds(5))).isTrue();
                var traced = gw.traceOf(refused);
                assertThat(traced.clientIp()).isEqualTo("127.0.0.2");
                assertThat(traced.decisions()).singleElement().satisfies(d -> assertThat(d.reason()).contains("not a trusted proxy"));
            }
            // A balancer's TCP health check (connect, close) is no refusal: nothing is traced.
            int before = gw.gateway.trace().search(org.postern.trace.TraceQuery.all()).size();
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", gw.gateway.smtpPort())) {
                probe.shutdownOutput(); // FIN without a header
            }
            try (java.net.Socket reset = new java.net.Socket("127.0.0.1", gw.gateway.smtpPort())) {
                reset.setSoLinger(true, 0); // RST
            }
            TestGateway.sleep(300);
            assertThat(gw.gateway.trace().search(org.postern.trace.TraceQuery.all())).hasSize(before);
            // A trusted peer that sends nothing is refused once proxy-timeout (1 s) has passed.
            long start = System.nanoTime();
            try (TestSmtpClient silent = through(gw, new byte[0])) {
                assertThat(silent.greeting().code()).isEqualTo(554);
                assertThat(silent.greeting().text()).contains("PROXY");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
        }
    }
}
