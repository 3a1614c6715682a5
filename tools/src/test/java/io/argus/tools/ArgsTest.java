package io.argus.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Every command reads its options the same way and words every mistake the same way. */
class ArgsTest {

    private static final String USAGE = "demo [options]\n  --count N";

    @Test
    void valuesAreReadAsTheOptionAsksAndFlagsTakeNone() {
        Args a = new Args(new String[] {"--count", "3", "--quick", "--rate", "2.5", "--data", "/d", "--models",
                "a, b,,c", "--batches", "1,32", "--seed", "12345678901"}, USAGE);
        List<Object> read = new ArrayList<>();
        while (a.next()) {
            switch (a.option()) {
                case "--count" -> read.add(a.positive());
                case "--quick" -> read.add("quick");
                case "--rate" -> read.add(a.decimal());
                case "--data" -> read.add(a.path());
                case "--models" -> read.add(a.list());
                case "--batches" -> read.add(a.integers());
                case "--seed" -> read.add(a.longValue());
                default -> throw a.unknown();
            }
        }
        assertThat(read).containsExactly(3, "quick", 2.5, Path.of("/d"), List.of("a", "b", "c"), List.of(1, 32),
                12345678901L);
    }

    @Test
    void aMissingValueIsRefusedNamingTheOptionWithTheUsage() {
        Args a = new Args(new String[] {"--count"}, USAGE);
        a.next();
        assertThatThrownBy(a::integer).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--count needs a value\n" + USAGE);
    }

    @Test
    void aValueThatIsNoNumberIsRefusedNamingOptionAndValue() {
        assertThatThrownBy(() -> first("--count", "ten").integer()).hasMessage("--count needs a number, not 'ten'");
        assertThatThrownBy(() -> first("--rate", "fast").decimal()).hasMessage("--rate needs a number, not 'fast'");
        assertThatThrownBy(() -> first("--seed", "x").longValue()).hasMessage("--seed needs a number, not 'x'");
        assertThatThrownBy(() -> first("--batches", "1,a").integers()).hasMessage("--batches needs a number, not '1,a'");
        assertThatThrownBy(() -> first("--count", "0").positive()).hasMessage("--count must be positive, not 0");
    }

    @Test
    void anUnknownOptionIsNamedWithTheUsage() {
        assertThat(first("--cuont", "3").unknown()).hasMessage("unknown option --cuont\n" + USAGE);
    }

    private static Args first(String... args) {
        Args a = new Args(args, USAGE);
        a.next();
        return a;
    }
}
