package io.argus.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** An id is what the pattern {@code [A-Za-z0-9._:@/-]{1,128}} matches, no more and no less. */
class IdentifiersTest {

    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._:@/-]{1,128}");

    @Test
    void theCheckAcceptsExactlyWhatThePatternMatches() {
        String alphabet = "aZ09._:@/-" + " \t+*#%é٣ＡΩ\u0000\ud83d\ude00" + "[]{}\\,;'\"";
        Random random = new Random(128);
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(10) == 0 ? 120 + random.nextInt(16) : random.nextInt(12);
            for (int k = 0; k < length; k++) {
                // Mostly allowed characters, so that many ids pass and the odd one out decides.
                id.append(random.nextInt(8) > 0 ? alphabet.charAt(random.nextInt(10)) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = id.toString();
            assertThat(Identifiers.valid(s)).as("'%s'", s).isEqualTo(RULE.matcher(s).matches());
            valid += RULE.matcher(s).matches() ? 1 : 0;
        }
        assertThat(valid).isBetween(2_000, 18_000);
        assertThat(Identifiers.valid(null)).isFalse();
        assertThat(Identifiers.valid("a".repeat(128))).isTrue();
        assertThat(Identifiers.valid("a".repeat(129))).isFalse();
    }
}
