package org.postern.smtp;

/**
 * Watches message content octet by octet for the line endings that SMTP smuggling relies on, and for lines past
 * the hard cap. It only observes; the readers decide what to do.
 *
 * <p>SMTP smuggling (SEC Consult, 2023; Postfix {@code smtpd_forbid_bare_newline}) works when two servers disagree
 * on where DATA ends: a message carries {@code <LF>.<LF>}, {@code <LF>.<CR><LF>}, {@code <CR>.<CR>} or similar,
 * one hop passes it on as content, the next takes it for end of data and runs what follows as commands. RFC 5321
 * §2.3.8 and §4.1.1.4 allow only CRLF and only CRLF.CRLF, so we refuse everything else:</p>
 * <ul>
 *   <li>a bare LF anywhere ({@link #bareLf()});</li>
 *   <li>a dot touching a bare CR: {@code CR . CR} anywhere, or a line that starts with a dot followed by a CR
 *       that is not followed by LF ({@link #malformedDot()}). Other stray CRs inside a line stay ordinary data.</li>
 * </ul>
 * <p>The same guard runs over BDAT chunks, because what we accept may later be relayed with DATA.</p>
 */
final class ContentGuard {

    private static final int CR = '\r';
    private static final int LF = '\n';

    private final int maxLineLength;
    // The two previous octets; content starts as if a CRLF came before it (a line start).
    private int previous = LF;
    private int beforePrevious = CR;
    private boolean dotCrAtLineStart;
    private long lineLength;
    private boolean bareLf;
    private boolean malformedDot;
    private boolean lineTooLong;

    /** @param maxLineLength longest line accepted, in octets including CRLF */
    ContentGuard(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    void accept(int b) {
        if (dotCrAtLineStart) {
            dotCrAtLineStart = false;
            if (b != LF) malformedDot = true; // "<LF>.<CR>x": a dot line ended by a bare CR
        }
        if (b == LF) {
            if (previous != CR) bareLf = true;
            lineLength = 0;
        } else {
            // lineLength counts a trailing CR too, so "+ 1" is the line with its LF
            if (++lineLength + 1 > maxLineLength) lineTooLong = true;
            if (b == CR && previous == '.') {
                if (beforePrevious == CR) malformedDot = true;   // "<CR>.<CR>": the first CR is bare
                if (beforePrevious == LF) dotCrAtLineStart = true; // "<LF>.<CR>": fine only if LF follows
            }
        }
        beforePrevious = previous;
        previous = b;
    }

    /** The content ended (BDAT LAST); a dot line cut off after its CR counts as malformed. */
    void end() {
        if (dotCrAtLineStart) malformedDot = true;
        dotCrAtLineStart = false;
    }

    boolean bareLf() { return bareLf; }
    boolean malformedDot() { return malformedDot; }
    boolean lineTooLong() { return lineTooLong; }
}
