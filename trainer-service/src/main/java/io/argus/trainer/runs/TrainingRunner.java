package io.argus.trainer.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.argus.common.onnx.ExportedBundles;
import io.argus.common.contract.LabeledSample;
import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.image.ImageLimitsConfig;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.model.BundleManifest;
import io.argus.common.model.ModelBundle;
import io.argus.common.model.ModelMetrics;
import io.argus.common.model.Pruning;
import io.argus.common.model.Provenance;
import io.argus.common.model.StoredModel;
import io.argus.common.topics.TopicsConfig;
import io.argus.common.error.ArgusException;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.gate.Gate;
import io.argus.trainer.labels.LabelSnapshot;
import io.argus.trainer.metrics.TrainerMetrics;
import io.argus.trainer.registry.ModelHistory;
import io.argus.trainer.registry.ModelRegistry;
import io.argus.learning.training.Augmenter;
import io.argus.learning.training.Evaluator;
import io.argus.learning.pruning.IterativePruning;
import io.argus.learning.pruning.PruneOptions;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.Networks;
import io.argus.learning.training.StratifiedSplit;
import io.argus.learning.training.TrainingSet;
import io.argus.trainer.runs.BaseModels;
import io.argus.learning.transfer.BaseNetwork;
import io.argus.learning.transfer.Strategy;
import io.argus.learning.transfer.TransferTrainer;

/**
 * Runs training runs, one at a time, on a thread of its own: snapshot argus.labels, load the
 * base, prepare and split the samples, train by strategy, evaluate the candidate and the champion
 * on the same held-out samples, store the candidate, let the gate decide, announce both on
 * argus.models.
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
    private final Gate gate;
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
    private TrainingRun active;
    private volatile Instant lastRunLabelsUpTo;
    private final RunJournal journal;
    /** Runs of earlier trainer processes, newest first. */
    private final List<TrainingRun.View> earlier;

    public TrainingRunner(KafkaClients kafka, TopicsConfig topics,
                          TrainerConfig config, ImageLimitsConfig limits, BaseModels bases, ModelRegistry registry,
                          ModelHistory history, Gate gate, TrainerMetrics metrics) {
        this.metrics = metrics;
        this.kafka = kafka;
        this.labelsTopic = topics.labels();
        this.config = config;
        this.limits = limits;
        this.bases = bases;
        this.registry = registry;
        this.history = history;
        this.gate = gate;
        this.journal = new RunJournal(config.storeDir().resolve("runs"));
        this.earlier = journal.recover();
    }

    /** Starts a run, or refuses with 409 while another one is going. */
    public synchronized TrainingRun start(RunRequest request, String trigger) {
        if (active != null && !active.phase().finished()) {
            throw ArgusException.conflict("RUN_IN_PROGRESS", "training run " + active.id() + " is in progress; one at a time");
        }
        RunRequest r = request == null ? RunRequest.DEFAULTS : request;
        r.pruneOptions(); // bad options are refused now, not after training
        String strategy = Strategy.parse(r.strategy() != null ? r.strategy() : config.training().strategy()).id();
        String base = r.base() != null ? r.base() : config.training().base();
        TrainingRun run = new TrainingRun("run-" + Long.toString(System.currentTimeMillis(), 36), trigger, r, base,
                strategy, journal::write);
        runs.put(run.id(), run);
        journal.write(run.view());
        active = run;
        LOG.infof("Training run %s starts (%s): base %s, strategy %s", run.id(), trigger, base, strategy);
        executor.submit(() -> execute(run));
        return run;
    }

    public synchronized boolean busy() {
        return active != null && !active.phase().finished();
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

    /** The newest label the last run saw, or null before any run of this process. */
    public Instant lastRunLabelsUpTo() {
        return lastRunLabelsUpTo;
    }

    private void execute(TrainingRun run) {
        long start = System.nanoTime();
        try {
            train(run);
        } catch (ArgusException e) {
            LOG.warnf("Training run %s failed: %s", run.id(), e.getMessage());
            run.failed(e.getMessage());
        } catch (Exception | OutOfMemoryError e) {
            LOG.errorf(e, "Training run %s failed", run.id());
            run.failed(e.toString());
        }
        TrainingRun.View v = run.view();
        String outcome = v.result() == null ? "failed" : v.result().decision().status().name().toLowerCase();
        metrics.run(outcome, java.time.Duration.ofNanos(System.nanoTime() - start),
                v.result() == null ? null : v.result().metrics());
        metrics.refresh(registry);
    }

    private void train(TrainingRun run) throws Exception {
        TrainerConfig.Training t = config.training();
        RunRequest req = run.request();

        run.phase(Phase.SNAPSHOT);
        List<LabeledSample> samples = LabelSnapshot.read(kafka, labelsTopic);
        Instant labelsUpTo = samples.stream().map(LabeledSample::labeledAt).max(Instant::compareTo).orElse(null);
        lastRunLabelsUpTo = labelsUpTo == null ? Instant.now() : labelsUpTo;
        if (samples.isEmpty()) {
            throw ArgusException.conflict("NO_LABELS", "argus.labels holds no labeled samples yet");
        }

        run.phase(Phase.PREPARING);
        BaseNetwork base = bases.resolve(run.view().base());
        Optional<ModelEvent> champion = history.champion();
        List<String> known = !base.labels().isEmpty() ? base.labels()
                : champion.map(ModelEvent::labels).orElse(List.of());
        List<String> classes = TransferTrainer.classes(known, samples.stream().map(LabeledSample::label).toList());
        int keepKnown = base.labels().isEmpty() ? 0 : base.labels().size();

        TrainingSet.Prepared prepared = TrainingSet.ofFiles(samples.stream().map(LabeledSample::bytes).toList(),
                samples.stream().map(LabeledSample::label).toList(), classes, base.architecture().input(),
                limits.limits());
        List<LabeledSample> usable = prepared.kept().stream().map(samples::get).toList();
        StratifiedSplit.Parts parts = StratifiedSplit.of(usable, LabeledSample::label, LabeledSample::sampleId,
                t.validationFraction(), t.testFraction());
        TrainingSet train = prepared.set().subset(parts.train());
        TrainingSet validation = prepared.set().subset(parts.validation());
        TrainingSet test = prepared.set().subset(parts.test());
        run.data(train.count(), validation.count(), test.count(), samples.size() - usable.size(), classes);
        LOG.infof("Run %s: %d samples (%d train, %d validation, %d test, %d undecodable) in %d classes, base %s",
                run.id(), samples.size(), train.count(), validation.count(), test.count(),
                samples.size() - usable.size(), classes.size(), base.description());

        Strategy strategy = Strategy.parse(run.view().strategy());
        TransferTrainer.Settings settings = new TransferTrainer.Settings(
                req.maxEpochs() != null ? req.maxEpochs() : t.maxEpochs(), t.patience(),
                req.minSteps() != null ? req.minSteps() : t.minSteps(), t.batchSize(),
                req.headLearningRate() != null ? req.headLearningRate() : t.headLearningRate(),
                req.fineTuneLearningRate() != null ? req.fineTuneLearningRate() : t.fineTuneLearningRate(),
                t.augment(), t.seed(), t.freezeUpTo().orElse(null));
        run.phase(strategy == Strategy.SCRATCH ? Phase.TRAINING : Phase.TRAINING_HEAD);
        TransferTrainer.Result trained = new TransferTrainer().train(base, keepKnown, strategy, train, validation,
                settings, new Fitter.Listener() {
                    @Override
                    public void epoch(Fitter.Epoch e) {
                        if (e.phase().equals("finetune")) {
                            run.phase(Phase.FINE_TUNING);
                        }
                        run.epoch(e);
                    }
                });

        Pruning pruning = null;
        Optional<PruneOptions> prune = req.pruneOptions();
        if (prune.isPresent()) {
            run.phase(Phase.PRUNING);
            IterativePruning.Result pruned = new IterativePruning(line -> LOG.infof("Run %s: %s", run.id(), line))
                    .run(trained.network(), base.architecture().input(), train, validation, prune.get(),
                            new Fitter.Settings(1, t.batchSize(), 1, t.minSteps(), t.seed(),
                                    t.augment() ? Augmenter.standard(train.spec()) : null),
                            new Fitter.Listener() {
                                @Override
                                public void epoch(Fitter.Epoch e) {
                                    run.epoch(e);
                                }
                            });
            pruning = pruned.summary();
            trained = new TransferTrainer.Result(pruned.network(), trained.epochs(), trained.seconds(),
                    Networks.trainableParams(pruned.network()));
        }

        run.phase(Phase.EVALUATING);
        ModelMetrics metrics = Evaluator.evaluate(trained.network(), test);
        Comparison comparison = compare(trained, classes, test, usable, parts, champion);

        run.phase(Phase.GATING);
        BundleManifest manifest = BundleManifest.builder(config.modelName(),
                        registry.store().nextVersion(config.modelName()), classes, base.architecture().input())
                .provenance(Provenance.builder().base(base.description()).strategy(strategy.id())
                        .dataset("argus.labels (" + usable.size() + " samples)")
                        .samples(train.count(), validation.count(), test.count())
                        .training(trained.epochs(), trained.seconds()).architecture(base.architecture().name())
                        .trainableParams(trained.trainableParams()).labelsUpTo(labelsUpTo).pruning(pruning).build())
                .metrics(metrics).build();
        StoredModel stored = registry.store().save(ExportedBundles.of(manifest, trained.network()));
        registry.announce(stored, ModelStatus.CANDIDATE, "trained by " + run.id());
        Gate.Decision decision = gate.decide(comparison.candidate(), comparison.champion(), comparison.classesDiffer());
        registry.announce(stored, decision.status(), decision.reason());
        LOG.infof("Run %s: candidate %s %s: %s", run.id(), stored.id(), decision.status(), decision.reason());
        run.done(new TrainingRun.Result(stored.manifest().version(), decision, metrics, trained.trainableParams(),
                pruning));
    }

    /** Candidate and champion on the same held-out samples, over the classes both know. */
    private record Comparison(ModelMetrics candidate, ModelMetrics champion, boolean classesDiffer) {
    }

    private Comparison compare(TransferTrainer.Result trained, List<String> classes, TrainingSet test,
                               List<LabeledSample> usable, StratifiedSplit.Parts parts,
                               Optional<ModelEvent> champion) throws Exception {
        float[][] candidateProbs = Evaluator.predict(trained.network(), test);
        Optional<StoredModel> championBundle = champion.flatMap(c -> registry.stored(c.version()));
        if (championBundle.isEmpty()) {
            return new Comparison(Evaluator.onShared(test, candidateProbs, classes, classes), null, false);
        }
        ModelBundle champ = registry.store().load(championBundle.get());
        List<String> championLabels = champ.manifest().labels();
        List<String> shared = classes.stream().filter(championLabels::contains).collect(Collectors.toList());
        boolean differ = !championLabels.equals(classes);
        List<LabeledSample> testSamples = parts.test().stream().map(usable::get).toList();
        TrainingSet championTest = TrainingSet.ofFiles(testSamples.stream().map(LabeledSample::bytes).toList(),
                testSamples.stream().map(LabeledSample::label).toList(), classes, champ.manifest().inputSpec(),
                limits.limits()).set();
        float[][] championProbs = Evaluator.predict(champ.network(), championTest);
        return new Comparison(Evaluator.onShared(test, candidateProbs, classes, shared),
                Evaluator.onShared(championTest, championProbs, championLabels, shared), differ);
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
