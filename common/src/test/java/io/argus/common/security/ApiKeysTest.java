package io.argus.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final String SECRET = "0123456789abcdef0123";

    @Test
    void aPresentedSecretFindsItsKeyWithNameAndRoles() {
        ApiKeys keys = ApiKeys.parse(List.of("# comment", "", "field-cams:sensor:" + SECRET,
                "ops : labeler, admin : " + SECRET + "X"), "keys");

        assertThat(keys.find(SECRET)).get().satisfies(k -> {
            assertThat(k.name()).isEqualTo("field-cams");
            assertThat(k.roles()).isEqualTo(Set.of(Roles.SENSOR));
        });
        assertThat(keys.find(SECRET + "X")).get().extracting(ApiKeys.Key::roles)
                .isEqualTo(Set.of(Roles.LABELER, Roles.ADMIN));
        assertThat(keys.find("0123456789abcdef012")).isEmpty();
        assertThat(keys.find("")).isEmpty();
    }

    @Test
    void whatCannotBeTrustedIsRefusedNamingTheLine() {
        assertThatThrownBy(() -> ApiKeys.parse(List.of("cams:sensor"), "keys")).hasMessageContaining("keys line 1");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("cams:root:" + SECRET), "keys"))
                .hasMessageContaining("unknown role 'root'");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("cams:sensor:short"), "keys"))
                .hasMessageContaining("shorter than 16");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("a:sensor:" + SECRET, "a:admin:" + SECRET + "1"), "keys"))
                .hasMessageContaining("line 2").hasMessageContaining("used twice");
        assertThatThrownBy(() -> ApiKeys.parse(List.of("# nothing"), "keys")).hasMessageContaining("no API key");
    }
}
