package io.argus.trainer.pruning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;

import io.argus.common.image.InputSpec;
import io.argus.common.model.Flops;
import io.argus.common.model.Pruning;
import io.argus.trainer.training.Evaluator;
import io.argus.trainer.training.Fitter;
import io.argus.trainer.training.Progress;
import io.argus.trainer.training.TrainingSet;

/**
 * Pruning in steps, each followed by a short recovery fine-tuning: every prunable unit loses up
 * to {@link PruneOptions#step()} of its filters per step (less on the last step, so the target is
 * met without overshooting it), until the target is reached or a step would cost more validation
 * accuracy than the tolerance allows. Such a step is undone and tried again at half the size, twice
 * at most; when the smallest one fails too, pruning stops there. Small steps with recovery in
 * between lose less than one big cut, because the remaining filters take over the work of the
 * removed ones while there are still many of them.
 */
public final class IterativePruning {

    private static final int MAX_STEPS = 50;
    private static final int SEARCH_ROUNDS = 7;
    private static final int HALVINGS = 2;

    /** One pruning step and its recovery. */
    public record Step(int step, double keep, long params, long flops, double validationAccuracy, double seconds,
                       boolean kept) {
    }

    /** The pruned network (the trained one if no step was kept), the summary and every step tried. */
    public record Result(Model network, Pruning summary, List<Step> steps) {
    }

    private final Progress progress;
    private final Fitter fitter = new Fitter();

    public IterativePruning(Progress progress) {
        this.progress = progress;
    }

    /**
     * @param recovery batch size, minimum steps, seed and augmentation of the recovery fine-tuning;
     *                 its epochs come from the options
     */
    public Result run(Model trained, InputSpec spec, TrainingSet train, TrainingSet validation, PruneOptions options,
                      Fitter.Settings recovery, Fitter.Listener listener) {
        if (validation == null || validation.count() == 0) {
            throw new IllegalArgumentException("pruning needs validation samples to hold it to its tolerance");
        }
        if (FilterPruner.units(trained).stream().noneMatch(PruningUnit::prunable)) {
            throw new IllegalArgumentException("the network has no convolution that can be pruned: "
                    + FilterPruner.units(trained).stream().map(u -> u.name() + ": " + u.blockedBy()).toList());
        }
        long params0 = trained.numParams();
        long flops0 = Flops.perImage(trained, spec);
        double accuracy0 = Evaluator.evaluate(trained, validation).accuracy();
        progress.report(String.format(Locale.ROOT, "pruning: %,d parameters, %.2f MFLOPs/image, validation accuracy"
                + " %.4f; %s", params0, flops0 / 1e6, accuracy0, options));
        Model current = trained;
        double accuracy = accuracy0;
        List<Step> steps = new ArrayList<>();
        String stopped = null;
        int kept = 0;
        double stepSize = options.step();
        int halvings = 0;
        while (stopped == null) {
            double reached = removed(current, spec, options.measure(), params0, flops0);
            if (reached >= options.target()) {
                stopped = "target reached";
                break;
            }
            if (steps.size() >= MAX_STEPS) {
                stopped = "step limit (" + MAX_STEPS + ") reached";
                break;
            }
            long start = System.nanoTime();
            double keep = keepFraction(current, spec, options, stepSize, params0, flops0);
            Model candidate = FilterPruner.prune(current, plan(current, keep), options.channelMultiple());
            if (candidate.numParams() == current.numParams()) {
                stopped = "nothing left to prune";
                break;
            }
            if (options.recoveryEpochs() > 0) {
                fitter.fit(candidate, train, validation, new Fitter.Settings(options.recoveryEpochs(),
                        recovery.batchSize(), options.recoveryEpochs(), recovery.minSteps(), recovery.seed() + steps.size(),
                        recovery.augmenter()), "prune-recovery", listener);
            }
            double acc = Evaluator.evaluate(candidate, validation).accuracy();
            boolean within = accuracy0 - acc <= options.tolerance();
            Step step = new Step(steps.size() + 1, keep, candidate.numParams(), Flops.perImage(candidate, spec), acc,
                    (System.nanoTime() - start) / 1e9, within);
            steps.add(step);
            progress.report(String.format(Locale.ROOT, "pruning step %d: keep %.0f%% of filters -> %,d parameters"
                            + " (%.0f%% removed), %.2f MFLOPs/image, validation accuracy %.4f%s (%.0f s)", step.step(),
                    keep * 100, step.params(), 100 * (1 - (double) step.params() / params0), step.flops() / 1e6, acc,
                    within ? "" : ", more than the tolerance: undone", step.seconds()));
            if (!within && halvings < HALVINGS) {
                halvings++;
                stepSize /= 2;
                progress.report(String.format(Locale.ROOT, "pruning: trying a smaller step (%.0f%% of filters)",
                        stepSize * 100));
                continue;
            }
            if (!within) {
                stopped = String.format(Locale.ROOT, "tolerance: step %d would cost %.1f points of validation"
                        + " accuracy (allowed %.1f)", step.step(), (accuracy0 - acc) * 100, options.tolerance() * 100);
                break;
            }
            current = candidate;
            accuracy = acc;
            kept++;
        }
        Pruning summary = new Pruning(params0, current.numParams(), flops0, Flops.perImage(current, spec), accuracy0,
                accuracy, kept, stopped);
        progress.report(String.format(Locale.ROOT, "pruning done (%s): %,d -> %,d parameters (%.0f%% removed),"
                        + " %.2f -> %.2f MFLOPs/image, validation accuracy %.4f -> %.4f", stopped, params0,
                summary.paramsAfter(), 100 * summary.paramsRemoved(), flops0 / 1e6, summary.flopsAfter() / 1e6,
                accuracy0, accuracy));
        return new Result(current, summary, steps);
    }

    /**
     * The fraction of filters each unit keeps this step: {@code 1 - step}, or more if that would
     * overshoot the target (found by bisection; pruning without training is cheap).
     */
    private static double keepFraction(Model current, InputSpec spec, PruneOptions o, double step, long params0,
                                       long flops0) {
        double low = 1 - step;
        if (removed(FilterPruner.prune(current, plan(current, low), o.channelMultiple()), spec, o.measure(), params0,
                flops0) < o.target()) {
            return low;
        }
        double high = 1;
        for (int i = 0; i < SEARCH_ROUNDS; i++) {
            double mid = (low + high) / 2;
            if (removed(FilterPruner.prune(current, plan(current, mid), o.channelMultiple()), spec, o.measure(),
                    params0, flops0) >= o.target()) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Every prunable unit with more than one filter keeps {@code keep} of them. */
    static Map<String, Double> plan(Model net, double keep) {
        Map<String, Double> plan = new HashMap<>();
        for (PruningUnit u : FilterPruner.units(net)) {
            if (u.prunable() && u.filters() > 1) {
                plan.put(u.convolutions().get(0), keep);
            }
        }
        return plan;
    }

    private static double removed(Model net, InputSpec spec, PruneOptions.Measure m, long params0, long flops0) {
        return m == PruneOptions.Measure.PARAMS ? 1 - (double) net.numParams() / params0
                : 1 - (double) Flops.perImage(net, spec) / flops0;
    }
}
