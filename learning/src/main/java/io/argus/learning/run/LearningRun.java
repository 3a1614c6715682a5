package io.argus.learning.run;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import io.argus.common.contract.LabeledSample;
import io.argus.common.dataset.LabeledImages;
import io.argus.common.image.ImageLimits;
import io.argus.common.image.ImagePreprocessor;
import io.argus.common.image.InputSpec;
import io.argus.common.image.SensorCalibration;
import io.argus.common.ood.OodFit;
import io.argus.common.model.OodReference;
import io.argus.common.model.ConfusionMatrix;
import io.argus.common.model.DriftReference;
import io.argus.common.model.GateReport;
import io.argus.common.model.ModelMetrics;
import io.argus.common.model.Pruning;
import io.argus.common.model.Sha256;
import io.argus.learning.calibration.CalibrationFitter;
import io.argus.learning.calibration.Forward;
import io.argus.learning.calibration.IntensityHistogram;
import io.argus.learning.gate.SliceGate;
import io.argus.learning.heads.HeadExtension;
import io.argus.learning.pruning.IterativePruning;
import io.argus.learning.pruning.PruneOptions;
import io.argus.learning.training.Augmenter;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.MixedBatches;
import io.argus.learning.training.Networks;
import io.argus.learning.training.StableSplit;
import io.argus.learning.training.TrainingSet;
import io.argus.learning.transfer.Architecture;
import io.argus.learning.transfer.BaseNetwork;
import io.argus.learning.transfer.Strategy;
import io.argus.learning.transfer.Transfer;
import io.argus.learning.transfer.TransferTrainer;

/**
 * One learning run, from labeled samples to a judged candidate, with no service around it: the
 * trainer runs it on what {@code argus.labels} holds, the learning report on samples it makes.
 *
 * <ol>
 *   <li>The training set is every label people gave plus the base's own data (replay), each sensor
 *       capped by its own reservoir so that neither a chatty sensor nor the base data crowds the
 *       others out. Every sample's part (train, validation, held out) is a fixed function of its id.</li>
 *   <li>The candidate is trained by strategy. {@code calibrate} (the default) leaves the network's
 *       weights alone: each sensor with new labels gets a {@link SensorCalibration} fitted on its
 *       labels, and new classes get new output columns trained on the network's features. Other
 *       sensors and known classes keep their predictions exactly. {@code frozen}, {@code finetune}
 *       and {@code scratch} train the network itself, on mixed class-balanced batches of new and
 *       replayed samples, stopping early on a validation set that holds both.</li>
 *   <li>Champion and candidate are scored on the same evaluation set, the base's reference data
 *       (a dataset's test split, never trained on) and every held-out label, and the
 *       {@link SliceGate} judges them slice by slice.</li>
 * </ol>
 */
public final class LearningRun {

    /**
     * @param minSensorLabels fewer training labels than this and a sensor is not calibrated
     * @param maxPerSensor    the largest number of samples one sensor (or the unknown sensor) contributes
     * @param replay          whether the base's data and earlier labels are trained on with the new ones
     */
    public record Settings(double validationFraction, double testFraction, int minSensorLabels, int maxPerSensor,
                           boolean replay, TransferTrainer.Settings shared, CalibrationFitter.Settings calibration,
                           HeadExtension.Settings head, SliceGate.Settings gate, ImageLimits limits) {

        public static Settings defaults(TransferTrainer.Settings shared) {
            return new Settings(0.15, 0.2, 8, 5000, true, shared, CalibrationFitter.Settings.DEFAULTS,
                    HeadExtension.Settings.DEFAULTS, SliceGate.Settings.DEFAULTS, ImageLimits.DEFAULT);
        }

        public Settings withReplay(boolean on) {
            return new Settings(validationFraction, testFraction, minSensorLabels, maxPerSensor, on, shared,
                    calibration, head, gate, limits);
        }
    }

    /**
     * A model: in service (the champion), or to start from (the base).
     *
     * @param calibrations per sensor, as its bundle says
     * @param labelsUpTo   the newest label it was trained on, or null
     */
    public record Version(String description, Architecture architecture, Model network, List<String> labels,
                          Map<String, SensorCalibration> calibrations, Instant labelsUpTo) {

        BaseNetwork base() {
            return new BaseNetwork(description, architecture, network, labels, outputs());
        }

        int outputs() {
            return Transfer.outputs(network, architecture);
        }

        SensorCalibration calibration(String sensor) {
            SensorCalibration c = sensor == null ? null : calibrations.get(sensor);
            return c == null ? SensorCalibration.IDENTITY : c;
        }
    }

    /** The base data's held-out split (a dataset's test split), the gate's reference slice. */
    public record Reference(String name, LabeledImages images, List<String> labels) {
    }

    /**
     * @param champion the model in service, to beat; empty for the first model
     * @param prune    prune the candidate before it is judged
     */
    public record Inputs(Version base, Optional<Version> champion, List<LabeledSample> samples,
                         Optional<Reference> reference, Strategy strategy, Optional<PruneOptions> prune) {
    }

    /** How many samples went where. */
    public record Counts(int train, int validation, int heldOut, int replay, int reference, int skipped) {
    }

    /**
     * The candidate and the gate's judgement of it.
     *
     * @param evaluation every evaluation sample with both models' predictions (what the gate judged)
     * @param newClasses classes the candidate knows and the champion does not
     * @param drift      the candidate's answers on the evaluation set, the reference of drift per sensor in serving
     * @param ood        the candidate's out-of-distribution statistics (fitted on its training part,
     *                   threshold on its validation part); null if its network has no embedding
     */
    public record Outcome(Model network, List<String> classes, Map<String, SensorCalibration> calibrations,
                          ModelMetrics metrics, GateReport gate, Counts counts, Set<String> targetedSensors,
                          Set<String> newClasses, int epochs, double seconds, long trainableParams, Pruning pruning,
                          List<String> notes, List<SliceGate.Scored> evaluation, DriftReference drift,
                          OodReference ood) {
    }

    /** Hears what a run does; called on the run's thread. */
    public interface Listener extends Fitter.Listener {
        /** {@code preparing}, {@code calibrating}, {@code training-head}, {@code fine-tuning}, {@code training},
         * {@code pruning}, {@code evaluating}, {@code gating}. */
        default void phase(String phase) {
        }

        default void line(String line) {
        }

        @Override
        default void epoch(Fitter.Epoch e) {
        }
    }

    private final Settings settings;

    public LearningRun(Settings settings) {
        this.settings = settings;
    }

    public Outcome run(Inputs in, Listener listener) {
        long start = System.nanoTime();
        List<String> notes = new ArrayList<>();
        listener.phase("preparing");
        Version base = in.base();
        Optional<Version> champion = in.champion();
        List<String> known = !base.labels().isEmpty() ? base.labels()
                : champion.map(Version::labels).orElse(List.of());
        Data data = prepare(in.samples(), known, base.architecture().input());
        Instant since = champion.map(Version::labelsUpTo).orElse(null);
        Set<String> targeted = data.sensorsNewSince(since);
        Set<String> newClasses = new TreeSet<>(data.classes);
        newClasses.removeAll(champion.map(Version::labels).orElse(data.classes));
        listener.line(String.format(Locale.ROOT, "%d samples: %d train, %d validation, %d held out (%d replayed, %d "
                        + "undecodable); %d classes%s; sensors with new labels: %s", data.size(), data.count(Part.TRAIN),
                data.count(Part.VALIDATION), data.count(Part.TEST), data.replayed(), data.skipped, data.classes.size(),
                newClasses.isEmpty() ? "" : " (new: " + newClasses + ")", targeted.isEmpty() ? "none" : targeted));

        Strategy strategy = in.strategy();
        Map<String, SensorCalibration> calibrations = new TreeMap<>(base.calibrations());
        Model network = base.network();
        int epochs = 0;
        long trainable = 0;
        if (strategy == Strategy.CALIBRATE && !newClasses.isEmpty() && !(HeadExtension.supports(network))) {
            notes.add("new classes and a " + base.architecture().name() + " network, whose head cannot be extended "
                    + "alone: fine-tuned instead");
            strategy = Strategy.FINETUNE;
        }
        if (strategy == Strategy.CALIBRATE) {
            listener.phase("calibrating");
            calibrate(base, data, targeted, calibrations, notes, listener);
            if (!newClasses.isEmpty()) {
                listener.phase("training-head");
                HeadExtension.Result head = new HeadExtension(settings.head(), listener::line).extend(
                        (MultiLayerNetwork) network, base.architecture(), known, data.set(Part.TRAIN, calibrations),
                        data.set(Part.VALIDATION, calibrations));
                network = head.network();
                epochs = head.epochs();
                trainable = (long) ((MultiLayerNetwork) network).getOutputLayer().getParam("W").size(0)
                        * newClasses.size() + newClasses.size();
                notes.add(head.describe());
            }
        } else {
            TrainingSet train = data.set(Part.TRAIN, calibrations);
            TrainingSet validation = data.set(Part.VALIDATION, calibrations);
            boolean[] isNew = data.isNew(Part.TRAIN);
            MixedBatches mix = new MixedBatches(train.classes(), isNew, Math.max(train.count(), 256));
            TransferTrainer.Result trained = new TransferTrainer(mix).train(base.base(), known.size(), strategy, train,
                    validation, settings.shared(), new Fitter.Listener() {
                        @Override
                        public void epoch(Fitter.Epoch e) {
                            listener.phase(e.phase().equals("finetune") ? "fine-tuning"
                                    : e.phase().equals("head") ? "training-head" : "training");
                            listener.epoch(e);
                        }
                    });
            network = trained.network();
            epochs = trained.epochs();
            trainable = trained.trainableParams();
        }
        Pruning pruning = null;
        if (in.prune().isPresent()) {
            listener.phase("pruning");
            Fitter.Settings recovery = new Fitter.Settings(1, settings.shared().batchSize(), 1, settings.shared().minSteps(),
                    settings.shared().seed(), settings.shared().augment() ? Augmenter.standard(base.architecture().input())
                    : null);
            IterativePruning.Result pruned = new IterativePruning(listener::line).run(network,
                    base.architecture().input(), data.set(Part.TRAIN, calibrations),
                    data.set(Part.VALIDATION, calibrations), in.prune().get(), recovery, listener);
            network = pruned.network();
            pruning = pruned.summary();
            trainable = Networks.trainableParams(network);
        }

        listener.phase("evaluating");
        long oodStart = System.nanoTime();
        TrainingSet fitted = data.set(Part.TRAIN, calibrations);
        TrainingSet held = data.set(Part.VALIDATION, calibrations);
        OodReference ood = OodFit.fit(network, base.architecture().input(), fitted.inputs(), fitted.classes(),
                data.classes.size(), held.inputs(), held.count(), OodFit.Settings.DEFAULTS);
        listener.line(ood == null ? "No out-of-distribution statistics: the network has no embedding to fit them on"
                : String.format(Locale.ROOT, "Out-of-distribution statistics fitted on %d images, threshold %.3f on %d "
                        + "held-out ones (%.1f s)", ood.fitImages(), ood.threshold(), ood.thresholdImages(),
                        (System.nanoTime() - oodStart) / 1e9));
        Evaluation eval = evaluate(in, data, network, calibrations, champion);
        listener.phase("gating");
        GateReport gate = new SliceGate(settings.gate()).decide(eval.scored(),
                new SliceGate.Targets(targeted, newClasses), champion.isPresent(), eval.set());
        return new Outcome(network, data.classes, Map.copyOf(calibrations), eval.metrics(), gate,
                new Counts(data.count(Part.TRAIN), data.count(Part.VALIDATION), data.count(Part.TEST),
                        data.replayed(), eval.set().reference(), data.skipped), targeted, newClasses, epochs,
                (System.nanoTime() - start) / 1e9, trainable, pruning, notes, eval.scored(), eval.drift(), ood);
    }

    /** Fits a calibration for every sensor with new labels and enough of them. */
    private void calibrate(Version base, Data data, Set<String> targeted, Map<String, SensorCalibration> calibrations,
                           List<String> notes, Listener listener) {
        IntensityHistogram reference = IntensityHistogram.of(data.replay(base.calibrations()));
        if (reference.total() == 0) {
            reference = IntensityHistogram.of(data.set(Part.TRAIN, Map.of()));
        }
        int outputs = base.outputs();
        try (Forward forward = Forward.fast(base.network(), base.architecture().input(), outputs)) {
            calibrate(base, data, targeted, calibrations, notes, listener, reference, outputs, forward);
        }
    }

    private void calibrate(Version base, Data data, Set<String> targeted, Map<String, SensorCalibration> calibrations,
                           List<String> notes, Listener listener, IntensityHistogram reference, int outputs,
                           Forward forward) {
        for (String sensor : targeted) {
            TrainingSet train = data.sensor(sensor, Part.TRAIN, outputs);
            TrainingSet validation = data.sensor(sensor, Part.VALIDATION, outputs);
            if (train.count() < settings.minSensorLabels()) {
                notes.add(String.format(Locale.ROOT, "sensor %s: %d training labels, fewer than the %d a calibration "
                        + "needs", sensor, train.count(), settings.minSensorLabels()));
                continue;
            }
            listener.line("Calibrating sensor " + sensor + " on " + train.count() + " training and "
                    + validation.count() + " validation labels ...");
            CalibrationFitter.Result r = new CalibrationFitter(settings.calibration(), listener::line).fit(forward,
                    train, validation, reference, base.calibration(sensor));
            notes.add("sensor " + sensor + ": " + r.describe());
            listener.line("Sensor " + sensor + ": " + r.describe());
            if (r.changed()) {
                if (r.calibration().isIdentity()) {
                    calibrations.remove(sensor);
                } else {
                    calibrations.put(sensor, r.calibration());
                }
            }
        }
    }

    private record Evaluation(List<SliceGate.Scored> scored, ModelMetrics metrics, GateReport.EvaluationSet set,
                              DriftReference drift) {
    }

    /** Candidate and champion on the same samples: the reference data and every held-out label. */
    private Evaluation evaluate(Inputs in, Data data, Model candidate, Map<String, SensorCalibration> calibrations,
                                Optional<Version> champion) {
        List<EvalSample> samples = new ArrayList<>();
        in.reference().ifPresent(ref -> {
            for (int i = 0; i < ref.images().count(); i++) {
                String truth = ref.labels().get(ref.images().labels()[i]);
                if (data.classes.contains(truth)) {
                    samples.add(new EvalSample("ref:" + ref.name() + ":" + i, true, null, truth, ref.images().image(i),
                            null));
                }
            }
        });
        for (int i : data.indices(Part.TEST)) {
            Item item = data.items.get(i);
            samples.add(new EvalSample(item.sample().sampleId(), false, item.sensor(), item.sample().label(), null,
                    item.sample().bytes()));
        }
        InputSpec candidateSpec = in.base().architecture().input();
        float[] candidateInputs = prepared(candidateSpec, calibrations, samples);
        float[][] candidateProbabilities = Forward.of(candidate, candidateSpec).probabilities(candidateInputs,
                samples.size());
        List<String> candidatePredictions = labelsOf(candidateProbabilities, data.classes);
        List<String> championPredictions = champion.map(c -> labelsOf(probabilities(c.network(),
                c.architecture().input(), c.calibrations(), samples), c.labels())).orElse(null);
        List<SliceGate.Scored> scored = new ArrayList<>(samples.size());
        ConfusionMatrix confusion = new ConfusionMatrix(data.classes);
        for (int i = 0; i < samples.size(); i++) {
            EvalSample s = samples.get(i);
            String cand = candidatePredictions.get(i);
            scored.add(new SliceGate.Scored(s.id(), s.reference(), s.sensor(), s.truth(),
                    championPredictions == null ? null : championPredictions.get(i), cand));
            int predicted = data.classes.indexOf(cand);
            confusion.add(data.classes.indexOf(s.truth()), Math.max(0, predicted));
        }
        int reference = (int) samples.stream().filter(EvalSample::reference).count();
        String version = Sha256.of(String.join("\n", samples.stream().map(EvalSample::id).sorted().toList())
                .getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        // The reference of drift: the reference data and the held-out labels (calibrated as served),
        // so that a new class, which only labels hold, is part of what normal answers look like.
        // With the candidate's embedding on the same images (null if its network has no single one).
        DriftReference drift = samples.isEmpty() ? null : DriftReference.of(candidateProbabilities,
                OodFit.embeddings(candidate, candidateSpec, candidateInputs, samples.size()), String.format(
                Locale.ROOT, "evaluation set %s (%d reference, %d held-out labels)", version, reference,
                samples.size() - reference));
        return new Evaluation(scored, confusion.metrics(),
                new GateReport.EvaluationSet(version, reference, samples.size() - reference), drift);
    }

    private record EvalSample(String id, boolean reference, String sensor, String truth, BufferedImage image,
                              byte[] bytes) {
    }

    /** A model's probabilities, each sample prepared for its input and calibrated for its sensor. */
    private float[][] probabilities(Model net, InputSpec spec, Map<String, SensorCalibration> calibrations,
                                    List<EvalSample> samples) {
        return Forward.of(net, spec).probabilities(prepared(spec, calibrations, samples), samples.size());
    }

    /** The samples prepared for {@code spec} and calibrated for their sensors, one after the other. */
    private float[] prepared(InputSpec spec, Map<String, SensorCalibration> calibrations, List<EvalSample> samples) {
        ImagePreprocessor prep = new ImagePreprocessor(spec, settings.limits());
        int size = spec.size();
        float[] x = new float[samples.size() * size];
        for (int i = 0; i < samples.size(); i++) {
            EvalSample s = samples.get(i);
            if (s.image() != null) {
                prep.prepare(s.image(), x, i * size);
            } else {
                prep.prepare(s.bytes(), x, i * size);
            }
            SensorCalibration c = s.sensor() == null ? null : calibrations.get(s.sensor());
            if (c != null) {
                c.apply(x, i * size, spec);
            }
        }
        return x;
    }

    private static List<String> labelsOf(float[][] p, List<String> labels) {
        List<String> out = new ArrayList<>(p.length);
        for (float[] row : p) {
            out.add(labels.get(ConfusionMatrix.argMax(row)));
        }
        return out;
    }

    // ---- the samples of a run ---------------------------------------------------------------

    enum Part { TRAIN, VALIDATION, TEST }

    /** A decoded sample: where its prepared input is, its class, its sensor and part. */
    private record Item(LabeledSample sample, String sensor, int classIndex, Part part) {
    }

    /** Prepares, caps and splits the samples. */
    private Data prepare(List<LabeledSample> all, List<String> known, InputSpec spec) {
        StableSplit split = new StableSplit(settings.validationFraction(), settings.testFraction());
        List<LabeledSample> usable = new ArrayList<>();
        Map<String, List<LabeledSample>> bySensor = new LinkedHashMap<>();
        for (LabeledSample s : all) {
            if (s.fromDataset()) {
                if (settings.replay()) {
                    usable.add(s);
                }
            } else {
                bySensor.computeIfAbsent(String.valueOf(sensorOf(s)), k -> new ArrayList<>()).add(s);
            }
        }
        for (List<LabeledSample> sensorSamples : bySensor.values()) {
            // A reservoir per sensor: a stable share of its samples (by id), so a chatty sensor keeps
            // no more than its cap and the samples kept do not change from run to run.
            sensorSamples.sort(Comparator.comparing(s -> Sha256.of(s.sampleId().getBytes(StandardCharsets.UTF_8))));
            usable.addAll(sensorSamples.subList(0, Math.min(sensorSamples.size(), settings.maxPerSensor())));
        }
        List<String> classes = new ArrayList<>(known);
        new TreeSet<>(usable.stream().map(LabeledSample::label).toList()).stream()
                .filter(l -> !classes.contains(l)).forEach(classes::add);
        TrainingSet.Prepared prepared = TrainingSet.ofFiles(usable.stream().map(LabeledSample::bytes).toList(),
                usable.stream().map(LabeledSample::label).toList(), classes, spec, settings.limits());
        List<Item> items = new ArrayList<>();
        for (int k = 0; k < prepared.kept().size(); k++) {
            LabeledSample s = usable.get(prepared.kept().get(k));
            StableSplit.Part p = split.of(s.sampleId());
            Part part = p == StableSplit.Part.TRAIN ? Part.TRAIN : p == StableSplit.Part.VALIDATION ? Part.VALIDATION
                    : s.fromDataset() ? Part.VALIDATION : Part.TEST;
            items.add(new Item(s, sensorOf(s), prepared.set().classes()[k], part));
        }
        return new Data(items, prepared.set(), classes, usable.size() - prepared.kept().size());
    }

    private static String sensorOf(LabeledSample s) {
        return s.origin() == null ? null : s.origin().sensorId();
    }

    /** The prepared samples of a run. */
    private static final class Data {
        final List<Item> items;
        final TrainingSet prepared;
        final List<String> classes;
        final int skipped;

        Data(List<Item> items, TrainingSet prepared, List<String> classes, int skipped) {
            this.items = items;
            this.prepared = prepared;
            this.classes = List.copyOf(classes);
            this.skipped = skipped;
        }

        int size() {
            return items.size();
        }

        int count(Part part) {
            return indices(part).size();
        }

        int replayed() {
            return (int) items.stream().filter(i -> i.sample().fromDataset()).count();
        }

        List<Integer> indices(Part part) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).part() == part) {
                    out.add(i);
                }
            }
            return out;
        }

        boolean[] isNew(Part part) {
            List<Integer> idx = indices(part);
            boolean[] out = new boolean[idx.size()];
            for (int k = 0; k < idx.size(); k++) {
                out[k] = items.get(idx.get(k)).sample().fromPerson();
            }
            return out;
        }

        /** Sensors with labels given by people after {@code since} (all of them when null). */
        Set<String> sensorsNewSince(Instant since) {
            Set<String> out = new LinkedHashSet<>();
            for (Item i : items) {
                if (i.sample().fromPerson() && i.sensor() != null
                        && (since == null || i.sample().labeledAt().isAfter(since))) {
                    out.add(i.sensor());
                }
            }
            return new TreeSet<>(out);
        }

        /** A part's samples, each calibrated for its sensor. */
        TrainingSet set(Part part, Map<String, SensorCalibration> calibrations) {
            return calibrated(indices(part), calibrations);
        }

        /** The replayed base data, calibrated (a dataset's samples have no sensor: unchanged). */
        TrainingSet replay(Map<String, SensorCalibration> calibrations) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).sample().fromDataset()) {
                    idx.add(i);
                }
            }
            return calibrated(idx, calibrations);
        }

        /** One sensor's samples of a part, not calibrated, of the classes the network outputs. */
        TrainingSet sensor(String sensor, Part part, int outputs) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Item it = items.get(i);
                if (it.part() == part && sensor.equals(it.sensor()) && it.classIndex() < outputs) {
                    idx.add(i);
                }
            }
            TrainingSet s = prepared.subset(idx);
            return new TrainingSet(s.spec(), classes.subList(0, outputs), s.inputs(), s.classes());
        }

        private TrainingSet calibrated(List<Integer> idx, Map<String, SensorCalibration> calibrations) {
            TrainingSet s = prepared.subset(idx);
            int size = s.spec().size();
            for (int k = 0; k < idx.size(); k++) {
                SensorCalibration c = items.get(idx.get(k)).sensor() == null ? null
                        : calibrations.get(items.get(idx.get(k)).sensor());
                if (c != null) {
                    c.apply(s.inputs(), k * size, s.spec());
                }
            }
            return s;
        }
    }
}
