package io.argus.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A command's options, {@code --name value} pairs and {@code --flag}s, each read by name with its
 * default, and one wording for every mistake: a missing value, a value that is not a number, an
 * unknown option (each an {@link IllegalArgumentException}, which {@link CommandLine} answers with
 * exit 2). A word that starts with {@code --} is always an option, never a value; an option given
 * twice counts as given last, except where a command reads all its values ({@link #every}).
 *
 * <pre>{@code
 * Args a = new Args(args, USAGE);
 * int count = a.positive("--count", 10);
 * boolean quick = a.flag("--quick");         // a flag: takes no value
 * a.done();                                  // anything not read is an unknown option
 * }</pre>
 */
public final class Args {

    private final String usage;
    /** Each option given, with its value; {@code null} for one followed by no value. */
    private final Map<String, String> given = new LinkedHashMap<>();
    /** Every value of each option, in order, for options that may be given more than once. */
    private final Map<String, List<String>> all = new LinkedHashMap<>();
    /** Words that follow no option. */
    private final List<String> strays = new ArrayList<>();
    private final Set<String> read = new HashSet<>();

    /** @param usage the command's usage, told with an unknown option or a missing value */
    public Args(String[] args, String usage) {
        this.usage = usage;
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                strays.add(args[i]);
            } else {
                boolean valued = i + 1 < args.length && !args[i + 1].startsWith("--");
                String option = args[i];
                String value = valued ? args[++i] : null;
                given.put(option, value);
                all.computeIfAbsent(option, o -> new ArrayList<>()).add(value);
            }
        }
    }

    /** The option's value as written, if it was given. */
    public Optional<String> text(String option) {
        read.add(option);
        if (!given.containsKey(option)) {
            return Optional.empty();
        }
        String v = given.get(option);
        if (v == null) {
            throw new IllegalArgumentException(option + " needs a value\n" + usage);
        }
        return Optional.of(v);
    }

    /** Every value given to an option that may be repeated ({@code --other a=1 --other b=2}), in order. */
    public List<String> every(String option) {
        read.add(option);
        List<String> values = all.getOrDefault(option, new ArrayList<>());
        if (values.contains(null)) {
            throw new IllegalArgumentException(option + " needs a value\n" + usage);
        }
        return List.copyOf(values);
    }

    public String text(String option, String otherwise) {
        return text(option).orElse(otherwise);
    }

    /** Whether a flag (an option without a value) was given. */
    public boolean flag(String option) {
        read.add(option);
        String v = given.get(option);
        if (v != null) {
            throw unknown(v);
        }
        return given.containsKey(option);
    }

    /** A whole number, if the option was given. */
    public Optional<Integer> integer(String option) {
        return number(option, Integer::parseInt);
    }

    public int integer(String option, int otherwise) {
        return integer(option).orElse(otherwise);
    }

    /** A whole number above zero. */
    public int positive(String option, int otherwise) {
        int v = integer(option, otherwise);
        if (v <= 0) {
            throw new IllegalArgumentException(option + " must be positive, not " + v);
        }
        return v;
    }

    public long longValue(String option, long otherwise) {
        return number(option, Long::parseLong).orElse(otherwise);
    }

    /** A number, if the option was given. */
    public Optional<Double> decimal(String option) {
        return number(option, Double::parseDouble);
    }

    public double decimal(String option, double otherwise) {
        return decimal(option).orElse(otherwise);
    }

    public Path path(String option, Path otherwise) {
        return path(option).orElse(otherwise);
    }

    public Optional<Path> path(String option) {
        return text(option).map(Path::of);
    }

    /** A comma-separated list, each item stripped, empty ones left out. */
    public List<String> list(String option, List<String> otherwise) {
        return text(option).map(Args::items).orElse(otherwise);
    }

    /** A comma-separated list of whole numbers. */
    public List<Integer> integers(String option, List<Integer> otherwise) {
        return text(option).map(v -> {
            try {
                return items(v).stream().map(Integer::parseInt).toList();
            } catch (NumberFormatException e) {
                throw notANumber(option, v);
            }
        }).orElse(otherwise);
    }

    /** Ends the reading: refuses an option that was not read, or a word that follows no option. */
    public void done() {
        for (String option : given.keySet()) {
            if (!read.contains(option)) {
                throw unknown(option);
            }
        }
        if (!strays.isEmpty()) {
            throw unknown(strays.get(0));
        }
    }

    private IllegalArgumentException unknown(String option) {
        return new IllegalArgumentException("unknown option " + option + "\n" + usage);
    }

    private static List<String> items(String v) {
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private <T> Optional<T> number(String option, Function<String, T> parse) {
        return text(option).map(v -> {
            try {
                return parse.apply(v.strip());
            } catch (NumberFormatException e) {
                throw notANumber(option, v);
            }
        });
    }

    private static IllegalArgumentException notANumber(String option, String value) {
        return new IllegalArgumentException(option + " needs a number, not '" + value + "'");
    }
}
