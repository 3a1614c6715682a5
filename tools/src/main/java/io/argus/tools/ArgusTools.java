package io.argus.tools;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import io.argus.learning.training.Progress;
import io.argus.tools.bench.BenchMain;
import io.argus.tools.demo.DemoMain;
import io.argus.tools.keys.KeysCommand;
import io.argus.tools.pretrain.PretrainCommand;
import io.argus.tools.report.DriftReport;
import io.argus.tools.report.LearningReport;
import io.argus.tools.report.OodCost;
import io.argus.tools.report.OodReport;
import io.argus.tools.report.PruneReport;
import io.argus.tools.report.TransferReport;
import io.argus.tools.topics.TopicsMain;

/**
 * The one entry point of every offline command: {@code java -jar argus-tools.jar COMMAND [options]}.
 * The {@code ./argus} launcher calls it the same way for each of them.
 */
public final class ArgusTools {

    /** A command: its name, a line of help, and what runs it (returns the exit code). */
    record Command(String name, String summary, Runner runner) {
    }

    @FunctionalInterface
    interface Runner {
        int run(String[] args) throws Exception;
    }

    static final List<Command> COMMANDS = List.of(
            new Command("pretrain", "train the base model on Fashion-MNIST into a model store", PretrainCommand::run),
            new Command("report", "scratch vs frozen vs finetune on a few-shot Fashion-MNIST task",
                    report(TransferReport.USAGE, TransferReport::parse, TransferReport::new)),
            new Command("learning-report", "new cameras and classes learned without forgetting, and the gate's "
                    + "error rates", report(LearningReport.USAGE, LearningReport::parse, LearningReport::new)),
            new Command("drift-report", "drift per sensor: false alarms of ordinary cameras, detection delay per "
                    + "kind of shift", report(DriftReport.USAGE, DriftReport::parse, DriftReport::new)),
            new Command("prune-report", "the CNN and a small ResNet before and after pruning",
                    report(PruneReport.USAGE, PruneReport::parse, PruneReport::new)),
            new Command("ood-report", "which out-of-distribution score flags images unlike the training data",
                    OodReport::command),
            new Command("ood-cost", "what the out-of-distribution score costs per image beside the forward pass",
                    OodCost::command),
            new Command("bench", "serving benchmark: sgemm, model-only, decode, end to end", BenchMain::run),
            new Command("stream", "stream Fashion-MNIST images through a running stack (the demo)", DemoMain::run),
            new Command("topics", "create the Argus topics on a broker", TopicsMain::run),
            new Command("keys", "make the local API keys file if missing and print the keys", KeysCommand::run));

    private ArgusTools() {
    }

    /** A report command: its options parsed as its usage says, then the report printed on the console. */
    private static <O> Runner report(String usage, Function<String[], O> parse,
                                     Function<Progress, CommandLine.Report<O>> report) {
        return args -> CommandLine.report(args, usage, parse, report.apply(Progress.CONSOLE));
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs a command; the exit code is 2 for a command or option that does not exist. */
    public static int run(String... args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(usage());
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        for (Command c : COMMANDS) {
            if (c.name().equals(args[0])) {
                return c.runner().run(rest);
            }
        }
        System.err.print("unknown command '" + args[0] + "'\n" + usage());
        return 2;
    }

    static String usage() {
        StringBuilder s = new StringBuilder("Usage: java -jar argus-tools.jar COMMAND [options]"
                + " (COMMAND --help for its options)\n\n");
        COMMANDS.forEach(c -> s.append(String.format("  %-14s %s%n", c.name(), c.summary())));
        return s.toString();
    }
}
