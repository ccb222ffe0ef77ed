package org.postern.smtp;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The protocol table: every verb the session knows, with the rules that are properties of the verb itself.
 *
 * <ul>
 *   <li>{@code endsGroup}: RFC 2920 §3.1 — EHLO, DATA, VRFY, EXPN, TURN, QUIT and NOOP (and, by their own RFCs,
 *       STARTTLS (RFC 3207 §4) and AUTH (RFC 4954 §4)) may only be the last command of a pipelined group, so the
 *       session flushes its replies after them even if more input is buffered.</li>
 *   <li>{@code beforeHelo}: RFC 5321 §4.1.4 — NOOP, HELP, EXPN, VRFY and RSET may be used "without previously
 *       initializing a session"; a mail transaction, STARTTLS and AUTH need HELO/EHLO first.</li>
 *   <li>{@code crossProtocol}: HTTP and proxy verbs. A browser or proxy tricked into talking to port 25 must not
 *       get its following lines executed as SMTP (Postfix's {@code smtpd_forbidden_commands}).</li>
 * </ul>
 */
enum Verb {
    //        endsGroup beforeHelo crossProtocol
    HELO(true, true, false),          // RFC 5321 §4.1.1.1
    EHLO(true, true, false),          // RFC 5321 §4.1.1.1
    MAIL(false, false, false),        // RFC 5321 §4.1.1.2
    RCPT(false, false, false),        // RFC 5321 §4.1.1.3
    DATA(true, false, false),         // RFC 5321 §4.1.1.4
    BDAT(false, false, false),        // RFC 3030 §2: chunks may be pipelined
    RSET(false, true, false),         // RFC 5321 §4.1.1.5
    VRFY(true, true, false),          // RFC 5321 §4.1.1.6
    EXPN(true, true, false),          // RFC 5321 §4.1.1.7
    HELP(true, true, false),          // RFC 5321 §4.1.1.8
    NOOP(true, true, false),          // RFC 5321 §4.1.1.9
    QUIT(true, true, false),          // RFC 5321 §4.1.1.10
    STARTTLS(true, false, false),     // RFC 3207 §4
    AUTH(true, false, false),         // RFC 4954 §4
    GET(true, true, true),
    POST(true, true, true),
    HEAD(true, true, true),
    PUT(true, true, true),
    CONNECT(true, true, true);

    private static final Map<String, Verb> BY_NAME = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(Verb::name, Function.identity()));

    private final boolean endsGroup;
    private final boolean beforeHelo;
    private final boolean crossProtocol;

    Verb(boolean endsGroup, boolean beforeHelo, boolean crossProtocol) {
        this.endsGroup = endsGroup;
        this.beforeHelo = beforeHelo;
        this.crossProtocol = crossProtocol;
    }

    boolean endsGroup() { return endsGroup; }
    boolean allowedBeforeHelo() { return beforeHelo; }
    boolean crossProtocol() { return crossProtocol; }

    /** Verbs are case-insensitive (RFC 5321 §2.4). */
    static Optional<Verb> lookup(String word) {
        return Optional.ofNullable(BY_NAME.get(word.toUpperCase(Locale.ROOT)));
    }
}
