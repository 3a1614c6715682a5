package io.argus.tools.report;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import com.sun.management.OperatingSystemMXBean;

import io.argus.common.engine.Engine;
import io.argus.common.engine.Forward;
import io.argus.common.engine.ImageClassifier;
import io.argus.common.engine.OnnxSettings;
import io.argus.common.engine.OodScorer;
import io.argus.common.model.ModelBundle;
import io.argus.tools.Args;
import io.argus.tools.CommandLine;

/**
 * What the out-of-distribution score costs per image on the classification thread, beside the
 * forward pass it follows: batches as inference-service makes them, timed alone in this JVM (no
 * broker, no decoding), so that a change to {@link OodScorer} can be measured in seconds rather than
 * by an end-to-end bench run.
 */
public final class OodCost {

    public static final String USAGE = """
            ood-cost [options]     CPU and wall time per image of the out-of-distribution score and the forward pass
              --store DIR          model store to take the newest bundle of --model from (default run/models)
              --model NAME         model name (default argus)
              --bundle FILE        a bundle file instead of the store's newest (it must serve the score)
              --batch N            images per batch (default 32, inference-service's default)
              --seconds S          each timing's length, after a warm-up as long (default 2)
              --rounds N           rounds of the timings (default 3)""";

    public record Options(Path store, String model, Optional<Path> bundle, int batch, double seconds, int rounds) {
    }

    private OodCost() {
    }

    public static int command(String[] args) throws Exception {
        return CommandLine.run(args, USAGE, OodCost::parse, o -> {
            run(o);
            return 0;
        });
    }

    public static Options parse(String[] args) {
        Args a = new Args(args, USAGE);
        Options o = new Options(a.path("--store", Path.of("run/models")), a.text("--model", "argus"),
                a.path("--bundle"), a.positive("--batch", 32), a.decimal("--seconds", 2), a.positive("--rounds", 3));
        a.done();
        return o;
    }

    private static void run(Options o) throws Exception {
        ModelBundle bundle = OodReport.bundle(o.bundle(), o.store(), o.model());
        try (ImageClassifier onnx = Engine.ONNX.open(bundle, OnnxSettings.CPU)) {
            OodScorer scorer = onnx.ood().orElseThrow(() -> new IllegalArgumentException(
                    "the bundle serves no out-of-distribution score (made before bundles carried its statistics)"));
            int n = o.batch();
            float[] inputs = new float[n * onnx.inputSpec().size()];
            Random random = new Random(1);
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = random.nextFloat();
            }
            Forward forward = onnx.forward(inputs, n);
            System.out.printf(Locale.ROOT, "%s, served components %s, batches of %d, random inputs; per image: wall "
                    + "time on one thread, CPU of the whole process (the forward pass: ONNX Runtime's threads too)%n",
                    "version " + bundle.manifest().version(), scorer.reference().scales().stream().map(s -> s.component()).toList(), n);
            for (int round = 1; round <= o.rounds(); round++) {
                time(round, "forward pass", o.seconds(), n, () -> onnx.forward(inputs, n));
                time(round, "score", o.seconds(), n, () -> scorer.scores(inputs, forward.embeddings()));
            }
        }
    }

    private static void time(int round, String what, double seconds, int n, Runnable work) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < seconds * 1e9) {
            work.run();
        }
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long batches = 0;
        while (System.nanoTime() - t0 < seconds * 1e9) {
            work.run();
            batches++;
        }
        double wall = (System.nanoTime() - t0) / 1e3 / batches / n;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e3 / batches / n;
        System.out.printf(Locale.ROOT, "round %d  %-12s %7.1f us wall  %7.1f us CPU per image%n", round, what, wall, cpu);
    }
}
