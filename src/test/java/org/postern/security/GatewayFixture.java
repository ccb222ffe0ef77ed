package org.postern.security;

import org.postern.config.ConfigLoader;
import org.postern.edge.Gateway;
import org.postern.testsupport.TestSmtpClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real gateway in-process, as {@code postern serve} starts it: from a YAML file naming a free port on 127.0.0.1
 * and an H2 store in a temporary directory (the approach of the edge tests' RunningGateway).
 */
final class GatewayFixture implements AutoCloseable {

    private static final Pattern REF = Pattern.compile("\\[ref=([0-9A-Za-z]+)]");

    final String hostname;
    final Gateway gateway;

    GatewayFixture(Path dir, String hostname, String extraYaml) {
        this.hostname = hostname;
        Path config = dir.resolve("postern.yaml");
        String yaml = """
                node: { hostname: %1$s, data-dir: "%2$s" }
                listeners: { smtp: { address: 127.0.0.1, port: 0 } }
                store: { url: "jdbc:h2:file:%2$s/postern" }
                limits: { messages-per-ip-per-minute: 100000, connections-per-ip: 100 }
                smtp: { max-errors: 100000 }
                """.formatted(hostname, dir) + extraYaml;
        try {
            Files.createDirectories(dir);
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.gateway = Gateway.start(ConfigLoader.load(config));
    }

    /** A connected client that has been greeted and said EHLO. */
    TestSmtpClient client(String helo) {
        TestSmtpClient c = TestSmtpClient.connect(gateway.smtpPort());
        c.greeting().assertCode(220);
        c.ehlo(helo).assertCode(250);
        return c;
    }

    static String ref(Object reply) {
        Matcher m = REF.matcher(reply.toString());
        if (!m.find()) throw new AssertionError("no [ref=...] in " + reply);
        return m.group(1);
    }

    /** Every file delivered into the {@code new/} folders of the Maildirs below {@code root}. */
    static List<Path> delivered(Path root) {
        for (int attempt = 1; ; attempt++) {
            if (!Files.isDirectory(root)) return List.of();
            try (Stream<Path> s = Files.walk(root)) {
                return new ArrayList<>(s.filter(p -> p.getParent().getFileName().toString().equals("new"))
                        .filter(Files::isRegularFile).sorted().toList());
            } catch (IOException | UncheckedIOException e) {
                // a delivery renamed a file out of tmp/ while we walked: look again
                if (attempt == 5) throw new AssertionError("cannot list " + root, e);
            }
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        gateway.close();
    }
}
