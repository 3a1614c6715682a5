package io.argus.trainer;

import io.argus.trainer.pretrain.PretrainOptions;
import io.argus.trainer.pretrain.Pretrainer;
import io.argus.trainer.report.PruneReport;
import io.argus.trainer.report.TransferReport;
import io.argus.trainer.training.Progress;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * trainer-service's entry point. Without arguments it serves (REST, model registry, Kafka); with
 * {@code pretrain [options]} it trains the base model, writes it to the model store and exits.
 */
@QuarkusMain
public class TrainerMain implements QuarkusApplication {

    private final TrainerConfig config;

    public TrainerMain(TrainerConfig config) {
        this.config = config;
    }

    @Override
    public int run(String... args) throws Exception {
        if (args.length > 0 && args[0].equals("pretrain")) {
            if (args.length > 1 && (args[1].equals("--help") || args[1].equals("-h"))) {
                System.out.println(PretrainOptions.USAGE);
                return 0;
            }
            PretrainOptions options;
            try {
                options = PretrainOptions.parse(java.util.Arrays.copyOfRange(args, 1, args.length), config.storeDir(),
                        config.modelName());
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            try {
                new Pretrainer(Progress.CONSOLE).run(options);
            } catch (java.io.IOException e) {
                System.err.println("pretrain failed: " + e);
                return 1;
            }
            return 0;
        }
        if (args.length > 0 && args[0].equals("transfer-report")) {
            if (args.length > 1 && (args[1].equals("--help") || args[1].equals("-h"))) {
                System.out.println(TransferReport.USAGE);
                return 0;
            }
            try {
                new TransferReport(Progress.CONSOLE).run(
                        TransferReport.parse(java.util.Arrays.copyOfRange(args, 1, args.length)));
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            return 0;
        }
        if (args.length > 0 && args[0].equals("prune-report")) {
            if (args.length > 1 && (args[1].equals("--help") || args[1].equals("-h"))) {
                System.out.println(PruneReport.USAGE);
                return 0;
            }
            PruneReport.Options options;
            try {
                options = PruneReport.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            new PruneReport(Progress.CONSOLE).run(options);
            return 0;
        }
        if (args.length > 0) {
            System.err.println("unknown command " + args[0] + "; commands: (none: serve), pretrain, transfer-report,"
                    + " prune-report\n" + PretrainOptions.USAGE + "\n" + TransferReport.USAGE + "\n" + PruneReport.USAGE);
            return 2;
        }
        Quarkus.waitForExit();
        return 0;
    }
}
