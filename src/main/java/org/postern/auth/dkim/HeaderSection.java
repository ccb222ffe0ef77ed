package org.postern.auth.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A message's header section as an ordered list of {@link HeaderField}s, read up to the empty line that ends it.
 *
 * <p>Lines end in CRLF; a bare LF is accepted as a line end too and stored as CRLF (known compromise, as dkimpy
 * does: a message kept with Unix line ends is hashed as it was on the wire). A line starting with space or tab
 * continues the field before it.</p>
 */
public final class HeaderSection {

    /** Default bound on the header section, so that a hostile message cannot make us buffer without end. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private final List<HeaderField> fields;
    private final boolean truncated;

    private HeaderSection(List<HeaderField> fields, boolean truncated) {
        this.fields = Collections.unmodifiableList(fields);
        this.truncated = truncated;
    }

    /**
     * Reads the header section and the empty line after it, leaving {@code in} at the first body octet. Reads one
     * octet at a time, so give it a buffered stream and keep reading the body from that same stream. Stops after
     * {@code maxBytes}; {@link #truncated()} then says so.
     */
    public static HeaderSection read(InputStream in, int maxBytes) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int total = 0;
        boolean truncated = false;
        int b;
        while ((b = in.read()) != -1) {
            if (++total > maxBytes) {
                truncated = true;
                break;
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            byte[] l = stripCr(line.toByteArray());
            line.reset();
            if (l.length == 0) break; // the empty line ending the header section
            lines.add(l);
        }
        if (!truncated && line.size() > 0) lines.add(stripCr(line.toByteArray())); // no body, no final CRLF
        return new HeaderSection(fold(lines), truncated);
    }

    /** Parses a header section (or a whole message, whose body is then ignored). */
    public static HeaderSection parse(byte[] message) {
        try {
            return read(new java.io.ByteArrayInputStream(message), Integer.MAX_VALUE);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
    }

    public List<HeaderField> fields() {
        return fields;
    }

    /** True when reading stopped at the size bound before the header section ended. */
    public boolean truncated() {
        return truncated;
    }

    /** All fields with this name (case-insensitive), top to bottom. */
    public List<HeaderField> named(String name) {
        return fields.stream().filter(f -> f.hasName(name)).toList();
    }

    /**
     * The fields an {@code h=} list signs, in {@code h=} order (RFC 6376 §5.4.2): each name takes the bottom-most
     * instance not yet taken; a name with no instance left (over-signing) contributes nothing and is empty here.
     */
    List<Optional<HeaderField>> select(List<String> names) {
        Map<String, Deque<HeaderField>> bottomFirst = new HashMap<>();
        for (HeaderField f : fields) {
            if (!f.name().isEmpty()) {
                bottomFirst.computeIfAbsent(f.name().toLowerCase(Locale.ROOT), k -> new ArrayDeque<>()).push(f);
            }
        }
        List<Optional<HeaderField>> out = new ArrayList<>(names.size());
        for (String name : names) {
            Deque<HeaderField> left = bottomFirst.get(name.toLowerCase(Locale.ROOT));
            out.add(left == null ? Optional.empty() : Optional.ofNullable(left.poll()));
        }
        return out;
    }

    private static List<HeaderField> fold(List<byte[]> lines) {
        List<HeaderField> out = new ArrayList<>();
        ByteArrayOutputStream current = null;
        for (byte[] l : lines) {
            boolean continuation = l.length > 0 && (l[0] == ' ' || l[0] == '\t');
            if (continuation && current != null) {
                current.write('\r');
                current.write('\n');
                current.writeBytes(l);
                continue;
            }
            if (current != null) out.add(new HeaderField(current.toByteArray()));
            current = new ByteArrayOutputStream(l.length + 64);
            current.writeBytes(l);
        }
        if (current != null) out.add(new HeaderField(current.toByteArray()));
        return out;
    }

    private static byte[] stripCr(byte[] l) {
        return l.length > 0 && l[l.length - 1] == '\r' ? java.util.Arrays.copyOf(l, l.length - 1) : l;
    }
}
