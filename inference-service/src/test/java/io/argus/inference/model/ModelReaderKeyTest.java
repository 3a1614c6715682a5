package io.argus.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which secret inference sends for bundles, and the mistakes that stop it at start instead. */
class ModelReaderKeyTest {

    @TempDir
    Path dir;

    @Test
    void theSecretOfTheNamedKeyComesFromTheKeysFile() throws Exception {
        Path keys = keys("readers:model-reader:reader-secret-0123456789\nops:admin:admin-secret-0123456789\n");

        assertThat(ModelReaderKey.secret(Optional.of("readers"), Optional.of(keys))).contains("reader-secret-0123456789");
        assertThat(ModelReaderKey.secret(Optional.empty(), Optional.of(keys))).as("no name, no key").isEmpty();
    }

    @Test
    void aNameWithoutAKeysFileANameTheFileDoesNotHoldAndAKeyThatMayNotDownloadAreErrors() throws Exception {
        Path keys = keys("cams:sensor:sensor-secret-0123456789\n");

        assertThatThrownBy(() -> ModelReaderKey.secret(Optional.of("readers"), Optional.empty()))
                .hasMessageContaining("argus.security.keys-file is not set");
        assertThatThrownBy(() -> ModelReaderKey.secret(Optional.of("readers"), Optional.of(keys)))
                .hasMessageContaining("holds no key of that name");
        assertThatThrownBy(() -> ModelReaderKey.secret(Optional.of("cams"), Optional.of(keys)))
                .hasMessageContaining("may not download bundles").hasMessageContaining("model-reader");
    }

    private Path keys(String text) throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, text);
        return file;
    }
}
