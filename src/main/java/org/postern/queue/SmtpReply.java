package org.postern.queue;

import java.util.List;

/** One reply of an SMTP or LMTP server: the code and the text of each line (RFC 5321 §4.2). */
record SmtpReply(int code, List<String> lines) {

    SmtpReply {
        lines = List.copyOf(lines);
    }

    boolean positive() { return code / 100 == 2; }
    boolean permanent() { return code / 100 == 5; }

    /** "550 5.1.1 <bob@x>: Recipient address rejected" (multi-line replies joined by a space). */
    String text() {
        return lines.isEmpty() ? Integer.toString(code) : code + " " + String.join(" ", lines).strip();
    }

    /** The outcome of a recipient given this reply; 2xx only counts as delivered at the end of data. */
    RecipientResult resultFor(String recipient, String detail) {
        if (positive()) return RecipientResult.delivered(recipient, detail);
        if (permanent()) return RecipientResult.failed(recipient, detail);
        return RecipientResult.deferred(recipient, detail);
    }
}
