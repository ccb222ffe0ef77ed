package org.postern.edge;

import org.postern.testsupport.PosternCli;
import org.postern.testsupport.TestGateway;
import org.postern.trace.DeliveryEvent;
import org.postern.trace.TraceQuery;
import org.postern.trace.TraceRecord;
import org.postern.trace.TraceStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A gateway started in-process on a free port from a YAML snippet, with helpers tests share. */
final class RunningGateway extends TestGateway {

    static final String HOST = "mx.e2e.postern.test";

    /** {@code extraYaml} is appended to a config naming node, listener (free port), an H2 store in {@code dir} and DNS. */
    RunningGateway(Path dir, String extraYaml) {
        super(dir, HOST, extraYaml);
    }

    RunningGateway(Path dir, String extraYaml, java.time.Clock clock) {
        super(dir, HOST, extraYaml, clock);
    }



    Optional<TraceRecord> trace(String ref) {
        List<TraceRecord> found = gateway.trace().search(TraceQuery.all().withRef(ref));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    List<DeliveryEvent> deliveries(String ref) {
        return gateway.trace().deliveries(ref);
    }

    /** Waits until the traced message reaches the status (delivery runs beside the session). */
    TraceRecord awaitStatus(String ref, TraceStatus status, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        Optional<TraceRecord> last = Optional.empty();
        while (System.nanoTime() < until) {
            last = trace(ref);
            if (last.isPresent() && last.get().status() == status) return last.get();
            sleep(50);
        }
        throw new AssertionError("message " + ref + " did not reach " + status + " in " + timeout + "; last: " + last);
    }

    /** Files delivered to a recipient's Maildir below {@code root}. */
    static List<Path> maildir(Path root, String recipient) {
        Path dir = root.resolve(recipient).resolve("new");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a CLI command in-process; returns exit code and what it printed on stdout. */
    static CliResult cli(String... args) {
        var run = PosternCli.run(args);
        return new CliResult(run.exit(), run.out(), run.err());
    }

    record CliResult(int exitCode, String stdout, String stderr) { }


}
