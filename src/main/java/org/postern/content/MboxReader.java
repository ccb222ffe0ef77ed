package org.postern.content;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.Optional;

/**
 * Splits an mbox file into messages as streams, without holding a message in memory. A message starts at a
 * {@code From } line that opens the file or follows an empty line (lenient, as mail clients read it); {@code >From }
 * lines are unescaped (mboxrd). The {@code From } line itself is not part of the message.
 */
final class MboxReader {

    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    private final PushbackInputStream in;
    private MessageStream current;

    MboxReader(InputStream mbox) {
        this.in = new PushbackInputStream(new BufferedInputStream(mbox, 1 << 16), 256);
    }

    /** The next message, after skipping what the previous one's reader left unread. */
    Optional<InputStream> next() throws IOException {
        if (current != null) current.transferTo(OutputStream.nullOutputStream());
        // Skip to the next From_ line (at the start, or where the last message stopped), then past it.
        while (true) {
            if (startsWith(FROM)) {
                for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                    // the envelope line
                }
                current = new MessageStream();
                return Optional.of(current);
            }
            int c = in.read();
            if (c < 0) return Optional.empty();
            if (c != '\n') {
                for (; c >= 0 && c != '\n'; c = in.read()) {
                    // text before the first From_ line is not a message
                }
            }
        }
    }

    private boolean startsWith(byte[] prefix) throws IOException {
        byte[] peek = in.readNBytes(prefix.length);
        in.unread(peek);
        if (peek.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (peek[i] != prefix[i]) return false;
        return true;
    }

    /** One message: ends before a From_ line that follows an empty line. */
    private final class MessageStream extends InputStream {
        private boolean lineStart = true;
        private boolean previousLineEmpty;
        private int lineLength;
        private boolean done;

        @Override
        public int read() throws IOException {
            if (done) return -1;
            if (lineStart) {
                lineStart = false;
                if (previousLineEmpty && startsWith(FROM)) {
                    done = true;
                    return -1;
                }
                unescapeFromLine();
            }
            int c = in.read();
            if (c < 0) {
                done = true;
                return -1;
            }
            if (c == '\n') {
                previousLineEmpty = lineLength == 0;
                lineStart = true;
                lineLength = 0;
            } else if (c != '\r') {
                lineLength++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) break;
                b[off + n++] = (byte) c;
                if (c == '\n' && n > 0) break; // let the next call look at the line start
            }
            return n == 0 ? -1 : n;
        }

        /** ">From " and ">>From " lose one '>' (mboxrd); other lines starting with '>' are left alone. */
        private void unescapeFromLine() throws IOException {
            byte[] peek = in.readNBytes(64);
            int quotes = 0;
            while (quotes < peek.length && peek[quotes] == '>') quotes++;
            boolean escapedFrom = quotes > 0 && peek.length - quotes >= FROM.length;
            for (int i = 0; escapedFrom && i < FROM.length; i++) escapedFrom = peek[quotes + i] == FROM[i];
            if (escapedFrom) {
                in.unread(peek, 1, peek.length - 1);
            } else {
                in.unread(peek);
            }
        }
    }
}
