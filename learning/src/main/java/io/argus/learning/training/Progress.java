package io.argus.learning.training;

/** Where progress lines of long training work go (the console for commands, run state for the service). */
@FunctionalInterface
public interface Progress {

    void report(String line);

    Progress CONSOLE = line -> System.out.println(line);
}
