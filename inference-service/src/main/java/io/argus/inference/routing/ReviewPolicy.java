package io.argus.inference.routing;

import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.contract.Classification;
import io.argus.inference.InferenceConfig;

/** Decides which results people should look at: those the model is not confident about. */
@ApplicationScoped
public class ReviewPolicy {

    private final double threshold;

    public ReviewPolicy(InferenceConfig config) {
        this.threshold = config.reviewThreshold();
    }

    /** Why a result needs review: a code for metrics and a message for people. */
    public record Review(String code, String message) {
    }

    /** Why {@code c} needs review, or empty if it does not. */
    public Optional<Review> reason(Classification c) {
        if (c.confidence() < threshold) {
            return Optional.of(new Review("low_confidence", String.format(Locale.ROOT,
                    "confidence %.3f is under the review threshold %.3f", c.confidence(), threshold)));
        }
        return Optional.empty();
    }
}
