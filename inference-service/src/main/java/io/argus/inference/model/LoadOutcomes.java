package io.argus.inference.model;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The loads of model versions a follower of {@code argus.models} attempted, counted by outcome: one
 * counter, tagged {@code outcome="success"} or {@code outcome="failed"}, so that a dashboard can put
 * refusals beside loads (the champion's swaps, the shadow candidate's loads).
 */
public record LoadOutcomes(Counter success, Counter failed) {

    public static LoadOutcomes register(MeterRegistry meters, String name, String description) {
        return new LoadOutcomes(counter(meters, name, description, "success"),
                counter(meters, name, description, "failed"));
    }

    private static Counter counter(MeterRegistry meters, String name, String description, String outcome) {
        return Counter.builder(name).description(description).tag("outcome", outcome).register(meters);
    }
}
