package io.argus.tools;

import java.util.Arrays;
import java.util.function.Function;

/**
 * What every command does around its work: {@code --help} (or {@code -h}), wherever it stands,
 * prints its usage; options it cannot use are refused with one line (exit 2, the parser's message:
 * see {@link Args}); then it runs on the parsed options.
 */
public final class CommandLine {

    /** A command's work on its parsed options; returns the exit code. */
    public interface Work<O> {
        int run(O options) throws Exception;
    }

    /** A report's work on its parsed options: it prints as it goes, and one that ends has succeeded. */
    public interface Report<O> {
        void run(O options) throws Exception;
    }

    private CommandLine() {
    }

    /** A report command: as {@link #run}, with exit code 0 once the report has run. */
    public static <O> int report(String[] args, String usage, Function<String[], O> parse, Report<O> report)
            throws Exception {
        return run(args, usage, parse, o -> {
            report.run(o);
            return 0;
        });
    }

    public static <O> int run(String[] args, String usage, Function<String[], O> parse, Work<O> work)
            throws Exception {
        if (Arrays.stream(args).anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
            System.out.println(usage);
            return 0;
        }
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        return work.run(options);
    }
}
