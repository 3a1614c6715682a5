package io.argus.tools;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a command's options, {@code --name value} pairs and {@code --flag}s, one at a time, with
 * one wording for every mistake: a missing value, a value that is not a number, an unknown option
 * (each an {@link IllegalArgumentException}, which {@link CommandLine} answers with exit 2).
 *
 * <pre>{@code
 * Args a = new Args(args, USAGE);
 * while (a.next()) {
 *     switch (a.option()) {
 *         case "--count" -> count = a.positive();
 *         case "--quick" -> quick = true;         // a flag: takes no value
 *         default -> throw a.unknown();
 *     }
 * }
 * }</pre>
 */
public final class Args {

    private final String[] args;
    private final String usage;
    private int at = -1;

    /** @param usage the command's usage, told with an unknown option or a missing value */
    public Args(String[] args, String usage) {
        this.args = args;
        this.usage = usage;
    }

    /** Moves to the next option; false when there is none left. */
    public boolean next() {
        at++;
        return at < args.length;
    }

    /** The option moved to, as written ({@code --count}). */
    public String option() {
        return args[at];
    }

    /** The option's value, as written; it is taken, so the next option comes after it. */
    public String text() {
        if (at + 1 >= args.length) {
            throw new IllegalArgumentException(option() + " needs a value\n" + usage);
        }
        return args[++at];
    }

    public int integer() {
        return number(Integer::parseInt);
    }

    /** A whole number above zero. */
    public int positive() {
        String option = option();
        int v = integer();
        if (v <= 0) {
            throw new IllegalArgumentException(option + " must be positive, not " + v);
        }
        return v;
    }

    public long longValue() {
        return number(Long::parseLong);
    }

    public double decimal() {
        return number(Double::parseDouble);
    }

    public Path path() {
        return Path.of(text());
    }

    /** A comma-separated list, each item stripped, empty ones left out. */
    public List<String> list() {
        return Arrays.stream(text().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A comma-separated list of whole numbers. */
    public List<Integer> integers() {
        String option = option();
        List<String> items = list();
        try {
            return items.stream().map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw notANumber(option, String.join(",", items));
        }
    }

    /** To throw for an option the command does not have. */
    public IllegalArgumentException unknown() {
        return new IllegalArgumentException("unknown option " + option() + "\n" + usage);
    }

    private <T> T number(Function<String, T> parse) {
        String option = option();
        String v = text();
        try {
            return parse.apply(v.strip());
        } catch (NumberFormatException e) {
            throw notANumber(option, v);
        }
    }

    private static IllegalArgumentException notANumber(String option, String value) {
        return new IllegalArgumentException(option + " needs a number, not '" + value + "'");
    }
}
