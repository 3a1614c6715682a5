package io.argus.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class LoadOutcomesTest {

    @Test
    void aLoadAndARefusalAreCountedApartUnderOneNameTaggedByOutcome() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LoadOutcomes loads = LoadOutcomes.register(meters, "argus.test.loads", "Loads, and refusals");

        loads.success().increment();
        loads.success().increment();
        loads.failed().increment();

        assertThat(meters.get("argus.test.loads").tag("outcome", "success").counter().count()).isEqualTo(2);
        assertThat(meters.get("argus.test.loads").tag("outcome", "failed").counter().count()).isEqualTo(1);
        assertThat(meters.get("argus.test.loads").counter().getId().getDescription()).isEqualTo("Loads, and refusals");
    }
}
