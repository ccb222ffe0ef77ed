package org.postern.cli;

import org.postern.Postern;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks mail inputs exist before any work starts, so a typo fails at once and names the path. */
final class Inputs {

    private Inputs() {
    }

    static List<Path> existing(List<Path> paths) {
        for (Path p : paths) {
            if (!Files.exists(p)) throw new Postern.CliFailure("no such file or directory: " + p);
        }
        return List.copyOf(paths);
    }

    static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
