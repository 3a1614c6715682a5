package io.argus.inference.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.ModelStatus;
import io.argus.common.image.InputSpec;

class ShadowSelectionTest {

    private final ShadowSelection selection = new ShadowSelection();

    @Test
    void aShadowEventNewerThanTheChampionNamesTheCandidateUntilTheNextWordOnItsVersion() {
        selection.champion(event(1, ModelStatus.PROMOTED));
        selection.event(event(2, ModelStatus.SHADOW));
        assertThat(candidate()).isEqualTo(2);
        selection.event(event(1, ModelStatus.PROMOTED));
        assertThat(candidate()).as("an event about another version changes nothing").isEqualTo(2);
        selection.event(event(2, ModelStatus.REJECTED));
        assertThat(candidate()).isZero();
    }

    @Test
    void aNewerShadowEventReplacesTheCandidate() {
        selection.event(event(2, ModelStatus.SHADOW));
        selection.event(event(3, ModelStatus.SHADOW));
        assertThat(candidate()).isEqualTo(3);
        selection.event(event(2, ModelStatus.REJECTED));
        assertThat(candidate()).as("the word on an older candidate does not end the newer one").isEqualTo(3);
    }

    @Test
    void theCandidateStopsWhenItIsPromotedOrWhenANewerVersionServes() {
        selection.champion(event(1, ModelStatus.PROMOTED));
        selection.event(event(2, ModelStatus.SHADOW));
        selection.event(event(2, ModelStatus.PROMOTED));
        selection.champion(event(2, ModelStatus.PROMOTED));
        assertThat(candidate()).isZero();

        selection.event(event(3, ModelStatus.SHADOW));
        selection.champion(event(4, ModelStatus.PROMOTED));
        assertThat(candidate()).as("a version made champion by hand past the candidate").isZero();
    }

    @Test
    void aShadowEventForAVersionNotNewerThanTheChampionRunsNothing() {
        selection.champion(event(3, ModelStatus.RESTORED));
        selection.event(event(2, ModelStatus.SHADOW));
        assertThat(candidate()).isZero();
    }

    private int candidate() {
        return selection.candidate().map(ModelEvent::version).orElse(0);
    }

    private static ModelEvent event(int version, ModelStatus status) {
        return new ModelEvent(ModelEvent.SCHEMA_VERSION, "argus", version, status, List.of("a", "b"),
                InputSpec.grey(8, 8), null, "0".repeat(64), 1, null, "argus-v" + version + ".bundle", "test",
                Instant.now(), null, null);
    }
}
