package org.postern.security;

import org.postern.testsupport.TestGateway;
import org.postern.testsupport.TestSmtpClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real gateway in-process, as {@code postern serve} starts it: from a YAML file naming a free port on 127.0.0.1
 * and an H2 store in a temporary directory, with limits high enough for thousands of generated cases.
 */
final class GatewayFixture extends TestGateway {

    GatewayFixture(Path dir, String hostname, String extraYaml) {
        super(dir, hostname, """
                limits: { messages-per-ip-per-minute: 100000, connections-per-ip: 100 }
                smtp: { max-errors: 100000 }
                """ + extraYaml);
    }

    /** A connected client that has been greeted and said EHLO. */
    TestSmtpClient client(String helo) {
        TestSmtpClient c = TestSmtpClient.connect(gateway.smtpPort());
        c.greeting().assertCode(220);
        c.ehlo(helo).assertCode(250);
        return c;
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


}
