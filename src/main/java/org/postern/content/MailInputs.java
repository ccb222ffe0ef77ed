package org.postern.content;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Finds the messages in what an administrator points {@code train}, {@code classify} or {@code report} at:
 * <ul>
 *   <li>a Maildir (a directory with {@code cur/} or {@code new/}): each file in them is a message;</li>
 *   <li>any other directory: every file below it, in name order (an {@code .mbox} file is split);</li>
 *   <li>a {@code .tar}, {@code .tar.gz}/{@code .tgz}, {@code .tar.bz2}/{@code .tbz2}, {@code .tar.xz}/{@code .txz}
 *       or {@code .zip} file (public corpora come in all of them): each regular entry is a message (an {@code .mbox}
 *       entry is split);</li>
 *   <li>a {@code .gz}, {@code .bz2} or {@code .xz} file: the file it compresses, as below;</li>
 *   <li>any other file: an mbox when it starts with a {@code From } line and holds several messages, else one
 *       message.</li>
 * </ul>
 * Each message is named: the file, {@code archive:entry} inside archives, and {@code #n} for the n-th of an mbox.
 * Messages stream one at a time; none is held in memory by this class.
 */
public final class MailInputs {

    /** Receives one message; the stream is valid during the call only. */
    @FunctionalInterface
    public interface MessageConsumer {
        void accept(String name, InputStream message) throws IOException;
    }

    private MailInputs() {
    }

    public static void forEach(Path path, MessageConsumer consumer) throws IOException {
        if (Files.isDirectory(path)) {
            for (Path file : filesOf(path)) forEachInFile(file, false, consumer);
        } else if (Files.isRegularFile(path)) {
            forEachInFile(path, true, consumer);
        } else {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such file or directory");
        }
    }

    /**
     * Reads one file, and names it in any failure that does not already: commons-compress and java.util.zip say "Not
     * in GZIP format" or "Corrupted TAR archive", which in a directory of hundreds of archives leaves the
     * administrator guessing which one.
     */
    private static void forEachInFile(Path file, boolean maySplit, MessageConsumer consumer) throws IOException {
        try {
            readFile(file, maySplit, consumer);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains(file.toString())) throw e;
            throw new IOException(file + ": " + message, e);
        }
    }

    private static void readFile(Path file, boolean maySplit, MessageConsumer consumer) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip")) {
            forEachInZip(file, consumer);
            return;
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            String inner = name;
            InputStream in = raw;
            for (Compression c : COMPRESSIONS) {
                if (name.endsWith(c.ending())) {
                    inner = name.substring(0, name.length() - c.ending().length()) + c.leaves();
                    in = c.open().apply(raw);
                    break;
                }
            }
            if (inner.endsWith(".tar")) {
                forEachInTar(file.toString(), new TarArchiveInputStream(in), consumer);
            } else if (inner.endsWith(".mbox") || maySplit) {
                forEachInMbox(file.toString(), in, inner.endsWith(".mbox"), consumer);
            } else {
                consumer.accept(file.toString(), in);
            }
        }
    }

    private interface Decompressor {
        InputStream apply(InputStream in) throws IOException;
    }

    /** A compressed file's name ending, what it leaves ({@code .tgz} a {@code .tar}, {@code x.mbox.gz} an mbox), how to open it. */
    private record Compression(String ending, String leaves, Decompressor open) { }

    private static final List<Compression> COMPRESSIONS = List.of(
            new Compression(".tgz", ".tar", in -> new GZIPInputStream(in, 1 << 16)),
            new Compression(".tbz2", ".tar", in -> new BZip2CompressorInputStream(in, true)),
            new Compression(".tbz", ".tar", in -> new BZip2CompressorInputStream(in, true)),
            new Compression(".txz", ".tar", in -> new XZCompressorInputStream(in, true)),
            new Compression(".gz", "", in -> new GZIPInputStream(in, 1 << 16)),
            new Compression(".bz2", "", in -> new BZip2CompressorInputStream(in, true)),
            new Compression(".xz", "", in -> new XZCompressorInputStream(in, true)));

    /**
     * A tar stream that ends before its first entry is no archive at all (a few bytes of anything decompress to that)
     * or an empty one: either way not the mail the administrator meant, so it is an error, not zero messages.
     */
    private static void forEachInTar(String archive, TarArchiveInputStream tar, MessageConsumer consumer) throws IOException {
        TarArchiveEntry e = tar.getNextEntry();
        if (e == null) throw new IOException(archive + ": no entries: not a tar archive, or an empty one");
        for (; e != null; e = tar.getNextEntry()) {
            if (e.isFile()) forEntry(archive, e.getName(), tar, consumer);
        }
    }

    /** Read from the central directory, so entries written with a data descriptor (no size up front) are read too. */
    private static void forEachInZip(Path file, MessageConsumer consumer) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
            for (ZipArchiveEntry e : java.util.Collections.list(zip.getEntriesInPhysicalOrder())) {
                if (e.isDirectory() || e.isUnixSymlink()) continue;
                if (!zip.canReadEntryData(e)) {
                    throw new IOException(file + ":" + e.getName() + ": zip entry uses a method Postern cannot read ("
                            + e.getMethod() + ")");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    forEntry(file.toString(), e.getName(), in, consumer);
                }
            }
        }
    }

    private static void forEntry(String archive, String entry, InputStream in, MessageConsumer consumer) throws IOException {
        // Hidden files, and the resource forks macOS puts in zips under __MACOSX/, are not mail.
        if (hidden(Path.of(entry).getFileName().toString()) || entry.startsWith("__MACOSX/")) return;
        String entryName = archive + ":" + entry;
        if (entry.toLowerCase(Locale.ROOT).endsWith(".mbox")) {
            forEachInMbox(entryName, in, true, consumer);
        } else {
            consumer.accept(entryName, in);
        }
    }

    /**
     * Splits an mbox. A single message that merely starts with a From_ line (as exported .eml files often do) keeps
     * its plain name, so {@code classify file.eml} prints {@code file.eml}, not {@code file.eml#1}.
     */
    private static void forEachInMbox(String name, InputStream in, boolean numbered, MessageConsumer consumer)
            throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(5);
        byte[] start = buffered.readNBytes(5);
        buffered.reset();
        if (!new String(start, java.nio.charset.StandardCharsets.US_ASCII).equals("From ")) {
            consumer.accept(name, buffered);
            return;
        }
        MboxReader mbox = new MboxReader(buffered);
        int n = 0;
        Optional<InputStream> first = mbox.next();
        if (first.isEmpty()) return;
        // Read ahead by one message only in name: the first is named after the second is known to exist.
        Path spill = null;
        try {
            spill = Files.createTempFile("postern-mbox-", ".eml");
            try (var out = Files.newOutputStream(spill)) {
                first.get().transferTo(out);
            }
            Optional<InputStream> second = mbox.next();
            boolean several = second.isPresent() || numbered;
            try (InputStream one = Files.newInputStream(spill)) {
                consumer.accept(several ? name + "#" + (++n) : name, one);
            }
            for (Optional<InputStream> m = second; m.isPresent(); m = mbox.next()) {
                consumer.accept(name + "#" + (++n), m.get());
            }
        } finally {
            if (spill != null) Files.deleteIfExists(spill);
        }
    }

    private static List<Path> filesOf(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !hidden(p.getFileName().toString()))
                    .filter(p -> !inMaildirTmp(p))
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }

    /** Maildir's tmp/ holds messages still being written: never read them. */
    private static boolean inMaildirTmp(Path file) {
        Path parent = file.getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("tmp")
                && parent.getParent() != null && Files.isDirectory(parent.getParent().resolve("cur"));
    }

    private static boolean hidden(String name) {
        return name.startsWith(".");
    }
}
