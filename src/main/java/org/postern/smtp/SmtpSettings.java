package org.postern.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * The protocol limits and timeouts of one SMTP listener. Per-recipient and per-client limits are policy and live
 * elsewhere; these are the limits the protocol layer itself must enforce to stay safe and RFC-conformant.
 *
 * @param hostname               this node's name: written in the EHLO reply and in the session's own refusals
 * @param maxMessageSize         largest message accepted, in octets as counted by RFC 1870 (after dot-unstuffing,
 *                               CRLF included); advertised as {@code SIZE n}
 * @param maxCommandLineLength   longest command line accepted, in octets including CRLF. RFC 5321 §4.5.3.1.4 sets
 *                               512 as the minimum a server must accept and lets extensions raise it; 2048 (Postfix's
 *                               {@code line_length_limit}) leaves room for ESMTP parameters and for SMTPUTF8 paths,
 *                               whose 256 characters (§4.5.3.1.3) may take up to 4 octets each in UTF-8
 * @param maxDataLineLength      hard cap on one line of message content, in octets including CRLF. RFC 5322 §2.1.1
 *                               allows 998+CRLF, but real mail breaks that, so we accept far longer lines; beyond the
 *                               cap the message is refused with 552 (RFC 5321 §4.5.3.1.9), protecting every later
 *                               stage that handles content line by line
 * @param maxErrors              refusals (from the session or the handler) tolerated before the session closes with
 *                               421 4.7.0, like Postfix's {@code smtpd_hard_error_limit}; reset by a delivered message
 * @param maxCommands            command lines per session before it closes with 421 4.7.0 (stops NOOP/RSET floods)
 * @param maxTransactions        MAIL commands accepted per session before it closes with 421 4.7.0
 * @param commandTimeout         wait for each command line, also for the TLS handshake (RFC 5321 §4.5.3.2.7: at
 *                               least 5 minutes), and the longest a reply write may stay blocked
 * @param dataInitiationTimeout  wait for the first content octets after 354 (mirrors the client's 2-minute DATA
 *                               initiation timeout, RFC 5321 §4.5.3.2.4)
 * @param dataBlockTimeout       wait for each further read of DATA content or of a BDAT chunk (mirrors the client's
 *                               3-minute data block timeout, RFC 5321 §4.5.3.2.5)
 * @param dataTerminationTimeout the client waits this long for the answer to end of data (RFC 5321 §4.5.3.2.6:
 *                               10 minutes). The session never cuts the handler short (that could lose or duplicate
 *                               mail) but warns when the handler took longer; give policy a deadline below it
 * @param shutdownGrace          how long {@link SmtpServer#close()} lets busy sessions finish before closing them
 * @param greetPause             how long to wait before the banner (zero: none). RFC 5321 §4.3.1 has the client wait for
 *                               the greeting; one that talks first is a bot that does not listen (Postfix postscreen's
 *                               pregreet test) and the handler is asked what to answer ({@link SessionHandler#earlyTalker})
 */
public record SmtpSettings(String hostname, long maxMessageSize, int maxCommandLineLength, int maxDataLineLength,
                           int maxErrors, int maxCommands, int maxTransactions,
                           Duration commandTimeout, Duration dataInitiationTimeout, Duration dataBlockTimeout,
                           Duration dataTerminationTimeout, Duration shutdownGrace, Duration greetPause) {

    /** RFC 5321 §4.5.3.1.4: the minimum command line length, CRLF included, every server must accept. */
    public static final int RFC_MIN_COMMAND_LINE = 512;

    public SmtpSettings {
        Objects.requireNonNull(hostname, "hostname");
        if (hostname.isEmpty() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("hostname must be a non-empty printable ASCII name: '" + hostname + "'");
        }
        if (maxMessageSize < 1) throw new IllegalArgumentException("maxMessageSize must be positive");
        if (maxCommandLineLength < RFC_MIN_COMMAND_LINE) {
            throw new IllegalArgumentException("maxCommandLineLength below the RFC 5321 minimum of 512");
        }
        if (maxDataLineLength < 1000) {
            throw new IllegalArgumentException("maxDataLineLength below the RFC 5321 text line of 1000 octets");
        }
        if (maxErrors < 1 || maxCommands < 1 || maxTransactions < 1) {
            throw new IllegalArgumentException("maxErrors, maxCommands and maxTransactions must be positive");
        }
        requirePositive(commandTimeout, "commandTimeout");
        requirePositive(dataInitiationTimeout, "dataInitiationTimeout");
        requirePositive(dataBlockTimeout, "dataBlockTimeout");
        requirePositive(dataTerminationTimeout, "dataTerminationTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) throw new IllegalArgumentException("shutdownGrace must not be negative");
        Objects.requireNonNull(greetPause, "greetPause");
        if (greetPause.isNegative() || greetPause.compareTo(commandTimeout) >= 0) {
            throw new IllegalArgumentException("greetPause must be zero or more and below commandTimeout");
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.toMillis() < 1 || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 1 ms and ~24 days");
        }
    }

    /** The defaults: 35 MiB messages, 2048-octet commands, 1 MiB content lines, 20 errors, RFC 5321 timeouts. */
    public static SmtpSettings defaults(String hostname) {
        return builder(hostname).build();
    }

    public static Builder builder(String hostname) {
        return new Builder(hostname);
    }

    public Builder toBuilder() {
        return new Builder(hostname).maxMessageSize(maxMessageSize).maxCommandLineLength(maxCommandLineLength)
                .maxDataLineLength(maxDataLineLength).maxErrors(maxErrors).maxCommands(maxCommands)
                .maxTransactions(maxTransactions).commandTimeout(commandTimeout)
                .dataInitiationTimeout(dataInitiationTimeout).dataBlockTimeout(dataBlockTimeout)
                .dataTerminationTimeout(dataTerminationTimeout).shutdownGrace(shutdownGrace).greetPause(greetPause);
    }

    /** Builds {@link SmtpSettings}; every value starts at its default. */
    public static final class Builder {
        private final String hostname;
        private long maxMessageSize = 35L * 1024 * 1024;
        private int maxCommandLineLength = 2048;
        private int maxDataLineLength = 1024 * 1024;
        private int maxErrors = 20;
        private int maxCommands = 10_000;
        private int maxTransactions = 100;
        private Duration commandTimeout = Duration.ofMinutes(5);
        private Duration dataInitiationTimeout = Duration.ofMinutes(2);
        private Duration dataBlockTimeout = Duration.ofMinutes(3);
        private Duration dataTerminationTimeout = Duration.ofMinutes(10);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private Duration greetPause = Duration.ZERO;

        private Builder(String hostname) {
            this.hostname = hostname;
        }

        public Builder maxMessageSize(long octets) { this.maxMessageSize = octets; return this; }
        public Builder maxCommandLineLength(int octets) { this.maxCommandLineLength = octets; return this; }
        public Builder maxDataLineLength(int octets) { this.maxDataLineLength = octets; return this; }
        public Builder maxErrors(int n) { this.maxErrors = n; return this; }
        public Builder maxCommands(int n) { this.maxCommands = n; return this; }
        public Builder maxTransactions(int n) { this.maxTransactions = n; return this; }
        public Builder commandTimeout(Duration d) { this.commandTimeout = d; return this; }
        public Builder dataInitiationTimeout(Duration d) { this.dataInitiationTimeout = d; return this; }
        public Builder dataBlockTimeout(Duration d) { this.dataBlockTimeout = d; return this; }
        public Builder dataTerminationTimeout(Duration d) { this.dataTerminationTimeout = d; return this; }
        public Builder shutdownGrace(Duration d) { this.shutdownGrace = d; return this; }
        public Builder greetPause(Duration d) { this.greetPause = d; return this; }

        /** Sets the command, DATA initiation and data block timeouts at once (handy for tests). */
        public Builder allReadTimeouts(Duration d) {
            return commandTimeout(d).dataInitiationTimeout(d).dataBlockTimeout(d);
        }

        public SmtpSettings build() {
            return new SmtpSettings(hostname, maxMessageSize, maxCommandLineLength, maxDataLineLength, maxErrors,
                    maxCommands, maxTransactions, commandTimeout, dataInitiationTimeout, dataBlockTimeout,
                    dataTerminationTimeout, shutdownGrace, greetPause);
        }
    }
}
