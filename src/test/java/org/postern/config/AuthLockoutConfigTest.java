package org.postern.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code outbound.auth-lockout}: read when set, and out-of-range values refused with the key named. */
class AuthLockoutConfigTest {

    @TempDir Path dir;

    private OperatorConfig load(String yaml) throws Exception {
        return YamlConfigs.load(dir, yaml);
    }

    @Test
    void limitsAreReadWhenSet() throws Exception {
        OperatorConfig.AuthLockout l = load("outbound: { helo: mx.test, auth-lockout: { user-failures: 3, address-failures: 50, window: 1h } }\n")
                .outbound().orElseThrow().authLockout().orElseThrow();
        assertThat(l.userFailures()).contains(3);
        assertThat(l.addressFailures()).contains(50);
        assertThat(l.window()).contains("1h");
        assertThat(load("outbound: { helo: mx.test }\n").outbound().orElseThrow().authLockout()).isEmpty();
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("outbound: { helo: mx.test, auth-lockout: { user-failures: 0 } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("outbound.auth-lockout.user-failures");
        assertThatThrownBy(() -> load("outbound: { helo: mx.test, auth-lockout: { address-failures: -1 } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("outbound.auth-lockout.address-failures");
        assertThatThrownBy(() -> load("outbound: { helo: mx.test, auth-lockout: { window: 2d } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("outbound.auth-lockout.window");
        assertThatThrownBy(() -> load("outbound: { helo: mx.test, auth-lockout: { window: soon } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("soon");
        assertThatThrownBy(() -> load("outbound: { helo: mx.test, auth-lockout: { tries: 3 } }\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tries");
    }
}
