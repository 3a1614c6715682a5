package io.argus.trainer.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.argus.common.contract.ModelStatus;

/**
 * How a candidate in shadow is doing beside the champion (see {@code io.argus.trainer.shadow}):
 * the images it answered, how often it said what the champion said, per sensor, the labels people
 * gave for those images meanwhile (both answers judged on the same images), the window and, once
 * the window is over, the decision.
 *
 * @param champion  the version it runs beside (the champion when it entered shadow)
 * @param images    distinct images it answered (a result written twice counts once)
 * @param agreement share of them where its best label was the champion's; null before any
 * @param decision  null while the window is open
 */
public record ShadowProgress(int version, int champion, Instant startedAt, Window window, int images, int agreed,
                             Double agreement, List<Sensor> sensors, Labels labels, Decision decision) {

    /**
     * When the window ends: after {@code images} distinct images or at {@code endsAt}, whichever
     * comes first (null: not by that measure).
     */
    public record Window(Integer images, Integer minutes, Instant endsAt) {
    }

    /**
     * One sensor's figures.
     *
     * @param targeted           the run had new labels of it: disagreement there is what the run was for
     * @param confident          images the champion was confident of
     * @param confidentAgreement share of those where the candidate agreed; what the agreement rule judges
     */
    public record Sensor(String sensorId, boolean targeted, int images, int agreed, Double agreement, int confident,
                         int confidentAgreed, Double confidentAgreement, Labels labels) {
    }

    /**
     * Labels people gave for shadowed images, each judging both answers (paired).
     *
     * @param difference candidate minus champion accuracy on these images; null without labels
     * @param lower      lower end of the interval of the difference (Newcombe, paired)
     */
    public record Labels(int n, int candidateRight, int championRight, Double difference, Double lower,
                         Double upper) {
    }

    /** The end of the shadow: PROMOTED or REJECTED, and why. */
    public record Decision(ModelStatus status, String reason, Instant at) {
    }

    /** What the shadow package measures; the registry shows it beside each version. */
    public interface Source {
        /** The shadow of a version this trainer follows or followed; empty for others. */
        Optional<ShadowProgress> of(int version);
    }
}
