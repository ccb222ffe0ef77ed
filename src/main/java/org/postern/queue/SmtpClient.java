package org.postern.queue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one message to an SMTP (RFC 5321) or LMTP (RFC 2033) server in one transaction: EHLO/LHLO,
 * STARTTLS when offered (RFC 3207), MAIL FROM with SIZE when offered (RFC 1870), one RCPT per recipient, and
 * DATA with the prepended headers and the spooled content streamed from disk. Commands are pipelined when the
 * server offers PIPELINING (RFC 2920). Each recipient gets its own result: a RCPT refusal affects only that
 * recipient; after DATA an SMTP server answers once for all accepted recipients, an LMTP server once for each
 * (RFC 2033 §4.2). A 2xx is Delivered, a 5xx Failed, anything else — 4xx, timeouts, broken connections — Deferred.
 */
final class SmtpClient {

    private static final Logger log = LoggerFactory.getLogger(SmtpClient.class);

    private final boolean lmtp;
    private final String host;
    private final int port;
    private final DeliverySettings settings;
    private final String peer;
    private String stage = "connect";

    SmtpClient(boolean lmtp, String host, int port, DeliverySettings settings) {
        this.lmtp = lmtp;
        this.host = host;
        this.port = port;
        this.settings = settings;
        this.peer = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    List<RecipientResult> deliver(Envelope envelope, Path content, List<String> recipients) {
        RecipientResults results = new RecipientResults(recipients);
        try {
            session(envelope, content, results, true);
        } catch (TlsFailed e) {
            // Opportunistic TLS: a server whose TLS is broken still gets its mail, like Postfix's "may" level.
            log.warn("delivery to {}: TLS handshake failed ({}); retrying without TLS", peer, e.getCause().toString());
            try {
                session(envelope, content, results, false);
            } catch (IOException again) {
                results.deferUnresolved(describe(again, null));
            }
        } catch (IOException e) {
            results.deferUnresolved(describe(e, null));
        }
        return results.list();
    }

    private void session(Envelope envelope, Path content, RecipientResults results, boolean tryTls) throws IOException {
        stage = "connect";
        try (SmtpConnection c = SmtpConnection.open(host, port, settings.connectTimeout(), settings.readTimeout())) {
            try {
                converse(c, envelope, content, results, tryTls);
            } catch (IOException e) {
                if (e instanceof TlsFailed) throw e;
                results.deferUnresolved(describe(e, c));
            }
        }
    }

    private void converse(SmtpConnection c, Envelope envelope, Path content, RecipientResults results, boolean tryTls) throws IOException {
        stage = "initial greeting";
        SmtpReply greeting = c.read();
        if (!greeting.positive()) {
            // A 5xx greeting is a deferral too (Postfix smtp_skip_5xx_greeting): the tenant's server is misbehaving, not refusing mail.
            results.deferUnresolved(said(greeting));
            quit(c);
            return;
        }
        Optional<Extensions> greeted = hello(c, results);
        if (greeted.isEmpty()) return;
        Extensions ext = greeted.get();
        if (tryTls && ext.has("STARTTLS")) {
            stage = "STARTTLS";
            c.send("STARTTLS");
            c.flush();
            if (c.read().code() == 220) {
                try {
                    c.startTls(host);
                } catch (SSLException e) {
                    throw new TlsFailed(e);
                }
                greeted = hello(c, results);   // RFC 3207 §4.2: forget what was said before TLS
                if (greeted.isEmpty()) return;
                ext = greeted.get();
            }
            // Otherwise continue in plain text: STARTTLS is opportunistic here.
        }
        transaction(c, ext, envelope, content, results);
        quit(c);
    }

    /** EHLO (LHLO for LMTP), falling back to HELO when an SMTP server refuses EHLO; empty when refused. */
    private Optional<Extensions> hello(SmtpConnection c, RecipientResults results) throws IOException {
        stage = lmtp ? "LHLO" : "EHLO";
        c.send(stage + " " + settings.hostname());
        c.flush();
        SmtpReply reply = c.read();
        if (reply.positive()) return Optional.of(Extensions.of(reply));
        if (!lmtp && reply.permanent()) {
            stage = "HELO";
            c.send("HELO " + settings.hostname());
            c.flush();
            reply = c.read();
            if (reply.positive()) return Optional.of(Extensions.none());
        }
        results.resolveUnresolved(reply, said(reply));
        quit(c);
        return Optional.empty();
    }

    private void transaction(SmtpConnection c, Extensions ext, Envelope envelope, Path content, RecipientResults results) throws IOException {
        byte[] prepend = envelope.prependHeaders().getBytes(StandardCharsets.UTF_8);
        // The edge parsed these addresses; still, a CR, LF or '>' here would let one inject commands.
        SmtpReply unusable = new SmtpReply(501, List.of("5.1.3 address not usable in an SMTP command"));
        if (!commandSafe(envelope.mailFrom())) {
            results.resolveUnresolved(unusable, "sender <" + envelope.mailFrom().strip() + "> cannot be sent in MAIL FROM");
            return;
        }
        for (String r : results.unresolved()) {
            if (!commandSafe(r)) results.resolve(r, unusable, "recipient cannot be sent in RCPT TO");
        }
        List<String> recipients = results.unresolved();
        if (recipients.isEmpty()) return;
        String mail = "MAIL FROM:<" + envelope.mailFrom() + ">";
        if (ext.has("SIZE")) mail += " SIZE=" + (prepend.length + Files.size(content));
        if (ext.has("SMTPUTF8") && !isAscii(envelope.mailFrom(), recipients)) mail += " SMTPUTF8";
        boolean pipelining = ext.has("PIPELINING");

        c.send(mail);
        if (pipelining) {
            // RFC 2920 §3.1: MAIL, every RCPT and DATA in one group; the replies come back in order.
            for (String r : recipients) c.send("RCPT TO:<" + r + ">");
            c.send("DATA");
        }
        c.flush();
        stage = "MAIL FROM";
        SmtpReply mailReply = c.read();
        if (!pipelining && !mailReply.positive()) {
            results.resolveUnresolved(mailReply, said(mailReply));
            return;
        }
        List<String> accepted = new ArrayList<>();
        for (String r : recipients) {
            if (!pipelining) {
                c.send("RCPT TO:<" + r + ">");
                c.flush();
            }
            stage = "RCPT TO";
            SmtpReply rcpt = c.read();
            if (!mailReply.positive()) continue;   // pipelined after a refused MAIL: these replies say nothing of r
            if (rcpt.positive()) accepted.add(r);
            else results.resolve(r, rcpt, said(rcpt));
        }
        if (!mailReply.positive()) results.resolveUnresolved(mailReply, said(mailReply));
        if (!pipelining) {
            if (accepted.isEmpty()) return;
            c.send("DATA");
            c.flush();
        }
        stage = "DATA";
        SmtpReply data = c.read();
        if (data.code() != 354) {
            for (String r : accepted) results.resolve(r, data, said(data));
            return;
        }
        if (accepted.isEmpty()) {
            // RFC 2920 §3.1: a pipelining server answered 354 though no recipient was accepted; send no content.
            c.data().write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            c.flush();
            stage = "end of DATA";
            c.read();
            return;
        }
        sendContent(c, prepend, content);
        stage = "end of DATA";
        if (lmtp) {
            for (String r : accepted) {
                SmtpReply reply = c.read();
                results.resolve(r, reply, said(reply));
            }
        } else {
            SmtpReply reply = c.read();
            for (String r : accepted) results.resolve(r, reply, said(reply));
        }
    }

    /** The prepended header lines, then the spooled content, streamed, dot-stuffed, and ended by CRLF.CRLF. */
    private void sendContent(SmtpConnection c, byte[] prepend, Path content) throws IOException {
        stage = "message content";
        DotStuffingOutputStream out = new DotStuffingOutputStream(c.data());
        out.write(prepend);
        try (InputStream in = Files.newInputStream(content)) {
            in.transferTo(out);
        }
        out.finish();
    }

    private void quit(SmtpConnection c) {
        stage = "QUIT";
        try {
            c.send("QUIT");
            c.flush();
            c.read();
        } catch (IOException ignored) {
            // The transaction is over; a server that drops the line at QUIT changes nothing.
        }
    }

    private String said(SmtpReply reply) {
        return peer + " said: " + reply.text() + " (in reply to " + stage + ")";
    }

    private String describe(IOException e, SmtpConnection c) {
        String secs = seconds(stage.equals("connect") ? settings.connectTimeout() : settings.readTimeout());
        if (c != null && c.stalled()) return "timeout after " + secs + ": " + peer + " stopped reading during " + stage;
        if (e instanceof UnknownHostException) return "host not found: " + host;
        if (e instanceof SocketTimeoutException && stage.equals("connect")) return "connect to " + peer + ": timed out after " + secs;
        if (e instanceof ConnectException) return "connect to " + peer + " failed: " + e.getMessage();
        if (e instanceof SocketTimeoutException) return "timeout after " + secs + " waiting for " + peer + " (" + stage + ")";
        if (e instanceof EOFException) return "lost connection with " + peer + " during " + stage;
        if (e instanceof TlsFailed) return "TLS with " + peer + " failed: " + e.getCause().getMessage();
        return "error with " + peer + " during " + stage + ": " + e;
    }

    private static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static boolean commandSafe(String address) {
        return address.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7F || ch == '<' || ch == '>');
    }

    private static boolean isAscii(String from, List<String> recipients) {
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(from)) return false;
        return recipients.stream().allMatch(r -> StandardCharsets.US_ASCII.newEncoder().canEncode(r));
    }

    /** The TLS handshake failed; the caller retries the whole session without TLS. */
    private static final class TlsFailed extends IOException {
        TlsFailed(SSLException cause) {
            super(cause);
        }
    }

    /** ESMTP keywords from an EHLO/LHLO reply (RFC 5321 §4.1.1.1), upper-cased, with their parameters. */
    private record Extensions(Map<String, String> keywords) {
        static Extensions of(SmtpReply ehlo) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
                String[] parts = line.strip().split("\\s+", 2);
                if (!parts[0].isEmpty()) map.put(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
            }
            return new Extensions(map);
        }

        static Extensions none() {
            return new Extensions(Map.of());
        }

        boolean has(String keyword) {
            return keywords.containsKey(keyword);
        }
    }
}
