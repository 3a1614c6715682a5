package io.argus.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedTagValuesTest {

    @Test
    void admittedValuesKeepTheirNameUpToTheCapAndLaterOnesAreOther() {
        BoundedTagValues tags = new BoundedTagValues(2);

        assertThat(tags.of("cam-1")).isEqualTo("cam-1");
        assertThat(tags.of("cam-2")).isEqualTo("cam-2");
        assertThat(tags.of("cam-3")).isEqualTo(BoundedTagValues.OTHER);
        assertThat(tags.of("cam-1")).isEqualTo("cam-1");
    }

    @Test
    void aValueOnlyLookedUpNeverTakesAPlace() {
        BoundedTagValues tags = new BoundedTagValues(1);

        assertThat(tags.known("junk")).isEqualTo(BoundedTagValues.OTHER);
        assertThat(tags.known(null)).isEqualTo(BoundedTagValues.OTHER);
        assertThat(tags.of("cam-1")).as("the place is still free").isEqualTo("cam-1");
        assertThat(tags.known("cam-1")).isEqualTo("cam-1");
    }
}
