package org.postern.smtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PROXY protocol header (HAProxy's proxy-protocol.txt), v1 and v2, with the octets after it left unread. */
class ProxyProtocolTest {

    private static InputStream stream(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) all.writeBytes(p);
        return new ByteArrayInputStream(all.toByteArray());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String rest(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    /** A v2 header: command 0x2? and family byte as given, then the address block (and any TLVs). */
    static byte[] v2(int versionCommand, int family, byte[] block) {
        ByteBuffer b = ByteBuffer.allocate(16 + block.length);
        b.put(ProxyProtocol.V2_SIGNATURE).put((byte) versionCommand).put((byte) family).putShort((short) block.length).put(block);
        return b.array();
    }

    static byte[] v2Tcp4(String source, int sourcePort, String destination, int destinationPort) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(12);
        block.put(InetAddress.getByName(source).getAddress()).put(InetAddress.getByName(destination).getAddress())
                .putShort((short) sourcePort).putShort((short) destinationPort);
        return v2(0x21, 0x11, block.array());
    }

    @Test
    void readsAV1Tcp4HeaderAndLeavesTheFirstCommandUnread() throws IOException {
        InputStream in = stream(ascii("PROXY TCP4 192.0.2.10 198.51.100.1 56324 25\r\nEHLO client.example\r\n"));
        var h = (ProxyHeader.Proxied) ProxyProtocol.read(in);
        assertThat(h.source()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 56324));
        assertThat(h.destination()).isEqualTo(new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 25));
        assertThat(h.version()).isEqualTo(1);
        assertThat(rest(in)).isEqualTo("EHLO client.example\r\n");
    }

    @Test
    void readsAV1Tcp6Header() throws IOException {
        var h = (ProxyHeader.Proxied) ProxyProtocol.read(stream(ascii("PROXY TCP6 2001:db8::7 2001:db8::1 4000 25\r\n")));
        assertThat(h.source().getAddress()).isEqualTo(InetAddress.getByName("2001:db8::7"));
        assertThat(h.source().getPort()).isEqualTo(4000);
    }

    @Test
    void v1UnknownMeansTheProxySpeaksForItself() throws IOException {
        assertThat(ProxyProtocol.read(stream(ascii("PROXY UNKNOWN\r\n")))).isEqualTo(new ProxyHeader.Local(1));
        assertThat(ProxyProtocol.read(stream(ascii("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"))))
                .isEqualTo(new ProxyHeader.Local(1));
    }

    @Test
    void refusesMalformedV1Headers() {
        for (String bad : new String[]{
                "PROXY TCP4 192.0.2.10 198.51.100.1 56324\r\n",          // a port missing
                "PROXY TCP4 2001:db8::1 198.51.100.1 1 25\r\n",          // IPv6 under TCP4
                "PROXY TCP6 192.0.2.1 192.0.2.2 1 25\r\n",               // IPv4 under TCP6
                "PROXY TCP4 192.0.2.300 198.51.100.1 1 25\r\n",          // not an address
                "PROXY TCP4 192.0.2.1 198.51.100.1 70000 25\r\n",        // port out of range
                "PROXY TCP4 192.0.2.1 198.51.100.1 01 25\r\n",           // leading zero
                "PROXY TCP4  192.0.2.1 198.51.100.1 1 25\r\n",           // two spaces
                "PROXY UDP4 192.0.2.1 198.51.100.1 1 25\r\n",
                "PROXY TCP4 192.0.2.1 198.51.100.1 1 25\n",              // bare LF
                "PROXY TCP4 192.0.2.1 198.51.100.1 1 25\r\r\n",
                "PROXY TCP4 192.0.2.1 198.51.100.1 1 25",                // truncated
                "PROXY TCP4 192.0.2.1 \u00e9 1 25\r\n",
                "PROXY " + "A".repeat(120) + "\r\n"}) {                  // past 107 octets
            assertThatThrownBy(() -> ProxyProtocol.read(stream(bad.getBytes(StandardCharsets.ISO_8859_1))))
                    .as(bad).isInstanceOf(ProxyProtocolException.class);
        }
    }

    @Test
    void refusesAConnectionThatStartsWithSmtpInstead() {
        assertThatThrownBy(() -> ProxyProtocol.read(stream(ascii("EHLO client.example\r\n"))))
                .isInstanceOf(ProxyProtocolException.class).hasMessageContaining("starts with 'E'");
        assertThatThrownBy(() -> ProxyProtocol.read(stream(new byte[0])))
                .isInstanceOfSatisfying(ProxyProtocolException.class, e -> assertThat(e.isClosedBeforeHeader()).isTrue());
        assertThatThrownBy(() -> ProxyProtocol.read(stream(ascii("PROXY TCP4"))))
                .isInstanceOfSatisfying(ProxyProtocolException.class, e -> assertThat(e.isClosedBeforeHeader()).isFalse());
    }

    @Test
    void readsAV2Tcp4HeaderAndLeavesTheFirstCommandUnread() throws IOException {
        InputStream in = stream(v2Tcp4("203.0.113.5", 40000, "198.51.100.1", 25), ascii("EHLO x\r\n"));
        var h = (ProxyHeader.Proxied) ProxyProtocol.read(in);
        assertThat(h.source()).isEqualTo(new InetSocketAddress(InetAddress.getByName("203.0.113.5"), 40000));
        assertThat(h.destination().getPort()).isEqualTo(25);
        assertThat(h.version()).isEqualTo(2);
        assertThat(rest(in)).isEqualTo("EHLO x\r\n");
    }

    @Test
    void readsAV2Tcp6HeaderWithTlvsAfterTheAddresses() throws IOException {
        ByteBuffer block = ByteBuffer.allocate(36 + 7);
        block.put(InetAddress.getByName("2001:db8::5").getAddress()).put(InetAddress.getByName("2001:db8::1").getAddress())
                .putShort((short) 50000).putShort((short) 25)
                .put((byte) 0x04).putShort((short) 4).put(ascii("vpce")); // PP2_TYPE_NOOP-style TLV: skipped
        InputStream in = stream(v2(0x21, 0x21, block.array()), ascii("QUIT\r\n"));
        var h = (ProxyHeader.Proxied) ProxyProtocol.read(in);
        assertThat(h.source().getAddress()).isEqualTo(InetAddress.getByName("2001:db8::5"));
        assertThat(h.source().getPort()).isEqualTo(50000);
        assertThat(rest(in)).isEqualTo("QUIT\r\n");
    }

    @Test
    void v2LocalIsTheProxysOwnConnectionWhateverItsAddressBlock() throws IOException {
        InputStream in = stream(v2(0x20, 0x00, new byte[0]), ascii("EHLO lb\r\n"));
        assertThat(ProxyProtocol.read(in)).isEqualTo(new ProxyHeader.Local(2));
        assertThat(rest(in)).isEqualTo("EHLO lb\r\n");
        assertThat(ProxyProtocol.read(stream(v2(0x20, 0x11, new byte[12])))).isEqualTo(new ProxyHeader.Local(2));
    }

    @Test
    void refusesTruncatedAndUnsupportedV2Headers() throws IOException {
        byte[] good = v2Tcp4("203.0.113.5", 40000, "198.51.100.1", 25);
        for (int cut = 1; cut < good.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> ProxyProtocol.read(stream(truncated))).as("cut at %d", cut).isInstanceOf(ProxyProtocolException.class);
        }
        assertThatThrownBy(() -> ProxyProtocol.read(stream(v2(0x11, 0x11, new byte[12])))).hasMessageContaining("version 1");
        assertThatThrownBy(() -> ProxyProtocol.read(stream(v2(0x22, 0x11, new byte[12])))).hasMessageContaining("command 2");
        assertThatThrownBy(() -> ProxyProtocol.read(stream(v2(0x21, 0x12, new byte[12])))).hasMessageContaining("0x12"); // UDP
        assertThatThrownBy(() -> ProxyProtocol.read(stream(v2(0x21, 0x31, new byte[216])))).hasMessageContaining("0x31"); // UNIX
        assertThatThrownBy(() -> ProxyProtocol.read(stream(v2(0x21, 0x11, new byte[8])))).hasMessageContaining("too short");
        assertThatThrownBy(() -> ProxyProtocol.read(stream(v2(0x21, 0x21, new byte[12])))).hasMessageContaining("too short");
        assertThatThrownBy(() -> ProxyProtocol.read(stream(v2(0x21, 0x11, new byte[ProxyProtocol.MAX_V2_LENGTH + 1]))))
                .hasMessageContaining("more than");
        byte[] badSignature = good.clone();
        badSignature[5] = 'X';
        assertThatThrownBy(() -> ProxyProtocol.read(stream(badSignature))).hasMessageContaining("signature");
    }

    @Test
    void aHeaderDrippedSlowerThanTheTimeoutIsRefusedInTime() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            Thread dripper = Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : ascii("PROXY TCP4 192.0.2.1 198.51.100.1 1 25\r\n")) {
                        client.getOutputStream().write(b);
                        Thread.sleep(100); // each octet well inside the timeout, the whole header not
                    }
                } catch (IOException | InterruptedException ignored) {
                    // the server gave up
                }
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> ProxyProtocol.read(accepted, Duration.ofMillis(700)))
                    .isInstanceOf(ProxyProtocolException.class).hasMessageContaining("within 700 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
            dripper.interrupt();
        }
    }
}
