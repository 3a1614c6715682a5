package io.argus.trainer.registry;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.annotations.CommandLineArguments;

/** Whether this process serves or runs a one-off command (then nothing talks to Kafka). */
@ApplicationScoped
public class CommandLine {

    private final String[] args;

    public CommandLine(@CommandLineArguments String[] args) {
        this.args = args;
    }

    public boolean serving() {
        return args == null || args.length == 0;
    }
}
