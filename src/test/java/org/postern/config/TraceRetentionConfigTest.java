package org.postern.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code trace: { retention: 90d }}: the default, a setting, and what is refused with the key named. */
class TraceRetentionConfigTest {

    @TempDir Path dir;

    private OperatorConfig load(String yaml) throws Exception {
        return YamlConfigs.load(dir, yaml);
    }

    @Test
    void retentionDefaultsTo90DaysAndCanBeSet() throws Exception {
        assertThat(load("smtp: { max-errors: 20 }\n").traceRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(load("trace: { retention: 30d }\n").traceRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void lessThanADayOrUnknownKeysAreRefused() {
        assertThatThrownBy(() -> load("trace: { retention: 12h }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("trace.retention");
        assertThatThrownBy(() -> load("trace: { keep: 30d }\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("keep");
    }
}
