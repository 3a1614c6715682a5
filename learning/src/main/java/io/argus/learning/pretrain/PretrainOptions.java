package io.argus.learning.pretrain;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Options of the {@code pretrain} command; see {@link #USAGE}. */
public record PretrainOptions(int epochs, int limit, Optional<Path> data, Path store, String name, int[] classes,
                              int batchSize, long seed, double learningRate, boolean ifMissing) {

    public static final String USAGE = """
            pretrain [options]   train the base CNN on Fashion-MNIST and add it to the model store
              --epochs N         passes over the training set (default 3)
              --limit N          use only the first N training images (default: all)
              --data DIR         directory with the four Fashion-MNIST IDX files
                                 (default: /usr/share/datasets/fashion-mnist if installed, else the bundled subset)
              --store DIR        model store directory (default: argus.trainer.store-dir)
              --name NAME        model name (default: argus.trainer.model-name)
              --classes LIST     train on these class indices only, e.g. 0,1,2,3,4 (default: all ten)
              --batch N          mini-batch size (default 64)
              --seed N           random seed (default 42)
              --lr X             Adam learning rate (default 0.001)
              --if-missing       do nothing if the store already holds a version of the model""";

    public static PretrainOptions parse(String[] args, Path defaultStore, String defaultName) {
        int epochs = 3;
        int limit = Integer.MAX_VALUE;
        Optional<Path> data = Optional.empty();
        Path store = defaultStore;
        String name = defaultName;
        int[] classes = null;
        int batch = 64;
        long seed = 42;
        double lr = 1e-3;
        boolean ifMissing = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--if-missing")) {
                ifMissing = true;
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
            }
            i++;
            switch (option) {
                case "--epochs" -> epochs = positive(option, value);
                case "--limit" -> limit = positive(option, value);
                case "--data" -> data = Optional.of(Path.of(value));
                case "--store" -> store = Path.of(value);
                case "--name" -> name = value;
                case "--classes" -> classes = Arrays.stream(value.split(",")).mapToInt(s -> Integer.parseInt(s.trim()))
                        .toArray();
                case "--batch" -> batch = positive(option, value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--lr" -> lr = Double.parseDouble(value);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        return new PretrainOptions(epochs, limit, data, store, name, classes, batch, seed, lr, ifMissing);
    }

    private static int positive(String option, String value) {
        int v = Integer.parseInt(value);
        if (v <= 0) {
            throw new IllegalArgumentException(option + " must be positive, not " + value);
        }
        return v;
    }
}
