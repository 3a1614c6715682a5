package io.argus.trainer.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.argus.common.contract.LabeledSample;
import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.error.ArgusException;
import io.argus.common.image.ImageLimitsConfig;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.GateReport;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.Provenance;
import io.argus.common.model.StoredModel;
import io.argus.common.onnx.ExportedBundles;
import io.argus.common.topics.TopicsConfig;
import io.argus.learning.calibration.CalibrationFitter;
import io.argus.learning.gate.SliceGate;
import io.argus.learning.heads.HeadExtension;
import io.argus.learning.run.LearningRun;
import io.argus.learning.training.Fitter;
import io.argus.learning.transfer.BaseNetwork;
import io.argus.learning.transfer.Strategy;
import io.argus.learning.transfer.TransferTrainer;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.labels.LabelSnapshot;
import io.argus.trainer.metrics.TrainerMetrics;
import io.argus.trainer.registry.ModelHistory;
import io.argus.trainer.registry.ModelRegistry;
import io.argus.trainer.replay.BaseData;
import io.argus.trainer.shadow.ShadowRules;

/**
 * Runs training runs, one at a time, on a thread of its own: snapshot argus.labels (new labels and
 * the base's replayed data), load the base and the champion, let a {@link LearningRun} train the
 * candidate and judge it against the champion slice by slice, store the candidate, and announce
 * it and the gate's decision, with every slice, on argus.models.
 */
@ApplicationScoped
public class TrainingRunner {

    private static final Logger LOG = Logger.getLogger(TrainingRunner.class);
    private static final int KEEP_RUNS = 100;

    private final KafkaClients kafka;
    private final String labelsTopic;
    private final TrainerConfig config;
    private final ImageLimitsConfig limits;
    private final BaseModels bases;
    private final ModelRegistry registry;
    private final ModelHistory history;
    private final BaseData baseData;
    private final TrainerMetrics metrics;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "argus-training");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, TrainingRun> runs = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TrainingRun> eldest) {
            return size() > KEEP_RUNS;
        }
    });
    private final List<Consumer<TrainingRun.View>> finishedListeners = new CopyOnWriteArrayList<>();
    private TrainingRun active;
    private volatile Instant lastRunLabelsUpTo;
    private final RunJournal journal;
    /** Runs of earlier trainer processes, newest first. */
    private final List<TrainingRun.View> earlier;

    public TrainingRunner(KafkaClients kafka, TopicsConfig topics, TrainerConfig config, ImageLimitsConfig limits,
                          BaseModels bases, ModelRegistry registry, ModelHistory history, BaseData baseData,
                          TrainerMetrics metrics) {
        this.metrics = metrics;
        this.kafka = kafka;
        this.labelsTopic = topics.labels();
        this.config = config;
        this.limits = limits;
        this.bases = bases;
        this.registry = registry;
        this.history = history;
        this.baseData = baseData;
        this.journal = new RunJournal(config.storeDir().resolve("runs"));
        this.earlier = journal.recover();
    }

    /**
     * Starts a run, or refuses while another one is going; a request that cannot work is refused now,
     * and so is one before the model history is read (the run would not know the champion it is judged
     * against, nor the base {@code champion} names).
     */
    public synchronized TrainingRun start(RunRequest request, String trigger) {
        history.requireCaughtUp();
        if (active != null && !active.phase().finished()) {
            throw ArgusException.conflict("RUN_IN_PROGRESS", "training run " + active.id()
                    + " is in progress; one at a time");
        }
        RunRequest r = request == null ? RunRequest.DEFAULTS : request;
        r.check();
        String strategy = Strategy.parse(r.strategy() != null ? r.strategy() : config.training().strategy()).id();
        String base = r.base() != null ? r.base() : config.training().base();
        bases.check(base);
        TrainingRun run = new TrainingRun("run-" + Long.toString(System.currentTimeMillis(), 36), trigger, r, base,
                strategy, journal::write);
        runs.put(run.id(), run);
        journal.write(run.view());
        active = run;
        LOG.infof("Training run %s starts (%s): base %s, strategy %s", run.id(), trigger, base, strategy);
        executor.submit(() -> execute(run));
        return run;
    }

    /**
     * Asks a running run to stop at its next step; it ends CANCELLED and stores nothing. A run that
     * has ended, in this process or an earlier one (whose runs have all ended), is refused as such.
     */
    public synchronized TrainingRun.View cancel(String id) {
        TrainingRun run = runs.get(id);
        if (run == null || run.phase().finished()) {
            TrainingRun.View ended = get(id).orElseThrow(() -> ArgusException.notFound("UNKNOWN_RUN",
                    "there is no training run " + id));
            throw ArgusException.conflict("RUN_FINISHED", "training run " + id + " already ended " + ended.phase());
        }
        run.cancel();
        return run.view();
    }

    public synchronized boolean busy() {
        return active != null && !active.phase().finished();
    }

    /** Hears about every run that ends (on the training thread). */
    public void onFinished(Consumer<TrainingRun.View> listener) {
        finishedListeners.add(listener);
    }

    /** A run of this process, or one recorded by an earlier one. */
    public Optional<TrainingRun.View> get(String id) {
        TrainingRun run = runs.get(id);
        if (run != null) {
            return Optional.of(run.view());
        }
        return earlier.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    /** Newest first: this process's runs, then those recorded by earlier ones. */
    public List<TrainingRun.View> all() {
        List<TrainingRun.View> views = new ArrayList<>();
        synchronized (runs) {
            runs.values().forEach(r -> views.add(r.view()));
        }
        Collections.reverse(views);
        for (TrainingRun.View v : earlier) {
            if (views.size() >= KEEP_RUNS) {
                break;
            }
            if (!runs.containsKey(v.id())) {
                views.add(v);
            }
        }
        return views;
    }

    /** The newest label people gave that the last run saw, or null before any run of this process. */
    public Instant lastRunLabelsUpTo() {
        return lastRunLabelsUpTo;
    }

    private void execute(TrainingRun run) {
        long start = System.nanoTime();
        try {
            train(run);
        } catch (CancellationException e) {
            LOG.infof("Training run %s cancelled", run.id());
            run.cancelled();
        } catch (ArgusException e) {
            LOG.warnf("Training run %s failed: %s", run.id(), e.getMessage());
            run.failed(e.getMessage());
        } catch (Exception | OutOfMemoryError e) {
            LOG.errorf(e, "Training run %s failed", run.id());
            run.failed(e.toString());
        }
        TrainingRun.View v = run.view();
        String outcome = v.result() == null ? v.phase().name().toLowerCase(Locale.ROOT)
                : v.result().decision().status().name().toLowerCase(Locale.ROOT);
        metrics.run(outcome, Duration.ofNanos(System.nanoTime() - start),
                v.result() == null ? null : v.result().metrics());
        metrics.refresh(registry);
        finishedListeners.forEach(l -> l.accept(v));
    }

    private void train(TrainingRun run) throws Exception {
        TrainerConfig.Training t = config.training();
        RunRequest req = run.request();

        run.phase(Phase.SNAPSHOT);
        List<LabeledSample> samples = LabelSnapshot.read(kafka, labelsTopic);
        Instant labelsUpTo = samples.stream().filter(LabeledSample::fromPerson).map(LabeledSample::labeledAt)
                .max(Instant::compareTo).orElse(null);
        lastRunLabelsUpTo = labelsUpTo == null ? Instant.now() : labelsUpTo;
        if (samples.stream().noneMatch(LabeledSample::fromPerson)) {
            throw ArgusException.conflict("NO_LABELS", "argus.labels holds no labels given by people yet");
        }
        run.checkCancelled();

        run.phase(Phase.PREPARING);
        BaseNetwork baseNetwork = bases.resolve(run.view().base());
        Optional<StoredModel> baseStored = bases.stored(run.view().base());
        Optional<ModelEvent> championEvent = history.champion();
        Optional<StoredModel> championStored = championEvent.flatMap(c -> registry.stored(c.version()));
        Optional<ModelBundle> champion = championStored.isPresent()
                ? Optional.of(registry.store().load(championStored.get())) : Optional.empty();
        LearningRun.Version base = new LearningRun.Version(baseNetwork.description(), baseNetwork.architecture(),
                baseNetwork.network(), baseNetwork.labels(),
                baseStored.map(s -> s.manifest().calibrations()).orElse(Map.of()),
                baseStored.map(s -> labelsUpTo(s.manifest())).orElse(null));
        Optional<LearningRun.Version> championVersion = champion.map(b -> new LearningRun.Version(
                b.manifest().id().toString(), bases.architectureOf(b.manifest()), b.network(), b.manifest().labels(),
                b.manifest().calibrations(), labelsUpTo(b.manifest())));
        Provenance lineage = champion.map(b -> b.manifest().provenance())
                .orElse(baseStored.map(s -> s.manifest().provenance()).orElse(null));
        Optional<BaseData.Dataset> dataset = baseData.of(lineage);
        Optional<LearningRun.Reference> reference = dataset.map(d -> new LearningRun.Reference(d.id() + ":test",
                d.test(), d.labels()));

        Strategy strategy = Strategy.parse(run.view().strategy());
        boolean replay = req.replay() == null || req.replay();
        LearningRun.Settings settings = new LearningRun.Settings(t.validationFraction(), t.testFraction(),
                t.minSensorLabels(), config.replay().maxPerSensor(), replay, new TransferTrainer.Settings(
                req.maxEpochs() != null ? req.maxEpochs() : t.maxEpochs(), t.patience(),
                req.minSteps() != null ? req.minSteps() : t.minSteps(), t.batchSize(),
                req.headLearningRate() != null ? req.headLearningRate() : t.headLearningRate(),
                req.fineTuneLearningRate() != null ? req.fineTuneLearningRate() : t.fineTuneLearningRate(),
                t.augment(), t.seed(), t.freezeUpTo().orElse(null)),
                CalibrationFitter.Settings.DEFAULTS, HeadExtension.Settings.DEFAULTS, gateSettings(),
                limits.limits());
        LearningRun.Outcome out = new LearningRun(settings).run(new LearningRun.Inputs(base, championVersion,
                samples, reference, strategy, req.pruneOptions()), listener(run));
        run.data(out.counts().train(), out.counts().validation(), out.counts().heldOut(), out.counts().skipped(),
                out.classes());
        run.checkCancelled();
        LOG.infof("Run %s: %d train, %d validation, %d held out, %d reference (%d replayed); %s", run.id(),
                out.counts().train(), out.counts().validation(), out.counts().heldOut(), out.counts().reference(),
                out.counts().replay(), String.join("; ", out.notes()));

        run.phase(Phase.GATING);
        BundleManifest manifest = BundleManifest.builder(config.modelName(),
                        registry.store().nextVersion(config.modelName()), out.classes(),
                        baseNetwork.architecture().input())
                .provenance(Provenance.builder().base(baseNetwork.description()).strategy(strategy.id())
                        .dataset(String.format(Locale.ROOT, "argus.labels (%d labels, %d replayed)",
                                out.counts().train() + out.counts().validation() + out.counts().heldOut()
                                        - out.counts().replay(), out.counts().replay()))
                        .samples(out.counts().train(), out.counts().validation(),
                                out.counts().heldOut() + out.counts().reference())
                        .training(out.epochs(), out.seconds()).architecture(baseNetwork.architecture().name())
                        .trainableParams(out.trainableParams()).labelsUpTo(labelsUpTo).pruning(out.pruning())
                        .baseData(lineage == null ? null : lineage.baseData()).build())
                .metrics(out.metrics()).sensorCalibrations(out.calibrations()).driftReference(out.drift())
                .ood(out.ood()).build();
        StoredModel stored = registry.store().save(ExportedBundles.of(manifest, out.network()));
        registry.announce(stored, ModelStatus.CANDIDATE, "trained by " + run.id(), null);
        TrainingRun.Decision decision = decide(stored, out.gate());
        LOG.infof("Run %s: candidate %s %s: %s", run.id(), stored.id(), decision.status(), decision.reason());
        run.done(new TrainingRun.Result(stored.manifest().version(), decision, out.metrics(), out.trainableParams(),
                out.pruning(), out.gate(), out.calibrations().keySet().stream().sorted().toList(), out.notes()));
    }

    /**
     * Announces what becomes of the candidate: REJECTED when the gate says so; when it passed,
     * PROMOTED at once, or, with shadow on and a champion to run beside, SHADOW: the shadow watch
     * promotes or rejects it when the window is over.
     */
    private TrainingRun.Decision decide(StoredModel stored, GateReport gate) {
        TrainerConfig.Shadow shadow = config.shadow();
        Optional<ModelEvent> champion = history.champion();
        if (gate.promoted() && shadow.enabled() && champion.isPresent()) {
            String reason = "passed the gate (" + gate.reason() + "); in shadow beside v" + champion.get().version()
                    + " until " + new ShadowRules.Window(shadow.images(), shadow.minutes()).describe() + ", then promoted if the "
                    + "shadow rules hold";
            registry.startShadow(stored, reason, gate);
            return new TrainingRun.Decision(ModelStatus.SHADOW, reason);
        }
        ModelStatus status = gate.promoted() ? ModelStatus.PROMOTED : ModelStatus.REJECTED;
        registry.announce(stored, status, gate.reason(), gate);
        return new TrainingRun.Decision(status, gate.reason());
    }

    private SliceGate.Settings gateSettings() {
        TrainerConfig.Gate g = config.gate();
        return new SliceGate.Settings(g.tolerance(), g.minSliceSamples(), g.minNonInferioritySamples(),
                g.minTargetedSamples(), g.newClassFloor(), config.training().testFraction(), g.resamples(),
                config.training().seed());
    }

    private static Instant labelsUpTo(BundleManifest m) {
        return m.provenance() == null ? null : m.provenance().labelsUpTo();
    }

    /** Follows a learning run's progress into the run's state, and stops it when it is cancelled. */
    private static LearningRun.Listener listener(TrainingRun run) {
        return new LearningRun.Listener() {
            @Override
            public void phase(String phase) {
                run.checkCancelled();
                run.phase(switch (phase) {
                    case "calibrating" -> Phase.CALIBRATING;
                    case "training-head" -> Phase.TRAINING_HEAD;
                    case "fine-tuning" -> Phase.FINE_TUNING;
                    case "training" -> Phase.TRAINING;
                    case "pruning" -> Phase.PRUNING;
                    case "evaluating" -> Phase.EVALUATING;
                    case "gating" -> Phase.GATING;
                    default -> Phase.PREPARING;
                });
            }

            @Override
            public void line(String line) {
                run.checkCancelled();
                LOG.infof("Run %s: %s", run.id(), line);
            }

            @Override
            public void epoch(Fitter.Epoch e) {
                run.checkCancelled();
                run.epoch(e);
            }
        };
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
