package io.argus.inference.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ShadowSamplingTest {

    @Test
    void aShareOfHalfPicksAboutHalfOfSimilarIdsAndAlwaysTheSameOnes() {
        ShadowSampling half = new ShadowSampling(0.5);
        long picked = IntStream.range(0, 10_000).filter(i -> half.picks("img-" + i)).count();
        assertThat(picked).isBetween(4_800L, 5_200L);
        ShadowSampling again = new ShadowSampling(0.5);
        assertThat(IntStream.range(0, 10_000).allMatch(i -> half.picks("img-" + i) == again.picks("img-" + i)))
                .as("another replica, or the same after a restart, picks the same images").isTrue();
    }

    @Test
    void aSmallerSharePicksASubsetOfWhatALargerOnePicks() {
        ShadowSampling tenth = new ShadowSampling(0.1);
        ShadowSampling half = new ShadowSampling(0.5);
        assertThat(IntStream.range(0, 10_000).filter(i -> tenth.picks("cam-" + i)).allMatch(i -> half.picks("cam-" + i)))
                .isTrue();
        assertThat(IntStream.range(0, 10_000).filter(i -> tenth.picks("cam-" + i)).count()).isBetween(900L, 1_100L);
    }

    @Test
    void allOrNothingAtTheEnds() {
        assertThat(IntStream.range(0, 1000).allMatch(i -> new ShadowSampling(1.0).picks("x" + i))).isTrue();
        assertThat(IntStream.range(0, 1000).noneMatch(i -> new ShadowSampling(0).picks("x" + i))).isTrue();
        assertThat(new ShadowSampling(0).none()).isTrue();
        assertThatThrownBy(() -> new ShadowSampling(1.5)).hasMessageContaining("argus.inference.shadow.share");
    }
}
