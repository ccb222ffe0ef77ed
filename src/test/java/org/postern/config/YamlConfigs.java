package org.postern.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a YAML snippet to a fresh file in {@code dir} and loads it as the operator would (validation included). */
final class YamlConfigs {

    private YamlConfigs() { }

    static OperatorConfig load(Path dir, String yaml) throws IOException {
        Path f = dir.resolve("p" + System.nanoTime() + ".yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f);
    }
}
