package io.argus.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Every command reads its options the same way and words every mistake the same way. */
class ArgsTest {

    private static final String USAGE = "demo [options]\n  --count N";

    @Test
    void valuesAreReadAsTheOptionAsksAndFlagsTakeNone() {
        Args a = args("--count", "3", "--quick", "--rate", "2.5", "--data", "/d", "--models", "a, b,,c",
                "--batches", "1,32", "--seed", "12345678901", "--count", "4");
        assertThat(a.positive("--count", 1)).as("given twice: the last counts").isEqualTo(4);
        assertThat(a.flag("--quick")).isTrue();
        assertThat(a.decimal("--rate", 1)).isEqualTo(2.5);
        assertThat(a.path("--data")).contains(Path.of("/d"));
        assertThat(a.list("--models", List.of())).containsExactly("a", "b", "c");
        assertThat(a.integers("--batches", List.of())).containsExactly(1, 32);
        assertThat(a.longValue("--seed", 0)).isEqualTo(12345678901L);
        a.done();
    }

    @Test
    void aRepeatableOptionKeepsEveryValueInOrder() {
        Args a = args("--other", "digits=/d", "--count", "2", "--other", "photos=/p");
        assertThat(a.every("--other")).containsExactly("digits=/d", "photos=/p");
        assertThat(a.every("--missing")).isEmpty();
        a.integer("--count", 1);
        a.done();
        assertThatThrownBy(() -> args("--other", "a=1", "--other").every("--other"))
                .hasMessage("--other needs a value\n" + USAGE);
    }

    @Test
    void anOptionNotGivenHasItsDefault() {
        Args a = args();
        assertThat(a.integer("--count", 7)).isEqualTo(7);
        assertThat(a.text("--name", "argus")).isEqualTo("argus");
        assertThat(a.path("--data")).isEmpty();
        assertThat(a.decimal("--tolerance")).isEqualTo(Optional.empty());
        assertThat(a.flag("--quick")).isFalse();
        a.done();
    }

    @Test
    void aMissingValueIsRefusedNamingTheOptionWithTheUsage() {
        assertThatThrownBy(() -> args("--count").integer("--count", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--count needs a value\n" + USAGE);
        assertThatThrownBy(() -> args("--count", "--quick").integer("--count", 1))
                .hasMessage("--count needs a value\n" + USAGE);
    }

    @Test
    void aValueThatIsNoNumberIsRefusedNamingOptionAndValue() {
        assertThatThrownBy(() -> args("--count", "ten").integer("--count", 1))
                .hasMessage("--count needs a number, not 'ten'");
        assertThatThrownBy(() -> args("--rate", "fast").decimal("--rate", 1))
                .hasMessage("--rate needs a number, not 'fast'");
        assertThatThrownBy(() -> args("--seed", "x").longValue("--seed", 1)).hasMessage("--seed needs a number, not 'x'");
        assertThatThrownBy(() -> args("--batches", "1,a").integers("--batches", List.of()))
                .hasMessage("--batches needs a number, not '1,a'");
        assertThatThrownBy(() -> args("--count", "0").positive("--count", 1))
                .hasMessage("--count must be positive, not 0");
    }

    @Test
    void anUnknownOptionIsNamedWithTheUsage() {
        Args a = args("--count", "3", "--cuont", "3");
        a.integer("--count", 1);
        assertThatThrownBy(a::done).hasMessage("unknown option --cuont\n" + USAGE);
    }

    @Test
    void aWordThatFollowsNoOptionOrAFlagIsRefusedAsAnUnknownOption() {
        assertThatThrownBy(args("stray")::done).hasMessage("unknown option stray\n" + USAGE);
        assertThatThrownBy(() -> args("--quick", "yes").flag("--quick")).hasMessage("unknown option yes\n" + USAGE);
    }

    private static Args args(String... args) {
        return new Args(args, USAGE);
    }
}
