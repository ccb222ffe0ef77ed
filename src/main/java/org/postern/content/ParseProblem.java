package org.postern.content;

/**
 * Something malformed or cut while viewing a message. The view is still usable; these become heuristic reasons
 * (malformed MIME is itself a spam sign) and tell an administrator why a part looks incomplete. Ids are stable.
 */
public enum ParseProblem {
    /**
     * A line in the header that is no field (read as the start of the body: the blank line before it is missing), or
     * other header syntax mime4j had to skip.
     */
    MALFORMED_HEADER("mime.malformed-header"),
    /** A header value longer than the view keeps; the rest was dropped. */
    HEADER_TRUNCATED("mime.header-truncated"),
    /** More header fields than the view keeps. */
    TOO_MANY_HEADERS("mime.too-many-headers"),
    /** A part ended before its boundary, or a multipart without a boundary parameter. */
    BROKEN_STRUCTURE("mime.broken-structure"),
    /** Invalid base64 or quoted-printable; undecodable bytes were skipped. */
    BROKEN_ENCODING("mime.broken-encoding"),
    /** A charset Java does not know; the text was decoded as UTF-8 or windows-1252. */
    UNKNOWN_CHARSET("mime.unknown-charset"),
    /** Text beyond the per-part or total cap was counted but not read. */
    TEXT_TRUNCATED("mime.text-truncated"),
    /** More parts than the view reads; parsing stopped there. */
    TOO_MANY_PARTS("mime.too-many-parts"),
    /** Parts nested deeper than the view reads. */
    TOO_DEEP("mime.too-deep"),
    /** The parser gave up (an I/O or syntax error); everything before it is in the view. */
    UNREADABLE("mime.unreadable");

    private final String id;

    ParseProblem(String id) {
        this.id = id;
    }

    /** The stable name shown in reasons and the trace. */
    public String id() {
        return id;
    }
}
