package org.postern.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared conformance data ({@code ../shared/conformance} beside the repository, or the directory named by the
 * {@code postern.conformance.dir} system property). Missing data fails the test rather than skipping it.
 */
final class ConformanceData {

    private ConformanceData() {
    }

    static Path dir() {
        String property = System.getProperty("postern.conformance.dir");
        Path dir = property != null ? Path.of(property) : Path.of("..", "shared", "conformance");
        assertThat(Files.isDirectory(dir)).as("conformance data directory %s", dir.toAbsolutePath()).isTrue();
        return dir;
    }

    static Path publicSuffixList() {
        return dir().resolve("dmarc/public-suffix-list");
    }
}
