package io.argus.tools.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.argus.common.contract.LabeledSample;
import io.argus.common.dataset.FashionMnist;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.dataset.SimulatedCameras;
import io.argus.common.image.SensorCalibration;
import io.argus.common.model.ConfusionMatrix;
import io.argus.common.model.GateReport;
import io.argus.learning.calibration.Forward;
import io.argus.learning.gate.SliceGate;
import io.argus.learning.networks.FashionCnn;
import io.argus.learning.run.LearningRun;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.Progress;
import io.argus.learning.training.TrainingSet;
import io.argus.learning.transfer.Architecture;
import io.argus.learning.transfer.Strategy;
import io.argus.learning.transfer.TransferTrainer;
import io.argus.tools.Args;
import io.argus.tools.CommandLine;

/**
 * How Argus learns a camera that sees the world differently, without making the others worse: a
 * base model is pretrained on Fashion-MNIST; for each kind of shift (inverted contrast, washed-out
 * contrast, gamma, blur, noise, a quarter turn, a class only the new camera sees) a new camera's
 * labels go through the same {@link LearningRun} the trainer runs (replay, calibration, the gate),
 * and the table gives, per shift, the labels used, v1 and v2 on the new camera and on the ordinary
 * cameras, the gate's decision and the run's time. Then three new cameras in a row, and the gate's
 * error rates over several seeds: how often a good candidate is promoted, and how often one that
 * loses 5 points on a slice is let through.
 */
public final class LearningReport implements CommandLine.Report<LearningReport.Options> {

    public static final String USAGE = """
            learning-report [options]   new cameras and classes learned without forgetting: a table per shift, three
                                        cameras in a row, and the gate's error rates (a few minutes on the subset)
              --labels N         labels of the new camera per run (default 50)
              --base-epochs N    epochs of the base model (default 3)
              --replay N         base images replayed in every run, class-balanced (default 2000)
              --data DIR         Fashion-MNIST directory (default: Debian's if installed, else the bundled subset)
              --shifts LIST      which shifts (default inverted,low-contrast,gamma,blur,noise,rotated,new-class)
              --in-a-row LIST    the shifts of three (or more) new cameras in a row (default inverted,low-contrast,rotated;
                                 none skips them)
              --gate-seeds N     seeds for the gate's error rates (default 10; 0 skips them)""";

    /** Options; see {@link #USAGE}. */
    public record Options(int labels, int baseEpochs, int replay, Optional<Path> data, List<String> shifts,
                          List<String> inARow, int gateSeeds) {
    }

    private static final String NEW_CAMERA = "new-cam";
    private static final List<String> SHIFTS = List.of("inverted", "low-contrast", "gamma", "blur", "noise", "rotated",
            "new-class");
    /** Shifts that 50 labels can show a gain on (a mild one, like gamma, needs more held-out labels). */
    private static final List<String> IN_A_ROW = List.of("inverted", "low-contrast", "rotated");
    /** Test images from here on measure the cameras; labels come from before it. */
    private static final int MEASURE_FROM = 500;
    /** Labels given at a time when the gate asks for more. */
    private static final int MORE_LABELS = 10;

    private final Progress out;

    public LearningReport(Progress out) {
        this.out = out;
    }

    public static Options parse(String[] args) {
        Args a = new Args(args, USAGE);
        int labels = a.positive("--labels", 50);
        int baseEpochs = a.positive("--base-epochs", 3);
        int replay = a.integer("--replay", 2000);
        Optional<Path> data = a.path("--data");
        List<String> shifts = shifts(a.list("--shifts", SHIFTS));
        List<String> inARow = a.list("--in-a-row", IN_A_ROW);
        inARow = inARow.equals(List.of("none")) ? List.of() : shifts(inARow);
        int gateSeeds = a.integer("--gate-seeds", 10);
        a.done();
        return new Options(labels, baseEpochs, replay, data, shifts, inARow, gateSeeds);
    }

    private static List<String> shifts(List<String> shifts) {
        for (String s : shifts) {
            if (!SHIFTS.contains(s)) {
                throw new IllegalArgumentException("unknown shift " + s + "; known: " + SHIFTS);
            }
        }
        return shifts;
    }

    /** One run's line in the table. */
    record Row(String shift, int labels, double newBefore, double newAfter, double oldBefore, double oldAfter,
               String decision, double seconds, String notes) {
    }

    @Override
    public void run(Options o) throws IOException {
        FashionMnist.Data data = FashionMnist.load(o.data());
        out.report("Fashion-MNIST (" + data.source() + "): " + data.train().count() + " training, " + data.test().count()
                + " test images. Base: " + o.baseEpochs() + " epochs.");
        long t0 = System.nanoTime();
        MultiLayerNetwork net = FashionCnn.build(10, 42, 1e-3);
        new Fitter().fit(net, TrainingSet.of(data.train(), FashionMnist.LABELS, FashionCnn.INPUT), null,
                new Fitter.Settings(o.baseEpochs(), 64, o.baseEpochs(), 42, null), "base", e -> out.report(
                        String.format(Locale.ROOT, "  base epoch %d/%d: loss %.4f", e.epoch(), e.maxEpochs(),
                                e.trainLoss())));
        out.report(String.format(Locale.ROOT, "Base model trained in %.0f s.", (System.nanoTime() - t0) / 1e9));
        LearningRun.Version v1 = version("v1", net, Map.of());
        List<LabeledSample> replay = replay(data.train(), o.replay());
        LearningRun.Reference reference = new LearningRun.Reference("fashion-mnist:test", data.test(),
                FashionMnist.LABELS);

        List<Row> rows = new ArrayList<>();
        for (String shift : o.shifts()) {
            out.report("Shift " + shift + " ...");
            rows.add(oneCamera(shift, o.labels(), 0, v1, replay, reference, data.test()));
        }
        print(rows, data.source());
        if (!o.inARow().isEmpty()) {
            inARow(o, v1, replay, reference, data.test());
        }
        if (o.gateSeeds() > 0) {
            gateRates(o, v1, replay, reference, data.test());
        }
    }

    /** A new camera with one shift: label, learn, measure. */
    private Row oneCamera(String shift, int labels, int offset, LearningRun.Version champion,
                          List<LabeledSample> replay, LearningRun.Reference reference, LabeledImages test) {
        List<LabeledSample> samples = new ArrayList<>(replay);
        samples.addAll(cameraLabels(shift, labels, offset, test, NEW_CAMERA));
        LearningRun.Outcome r = learn(champion, samples, reference);
        LearningRun.Version v2 = version("v2", r.network(), r.calibrations(), r.classes());
        Measured before = measure(champion, shift, test);
        Measured after = measure(v2, shift, test);
        return new Row(shift, labels, before.newCamera(), after.newCamera(), before.ordinary(), after.ordinary(),
                r.gate().decision(), r.seconds(), r.gate().reason());
    }

    private LearningRun.Outcome learn(LearningRun.Version champion, List<LabeledSample> samples,
                                      LearningRun.Reference reference) {
        LearningRun.Settings settings = LearningRun.Settings.defaults(new TransferTrainer.Settings(15, 5, 100, 32,
                1e-3, 1e-4, true, 42, null));
        return new LearningRun(settings).run(new LearningRun.Inputs(champion, Optional.of(champion), samples,
                Optional.of(reference), Strategy.CALIBRATE, Optional.empty()), new LearningRun.Listener() {
                    @Override
                    public void line(String line) {
                        if (!line.startsWith("  ")) {
                            out.report("  " + line);
                        }
                    }
                });
    }

    /** Accuracy on the new camera's images and on the ordinary cameras' (test images not used for labels). */
    record Measured(double newCamera, double ordinary) {
    }

    private Measured measure(LearningRun.Version v, String shift, LabeledImages test) {
        List<BufferedImage> plain = new ArrayList<>();
        List<BufferedImage> shifted = new ArrayList<>();
        List<Integer> truth = new ArrayList<>();
        Random random = new Random(99);
        for (int i = MEASURE_FROM; i < test.count(); i++) {
            plain.add(test.image(i));
            shifted.add(camera(shift, random).apply(test.image(i)));
            truth.add(test.labels()[i]);
        }
        int[] y = truth.stream().mapToInt(Integer::intValue).toArray();
        double ordinary = accuracy(v, TrainingSet.ofImages(plain, y, FashionMnist.LABELS, FashionCnn.INPUT), null,
                FashionMnist.LABELS);
        if (shift.equals("new-class")) {
            List<BufferedImage> boards = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                boards.add(SimulatedCameras.checkerboard(new Random(10_000 + i)));
            }
            List<String> labels = new ArrayList<>(FashionMnist.LABELS);
            labels.add("Kangaroo");
            int[] kangaroo = new int[boards.size()];
            Arrays.fill(kangaroo, 10);
            return new Measured(accuracy(v, TrainingSet.ofImages(boards, kangaroo, labels, FashionCnn.INPUT),
                    NEW_CAMERA, labels), ordinary);
        }
        return new Measured(accuracy(v, TrainingSet.ofImages(shifted, y, FashionMnist.LABELS, FashionCnn.INPUT),
                NEW_CAMERA, FashionMnist.LABELS), ordinary);
    }

    private static double accuracy(LearningRun.Version v, TrainingSet set, String sensor, List<String> truthLabels) {
        float[] x = set.inputs().clone();
        SensorCalibration c = sensor == null ? null : v.calibrations().get(sensor);
        if (c != null) {
            for (int i = 0; i < set.count(); i++) {
                c.apply(x, i * set.spec().size(), set.spec());
            }
        }
        float[][] p = Forward.of(v.network(), set.spec()).probabilities(x, set.count());
        int right = 0;
        for (int i = 0; i < set.count(); i++) {
            String predicted = v.labels().get(ConfusionMatrix.argMax(p[i]));
            right += predicted.equals(truthLabels.get(set.classes()[i])) ? 1 : 0;
        }
        return (double) right / set.count();
    }

    private static List<LabeledSample> withReplay(List<LabeledSample> replay, List<LabeledSample> labels) {
        List<LabeledSample> samples = new ArrayList<>(replay);
        samples.addAll(labels);
        return samples;
    }

    /** New cameras in a row, each with its own shift: does each keep what it learned? */
    private void inARow(Options o, LearningRun.Version v1, List<LabeledSample> replay, LearningRun.Reference reference,
                        LabeledImages test) {
        List<String> cameras = o.inARow();
        LearningRun.Version champion = v1;
        List<LabeledSample> labels = new ArrayList<>();
        Map<String, Double> best = new LinkedHashMap<>();
        out.report("");
        out.report("New cameras in a row (" + String.join(", ", cameras) + "), " + o.labels() + " labels each:");
        best.put("ordinary", measure(v1, "inverted", test).ordinary());
        for (int k = 0; k < cameras.size(); k++) {
            String shift = cameras.get(k);
            String sensor = "cam-" + shift;
            labels.addAll(cameraLabels(shift, o.labels(), 50 * k, test, sensor));
            int given = o.labels();
            LearningRun.Outcome r = learn(champion, withReplay(replay, labels), reference);
            // As people would: when the gate asks for more labels of the camera, give a few more.
            for (int more = 1; !r.gate().promoted() && r.gate().reason().contains("more labels") && more <= 3; more++) {
                out.report("    " + r.gate().decision() + ": " + r.gate().reason());
                out.report("    ... " + MORE_LABELS + " more labels of " + sensor);
                labels.addAll(cameraLabels(shift, MORE_LABELS, 50 * k + 200 + MORE_LABELS * more, test, sensor,
                        sensor + "-more" + more + "-"));
                given += MORE_LABELS;
                r = learn(champion, withReplay(replay, labels), reference);
            }
            if (r.gate().promoted()) {
                // Like the trainer: the labels this version learned are not new to the next run.
                Instant upTo = labels.stream().map(LabeledSample::labeledAt).max(Instant::compareTo).orElseThrow();
                champion = new LearningRun.Version("v" + (k + 2), Architecture.FASHION_CNN, r.network(), r.classes(),
                        r.calibrations(), upTo);
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "  after camera %d (%s, %d labels): %s in %.0f s;", k + 1, shift, given, r.gate().decision(),
                    r.seconds()));
            double ordinary = measure(champion, "inverted", test).ordinary();
            best.merge("ordinary", ordinary, Math::max);
            line.append(String.format(Locale.ROOT, " ordinary %.1f%% (best %.1f%%)", 100 * ordinary,
                    100 * best.get("ordinary")));
            for (int j = 0; j <= k; j++) {
                String c = cameras.get(j);
                double acc = accuracyOn(champion, c, "cam-" + c, test);
                best.merge(c, acc, Math::max);
                line.append(String.format(Locale.ROOT, ", %s %.1f%% (best %.1f%%)", c, 100 * acc, 100 * best.get(c)));
            }
            out.report(line.toString());
            if (!r.gate().promoted()) {
                out.report("    " + r.gate().reason());
            }
        }
    }

    private double accuracyOn(LearningRun.Version v, String shift, String sensor, LabeledImages test) {
        List<BufferedImage> shifted = new ArrayList<>();
        int[] y = new int[test.count() - MEASURE_FROM];
        Random random = new Random(99);
        for (int i = MEASURE_FROM; i < test.count(); i++) {
            shifted.add(camera(shift, random).apply(test.image(i)));
            y[i - MEASURE_FROM] = test.labels()[i];
        }
        return accuracy(v, TrainingSet.ofImages(shifted, y, FashionMnist.LABELS, FashionCnn.INPUT), sensor,
                FashionMnist.LABELS);
    }

    /**
     * The gate's error rates: over seeds (different labeled images of an inverted camera), how often
     * the candidate (which keeps every other prediction) is promoted, and how often a candidate that
     * is the same but loses 5 points on one slice (the reference data, or one class) is let through.
     */
    private void gateRates(Options o, LearningRun.Version v1, List<LabeledSample> replay,
                           LearningRun.Reference reference, LabeledImages test) {
        int promoted = 0;
        int referenceLetThrough = 0;
        int classLetThrough = 0;
        SliceGate gate = new SliceGate(SliceGate.Settings.DEFAULTS);
        out.report("");
        out.report("The gate's error rates over " + o.gateSeeds() + " seeds ...");
        for (int seed = 1; seed <= o.gateSeeds(); seed++) {
            List<LabeledSample> samples = new ArrayList<>(replay);
            // Different labeled images and ids each seed: a different split too.
            samples.addAll(cameraLabels("inverted", o.labels(), (seed * 37) % (MEASURE_FROM - o.labels()), test,
                    NEW_CAMERA, "s" + seed + "-"));
            LearningRun.Outcome r = learn(v1, samples, reference);
            promoted += r.gate().promoted() ? 1 : 0;
            SliceGate.Targets targets = new SliceGate.Targets(r.targetedSensors(), r.newClasses());
            GateReport worseOnReference = gate.decide(losePoints(r.evaluation(), s -> s.reference(), 0.05, seed),
                    targets, true, r.gate().evaluationSet());
            String cls = FashionMnist.LABELS.get(seed % 10);
            GateReport worseOnClass = gate.decide(losePoints(r.evaluation(), s -> s.truth().equals(cls), 0.05, seed),
                    targets, true, r.gate().evaluationSet());
            referenceLetThrough += worseOnReference.promoted() ? 1 : 0;
            classLetThrough += worseOnClass.promoted() ? 1 : 0;
            out.report(String.format(Locale.ROOT, "  seed %d: good candidate %s; 5 points worse on the reference %s;"
                            + " 5 points worse on class %s %s", seed, r.gate().decision(), worseOnReference.decision(),
                    cls, worseOnClass.decision()));
        }
        int n = o.gateSeeds();
        out.report("");
        out.report(String.format(Locale.ROOT, "Gate: a good candidate was promoted %d of %d times (false rejections %d);"
                        + " one 5 points worse on the reference slice was let through %d of %d times, on one class %d"
                        + " of %d times.", promoted, n, n - promoted, referenceLetThrough, n, classLetThrough, n));
    }

    /** The candidate's predictions, wrong on a share {@code points} of a slice's samples it had right. */
    static List<SliceGate.Scored> losePoints(List<SliceGate.Scored> scored,
                                             Predicate<SliceGate.Scored> slice, double points,
                                             long seed) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            if (slice.test(scored.get(i))) {
                members.add(i);
            }
        }
        Collections.shuffle(members, new Random(seed));
        int toLose = (int) Math.round(points * members.size());
        List<SliceGate.Scored> out = new ArrayList<>(scored);
        for (int i : members) {
            if (toLose == 0) {
                break;
            }
            SliceGate.Scored s = out.get(i);
            if (s.truth().equals(s.candidate())) {
                String wrong = FashionMnist.LABELS.get((FashionMnist.LABELS.indexOf(s.truth()) + 1) % 10);
                out.set(i, new SliceGate.Scored(s.id(), s.reference(), s.sensor(), s.truth(), s.champion(), wrong));
                toLose--;
            }
        }
        return out;
    }

    private void print(List<Row> rows, String source) {
        out.report("");
        out.report("Fashion-MNIST (" + source + "); v2 = the candidate of a run on the new camera's labels plus the"
                + " replayed base data; new camera measured on test images " + MEASURE_FROM + "+ through the camera,"
                + " ordinary cameras on the same images as they are");
        out.report(String.format(Locale.ROOT, "| %-12s | %6s | %13s | %13s | %13s | %13s | %-8s | %7s |", "shift", "labels",
                "new camera v1", "new camera v2", "ordinary v1", "ordinary v2", "gate", "time"));
        out.report("|--------------|--------|---------------|---------------|---------------|---------------|----------|---------|");
        for (Row r : rows) {
            out.report(String.format(Locale.ROOT, "| %-12s | %6d | %12.1f%% | %12.1f%% | %12.1f%% | %12.1f%% | %-8s | %5.0f s |",
                    r.shift(), r.labels(), 100 * r.newBefore(), 100 * r.newAfter(), 100 * r.oldBefore(),
                    100 * r.oldAfter(), r.decision(), r.seconds()));
        }
        for (Row r : rows) {
            if (!r.decision().equals("PROMOTED")) {
                out.report("  " + r.shift() + ": " + r.notes());
            }
        }
    }

    private static LearningRun.Version version(String name, Model net, Map<String, SensorCalibration> calibrations) {
        return version(name, net, calibrations, FashionMnist.LABELS);
    }

    private static LearningRun.Version version(String name, Model net, Map<String, SensorCalibration> calibrations,
                                               List<String> labels) {
        return new LearningRun.Version(name, Architecture.FASHION_CNN, net, labels, calibrations,
                Instant.now().minusSeconds(3600));
    }

    /** A class-balanced sample of the training split, as the trainer replays it. */
    private static List<LabeledSample> replay(LabeledImages train, int n) {
        List<LabeledSample> out = new ArrayList<>();
        int[] perClass = new int[10];
        for (int i = 0; i < train.count() && out.size() < n; i++) {
            int c = train.labels()[i];
            if (perClass[c] < n / 10) {
                perClass[c]++;
                out.add(new LabeledSample("dataset:fashion-mnist:train:" + i, FashionMnist.LABELS.get(c),
                        "dataset:fashion-mnist", Instant.EPOCH, "dataset:fashion-mnist", LabeledSample.Origin.UNKNOWN,
                        train.png(i)));
            }
        }
        return out;
    }

    private static List<LabeledSample> cameraLabels(String shift, int n, int offset, LabeledImages test, String sensor) {
        return cameraLabels(shift, n, offset, test, sensor, sensor + "-");
    }

    /** {@code n} labels a person gives for a camera's images (test images before {@link #MEASURE_FROM}). */
    private static List<LabeledSample> cameraLabels(String shift, int n, int offset, LabeledImages test, String sensor,
                                                    String idPrefix) {
        List<LabeledSample> out = new ArrayList<>();
        Random random = new Random(offset + 1);
        for (int k = 0; k < n; k++) {
            int i = (offset + k) % MEASURE_FROM;
            BufferedImage img;
            String label;
            if (shift.equals("new-class")) {
                img = SimulatedCameras.checkerboard(random);
                label = "Kangaroo";
            } else {
                img = camera(shift, random).apply(test.image(i));
                label = FashionMnist.LABELS.get(test.labels()[i]);
            }
            out.add(new LabeledSample(idPrefix + k, label, "report", Instant.now(), LabeledSample.PERSON,
                    new LabeledSample.Origin(null, sensor, null, null), SimulatedCameras.png(img)));
        }
        return out;
    }

    /** How a camera with this shift renders an image; {@code new-class} cameras see as the others do. */
    static UnaryOperator<BufferedImage> camera(String shift, Random random) {
        return shift.equals("new-class") ? img -> img : SimulatedCameras.shift(shift, random);
    }
}
