package org.postern.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PROXY protocol header (HAProxy, "The PROXY protocol", versions 1 and 2) a TCP load balancer puts in front
 * of the client's first octet, so that the client's own address, not the balancer's, drives every decision.
 *
 * <p>Security stance: only a peer the operator listed may send a header (anyone else could claim any address), and
 * from a listed peer a header is required (spec §2: a receiver must not guess). The header is read octet by octet,
 * never past its end, so the SMTP session gets the client's first command untouched; the whole header must arrive
 * within one timeout (a drip-feeding peer cannot hold the slot longer), and is bounded in size (v1: 107 octets,
 * spec §2.1; v2: {@link #MAX_V2_LENGTH} octets of addresses and TLVs).</p>
 */
public final class ProxyProtocol {

    /** v2's signature: cannot start a v1 header nor any SMTP command (spec §2.2). */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** Spec §2.1: "a receiver ... must not read more than 107 characters". */
    static final int MAX_V1_LENGTH = 107;
    /** Addresses (at most 216 octets for UNIX) plus TLVs such as AWS's VPC endpoint id or a TLS summary. */
    static final int MAX_V2_LENGTH = 2048;

    private static final Pattern V1 = Pattern.compile(
            "PROXY (TCP4|TCP6) ([0-9A-Fa-f.:]+) ([0-9A-Fa-f.:]+) (0|[1-9][0-9]{0,4}) (0|[1-9][0-9]{0,4})");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private ProxyProtocol() { }

    /** Reads the header from the socket within {@code timeout} (all of it), leaving the socket just past it. */
    public static ProxyHeader read(Socket socket, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int previous = socket.getSoTimeout();
        try {
            return read(new Deadline(socket, deadline).stream());
        } catch (SocketTimeoutException e) {
            throw new ProxyProtocolException("no complete PROXY protocol header within " + timeout.toMillis() + " ms");
        } finally {
            if (!socket.isClosed()) socket.setSoTimeout(previous);
        }
    }

    /** Reads one header from {@code in}, octet by octet. */
    public static ProxyHeader read(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) throw ProxyProtocolException.closedBeforeHeader();
        if (first == V2_SIGNATURE[0]) return readV2(in);
        if (first == 'P') return readV1(in);
        throw new ProxyProtocolException("no PROXY protocol header: the connection starts with " + describe(first));
    }

    private static ProxyHeader readV1(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder("P");
        while (true) {
            int b = in.read();
            if (b < 0) throw new ProxyProtocolException("PROXY v1 header truncated: " + printable(line));
            if (b == '\r') {
                if (in.read() != '\n') throw new ProxyProtocolException("PROXY v1 header: CR not followed by LF");
                break;
            }
            if (b < 0x20 || b > 0x7E) throw new ProxyProtocolException("PROXY v1 header: unexpected octet " + describe(b));
            line.append((char) b);
            if (line.length() + 2 > MAX_V1_LENGTH) throw new ProxyProtocolException("PROXY v1 header longer than 107 octets");
        }
        String text = line.toString();
        if (text.equals("PROXY UNKNOWN") || text.startsWith("PROXY UNKNOWN ")) return new ProxyHeader.Local(1);
        Matcher m = V1.matcher(text);
        if (!m.matches()) throw new ProxyProtocolException("PROXY v1 header malformed: " + printable(line));
        boolean v4 = m.group(1).equals("TCP4");
        InetAddress source = v1Address(m.group(2), v4);
        InetAddress destination = v1Address(m.group(3), v4);
        return new ProxyHeader.Proxied(new InetSocketAddress(source, port(m.group(4))), new InetSocketAddress(destination, port(m.group(5))), 1);
    }

    private static InetAddress v1Address(String text, boolean v4) throws ProxyProtocolException {
        boolean ok = v4 ? IPV4.matcher(text).matches() : text.contains(":") && com.google.common.net.InetAddresses.isInetAddress(text);
        if (!ok) throw new ProxyProtocolException("PROXY v1 header: '" + text + "' is not an " + (v4 ? "IPv4" : "IPv6") + " address");
        return com.google.common.net.InetAddresses.forString(text);
    }

    private static int port(String text) throws ProxyProtocolException {
        int p = Integer.parseInt(text);
        if (p > 65535) throw new ProxyProtocolException("PROXY header: port " + text + " out of range");
        return p;
    }

    private static ProxyHeader readV2(InputStream in) throws IOException {
        byte[] signature = new byte[V2_SIGNATURE.length];
        signature[0] = V2_SIGNATURE[0];
        readFully(in, signature, 1, signature.length - 1, "signature");
        if (!Arrays.equals(signature, V2_SIGNATURE)) throw new ProxyProtocolException("no PROXY protocol header: bad v2 signature");
        byte[] head = new byte[4];
        readFully(in, head, 0, 4, "header");
        int versionCommand = head[0] & 0xFF;
        int family = head[1] & 0xFF;
        int length = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
        if (versionCommand >> 4 != 2) throw new ProxyProtocolException("PROXY v2 header: version " + (versionCommand >> 4) + ", not 2");
        int command = versionCommand & 0x0F;
        if (command > 1) throw new ProxyProtocolException("PROXY v2 header: unknown command " + command);
        if (length > MAX_V2_LENGTH) throw new ProxyProtocolException("PROXY v2 header: " + length + " octets of addresses and TLVs, more than " + MAX_V2_LENGTH);
        byte[] body = new byte[length];
        readFully(in, body, 0, length, "addresses");
        // Spec §2.2: with LOCAL the receiver ignores the address block and uses the real connection endpoints.
        if (command == 0) return new ProxyHeader.Local(2);
        return switch (family) {
            case 0x11 -> proxied(body, 4, length);   // TCP over IPv4
            case 0x21 -> proxied(body, 16, length);  // TCP over IPv6
            case 0x00 -> throw new ProxyProtocolException("PROXY v2 header: PROXY command with an unspecified address family");
            default -> throw new ProxyProtocolException("PROXY v2 header: address family and transport 0x"
                    + Integer.toHexString(family) + " not taken (only TCP over IPv4 or IPv6)");
        };
    }

    private static ProxyHeader proxied(byte[] body, int addressLength, int length) throws ProxyProtocolException {
        if (length < 2 * addressLength + 4) throw new ProxyProtocolException("PROXY v2 header: address block of " + length
                + " octets too short for " + (addressLength == 4 ? "IPv4" : "IPv6"));
        try {
            InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(body, 0, addressLength));
            InetAddress destination = InetAddress.getByAddress(Arrays.copyOfRange(body, addressLength, 2 * addressLength));
            int sourcePort = ((body[2 * addressLength] & 0xFF) << 8) | (body[2 * addressLength + 1] & 0xFF);
            int destinationPort = ((body[2 * addressLength + 2] & 0xFF) << 8) | (body[2 * addressLength + 3] & 0xFF);
            return new ProxyHeader.Proxied(new InetSocketAddress(source, sourcePort), new InetSocketAddress(destination, destinationPort), 2);
        } catch (UnknownHostException e) {
            throw new ProxyProtocolException("PROXY v2 header: bad address");
        }
    }

    private static void readFully(InputStream in, byte[] into, int offset, int length, String part) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(into, offset + done, length - done);
            if (n < 0) throw new ProxyProtocolException("PROXY v2 header truncated in its " + part);
            done += n;
        }
    }

    private static String describe(int octet) {
        return octet >= 0x21 && octet <= 0x7E ? "'" + (char) octet + "'" : String.format("0x%02x", octet);
    }

    private static String printable(CharSequence s) {
        String t = s.toString();
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }

    /** The socket's input with each read bounded by what is left of one deadline. */
    private record Deadline(Socket socket, long deadlineNanos) {
        InputStream stream() throws IOException {
            InputStream raw = socket.getInputStream();
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    arm();
                    return raw.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    arm();
                    return raw.read(b, off, len);
                }
            };
        }

        private void arm() throws IOException {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) throw new SocketTimeoutException("PROXY header deadline passed");
            socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(left).toMillis()));
        }
    }
}
