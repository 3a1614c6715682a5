package io.argus.trainer.gate;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.argus.common.contract.ModelStatus;
import io.argus.common.model.ModelMetrics;
import io.argus.trainer.TrainerConfig;

/**
 * Decides whether a candidate replaces the champion: only if it is at least as good on the same
 * held-out samples, by the configured metric, within the configured margin. When the two know
 * different classes they are compared on the classes both know, and the decision says so.
 */
@ApplicationScoped
public class Gate {

    /**
     * @param champion null when there is no champion to beat
     */
    public record Decision(ModelStatus status, String reason, String metric, double candidate, Double champion,
                           int heldOut, boolean classesDiffer) {
    }

    private final String metric;
    private final double margin;
    private final int minTestSamples;

    @Inject
    public Gate(TrainerConfig config) {
        this(config.gate().metric(), config.gate().margin(), config.training().minTestSamples());
    }

    public Gate(String metric, double margin, int minTestSamples) {
        if (!metric.equals("macro-f1") && !metric.equals("accuracy")) {
            throw new IllegalArgumentException("argus.trainer.gate.metric must be macro-f1 or accuracy, not " + metric);
        }
        this.metric = metric;
        this.margin = margin;
        this.minTestSamples = minTestSamples;
    }

    /**
     * @param candidate the candidate on the held-out samples of the shared classes
     * @param champion  the champion on the same samples, or null if there is none
     */
    public Decision decide(ModelMetrics candidate, ModelMetrics champion, boolean classesDiffer) {
        double c = score(candidate);
        String note = classesDiffer ? " (compared on the classes both models know; the candidate's classes differ)" : "";
        if (candidate.samples() < minTestSamples) {
            return new Decision(ModelStatus.REJECTED, String.format(Locale.ROOT,
                    "only %d held-out samples; at least %d are needed to judge a model", candidate.samples(),
                    minTestSamples), metric, c, champion == null ? null : score(champion), candidate.samples(),
                    classesDiffer);
        }
        if (champion == null) {
            return new Decision(ModelStatus.PROMOTED, String.format(Locale.ROOT,
                    "no champion to beat; %s %.4f on %d held-out samples", metric, c, candidate.samples()), metric, c,
                    null, candidate.samples(), classesDiffer);
        }
        double h = score(champion);
        boolean better = c >= h - margin;
        String reason = String.format(Locale.ROOT, "%s %.4f %s champion's %.4f%s on %d held-out samples%s", metric, c,
                better ? ">=" : "<", h, margin == 0 ? "" : String.format(Locale.ROOT, " - margin %.4f", margin),
                candidate.samples(), note);
        return new Decision(better ? ModelStatus.PROMOTED : ModelStatus.REJECTED, reason, metric, c, h,
                candidate.samples(), classesDiffer);
    }

    private double score(ModelMetrics m) {
        return metric.equals("accuracy") ? m.accuracy() : m.macroF1();
    }
}
