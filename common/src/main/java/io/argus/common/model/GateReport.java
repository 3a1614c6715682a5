package io.argus.common.model;

import java.util.List;

/**
 * Why a candidate was promoted or rejected: champion and candidate scored on the same samples of
 * a fixed evaluation set, slice by slice, as a paired difference with a confidence interval.
 *
 * @param decision      {@code PROMOTED} or {@code REJECTED}
 * @param reason        the decision in a sentence, naming the slices that decided it
 * @param tolerance     the largest loss (accuracy, 0..1) any slice may show at the lower end of its interval
 * @param method        how the intervals were computed
 * @param evaluationSet which samples were scored
 * @param slices        every slice, judged or not
 */
public record GateReport(String decision, String reason, double tolerance, String method,
                         EvaluationSet evaluationSet, List<Slice> slices) {

    /**
     * The samples both models were scored on.
     *
     * @param version   identifies the exact member samples (a checksum of their ids)
     * @param reference samples of the base's own held-out data (a dataset's test split), never trained on
     * @param heldOut   labels of the held-out split, which no training ever uses
     */
    public record EvaluationSet(String version, int reference, int heldOut) {
    }

    /**
     * One slice: {@code reference}, {@code sensor:<id>}, {@code class:<label>} or {@code new-class:<label>}.
     *
     * @param targeted   whether the run had new labels here, so the candidate must improve it
     * @param champion   the champion's accuracy on the slice (null for a class it does not know)
     * @param candidate  the candidate's accuracy on the slice
     * @param difference candidate minus champion (null when the champion cannot be scored)
     * @param lower      lower end of the 95% interval of the difference (or of the candidate's accuracy, for
     *                   new classes); null when the slice is too small to judge
     * @param verdict    {@code improved}, {@code no change}, {@code regressed}, {@code too few samples},
     *                   {@code learned} or {@code not learned} (new classes)
     */
    public record Slice(String name, boolean targeted, int n, Double champion, double candidate, Double difference,
                        Double lower, Double upper, String verdict) {
    }

    public boolean promoted() {
        return "PROMOTED".equals(decision);
    }
}
