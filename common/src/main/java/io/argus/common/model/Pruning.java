package io.argus.common.model;

/**
 * What pruning after training did to a model: its size before and after, the validation accuracy
 * it was held to, and why the schedule stopped.
 *
 * @param flopsBefore    floating-point operations per image (2 x multiply-accumulates) before pruning
 * @param steps          pruning steps kept (each followed by recovery fine-tuning)
 * @param stoppedBecause {@code target reached}, {@code tolerance: ...} or {@code nothing left to prune}
 */
public record Pruning(long paramsBefore, long paramsAfter, long flopsBefore, long flopsAfter,
                      double validationAccuracyBefore, double validationAccuracyAfter, int steps,
                      String stoppedBecause) {

    public double paramsRemoved() {
        return 1 - (double) paramsAfter / paramsBefore;
    }

    public double flopsRemoved() {
        return 1 - (double) flopsAfter / flopsBefore;
    }
}
