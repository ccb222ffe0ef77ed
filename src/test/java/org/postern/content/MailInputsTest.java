package org.postern.content;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailInputsTest {

    record Seen(String name, String text) { }

    static List<Seen> read(Path path) throws IOException {
        List<Seen> seen = new ArrayList<>();
        MailInputs.forEach(path, (name, in) -> seen.add(new Seen(name, new String(in.readAllBytes(), StandardCharsets.UTF_8))));
        return seen;
    }

    @Test
    void splitsAnMboxAndUnescapesFromLines(@TempDir Path dir) throws IOException {
        Path mbox = Files.writeString(dir.resolve("inbox"), """
                From a@example.test Mon Feb  3 10:00:00 2025
                Subject: one

                first body
                From here on, not a separator (no blank line before it)
                >From the escaped line

                From b@example.test Mon Feb  3 10:01:00 2025
                Subject: two

                second body
                """);
        List<Seen> seen = read(mbox);
        assertThat(seen).extracting(Seen::name).containsExactly(mbox + "#1", mbox + "#2");
        assertThat(seen.get(0).text()).startsWith("Subject: one\n").contains("From here on, not a separator")
                .contains("\nFrom the escaped line\n").doesNotContain(">From");
        assertThat(seen.get(1).text()).isEqualTo("Subject: two\n\nsecond body\n");
    }

    @Test
    void aSingleMessageWithAnEnvelopeLineKeepsItsName(@TempDir Path dir) throws IOException {
        Path eml = Files.writeString(dir.resolve("one.eml"), "From x@example.test Mon Feb  3 10:00:00 2025\nSubject: s\n\nb\n");
        assertThat(read(eml)).containsExactly(new Seen(eml.toString(), "Subject: s\n\nb\n"));
    }

    @Test
    void readsMaildirsButNotTheirTmp(@TempDir Path dir) throws IOException {
        Path maildir = dir.resolve("Maildir");
        for (String sub : new String[] {"cur", "new", "tmp"}) Files.createDirectories(maildir.resolve(sub));
        Files.writeString(maildir.resolve("cur/1.host:2,S"), "Subject: cur\n\nx\n");
        Files.writeString(maildir.resolve("new/2.host"), "Subject: new\n\nx\n");
        Files.writeString(maildir.resolve("tmp/3.host"), "Subject: half-written\n\nx\n");
        Files.writeString(maildir.resolve(".hidden"), "not mail");
        assertThat(read(maildir)).extracting(Seen::text).containsExactly("Subject: cur\n\nx\n", "Subject: new\n\nx\n");
    }

    @Test
    void readsTarGzArchivesEntryByEntry(@TempDir Path dir) throws IOException {
        Path archive = dir.resolve("mail.tar.gz");
        writeTarGz(archive, Map.of("spam/0001.eml", "Subject: a\n\nx\n", "spam/box.mbox",
                "From a Mon Feb  3 10:00:00 2025\nSubject: m1\n\nx\n\nFrom b Mon Feb  3 10:00:00 2025\nSubject: m2\n\ny\n"));
        assertThat(read(archive)).extracting(Seen::name).containsExactlyInAnyOrder(
                archive + ":spam/0001.eml", archive + ":spam/box.mbox#1", archive + ":spam/box.mbox#2");
    }

    /** Public corpora come as .zip, .tar.bz2, .tar.xz and gzipped mboxes as well as .tar.gz. */
    @Test
    void readsZipBzip2AndXzArchivesAndCompressedFiles(@TempDir Path dir) throws IOException {
        String two = "From a Mon Feb  3 10:00:00 2025\nSubject: m1\n\nx\n\nFrom b Mon Feb  3 10:00:00 2025\nSubject: m2\n\ny\n";
        Path zip = dir.resolve("corpus.zip");
        try (var out = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(Files.newOutputStream(zip))) {
            out.putArchiveEntry(new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("ham/"));
            out.closeArchiveEntry();
            for (var e : Map.of("ham/1.eml", "Subject: zipped\n\nx\n", "ham/box.mbox", two,
                    "__MACOSX/ham/._1.eml", "resource fork").entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                out.putArchiveEntry(new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        assertThat(read(zip)).extracting(Seen::name).containsExactly(zip + ":ham/1.eml", zip + ":ham/box.mbox#1", zip + ":ham/box.mbox#2");
        assertThat(read(zip).get(0).text()).isEqualTo("Subject: zipped\n\nx\n");

        Path bz2 = dir.resolve("spam.tar.bz2");
        writeTar(bz2, Map.of("b.eml", "Subject: bzip2\n\nx\n"), org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream::new);
        Path xz = dir.resolve("spam.txz");
        writeTar(xz, Map.of("x.eml", "Subject: xz\n\nx\n"), org.apache.commons.compress.compressors.xz.XZCompressorOutputStream::new);
        assertThat(read(bz2)).containsExactly(new Seen(bz2 + ":b.eml", "Subject: bzip2\n\nx\n"));
        assertThat(read(xz)).containsExactly(new Seen(xz + ":x.eml", "Subject: xz\n\nx\n"));

        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path mboxGz = folder.resolve("box.mbox.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(mboxGz))) {
            out.write(two.getBytes(StandardCharsets.UTF_8));
        }
        Path emlXz = folder.resolve("one.eml.xz");
        try (OutputStream out = new org.apache.commons.compress.compressors.xz.XZCompressorOutputStream(Files.newOutputStream(emlXz))) {
            out.write("Subject: one\n\nx\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(read(folder)).extracting(Seen::name).containsExactly(mboxGz + "#1", mboxGz + "#2", emlXz.toString());
        assertThat(read(emlXz)).containsExactly(new Seen(emlXz.toString(), "Subject: one\n\nx\n"));
    }

    @Test
    void aBrokenOrEmptyArchiveIsAnErrorThatNamesTheFile(@TempDir Path dir) throws IOException {
        Path notGzip = Files.writeString(dir.resolve("plain.tar.gz"), "Subject: not compressed\n\nx\n");
        Path notZip = Files.writeString(dir.resolve("corpus.zip"), "hello");
        Path notTar = dir.resolve("short.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(notTar))) {
            out.write("not a tar\n".getBytes(StandardCharsets.UTF_8)); // decompresses to less than one tar block
        }
        Path corrupt = dir.resolve("corrupt.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(corrupt))) {
            out.write("garbage that is no tar header ".repeat(100).getBytes(StandardCharsets.UTF_8));
        }
        Path empty = dir.resolve("empty.tar");
        writeTar(empty, Map.of(), out -> out);

        for (Path broken : List.of(notGzip, notZip, notTar, corrupt, empty)) {
            assertThatThrownBy(() -> read(broken)).as(broken.toString())
                    .isInstanceOf(IOException.class).hasMessageStartingWith(broken + ": ");
        }
        assertThatThrownBy(() -> read(notTar)).hasMessageContaining("not a tar archive, or an empty one");
        // In a directory the broken file is named too, not only its library's complaint.
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Files.writeString(folder.resolve("a.eml"), "Subject: fine\n\nx\n");
        Files.copy(notGzip, folder.resolve("b.tar.gz"));
        assertThatThrownBy(() -> read(folder)).hasMessageStartingWith(folder.resolve("b.tar.gz") + ": ");
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    static void writeTarGz(Path archive, Map<String, String> entries) throws IOException {
        writeTar(archive, entries, GZIPOutputStream::new);
    }

    private static void writeTar(Path archive, Map<String, String> entries, Compressor compressor) throws IOException {
        try (OutputStream file = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(compressor.wrap(file))) {
            for (var e : entries.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(bytes.length);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
    }
}
