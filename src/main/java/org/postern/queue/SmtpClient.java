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
 *
 * <p>A connection whose transaction ended cleanly (every reply read, none a 421) is not closed but left in the
 * {@link SmtpConnectionCache}; the next message to the same server takes it, checks it with RSET and starts with
 * MAIL FROM. When no cached connection answers RSET, a new connection is opened as if there had been none.
 */
final class SmtpClient {

    private static final Logger log = LoggerFactory.getLogger(SmtpClient.class);

    private final boolean lmtp;
    private final String host;
    private final int port;
    private final DeliverySettings settings;
    private final String peer;
    private final SmtpConnectionCache cache;
    private final String cacheKey;
    private final ClientProfile profile;
    private String stage = "connect";

    SmtpClient(boolean lmtp, String host, int port, DeliverySettings settings, SmtpConnectionCache cache) {
        this(lmtp, host, port, settings, cache, ClientProfile.of(settings.hostname()));
    }

    /** To {@code host} (an address or name) and port, speaking as the profile says (HELO name, source, TLS). */
    SmtpClient(boolean lmtp, String host, int port, DeliverySettings settings, SmtpConnectionCache cache, ClientProfile profile) {
        this.lmtp = lmtp;
        this.host = host;
        this.port = port;
        this.settings = settings;
        this.profile = profile;
        String name = profile.serverName().filter(n -> !n.equals(host)).map(n -> n + "[" + host + "]").orElse(host.contains(":") ? "[" + host + "]" : host);
        this.peer = name + ":" + port;
        this.cache = cache;
        // A connection is reused only by a delivery that would have opened the same one.
        this.cacheKey = SmtpConnectionCache.key(lmtp, host, port) + profile.cacheSuffix();
    }

    /**
     * How this client presents itself and what TLS it insists on: the EHLO name, the local address to connect
     * from (a delivery pool), the server's name for SNI and certificate checks, and whether REQUIRETLS (RFC 8689)
     * is passed on.
     */
    record ClientProfile(String helo, Optional<java.net.InetAddress> source, Optional<String> serverName,
                         TlsPolicy tls, boolean requireTls) {
        static ClientProfile of(String helo) {
            return new ClientProfile(helo, Optional.empty(), Optional.empty(), new TlsPolicy.Opportunistic(), false);
        }

        String cacheSuffix() {
            return "|" + helo + "|" + source.map(java.net.InetAddress::getHostAddress).orElse("")
                    + "|" + serverName.orElse("") + "|" + tls.describe() + "|" + requireTls;
        }
    }

    List<RecipientResult> deliver(Envelope envelope, Path content, List<String> recipients) {
        RecipientResults results = new RecipientResults(recipients);
        if (reuse(envelope, content, results)) return results.list();
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

    /**
     * Runs the transaction on a cached connection to this server, if one answers RSET; false when none does (and
     * nothing was said about any recipient yet).
     */
    private boolean reuse(Envelope envelope, Path content, RecipientResults results) {
        while (true) {
            Optional<SmtpConnectionCache.Idle> idle = cache.take(cacheKey);
            if (idle.isEmpty()) return false;
            SmtpConnection c = idle.get().connection();
            try {
                stage = "RSET";
                c.send("RSET");
                c.flush();
                if (!c.read().positive()) {
                    SmtpConnectionCache.quitLater(c);
                    continue;
                }
            } catch (IOException e) {
                c.close();   // the server closed it meanwhile, most likely: try the next, or a new connection
                continue;
            }
            Extensions ext = idle.get().extensions();
            try {
                if (transaction(c, ext, envelope, content, results)) {
                    release(c, ext, idle.get().openedNanos());
                    return true;
                }
                quit(c);
            } catch (IOException e) {
                results.deferUnresolved(describe(e, c));
            }
            c.close();
            return true;
        }
    }

    /** After a clean transaction: the connection goes back to the cache, or says QUIT and closes when it cannot. */
    private void release(SmtpConnection c, Extensions ext, long openedNanos) {
        if (cache.offer(cacheKey, c, ext, openedNanos)) return;
        quit(c);
        c.close();
    }

    private void session(Envelope envelope, Path content, RecipientResults results, boolean tryTls) throws IOException {
        stage = "connect";
        SmtpConnection c = SmtpConnection.open(host, port, profile.source(), settings.connectTimeout(), settings.readTimeout());
        long opened = System.nanoTime();
        Optional<Extensions> clean = Optional.empty();
        try {
            clean = converse(c, envelope, content, results, tryTls);
        } catch (IOException e) {
            if (e instanceof TlsFailed) throw e;
            results.deferUnresolved(describe(e, c));
        } finally {
            if (clean.isPresent()) release(c, clean.get(), opened);
            else c.close();
        }
    }

    /** The session up to the end of the transaction; what the server offered when it ended cleanly, else empty (after QUIT). */
    private Optional<Extensions> converse(SmtpConnection c, Envelope envelope, Path content, RecipientResults results, boolean tryTls) throws IOException {
        stage = "initial greeting";
        SmtpReply greeting = c.read();
        if (!greeting.positive()) {
            // A 5xx greeting is a deferral too (Postfix smtp_skip_5xx_greeting): the tenant's server is misbehaving, not refusing mail.
            results.deferUnresolved(said(greeting));
            quit(c);
            return Optional.empty();
        }
        Optional<Extensions> greeted = hello(c, results);
        if (greeted.isEmpty()) return Optional.empty();
        Extensions ext = greeted.get();
        if (profile.tls() instanceof TlsPolicy.Verified verified) {
            // MTA-STS enforce, DANE or REQUIRETLS: no delivery without TLS to a server that proves its name.
            String tlsName = profile.serverName().orElse(host);
            if (!ext.has("STARTTLS")) {
                results.deferUnresolved(peer + " offers no STARTTLS, but " + verified.why() + " requires TLS");
                quit(c);
                return Optional.empty();
            }
            stage = "STARTTLS";
            c.send("STARTTLS");
            c.flush();
            SmtpReply reply = c.read();
            if (reply.code() != 220) {
                results.deferUnresolved(said(reply) + "; " + verified.why() + " requires TLS");
                quit(c);
                return Optional.empty();
            }
            try {
                c.startTls(tlsName, verified.context(), verified.checkName());
            } catch (SSLException e) {
                results.deferUnresolved("TLS with " + peer + " not verified (" + e.getMessage() + "); " + verified.why()
                        + " requires a certificate valid for " + tlsName);
                return Optional.empty();
            }
            greeted = hello(c, results);
            if (greeted.isEmpty()) return Optional.empty();
            ext = greeted.get();
        } else if (tryTls && ext.has("STARTTLS")) {
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
                if (greeted.isEmpty()) return Optional.empty();
                ext = greeted.get();
            }
            // Otherwise continue in plain text: STARTTLS is opportunistic here.
        }
        if (transaction(c, ext, envelope, content, results)) return Optional.of(ext);
        quit(c);
        return Optional.empty();
    }

    /** EHLO (LHLO for LMTP), falling back to HELO when an SMTP server refuses EHLO; empty when refused. */
    private Optional<Extensions> hello(SmtpConnection c, RecipientResults results) throws IOException {
        stage = lmtp ? "LHLO" : "EHLO";
        c.send(stage + " " + profile.helo());
        c.flush();
        SmtpReply reply = c.read();
        if (reply.positive()) return Optional.of(Extensions.of(reply));
        if (!lmtp && reply.permanent()) {
            stage = "HELO";
            c.send("HELO " + profile.helo());
            c.flush();
            reply = c.read();
            if (reply.positive()) return Optional.of(Extensions.none());
        }
        results.resolveUnresolved(reply, said(reply));
        quit(c);
        return Optional.empty();
    }

    /**
     * MAIL, RCPT, DATA and the content. True when it ended cleanly — every reply read, none a 421 (the server
     * closing) — so the connection may carry another transaction.
     */
    private boolean transaction(SmtpConnection c, Extensions ext, Envelope envelope, Path content, RecipientResults results) throws IOException {
        byte[] prepend = envelope.prependHeaders().getBytes(StandardCharsets.UTF_8);
        // The edge parsed these addresses; still, a CR, LF or '>' here would let one inject commands.
        SmtpReply unusable = new SmtpReply(501, List.of("5.1.3 address not usable in an SMTP command"));
        if (!commandSafe(envelope.mailFrom())) {
            results.resolveUnresolved(unusable, "sender <" + envelope.mailFrom().strip() + "> cannot be sent in MAIL FROM");
            return false;
        }
        for (String r : results.unresolved()) {
            if (!commandSafe(r)) results.resolve(r, unusable, "recipient cannot be sent in RCPT TO");
        }
        List<String> recipients = results.unresolved();
        if (recipients.isEmpty()) return false;
        String mail = "MAIL FROM:<" + envelope.mailFrom() + ">";
        if (profile.requireTls()) {
            if (!ext.has("REQUIRETLS")) {
                // RFC 8689 §4.2.1: the next hop must promise to keep requiring TLS, or the message is not sent.
                results.resolveUnresolved(new SmtpReply(550, List.of("5.7.30 REQUIRETLS not supported by " + peer)),
                        "5.7.30 REQUIRETLS: " + peer + " does not offer REQUIRETLS, so the message is not sent (RFC 8689 §4.2.1)");
                return false;
            }
            mail += " REQUIRETLS";
        }
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
            return false;
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
            if (accepted.isEmpty()) return false;
            c.send("DATA");
            c.flush();
        }
        stage = "DATA";
        SmtpReply data = c.read();
        if (data.code() != 354) {
            for (String r : accepted) results.resolve(r, data, said(data));
            return false;
        }
        if (accepted.isEmpty()) {
            // RFC 2920 §3.1: a pipelining server answered 354 though no recipient was accepted; send no content.
            c.data().write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            c.flush();
            stage = "end of DATA";
            c.read();
            return false;
        }
        sendContent(c, prepend, content);
        stage = "end of DATA";
        boolean closing = false;
        if (lmtp) {
            for (String r : accepted) {
                SmtpReply reply = c.read();
                results.resolve(r, reply, said(reply));
                closing |= reply.code() == 421;
            }
        } else {
            SmtpReply reply = c.read();
            for (String r : accepted) results.resolve(r, reply, said(reply));
            closing = reply.code() == 421;
        }
        return !closing;
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
    record Extensions(Map<String, String> keywords) {
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
