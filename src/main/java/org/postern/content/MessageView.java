package org.postern.content;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.MimeConfig;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One message, parsed once, as every later stage sees it: authentication, malware scanning, the spam classifier and
 * transport rules all read this view and none parses the message again.
 *
 * <p>Built by one streaming pass of Apache Mime4j over the spooled message, with bounded memory (see
 * {@link ViewLimits}): header fields decoded (RFC 2047), text parts decoded from quoted-printable or base64 and from
 * their charset to Unicode, HTML turned into the text a reader sees (jsoup), links with their phishing signs,
 * attachments as {@link Attachment} records (name, declared type, size, SHA-256, first bytes, and their bytes from
 * memory or a temporary file), the MIME structure, and what was malformed ({@link #problems()}).</p>
 *
 * <p>Close the view when done with it: that deletes the attachments' temporary files. A view never throws for a
 * malformed message; a message that cannot be read at all (an I/O error) gives a view with
 * {@link ParseProblem#UNREADABLE} and whatever came before. Thread-safe to read once built.</p>
 */
public final class MessageView implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();
    /** mime4j holds one header field in memory while reading it; past this the parse ends as UNREADABLE. */
    private static final int MAX_FIELD_BYTES = 4 << 20;

    private final List<MessageHeader> headers;
    private final List<TextPart> textParts;
    private final List<Link> links;
    private final List<Attachment> attachments;
    private final List<MimePart> parts;
    private final Set<ParseProblem> problems;
    private final long size;
    private final Cleaner.Cleanable spillFiles;

    private MessageView(ViewBuilder b, long size) {
        this.headers = List.copyOf(b.headers);
        this.textParts = List.copyOf(b.textParts);
        this.links = b.links.links();
        this.attachments = List.copyOf(b.attachments);
        this.parts = List.copyOf(b.parts);
        this.problems = b.problems.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.problems));
        this.size = size;
        List<Path> files = attachments.stream().flatMap(a -> a.file().stream()).toList();
        // A view someone forgot to close still loses its files once it is garbage.
        this.spillFiles = CLEANER.register(this, () -> deleteAll(files));
    }

    /** A view of the same message with other header fields; it shares the parts and owns no files. */
    private MessageView(MessageView message, List<MessageHeader> headers) {
        this.headers = List.copyOf(headers);
        this.textParts = message.textParts;
        this.links = message.links;
        this.attachments = message.attachments;
        this.parts = message.parts;
        this.problems = message.problems;
        this.size = message.size;
        this.spillFiles = () -> { }; // the message's own view deletes them
    }

    /**
     * This message with one more header field on top, as a server that adds it will pass the message on: e.g. the
     * Received line the gateway writes, which every hop before it also wrote and a model trained on delivered mail
     * learned from. {@code field} is "Name: value", folded or not. The returned view shares this one's parts; close
     * this one, not it.
     */
    public MessageView withFieldOnTop(String field) {
        int colon = field.indexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("not a header field: " + field);
        String raw = ViewBuilder.unfold(field.substring(colon + 1)).strip();
        String decoded = ViewBuilder.decodedWords(raw, DecodeMonitor.SILENT).orElse(raw);
        List<MessageHeader> all = new ArrayList<>(headers.size() + 1);
        all.add(new MessageHeader(field.substring(0, colon).strip(), decoded.strip(), raw));
        all.addAll(headers);
        return new MessageView(this, all);
    }

    /**
     * This message as a copy kept without its header block would be: its Subject line, a blank line and its text, as
     * some corpora and exports keep mail ({@link #keptWithoutHeaderBlock}). The caller closes it.
     */
    public MessageView keptAsSubjectAndText() {
        String copy = "Subject: " + subject().replaceAll("[\\r\\n]+", " ") + "\n\n" + text();
        try {
            return parse(new java.io.ByteArrayInputStream(copy.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    ViewLimits.forClassification());
        } catch (IOException inMemory) {
            throw new java.io.UncheckedIOException(inMemory);
        }
    }

    /** Parses a spooled message file with the gateway's default limits. */
    public static MessageView parse(Path message) throws IOException {
        return parse(message, ViewLimits.defaults());
    }

    public static MessageView parse(Path message, ViewLimits limits) throws IOException {
        try (InputStream in = Files.newInputStream(message)) {
            return parse(in, limits, bufferFor(Files.size(message)));
        }
    }

    /** A read buffer no larger than the file: most messages are a few KB, and a 64 KB buffer each is garbage. */
    private static int bufferFor(long size) {
        return (int) Math.max(512, Math.min(64 * 1024, size + 1));
    }

    /**
     * Parses a message from a stream (read to its end, not closed). A leading mbox {@code From } line is skipped.
     *
     * @throws IOException only when the stream itself fails before anything could be read
     */
    public static MessageView parse(InputStream message, ViewLimits limits) throws IOException {
        return parse(message, limits, 64 * 1024);
    }

    private static MessageView parse(InputStream message, ViewLimits limits, int bufferSize) throws IOException {
        CountingInputStream counted = new CountingInputStream(message);
        InputStream in = skipMboxEnvelope(new BufferedInputStream(counted, bufferSize));
        ViewBuilder builder = new ViewBuilder(limits);
        MimeConfig config = MimeConfig.custom()
                .setStrictParsing(false)
                .setMaxLineLen(-1)             // long lines are common in spam; memory is bounded by the caps below
                .setMaxHeaderLen(MAX_FIELD_BYTES) // the builder cuts long fields itself: a 1 MB header is a reason, not a failure
                .setMaxHeaderCount(-1)
                .setMaxContentLen(-1)
                .build();
        MimeStreamParser parser = new MimeStreamParser(config, builder.monitor,
                new DefaultBodyDescriptorBuilder(null, null, builder.monitor));
        parser.setContentDecoding(true);
        parser.setContentHandler(builder);
        builder.attach(parser);
        HeaderEnd headerEnd = new HeaderEnd(in);
        try {
            parser.parse(headerEnd);
        } catch (MimeException | IOException | RuntimeException e) {
            builder.problems.add(ParseProblem.UNREADABLE);
            if (counted.count() == 0 && e instanceof IOException io) throw io;
        }
        if (headerEnd.insertedBlankLine()) builder.problems.add(ParseProblem.MALFORMED_HEADER);
        try {
            counted.transferTo(OutputStream.nullOutputStream()); // the size counts what the parser stopped short of
        } catch (IOException e) {
            builder.problems.add(ParseProblem.UNREADABLE);
        }
        return new MessageView(builder, counted.count());
    }

    private static InputStream skipMboxEnvelope(BufferedInputStream in) throws IOException {
        in.mark(5);
        byte[] start = in.readNBytes(5);
        in.reset();
        if (start.length == 5 && new String(start, java.nio.charset.StandardCharsets.US_ASCII).equals("From ")) {
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                // the envelope line carries no header; skip to its end
            }
        }
        return in;
    }

    /** All top-level header fields in order. */
    public List<MessageHeader> headers() {
        return headers;
    }

    /** The decoded value of the first field of that name (case-insensitive). */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.is(name)).map(MessageHeader::value).findFirst();
    }

    /**
     * No From field and no Received field: a stored copy of the Subject and the text, as some corpora (Enron-Spam) and
     * exports keep mail. Every server a message passes writes a Received line, and the gateway classifies with its
     * own on top, so mail judged at the gateway never is one.
     */
    public boolean keptWithoutHeaderBlock() {
        return header("Received").isEmpty() && header("From").isEmpty();
    }

    /** The decoded values of every field of that name, in order. */
    public List<String> headerValues(String name) {
        return headers.stream().filter(h -> h.is(name)).map(MessageHeader::value).toList();
    }

    /** The decoded Subject, "" when there is none. */
    public String subject() {
        return header("Subject").orElse("");
    }

    /** The first mailbox of the (first) From field. */
    public Optional<Mailbox> from() {
        return header("From").map(Mailbox::parse);
    }

    /** Text parts in document order, HTML already turned into text. */
    public List<TextPart> textParts() {
        return textParts;
    }

    /** All text parts joined with blank lines; at most {@link ViewLimits#maxTextCharsTotal()} characters. */
    public String text() {
        return textParts.stream().map(TextPart::text).collect(Collectors.joining("\n\n"));
    }

    /** Links from the text and HTML parts, in document order. */
    public List<Link> links() {
        return links;
    }

    /** Attachments and inline non-text parts, in document order. */
    public List<Attachment> attachments() {
        return attachments;
    }

    /** Every MIME entity in document order, multiparts included: the structure without the content. */
    public List<MimePart> parts() {
        return parts;
    }

    /** What was malformed or cut; empty for a well-formed message within the limits. */
    public Set<ParseProblem> problems() {
        return problems;
    }

    /** The message's size in bytes as read. */
    public long size() {
        return size;
    }

    /** The lower-case domains of all links' hosts, without repeats, in order. */
    public List<String> linkHosts() {
        List<String> hosts = new ArrayList<>();
        for (Link l : links) {
            l.host().map(h -> h.toLowerCase(Locale.ROOT)).filter(h -> !hosts.contains(h)).ifPresent(hosts::add);
        }
        return hosts;
    }

    /** Deletes the attachments' temporary files; the view's attachments can no longer be opened. */
    @Override
    public void close() {
        spillFiles.clean();
    }

    private static void deleteAll(List<Path> files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete attachment file " + f, e);
            }
        }
    }

    /** Counts bytes read, for the message size. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        /** The caller owns the stream; mime4j closing it must not stop the size count. */
        @Override
        public void close() {
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += s;
            return s;
        }

        long count() {
            return count;
        }
    }
}
