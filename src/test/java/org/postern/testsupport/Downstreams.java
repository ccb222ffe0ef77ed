package org.postern.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts REAL downstream mail servers as child processes on free loopback ports, for tests that
 * need something genuine to deliver to.
 *
 * <ul>
 *   <li>{@link #smtpSink(Path, String...)}: Postfix {@code smtp-sink}, capturing every completed
 *       transaction to one file per message in {@code dumpDir} ({@code -d}). Fault variants:
 *       {@link #smtpSinkTempFailing} ({@code -r}: 450 to the given commands),
 *       {@link #smtpSinkRejecting} ({@code -f}: 500 to the given commands),
 *       {@link #smtpSinkDropping} ({@code -q}: close without reply),
 *       {@link #smtpSinkShuttingDown} ({@code -Q}: 421 and close). Commands are smtp-sink's
 *       names: CONNECT, HELO, EHLO, LHLO, MAIL, RCPT, DATA, "." (end of data), RSET, NOOP, QUIT.
 *   <li>{@link #blackHole()}: a plain TCP listener that accepts and never writes a byte
 *       (tests connect/read timeouts).
 *   <li>{@link #dovecotLmtp(Path)}: Dovecot's LMTP service with a private configuration; every
 *       local part is a valid user except the ones in {@link LmtpServer} (550 / 451 at RCPT,
 *       452 after DATA), mail goes to Maildirs under {@code mailRoot/<domain>/<localpart>/}.
 * </ul>
 *
 * <p>A missing binary makes the test <em>skip</em> (JUnit assumption) on a developer machine,
 * but <em>fail</em> when the environment variable {@code CI} is set, so CI can never silently
 * skip these tests ({@code .ci/run} installs postfix and dovecot-lmtpd).
 *
 * <p>Every server is {@link AutoCloseable}; servers left open are stopped by a JVM shutdown hook.
 */
public final class Downstreams {

    private Downstreams() {}

    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable c : List.copyOf(OPEN)) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort at JVM exit
                }
            }
        }, "downstreams-cleanup"));
    }

    // ------------------------------------------------------------------ smtp-sink

    /**
     * Starts {@code smtp-sink} on 127.0.0.1:&lt;free port&gt;, dumping each received message to
     * its own file in {@code dumpDir} (created if needed). {@code extraArgs} are passed before
     * the address, e.g. {@code "-r", "RCPT"}; if they contain {@code -d} or {@code -D} no
     * dump option is added.
     */
    public static SmtpSink smtpSink(Path dumpDir, String... extraArgs) {
        Path bin = requireBinary("smtp-sink (package postfix)", smtpSinkBinary());
        return SmtpSink.start(bin, dumpDir, List.of(extraArgs));
    }

    /** smtp-sink answering 450 (soft error) to each of the given commands, e.g. "RCPT". */
    public static SmtpSink smtpSinkTempFailing(Path dumpDir, String... commands) {
        return smtpSink(dumpDir, "-r", commandList(commands));
    }

    /** smtp-sink answering 500 (hard error) to each of the given commands, e.g. "DATA". */
    public static SmtpSink smtpSinkRejecting(Path dumpDir, String... commands) {
        return smtpSink(dumpDir, "-f", commandList(commands));
    }

    /** smtp-sink closing the connection without any reply after the given commands. */
    public static SmtpSink smtpSinkDropping(Path dumpDir, String... commands) {
        return smtpSink(dumpDir, "-q", commandList(commands));
    }

    /** smtp-sink answering 421 and closing the connection after the given commands. */
    public static SmtpSink smtpSinkShuttingDown(Path dumpDir, String... commands) {
        return smtpSink(dumpDir, "-Q", commandList(commands));
    }

    /** smtp-sink speaking LMTP ({@code -L}): one 250 per recipient after the final dot. */
    public static SmtpSink lmtpSink(Path dumpDir, String... extraArgs) {
        List<String> args = new ArrayList<>();
        args.add("-L");
        args.addAll(List.of(extraArgs));
        return smtpSink(dumpDir, args.toArray(String[]::new));
    }

    private static String commandList(String... commands) {
        if (commands.length == 0) {
            throw new IllegalArgumentException("name at least one SMTP command");
        }
        return String.join(",", commands);
    }

    /** Where smtp-sink is, if installed. */
    public static Optional<Path> smtpSinkBinary() {
        return findBinary("smtp-sink", "/usr/sbin/smtp-sink", "/usr/lib/postfix/sbin/smtp-sink",
                "/usr/bin/smtp-sink", "/usr/libexec/postfix/smtp-sink");
    }

    /** Where smtp-source is, if installed (for load tests). */
    public static Optional<Path> smtpSourceBinary() {
        return findBinary("smtp-source", "/usr/sbin/smtp-source", "/usr/lib/postfix/sbin/smtp-source",
                "/usr/bin/smtp-source", "/usr/libexec/postfix/smtp-source");
    }

    /** Where the dovecot master binary is, if installed. */
    public static Optional<Path> dovecotBinary() {
        return findBinary("dovecot", "/usr/sbin/dovecot", "/usr/local/sbin/dovecot");
    }

    /** One message captured by smtp-sink (parsed from its dump file). */
    public record SinkMessage(
            Path file,
            String clientAddress,
            String protocol,
            String helo,
            String mailFrom,
            String mailArgs,
            List<String> recipients,
            List<String> rcptArgs,
            String content) {

        /** First value of a header in the captured message (unfolded, trimmed), or null. */
        public String header(String name) {
            List<String> all = headers(name);
            return all.isEmpty() ? null : all.get(0);
        }

        /** All values of a header in the captured message's header section, in order. */
        public List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            String[] lines = content.split("\n", -1);
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            StringBuilder current = null;
            for (String line : lines) {
                if (line.isEmpty()) {
                    break;
                }
                if ((line.startsWith(" ") || line.startsWith("\t")) && current != null) {
                    current.append(' ').append(line.strip());
                    continue;
                }
                if (current != null) {
                    values.add(current.toString().strip());
                    current = null;
                }
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    current = new StringBuilder(line.substring(prefix.length()));
                }
            }
            if (current != null) {
                values.add(current.toString().strip());
            }
            return values;
        }

        /** The message body: everything after the first empty line. */
        public String body() {
            int i = content.indexOf("\n\n");
            return i < 0 ? "" : content.substring(i + 2);
        }
    }

    /**
     * A running smtp-sink. Notes on smtp-sink semantics (checked against its source):
     * the dump file is created at MAIL, written during DATA, and closed at the final dot
     * <em>before</em> the reply to the dot is sent; an aborted transaction (RSET, disconnect)
     * deletes its file. So after the client saw the reply to "." the file is complete. When
     * "." itself is made to fail ({@code -r .}, {@code -f .}, {@code -q .}) the file is still
     * kept although the client got an error: count client replies in that case.
     * Message content is stored with LF line endings and dot-unstuffed.
     */
    public static final class SmtpSink implements AutoCloseable {
        private final Process process;
        private final int port;
        private final Path dumpDir;
        private final Path workDir;
        private final Path logFile;
        private final List<String> command;

        private SmtpSink(Process process, int port, Path dumpDir, Path workDir, Path logFile,
                List<String> command) {
            this.process = process;
            this.port = port;
            this.dumpDir = dumpDir;
            this.workDir = workDir;
            this.logFile = logFile;
            this.command = command;
        }

        static SmtpSink start(Path bin, Path dumpDir, List<String> extraArgs) {
            Path dump = dumpDir.toAbsolutePath();
            try {
                Files.createDirectories(dump);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            boolean hasDump = extraArgs.contains("-d") || extraArgs.contains("-D");
            Path work = tempDir("postern-smtp-sink-");
            Path log = work.resolve("smtp-sink.log");
            IOException lastFailure = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = freePort();
                List<String> cmd = new ArrayList<>();
                cmd.add(bin.toString());
                if (isRoot()) {
                    cmd.add("-u");
                    cmd.add("root"); // smtp-sink refuses to run as root without -u
                }
                if (!hasDump) {
                    cmd.add("-d");
                    cmd.add(dump + "/%Y%m%d-%H%M%S.");
                }
                cmd.addAll(extraArgs);
                cmd.add("127.0.0.1:" + port);
                cmd.add("256"); // listen backlog
                try {
                    Process p = new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                            .start();
                    if (awaitListening(p, port, Duration.ofSeconds(10))) {
                        SmtpSink sink = new SmtpSink(p, port, dump, work, log, List.copyOf(cmd));
                        OPEN.add(sink);
                        return sink;
                    }
                    stop(p, Duration.ofSeconds(2));
                    String out = readQuietly(log);
                    if (!out.contains("in use")) {
                        throw new IllegalStateException("smtp-sink did not start: " + cmd + "\n" + out);
                    }
                } catch (IOException e) {
                    lastFailure = e;
                }
            }
            throw new IllegalStateException("smtp-sink did not start after 5 attempts: "
                    + readQuietly(log), lastFailure);
        }

        public int port() {
            return port;
        }

        /** "smtp://127.0.0.1:port", the form Postern's tenant delivery setting uses. */
        public String smtpUrl() {
            return "smtp://127.0.0.1:" + port;
        }

        public Path dumpDir() {
            return dumpDir;
        }

        public List<String> commandLine() {
            return command;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Whatever smtp-sink printed (warnings, -v transcripts, -c counters). */
        public String log() {
            return readQuietly(logFile);
        }

        /** Completed message files (oldest first); in-progress transactions are excluded. */
        public List<Path> messageFiles() {
            List<Path> listed;
            try (Stream<Path> s = Files.walk(dumpDir)) {
                listed = s.filter(Files::isRegularFile).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Which files smtp-sink still writes, asked after listing: a file it created between this question and
            // the listing would otherwise count as complete while still empty.
            Set<Path> open = openFiles(process.pid());
            return listed.stream()
                    .filter(f -> !open.contains(f.toAbsolutePath().normalize()))
                    .sorted(Comparator.comparing(Downstreams::mtime).thenComparing(Path::toString))
                    .toList();
        }

        /** Completed messages, parsed (oldest first). */
        public List<SinkMessage> messages() {
            return messageFiles().stream().map(SmtpSink::parse).toList();
        }

        public int messageCount() {
            return messageFiles().size();
        }

        /** Waits until at least {@code count} messages are complete; fails after the timeout. */
        public List<SinkMessage> awaitMessages(int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<Path> files = messageFiles();
                if (files.size() >= count) {
                    return files.stream().map(SmtpSink::parse).toList();
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("smtp-sink on port " + port + " got " + files.size()
                            + " message(s), expected " + count + " within " + timeout
                            + "\nsink log:\n" + log());
                }
                sleep(50);
            }
        }

        /** Deletes all captured messages (e.g. between test phases). */
        public void clear() {
            for (Path f : messageFiles()) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        static SinkMessage parse(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String client = null;
            String proto = null;
            String helo = null;
            String mailArgs = null;
            List<String> rcptArgs = new ArrayList<>();
            int pos = 0;
            String content = "";
            while (pos < text.length()) {
                int nl = text.indexOf('\n', pos);
                if (nl < 0) {
                    nl = text.length();
                }
                String line = text.substring(pos, nl);
                pos = nl + 1;
                if (line.startsWith("X-Client-Addr: ")) {
                    client = line.substring(15);
                } else if (line.startsWith("X-Client-Proto: ")) {
                    proto = line.substring(16);
                } else if (line.startsWith("X-Helo-Args: ")) {
                    helo = line.substring(13);
                } else if (line.startsWith("X-Mail-Args: ")) {
                    mailArgs = line.substring(13);
                } else if (line.startsWith("X-Rcpt-Args: ")) {
                    rcptArgs.add(line.substring(13));
                } else if (line.startsWith("Received: ")) {
                    // three-line Received: header generated by smtp-sink ends its own records
                    for (int i = 0; i < 2 && pos < text.length(); i++) {
                        int n2 = text.indexOf('\n', pos);
                        pos = n2 < 0 ? text.length() : n2 + 1;
                    }
                    content = pos <= text.length() ? text.substring(Math.min(pos, text.length())) : "";
                    // smtp-sink writes the LF of the terminating ".\r\n" as an extra empty line
                    if (content.endsWith("\n")) {
                        content = content.substring(0, content.length() - 1);
                    }
                    break;
                }
            }
            // Convert from ISO-8859-1 bytes to UTF-8 text where valid (tests use UTF-8 mostly)
            content = new String(content.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            List<String> rcpts = rcptArgs.stream().map(Downstreams::angleAddress).toList();
            return new SinkMessage(file, client, proto, helo,
                    mailArgs == null ? null : angleAddress(mailArgs), mailArgs, rcpts,
                    List.copyOf(rcptArgs), content);
        }

        @Override
        public void close() {
            OPEN.remove(this);
            stop(process, Duration.ofSeconds(5));
            deleteTree(workDir);
        }

        @Override
        public String toString() {
            return "smtp-sink@127.0.0.1:" + port + " " + command;
        }
    }

    // ------------------------------------------------------------------ black hole

    /** A TCP listener on 127.0.0.1 that accepts connections and never sends anything. */
    public static BlackHole blackHole() {
        return BlackHole.start();
    }

    /** Accepts TCP connections, reads and discards input, never writes. */
    public static final class BlackHole implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread acceptor;

        private BlackHole(ServerSocket server) {
            this.server = server;
            this.acceptor = Thread.ofVirtual().name("black-hole-" + server.getLocalPort()).start(this::acceptLoop);
        }

        static BlackHole start() {
            try {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
                BlackHole b = new BlackHole(s);
                OPEN.add(b);
                return b;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.add(s);
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> drain(s));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private static void drain(Socket s) {
            byte[] buf = new byte[4096];
            try (s) {
                while (s.getInputStream().read(buf) >= 0) {
                    // discard
                }
            } catch (IOException ignored) {
                // closed
            }
        }

        public int port() {
            return server.getLocalPort();
        }

        public String smtpUrl() {
            return "smtp://127.0.0.1:" + port();
        }

        /** Number of connections accepted so far. */
        public int connectionCount() {
            return connections.get();
        }

        /** Number of accepted connections the peer has not closed yet. */
        public int openConnectionCount() {
            return (int) accepted.stream().filter(s -> !s.isClosed()).count();
        }

        @Override
        public void close() {
            OPEN.remove(this);
            try {
                server.close();
            } catch (IOException ignored) {
                // nothing
            }
            for (Socket s : accepted) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing
                }
            }
            acceptor.interrupt();
        }
    }

    // ------------------------------------------------------------------ dovecot LMTP

    /** Starts Dovecot LMTP with the default failing users (see {@link LmtpServer}). */
    public static LmtpServer dovecotLmtp(Path mailRoot) {
        return dovecotLmtp(mailRoot, LmtpUsers.defaults());
    }

    /** Starts Dovecot LMTP with custom failing local parts. */
    public static LmtpServer dovecotLmtp(Path mailRoot, LmtpUsers users) {
        Path bin = requireBinary("dovecot (packages dovecot-core, dovecot-lmtpd)", dovecotBinary());
        if (!Files.exists(Paths.get("/usr/lib/dovecot/lmtp")) && !runningInCi()) {
            Assumptions.abort("dovecot LMTP service (/usr/lib/dovecot/lmtp, package dovecot-lmtpd) is not installed");
        }
        return LmtpServer.start(bin, mailRoot, users);
    }

    /**
     * Which local parts (any domain, case-insensitive) fail, and how. Everyone else is a valid
     * user.
     *
     * @param unknown   RCPT gets {@code 550 5.1.1 <addr> User doesn't exist} (deny passdb)
     * @param tempFail  RCPT gets {@code 451 4.3.0 <addr> Temporary internal error} (userdb
     *                  returns uid 0, which Dovecot refuses)
     * @param overQuota RCPT is accepted; after DATA this recipient's reply is
     *                  {@code 452 4.2.2 <addr> Quota exceeded (mailbox for user is full)}
     *                  (1-byte quota with quota_full_tempfail=yes)
     */
    public record LmtpUsers(Set<String> unknown, Set<String> tempFail, Set<String> overQuota) {
        public LmtpUsers {
            unknown = lower(unknown);
            tempFail = lower(tempFail);
            overQuota = lower(overQuota);
        }

        public static LmtpUsers defaults() {
            return new LmtpUsers(Set.of(LmtpServer.UNKNOWN_USER, "unknown"),
                    Set.of(LmtpServer.TEMPFAIL_USER), Set.of(LmtpServer.OVER_QUOTA_USER));
        }

        private static Set<String> lower(Set<String> s) {
            Set<String> out = new LinkedHashSet<>();
            for (String x : s) {
                if (x.contains("@") || x.contains(":") || x.isBlank()) {
                    throw new IllegalArgumentException("give bare local parts: " + x);
                }
                out.add(x.toLowerCase(Locale.ROOT));
            }
            return Collections.unmodifiableSet(out);
        }
    }

    /**
     * A running Dovecot LMTP server (foreground {@code dovecot -F -c <private conf>}).
     *
     * <p>Per-recipient results with the default {@link LmtpUsers}, for any domain:
     * <ul>
     *   <li>{@code nosuchuser@..}, {@code unknown@..}: 550 5.1.1 at RCPT</li>
     *   <li>{@code tempfail@..}: 451 4.3.0 at RCPT</li>
     *   <li>{@code overquota@..}: 250 at RCPT, then 452 4.2.2 in the per-recipient DATA replies</li>
     *   <li>anyone else: 250, message stored in
     *       {@code mailRoot/<domain>/<localpart>/Maildir/new/} (both lower-cased;
     *       "+detail" is stripped by Dovecot's recipient_delimiter)</li>
     * </ul>
     * As root, mail is written as the system user {@code mail} (Dovecot refuses uid 0 for mail);
     * mailRoot is chowned to it and its ancestors get the g+x and o+x (traverse) bits if they lack
     * them.
     */
    public static final class LmtpServer implements AutoCloseable {
        public static final String UNKNOWN_USER = "nosuchuser";
        public static final String TEMPFAIL_USER = "tempfail";
        public static final String OVER_QUOTA_USER = "overquota";

        private final Process process;
        private final int port;
        private final Path mailRoot;
        private final Path workDir;
        private final Path logFile;
        private final Path configFile;

        private LmtpServer(Process process, int port, Path mailRoot, Path workDir, Path logFile,
                Path configFile) {
            this.process = process;
            this.port = port;
            this.mailRoot = mailRoot;
            this.workDir = workDir;
            this.logFile = logFile;
            this.configFile = configFile;
        }

        static LmtpServer start(Path bin, Path mailRootArg, LmtpUsers users) {
            Path mailRoot = mailRootArg.toAbsolutePath().normalize();
            Path work = tempDir("postern-dovecot-");
            try {
                Files.createDirectories(mailRoot);
                Path base = Files.createDirectories(work.resolve("run"));
                Path state = Files.createDirectories(work.resolve("state"));
                Path log = work.resolve("dovecot.log");
                Files.createFile(log);
                Files.writeString(work.resolve("deny-users"), passwdLines(users.unknown(), ":", ""));
                // userdb uid 0: Dovecot's lmtp refuses it -> "451 4.3.0 Temporary internal error"
                // (uid 0 in the line's own uid field would just make the entry invalid/unknown)
                // 1-byte quota + quota_full_tempfail=yes -> "452 4.2.2 Quota exceeded" after DATA
                Files.writeString(work.resolve("special-users"),
                        passwdLines(users.tempFail(), ":", "userdb_uid=0")
                                + passwdLines(users.overQuota(), ":", "userdb_quota_rule=*:storage=1B"));

                String me = currentUser();
                long uid;
                long gid;
                String internalUser;
                String internalGroup;
                if (isRoot()) {
                    long[] ids = passwdIds("mail", 8, 8);
                    uid = ids[0];
                    gid = ids[1];
                    internalUser = "root";
                    internalGroup = "root";
                    Files.setAttribute(mailRoot, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(mailRoot, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
                    makeTraversable(mailRoot.getParent());
                } else {
                    uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
                    gid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
                    internalUser = me;
                    internalGroup = ((java.nio.file.attribute.GroupPrincipal)
                            Files.getAttribute(Path.of("/proc/self"), "posix:group")).getName();
                }

                IllegalStateException last = null;
                for (int attempt = 0; attempt < 5; attempt++) {
                    int port = freePort();
                    Path conf = work.resolve("dovecot.conf");
                    Files.writeString(conf, config(work, base, state, log, mailRoot, port, uid, gid,
                            internalUser, internalGroup));
                    List<String> cmd = List.of(bin.toString(), "-F", "-c", conf.toString());
                    Process p = new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(work.resolve("dovecot.stdout").toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                            .start();
                    if (awaitListening(p, port, Duration.ofSeconds(15))) {
                        LmtpServer s = new LmtpServer(p, port, mailRoot, work, log, conf);
                        OPEN.add(s);
                        return s;
                    }
                    stopTree(p, Duration.ofSeconds(5));
                    String out = readQuietly(work.resolve("dovecot.stdout")) + readQuietly(log);
                    last = new IllegalStateException("dovecot did not start: " + cmd + "\n" + out);
                    if (!out.contains("in use")) {
                        break;
                    }
                }
                deleteTree(work);
                throw last;
            } catch (IOException e) {
                deleteTree(work);
                throw new UncheckedIOException(e);
            }
        }

        /** passwd-file lines: user:password:uid:gid:gecos:home:shell:extra_fields. */
        private static String passwdLines(Set<String> names, String uidGid, String extraFields) {
            StringBuilder sb = new StringBuilder();
            for (String n : names) {
                sb.append(n).append("::").append(uidGid).append("::::").append(extraFields).append('\n');
            }
            return sb.toString();
        }

        private static String config(Path work, Path base, Path state, Path log, Path mailRoot, int port,
                long uid, long gid, String internalUser, String internalGroup) {
            String home = mailRoot + "/%Ld/%Ln";
            return """
                    # Private Dovecot instance for Postern tests (generated by Downstreams.java)
                    instance_name = postern-lmtp-%1$d
                    base_dir = %2$s
                    state_dir = %3$s
                    protocols = lmtp
                    listen = 127.0.0.1
                    hostname = lmtp.postern.test
                    ssl = no
                    log_path = %4$s
                    info_log_path = %4$s
                    debug_log_path = %4$s
                    auth_verbose = yes
                    default_internal_user = %5$s
                    default_internal_group = %6$s
                    default_login_user = %5$s
                    first_valid_uid = 1
                    first_valid_gid = 1
                    mail_location = maildir:~/Maildir
                    mail_fsync = never
                    mail_plugins = quota
                    lmtp_rcpt_check_quota = no
                    quota_full_tempfail = yes
                    postmaster_address = postmaster@lmtp.postern.test
                    plugin {
                      quota = maildir:User quota
                      quota_rule = *:storage=0
                    }
                    # unknown users: a passdb hit with deny=yes makes the userdb existence check fail
                    passdb {
                      driver = passwd-file
                      args = username_format=%%Ln %7$s/deny-users
                      deny = yes
                    }
                    passdb {
                      driver = static
                      args = nopassword=y
                    }
                    # special users (tempfail: uid 0; overquota: 1-byte quota)
                    userdb {
                      driver = passwd-file
                      args = username_format=%%Ln %7$s/special-users
                      default_fields = uid=%8$d gid=%9$d home=%10$s
                      result_success = return-ok
                      result_failure = continue
                    }
                    # everybody else exists, if the passdb does not deny them
                    userdb {
                      driver = static
                      args = uid=%8$d gid=%9$d home=%10$s allow_all_users=no
                    }
                    # no chroot: a non-root dovecot cannot chroot
                    service anvil {
                      chroot =
                    }
                    service lmtp {
                      inet_listener lmtp {
                        address = 127.0.0.1
                        port = %1$d
                      }
                      unix_listener lmtp {
                        mode = 0600
                      }
                    }
                    """.formatted(port, base, state, log, internalUser, internalGroup, work, uid, gid, home);
        }

        public int port() {
            return port;
        }

        /** "lmtp://127.0.0.1:port". */
        public String lmtpUrl() {
            return "lmtp://127.0.0.1:" + port;
        }

        public Path mailRoot() {
            return mailRoot;
        }

        public Path configFile() {
            return configFile;
        }

        public Path logFile() {
            return logFile;
        }

        public String log() {
            return readQuietly(logFile);
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** The Maildir of an address ("Bob@Example.test" -> mailRoot/example.test/bob/Maildir). */
        public Path maildir(String address) {
            int at = address.lastIndexOf('@');
            String local = (at < 0 ? address : address.substring(0, at)).toLowerCase(Locale.ROOT);
            int plus = local.indexOf('+');
            if (plus > 0) {
                local = local.substring(0, plus);
            }
            String domain = at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
            return mailRoot.resolve(domain).resolve(local).resolve("Maildir");
        }

        /** Message files delivered to an address (Maildir new/ and cur/), oldest first. */
        public List<Path> messages(String address) {
            Path md = maildir(address);
            List<Path> out = new ArrayList<>();
            for (String sub : List.of("new", "cur")) {
                Path d = md.resolve(sub);
                if (Files.isDirectory(d)) {
                    try (Stream<Path> s = Files.list(d)) {
                        s.filter(Files::isRegularFile).forEach(out::add);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            out.sort(Comparator.comparing(Downstreams::mtime).thenComparing(Path::toString));
            return out;
        }

        /** All delivered message files under mailRoot. */
        public List<Path> allMessages() {
            if (!Files.isDirectory(mailRoot)) {
                return List.of();
            }
            try (Stream<Path> s = Files.walk(mailRoot)) {
                return s.filter(Files::isRegularFile)
                        .filter(p -> {
                            Path parent = p.getParent();
                            String dir = parent == null ? "" : String.valueOf(parent.getFileName());
                            return (dir.equals("new") || dir.equals("cur"))
                                    && parent.getParent() != null
                                    && String.valueOf(parent.getParent().getFileName()).equals("Maildir");
                        })
                        .sorted(Comparator.comparing(Downstreams::mtime).thenComparing(Path::toString))
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits until an address has at least {@code count} messages. */
        public List<Path> awaitMessages(String address, int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<Path> m = messages(address);
                if (m.size() >= count) {
                    return m;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(address + " has " + m.size() + " message(s), expected "
                            + count + " within " + timeout + "\ndovecot log:\n" + log());
                }
                sleep(50);
            }
        }

        @Override
        public void close() {
            OPEN.remove(this);
            stopTree(process, Duration.ofSeconds(10));
            deleteTree(workDir);
        }

        @Override
        public String toString() {
            return "dovecot-lmtp@127.0.0.1:" + port + " (" + mailRoot + ")";
        }
    }

    // ------------------------------------------------------------------ helpers

    /** True when running under CI (environment variable CI set to anything but "" / "false"). */
    public static boolean runningInCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    /**
     * Returns the binary, or skips the test (developer machine) / fails it (CI) when absent.
     */
    public static Path requireBinary(String what, Optional<Path> found) {
        if (found.isPresent()) {
            return found.get();
        }
        String msg = what + " is not installed";
        if (runningInCi()) {
            throw new AssertionError(msg + " but CI is set: CI must not skip downstream tests;"
                    + " .ci/run is supposed to install it");
        }
        Assumptions.abort(msg + " (skipping; install it, e.g. bash .ci/run does)");
        throw new IllegalStateException("unreachable");
    }

    /** Looks in the given absolute paths, then in PATH. */
    public static Optional<Path> findBinary(String name, String... candidates) {
        for (String c : candidates) {
            Path p = Paths.get(c);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Paths.get(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** A currently free TCP port on 127.0.0.1 (there is a small race until it is used). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until something listens on 127.0.0.1:port (read from /proc/net/tcp, so no test
     * connection is made), or the process dies, or the timeout passes.
     */
    static boolean awaitListening(Process p, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path procTcp = Paths.get("/proc/net/tcp");
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                return false;
            }
            if (Files.isReadable(procTcp)) {
                if (isListening(procTcp, port)) {
                    return true;
                }
            } else {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException ignored) {
                    // not yet
                }
            }
            sleep(20);
        }
        return false;
    }

    private static boolean isListening(Path procTcp, int port) {
        String wanted = String.format(Locale.ROOT, ":%04X", port);
        try {
            for (String line : Files.readAllLines(procTcp)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ...; st 0A = LISTEN
                if (f.length > 3 && f[1].endsWith(wanted) && f[3].equals("0A")) {
                    return true;
                }
            }
        } catch (IOException ignored) {
            // treat as not listening
        }
        return false;
    }

    /** Paths of the regular files a process has open (empty if /proc is not readable). */
    static Set<Path> openFiles(long pid) {
        Path fdDir = Paths.get("/proc", Long.toString(pid), "fd");
        Set<Path> out = new HashSet<>();
        try (Stream<Path> s = Files.list(fdDir)) {
            s.forEach(fd -> {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.isAbsolute()) {
                        out.add(target.normalize());
                    }
                } catch (IOException | UnsupportedOperationException ignored) {
                    // fd closed meanwhile
                }
            });
        } catch (IOException ignored) {
            // process gone or /proc unavailable
        }
        return out;
    }

    private static void stop(Process p, Duration grace) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** Stops a process and any of its descendants that outlive it (dovecot's children). */
    private static void stopTree(Process p, Duration grace) {
        List<ProcessHandle> children = p.descendants().toList();
        stop(p, grace);
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        for (ProcessHandle h : children) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                sleep(20);
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return ((Number) uid).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String currentUser() {
        return System.getProperty("user.name");
    }

    /** uid and gid of a user from /etc/passwd, or the fallbacks. */
    private static long[] passwdIds(String user, long uidFallback, long gidFallback) {
        try {
            for (String line : Files.readAllLines(Paths.get("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 3 && f[0].equals(user)) {
                    return new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall back
        }
        return new long[] {uidFallback, gidFallback};
    }

    /**
     * Adds g+x and o+x (traverse only, no read) to dir and its ancestors where missing, so the
     * non-root mail uid can reach mailRoot. Group matters too: Dovecot drops privileges with
     * seteuid but keeps root's supplementary group 0, so for a root-group directory the kernel
     * checks the group bits, not the other bits.
     */
    private static void makeTraversable(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)
                    || !perms.contains(PosixFilePermission.GROUP_EXECUTE)) {
                Set<PosixFilePermission> np = new HashSet<>(perms);
                np.add(PosixFilePermission.OTHERS_EXECUTE);
                np.add(PosixFilePermission.GROUP_EXECUTE);
                Files.setPosixFilePermissions(p, np);
            }
        }
    }

    static Path tempDir(String prefix) {
        try {
            // short paths: dovecot's unix sockets live below this directory (108-byte limit)
            Path base = Paths.get("/tmp");
            return Files.isDirectory(base) && Files.isWritable(base)
                    ? Files.createTempDirectory(base, prefix)
                    : Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // e.g. a socket still being removed by the server
                }
            }
        } catch (IOException ignored) {
            // best effort
        }
    }

    static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "<cannot read " + p + ": " + e + ">";
        }
    }

    private static java.nio.file.attribute.FileTime mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return java.nio.file.attribute.FileTime.fromMillis(0);
        }
    }

    /** "Name <a@b>" / "<a@b> SIZE=1" / "a@b" -> "a@b"; "<>" -> "". */
    static String angleAddress(String args) {
        String s = args.strip();
        int lt = s.indexOf('<');
        int gt = lt < 0 ? -1 : s.indexOf('>', lt);
        if (lt >= 0 && gt > lt) {
            return s.substring(lt + 1, gt);
        }
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
