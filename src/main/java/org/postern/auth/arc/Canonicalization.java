package org.postern.auth.arc;

/** RFC 6376 §3.4 canonicalization, as ARC uses it (RFC 8617 §4.1.2, §4.1.3). */
enum Canonicalization {
    SIMPLE, RELAXED;

    /** The field as it enters the hash, ending in CRLF (§3.4.1, §3.4.2). */
    String header(HeaderField field) {
        return header(field.name(), field.raw());
    }

    /** Same, for a field whose raw text was edited (the signature's own field with {@code b=} emptied). */
    String header(String name, String raw) {
        return switch (this) {
            case SIMPLE -> raw + "\r\n";
            case RELAXED -> name.toLowerCase(java.util.Locale.ROOT).strip() + ":"
                    + compress(raw.substring(raw.indexOf(':') + 1).replace("\r\n", "")).strip() + "\r\n";
        };
    }

    /** The body as it enters the hash (§3.4.3, §3.4.4). */
    String body(String body) {
        return switch (this) {
            case SIMPLE -> trimTrailingEmptyLines(body) + "\r\n";
            case RELAXED -> {
                StringBuilder out = new StringBuilder(body.length());
                String[] lines = body.split("\r\n", -1);
                int count = body.endsWith("\r\n") ? lines.length - 1 : lines.length;
                for (int i = 0; i < count; i++) {
                    out.append(stripTrailing(compress(lines[i]))).append("\r\n");
                }
                String trimmed = trimTrailingEmptyLines(out.toString());
                yield trimmed.isEmpty() ? "" : trimmed + "\r\n";
            }
        };
    }

    /** Removes every CRLF at the end of the text. */
    private static String trimTrailingEmptyLines(String body) {
        int end = body.length();
        while (end >= 2 && body.startsWith("\r\n", end - 2)) end -= 2;
        return body.substring(0, end);
    }

    /** Runs of SP and HTAB become one SP. */
    private static String compress(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean inSpace = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                if (!inSpace) out.append(' ');
                inSpace = true;
            } else {
                out.append(c);
                inSpace = false;
            }
        }
        return out.toString();
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) end--;
        return s.substring(0, end);
    }
}
