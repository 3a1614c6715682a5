package io.argus.common.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.runtime.configuration.ConfigurationException;

/** The start-up check on its own; AccessMisconfiguredIT shows a packaged service stopping on it. */
class SecurityStartupCheckTest {

    private static final String SECRET = "0123456789abcdef0123";

    @TempDir
    Path dir;

    record Config(boolean enabled, Optional<Path> keysFile) implements SecurityConfig {
    }

    @Test
    void accessControlOnWithoutAKeysFileIsRefusedNamingTheSettingAndTheWayOut() {
        assertThatThrownBy(() -> SecurityStartupCheck.check(new Config(true, Optional.empty())))
                .hasMessageContaining("argus.security.keys-file is not set")
                .hasMessageContaining("argus.security.enabled=false");
    }

    @Test
    void aKeysFileThatCannotBeReadIsRefusedNamingTheFile() {
        Path missing = dir.resolve("no-such-keys");

        assertThatThrownBy(() -> SecurityStartupCheck.check(new Config(true, Optional.of(missing))))
                .hasMessageContaining("cannot read the API keys file " + missing)
                .hasMessageContaining("there is no such file");
    }

    @Test
    void aKeysFileWithALineItCannotTrustIsRefusedNamingTheLine() throws IOException {
        Path keys = Files.writeString(dir.resolve("keys"), "cams:sensor:" + SECRET + "\nops:root:" + SECRET + "\n");

        assertThatThrownBy(() -> SecurityStartupCheck.check(new Config(true, Optional.of(keys))))
                .hasMessageContaining(keys + " line 2").hasMessageContaining("unknown role 'root'");
    }

    @Test
    void theRefusalIsAConfigurationProblemWithoutACauseSoQuarkusPrintsJustItsMessage() {
        assertThatThrownBy(() -> SecurityStartupCheck.check(new Config(true, Optional.of(dir.resolve("none")))))
                .isInstanceOf(ConfigurationException.class).hasNoCause();
    }

    @Test
    void goodKeysStart() throws IOException {
        Path keys = Files.writeString(dir.resolve("keys"), "cams:sensor:" + SECRET + "\n");

        assertThatCode(() -> SecurityStartupCheck.check(new Config(true, Optional.of(keys)))).doesNotThrowAnyException();
    }

    @Test
    void accessControlOffNeedsNoKeys() {
        assertThatCode(() -> SecurityStartupCheck.check(new Config(false, Optional.empty())))
                .doesNotThrowAnyException();
    }
}
