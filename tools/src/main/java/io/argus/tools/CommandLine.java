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

    private CommandLine() {
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
