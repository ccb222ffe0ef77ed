package org.postern.content;

import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.util.ByteSequence;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The mime4j content handler behind {@link MessageView}: receives the parser's events in document order and keeps
 * what the limits allow. Text parts are decoded as they stream by; attachments go to an {@link AttachmentSink}.
 */
final class ViewBuilder extends AbstractContentHandler {

    final List<MessageHeader> headers = new ArrayList<>();
    final List<TextPart> textParts = new ArrayList<>();
    final List<Attachment> attachments = new ArrayList<>();
    final List<MimePart> parts = new ArrayList<>();
    final Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
    final LinkCollector links;

    private final ViewLimits limits;
    private final AttachmentSink sink;
    private MimeStreamParser parser;
    private int depth = -1;
    private int messages;
    private long textChars;
    private boolean inBody;
    private String declaredType = "";

    ViewBuilder(ViewLimits limits) {
        this.limits = limits;
        this.sink = new AttachmentSink(limits);
        this.links = new LinkCollector(limits.maxLinks());
    }

    void attach(MimeStreamParser parser) {
        this.parser = parser;
    }

    /** mime4j reports what it had to skip or repair here; in which phase tells a header problem from a body one. */
    final DecodeMonitor monitor = new DecodeMonitor() {
        @Override
        public boolean warn(String message, String action) {
            String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
            // A file with Unix line ends stores QP with bare LFs, in soft line breaks and elsewhere; it decodes fine,
            // and over SMTP the same message has CRLF: counting it broken would make mail read from files differ
            // from the same mail received (5 % of the SpamAssassin corpus did).
            if (m.contains("soft line break") || m.contains("lf without cr")) return false;
            if (m.contains("prematurely") || m.contains("boundary")) {
                problems.add(ParseProblem.BROKEN_STRUCTURE);
            } else if (inBody) {
                problems.add(ParseProblem.BROKEN_ENCODING);
            } else {
                problems.add(ParseProblem.MALFORMED_HEADER);
            }
            return false; // keep going: a view of a broken message is still a view
        }

        @Override
        public boolean isListening() {
            return true;
        }
    };

    @Override
    public void startMessage() {
        depth++;
        messages++;
    }

    @Override
    public void endMessage() {
        depth--;
    }

    @Override
    public void startHeader() {
        declaredType = "";
    }

    @Override
    public void field(Field field) {
        if (field.getName().equalsIgnoreCase("Content-Type") && field.getBody() != null) {
            declaredType = lower(field.getBody().strip());
        }
        if (messages != 1 || depth != 0 || !parts.isEmpty()) return; // only the top-level message's own header
        if (headers.size() >= limits.maxHeaderFields()) {
            problems.add(ParseProblem.TOO_MANY_HEADERS);
            return;
        }
        String raw = unfold(rawValue(field)).strip();
        if (raw.length() > limits.maxHeaderChars()) {
            raw = raw.substring(0, limits.maxHeaderChars());
            problems.add(ParseProblem.HEADER_TRUNCATED);
        }
        Optional<String> decoded = decodedWords(raw, monitor);
        if (decoded.isEmpty()) problems.add(ParseProblem.MALFORMED_HEADER);
        headers.add(new MessageHeader(field.getName().strip(), decoded.orElse(raw).strip(), raw));
    }

    @Override
    public void startMultipart(BodyDescriptor bd) {
        if (!countPart()) return;
        if (bd.getBoundary() == null) problems.add(ParseProblem.BROKEN_STRUCTURE);
        parts.add(describe(bd, 0));
        depth++;
    }

    @Override
    public void endMultipart() {
        depth--;
    }

    @Override
    public void body(BodyDescriptor bd, InputStream decoded) throws IOException {
        if (!countPart()) return;
        inBody = true;
        try {
            MaximalBodyDescriptor md = bd instanceof MaximalBodyDescriptor m ? m : null;
            String type = lower(bd.getMimeType());
            String disposition = md == null ? "" : lower(md.getContentDispositionType());
            Optional<String> filename = filenameOf(md);
            // mime4j reads a multipart without a boundary as text/plain; the sender still sent a broken structure.
            if (declaredType.startsWith("multipart/") && !type.startsWith("multipart/")) {
                problems.add(ParseProblem.BROKEN_STRUCTURE);
            }
            if (depth > limits.maxDepth()) {
                problems.add(ParseProblem.TOO_DEEP);
                parts.add(describe(bd, decoded.transferTo(java.io.OutputStream.nullOutputStream())));
            } else if (isText(type, disposition, filename)) {
                parts.add(describe(bd, readText(type, declaredCharset(md), decoded)));
            } else {
                Attachment a = sink.read(decoded, filename, type, disposition);
                attachments.add(a);
                parts.add(describe(bd, a.size()));
            }
        } finally {
            inBody = false;
        }
    }

    /** Counts a part against the limit; past it, stops the parser so a million tiny parts cost little. */
    private boolean countPart() {
        if (parts.size() < limits.maxParts()) return true;
        problems.add(ParseProblem.TOO_MANY_PARTS);
        if (parser != null) parser.stop();
        return false;
    }

    private static boolean isText(String type, String disposition, Optional<String> filename) {
        boolean readable = type.equals("text/plain") || type.equals("text/html") || type.equals("text/enriched");
        return readable && !(disposition.equals("attachment") && filename.isPresent());
    }

    private long readText(String type, String charset, InputStream decoded) throws IOException {
        byte[] buffer = decoded.readNBytes(limits.maxTextBytesPerPart());
        long skipped = decoded.transferTo(java.io.OutputStream.nullOutputStream());
        boolean truncated = skipped > 0;
        if (!charset.isEmpty() && TextDecoding.charsetFor(charset).isEmpty()) problems.add(ParseProblem.UNKNOWN_CHARSET);
        // One line end, LF: the text of mail read from a file with Unix line ends and of the same mail over SMTP is
        // the same string, for the classifier, the rules and the text budget alike.
        String text = TextDecoding.decode(buffer, buffer.length, charset).replace("\r\n", "\n");
        if (type.equals("text/html")) {
            HtmlText.Result html = HtmlText.of(text, limits.maxLinks());
            links.addAll(html.links());
            text = html.text();
        } else {
            links.addFromText(text);
        }
        long room = limits.maxTextCharsTotal() - textChars;
        if (text.length() > room) {
            text = text.substring(0, (int) Math.max(0, room));
            truncated = true;
        }
        if (truncated) problems.add(ParseProblem.TEXT_TRUNCATED);
        textChars += text.length();
        if (!text.isEmpty() || textParts.isEmpty()) textParts.add(new TextPart(type, charset, text, truncated, depth));
        return buffer.length + skipped;
    }

    private MimePart describe(BodyDescriptor bd, long size) {
        MaximalBodyDescriptor md = bd instanceof MaximalBodyDescriptor m ? m : null;
        String encoding = bd.getTransferEncoding() == null ? "7bit" : lower(bd.getTransferEncoding());
        return new MimePart(Math.max(0, depth), lower(bd.getMimeType()), encoding, declaredCharset(md),
                md == null ? "" : lower(md.getContentDispositionType()), filenameOf(md), size);
    }

    /** The charset as declared; mime4j fills in us-ascii for text without one, which is not a declaration. */
    private static String declaredCharset(MaximalBodyDescriptor md) {
        if (md == null) return "";
        String c = md.getContentTypeParameters().get("charset");
        return c == null ? "" : c.strip();
    }

    private Optional<String> filenameOf(MaximalBodyDescriptor md) {
        if (md == null) return Optional.empty();
        String name = md.getContentDispositionFilename();
        if (name == null || name.isBlank()) name = md.getContentTypeParameters().get("name");
        if (name == null || name.isBlank()) return Optional.empty();
        // A broken encoded word in a file name: the name as written is still a name.
        return Optional.of(decodedWords(name, monitor).orElse(name).strip());
    }

    /** The value with its RFC 2047 encoded words decoded; empty when one is too broken to decode. */
    static Optional<String> decodedWords(String value, DecodeMonitor monitor) {
        try {
            return Optional.of(DecoderUtil.decodeEncodedWords(value, monitor));
        } catch (RuntimeException brokenEncodedWord) {
            return Optional.empty();
        }
    }

    private static String rawValue(Field field) {
        ByteSequence raw = field.getRaw();
        if (raw == null) return field.getBody() == null ? "" : field.getBody();
        byte[] bytes = raw.toByteArray();
        int colon = 0;
        while (colon < bytes.length && bytes[colon] != ':') colon++;
        int start = Math.min(bytes.length, colon + 1);
        // Header bytes should be ASCII (RFC 5322); 8-bit ones are mostly UTF-8 (RFC 6532), else a legacy charset.
        return TextDecoding.decode(java.util.Arrays.copyOfRange(bytes, start, bytes.length), bytes.length - start, "");
    }

    /** RFC 5322 §2.2.3: a line break followed by white space is folding; the break goes, the white space stays. */
    static String unfold(String value) {
        if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) return value;
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\r' && c != '\n') out.append(c);
        }
        return out.toString();
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
