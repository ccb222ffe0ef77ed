package org.postern.cli;

import org.postern.config.ConfigLoader;
import org.postern.config.OperatorConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --config FILE} option every command shares; without it the embedded defaults apply. */
public final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE", description = "operator configuration (YAML); default: embedded defaults")
    Path file;

    public OperatorConfig load() {
        if (file == null) return ConfigLoader.defaults();
        if (!Files.isRegularFile(file)) throw new org.postern.Postern.CliFailure("configuration file not found: " + file);
        return ConfigLoader.load(file);
    }
}
