package io.argus.learning.training;

import java.util.Locale;

/** Prints a fit's progress as lines, for commands. */
public final class ConsoleProgress implements Fitter.Listener {

    private final Progress out;
    private final String validationName;

    /** @param validationName what the validation set is called in the output ("validation", "test") */
    public ConsoleProgress(Progress out, String validationName) {
        this.out = out;
        this.validationName = validationName;
    }

    @Override
    public void epoch(Fitter.Epoch e) {
        String validation = Double.isNaN(e.validationLoss()) ? "" : String.format(Locale.ROOT,
                ", %s loss %.4f, %s accuracy %.4f", validationName, e.validationLoss(), validationName,
                e.validationAccuracy());
        out.report(String.format(Locale.ROOT, "%s epoch %d/%d done in %.0f s (%.0f images/s): loss %.4f%s%s",
                e.phase(), e.epoch(), e.maxEpochs(), e.seconds(), e.imagesPerSecond(), e.trainLoss(), validation,
                e.epoch() < e.maxEpochs() ? String.format(Locale.ROOT, ", at most %.0f s to go", e.etaSeconds()) : ""));
    }

    @Override
    public void during(String phase, int epoch, int maxEpochs, double fraction, double loss, double rate) {
        out.report(String.format(Locale.ROOT, "  %s epoch %d/%d: %5.1f%%  loss %.4f  %.0f images/s", phase, epoch,
                maxEpochs, 100 * fraction, loss, rate));
    }
}
