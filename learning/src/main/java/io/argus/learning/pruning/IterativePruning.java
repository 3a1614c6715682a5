package io.argus.learning.pruning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;

import io.argus.common.image.InputSpec;
import io.argus.common.model.Flops;
import io.argus.common.model.Pruning;
import io.argus.learning.training.Evaluator;
import io.argus.learning.training.Fitter;
import io.argus.learning.training.Progress;
import io.argus.learning.training.TrainingSet;

/**
 * Pruning in steps, each followed by a short recovery fine-tuning, until the target is reached or
 * no cut stays within the tolerance. A step's cut: every prunable unit wider than a channel block
 * loses {@link PruneOptions#step()} of its filters (rounded down to whole blocks); units of one
 * block or less can only halve, a big cut, so they join only when the wide ones are down to a
 * block, or when halving them is what reaches the target in this step. Near the target the cut is
 * made smaller (by bisection: pruning without training is cheap) so it does not overshoot more than
 * the blocks force. A cut that costs more validation accuracy than the tolerance is undone and the
 * next smaller one tried (the same cut without the narrow units, then half and a quarter of the
 * step); when none is within the tolerance, pruning stops with the last good model. Small steps
 * with recovery in between lose less than one big cut, because the remaining filters take over the
 * work of the removed ones while there are still many of them.
 */
public final class IterativePruning {

    private static final int MAX_STEPS = 50;
    private static final int SEARCH_ROUNDS = 7;

    /** One cut tried and its recovery; {@code kept} false when it cost more than the tolerance. */
    public record Step(int step, String change, long params, long flops, double validationAccuracy, double seconds,
                       boolean kept) {
    }

    /** The pruned network (the trained one if no step was kept), the summary and every cut tried. */
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
        Budget budget = new Budget(spec, options, trained.numParams(), Flops.perImage(trained, spec));
        double accuracy0 = Evaluator.evaluate(trained, validation).accuracy();
        progress.report(String.format(Locale.ROOT, "pruning: %,d parameters, %.2f MFLOPs/image, validation accuracy"
                + " %.4f; %s", budget.params0, budget.flops0 / 1e6, accuracy0, options));
        Model current = trained;
        double accuracy = accuracy0;
        List<Step> steps = new ArrayList<>();
        String stopped = null;
        int kept = 0;
        while (stopped == null) {
            if (budget.removed(current) >= options.target()) {
                stopped = "target reached";
                break;
            }
            List<Model> cuts = cuts(current, budget);
            if (cuts.isEmpty()) {
                stopped = "nothing left to prune";
                break;
            }
            Model accepted = null;
            for (Model cut : cuts) {
                if (steps.size() >= MAX_STEPS) {
                    break;
                }
                long start = System.nanoTime();
                String change = change(current, cut);
                if (options.recoveryEpochs() > 0) {
                    fitter.fit(cut, train, validation, new Fitter.Settings(options.recoveryEpochs(),
                            recovery.batchSize(), options.recoveryEpochs(), recovery.minSteps(),
                            recovery.seed() + steps.size(), recovery.augmenter()), "prune-recovery", listener);
                }
                double acc = Evaluator.evaluate(cut, validation).accuracy();
                boolean within = accuracy0 - acc <= options.tolerance();
                Step step = new Step(steps.size() + 1, change, cut.numParams(), Flops.perImage(cut, spec), acc,
                        (System.nanoTime() - start) / 1e9, within);
                steps.add(step);
                progress.report(String.format(Locale.ROOT, "pruning step %d: %s -> %,d parameters (%.1f%% removed),"
                                + " %.2f MFLOPs/image, validation accuracy %.4f%s (%.0f s)", step.step(), change,
                        step.params(), 100 * (1 - (double) step.params() / budget.params0), step.flops() / 1e6, acc,
                        within ? "" : ", more than the tolerance: undone", step.seconds()));
                if (within) {
                    accepted = cut;
                    accuracy = acc;
                    break;
                }
                stopped = String.format(Locale.ROOT, "tolerance: step %d would cost %.1f points of validation accuracy"
                        + " (allowed %.1f)", step.step(), (accuracy0 - acc) * 100, options.tolerance() * 100);
            }
            if (accepted == null) {
                if (stopped == null) {
                    stopped = "step limit (" + MAX_STEPS + ") reached";
                }
                break;
            }
            stopped = null;
            current = accepted;
            kept++;
        }
        Pruning summary = new Pruning(budget.params0, current.numParams(), budget.flops0, Flops.perImage(current, spec),
                accuracy0, accuracy, kept, stopped);
        progress.report(String.format(Locale.ROOT, "pruning done (%s): %,d -> %,d parameters (%.1f%% removed),"
                        + " %.2f -> %.2f MFLOPs/image, validation accuracy %.4f -> %.4f", stopped, budget.params0,
                summary.paramsAfter(), 100 * summary.paramsRemoved(), budget.flops0 / 1e6, summary.flopsAfter() / 1e6,
                accuracy0, accuracy));
        return new Result(current, summary, steps);
    }

    /** How much of the measure a network has lost against the trained one. */
    private record Budget(InputSpec spec, PruneOptions options, long params0, long flops0) {

        double removed(Model net) {
            return options.measure() == PruneOptions.Measure.PARAMS ? 1 - (double) net.numParams() / params0
                    : 1 - (double) Flops.perImage(net, spec) / flops0;
        }
    }

    /** This step's cuts, to be tried in order (each smaller than the one before), none a no-op. */
    private static List<Model> cuts(Model current, Budget b) {
        PruneOptions o = b.options();
        double keep = 1 - o.step();
        Map<Long, Model> cuts = new LinkedHashMap<>();
        Model wide = prune(current, keep, true, o);
        if (b.removed(wide) >= o.target()) {
            wide = closest(current, keep, true, b);
        } else {
            Model all = prune(current, keep, false, o);
            if (b.removed(all) >= o.target()) {
                Model reaching = closest(current, keep, false, b);
                cuts.put(reaching.numParams(), reaching);
            }
        }
        cuts.putIfAbsent(wide.numParams(), wide);
        for (double smaller : new double[] {o.step() / 2, o.step() / 4}) {
            Model m = prune(current, 1 - smaller, true, o);
            cuts.putIfAbsent(m.numParams(), m);
        }
        cuts.remove(current.numParams());
        return new ArrayList<>(cuts.values());
    }

    /** The smallest cut between {@code keep} and nothing that still reaches the target (bisection). */
    private static Model closest(Model current, double keep, boolean wideFirst, Budget b) {
        double low = keep;
        double high = 1;
        for (int i = 0; i < SEARCH_ROUNDS; i++) {
            double mid = (low + high) / 2;
            if (b.removed(prune(current, mid, wideFirst, b.options())) >= b.options().target()) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return prune(current, low, wideFirst, b.options());
    }

    private static Model prune(Model current, double keep, boolean wideFirst, PruneOptions o) {
        return FilterPruner.prune(current, plan(current, keep, wideFirst ? o.channelMultiple() : 1),
                o.channelMultiple());
    }

    /**
     * Every prunable unit with more than one filter keeps {@code keep} of them; with
     * {@code wideOver} above 1, only the units wider than that while there are any.
     */
    static Map<String, Double> plan(Model net, double keep, int wideOver) {
        List<PruningUnit> units = FilterPruner.units(net).stream().filter(u -> u.prunable() && u.filters() > 1)
                .toList();
        boolean wideOnly = wideOver > 1 && units.stream().anyMatch(u -> u.filters() > wideOver);
        Map<String, Double> plan = new HashMap<>();
        for (PruningUnit u : units) {
            if (!wideOnly || u.filters() > wideOver) {
                plan.put(u.convolutions().get(0), keep);
            }
        }
        return plan;
    }

    /** Which units a cut narrows, for progress lines: {@code s2a 32->16, s3a 64->48}. */
    private static String change(Model before, Model after) {
        Map<String, Integer> was = new HashMap<>();
        FilterPruner.units(before).forEach(u -> was.put(u.convolutions().get(0), u.filters()));
        List<String> changed = new ArrayList<>();
        for (PruningUnit u : FilterPruner.units(after)) {
            Integer w = was.get(u.convolutions().get(0));
            if (w != null && w != u.filters()) {
                changed.add(u.name() + " " + w + "->" + u.filters());
            }
        }
        return String.join(", ", changed);
    }
}
