package io.argus.trainer.runs;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import io.argus.common.model.ModelMetrics;
import io.argus.common.contract.ModelStatus;
import io.argus.common.model.GateReport;
import io.argus.common.model.Pruning;
import io.argus.learning.training.Fitter;

/**
 * One training run as it progresses; {@link #view()} is what {@code GET /api/training-runs/{id}}
 * shows. Written by the training thread, read by REST threads.
 */
public final class TrainingRun {

    /** What the gate decided about the candidate. */
    public record Decision(ModelStatus status, String reason) {
    }

    /**
     * The outcome: the candidate version, the gate's decision and its per-slice judgement.
     *
     * @param calibratedSensors the sensors the candidate calibrates
     * @param notes             what the run did, sensor by sensor
     */
    public record Result(int version, Decision decision, ModelMetrics metrics, long trainableParams, Pruning pruning,
                         GateReport gate, List<String> calibratedSensors, List<String> notes) {
    }

    /** A consistent copy of the run's state. */
    public record View(String id, String trigger, String base, String strategy, Phase phase, Instant startedAt,
                       Instant finishedAt, Integer epoch, Integer maxEpochs, Double loss, Double validationLoss,
                       Double validationAccuracy, Double etaSeconds, Integer trainSamples, Integer validationSamples,
                       Integer testSamples, Integer skippedSamples, List<String> classes, Result result, String error) {
    }

    private final String id;
    private final String trigger;
    private final RunRequest request;
    private final String base;
    private final String strategy;
    private final Instant startedAt = Instant.now();
    private Phase phase = Phase.QUEUED;
    private Instant finishedAt;
    private Fitter.Epoch lastEpoch;
    private Integer trainSamples;
    private Integer validationSamples;
    private Integer testSamples;
    private Integer skipped;
    private List<String> classes;
    private Result result;
    private String error;

    private final Consumer<View> onChange;
    private volatile boolean cancelRequested;

    TrainingRun(String id, String trigger, RunRequest request, String base, String strategy) {
        this(id, trigger, request, base, strategy, v -> { });
    }

    /** {@code onChange} sees the run at every phase change (the run journal). */
    TrainingRun(String id, String trigger, RunRequest request, String base, String strategy,
                Consumer<View> onChange) {
        this.onChange = onChange;
        this.id = id;
        this.trigger = trigger;
        this.request = request;
        this.base = base;
        this.strategy = strategy;
    }

    public String id() {
        return id;
    }

    RunRequest request() {
        return request;
    }

    synchronized void phase(Phase p) {
        boolean changed = phase != p;
        phase = p;
        if (p.finished()) {
            finishedAt = Instant.now();
        }
        if (changed) {
            onChange.accept(view());
        }
    }

    synchronized Phase phase() {
        return phase;
    }

    synchronized void epoch(Fitter.Epoch e) {
        lastEpoch = e;
    }

    synchronized void data(int train, int validation, int test, int skippedSamples, List<String> labels) {
        trainSamples = train;
        validationSamples = validation;
        testSamples = test;
        skipped = skippedSamples;
        classes = List.copyOf(labels);
    }

    synchronized void done(Result r) {
        result = r;
        phase(Phase.DONE);
    }

    synchronized void failed(String message) {
        error = message;
        phase(Phase.FAILED);
    }

    /** Asks the run to stop at its next step. */
    void cancel() {
        cancelRequested = true;
    }

    /** Stops the run (on its own thread) if it was asked to. */
    void checkCancelled() {
        if (cancelRequested) {
            throw new CancellationException("training run " + id + " was cancelled");
        }
    }

    synchronized void cancelled() {
        error = "cancelled on request";
        phase(Phase.CANCELLED);
    }

    public synchronized View view() {
        Fitter.Epoch e = lastEpoch;
        return new View(id, trigger, base, strategy, phase, startedAt, finishedAt,
                e == null ? null : e.epoch(), e == null ? null : e.maxEpochs(), e == null ? null : e.trainLoss(),
                e == null || Double.isNaN(e.validationLoss()) ? null : e.validationLoss(),
                e == null || Double.isNaN(e.validationAccuracy()) ? null : e.validationAccuracy(),
                e == null || phase.finished() ? null : e.etaSeconds(),
                trainSamples, validationSamples, testSamples, skipped, classes, result, error);
    }
}
