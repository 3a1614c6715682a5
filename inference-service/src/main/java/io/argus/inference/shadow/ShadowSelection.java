package io.argus.inference.shadow;

import java.util.Optional;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;

/**
 * Which version, if any, runs in shadow, from the events of {@code argus.models} in the order they
 * were written (one partition: the order is total). The latest {@code SHADOW} event names the
 * candidate; it stops being one at the next event about its version (PROMOTED, REJECTED,
 * WITHDRAWN...), at a newer {@code SHADOW} event, or when it is not newer than the champion (it
 * became champion, or a newer version was made champion by hand).
 */
final class ShadowSelection {

    private ModelEvent shadow;
    private int champion;

    /** An event about a version (under its version key, or under the model name on an old topic). */
    void event(ModelEvent e) {
        if (e.status() == ModelStatus.SHADOW) {
            shadow = e;
        } else if (shadow != null && shadow.version() == e.version()) {
            shadow = null;
        }
    }

    /** A champion record: the version it names serves. */
    void champion(ModelEvent e) {
        champion = e.version();
    }

    /** The candidate to run in shadow now. */
    Optional<ModelEvent> candidate() {
        return shadow != null && shadow.version() > champion ? Optional.of(shadow) : Optional.empty();
    }
}
