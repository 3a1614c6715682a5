package io.argus.tools.pretrain;

import java.io.IOException;
import java.nio.file.Path;

import io.argus.learning.pretrain.PretrainOptions;
import io.argus.learning.pretrain.Pretrainer;
import io.argus.learning.training.Progress;

/** {@code pretrain [options]}: trains the base model into a model store (see {@link PretrainOptions#USAGE}). */
public final class PretrainCommand {

    /** Where bundles go and what the model is called unless the options say otherwise. */
    static final Path DEFAULT_STORE = Path.of("models");
    static final String DEFAULT_NAME = "argus";

    private PretrainCommand() {
    }

    public static int run(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(PretrainOptions.USAGE);
            return 0;
        }
        PretrainOptions options;
        try {
            options = PretrainOptions.parse(args, DEFAULT_STORE, DEFAULT_NAME);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try {
            new Pretrainer(Progress.CONSOLE).run(options);
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("pretrain failed: " + e.getMessage());
            return 1;
        }
    }
}
