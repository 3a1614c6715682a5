package io.argus.inference.routing;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.argus.common.contract.Classification;
import io.argus.common.contract.DeadLetter;
import io.argus.common.json.Json;
import io.argus.common.topics.TopicNames;
import io.argus.common.topics.TopicsConfig;
import io.argus.inference.outcome.Outcome;

/**
 * Where each outcome goes next: every classification to {@code argus.images.classified} (keyed
 * by image id), unsure ones also to {@code argus.images.review}, failures to
 * {@code argus.images.dlq} with the original bytes and the reason.
 */
@ApplicationScoped
public class ResultRouter {

    public static final String DLQ_STAGE_PREFIX = "inference-";

    private final TopicNames topics;
    private final ReviewPolicy review;

    @Inject
    public ResultRouter(TopicsConfig topics, ReviewPolicy review) {
        this(topics.names(), review);
    }

    /** Outside a service (tests): the topic names as they are. */
    public ResultRouter(TopicNames topics, ReviewPolicy review) {
        this.topics = topics;
        this.review = review;
    }

    /**
     * The outputs of an outcome, the review reason among them and that of a result kept out of
     * review by a cap (for metrics once committed).
     */
    public record Routed(List<ProducerRecord<String, byte[]>> records, List<String> reviewReasons,
                         List<String> cappedReasons) {
    }

    /** The outputs of one outcome. */
    public Routed route(Outcome outcome) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(2);
        List<String> reviews = new ArrayList<>(1);
        List<String> capped = new ArrayList<>(1);
        if (outcome instanceof Outcome.Classified c) {
            Classification result = c.result();
            out.add(new ProducerRecord<>(topics.classified(), result.imageId(), Json.write(result)));
            review.reason(result).ifPresent(r -> {
                if (!r.routed()) {
                    capped.add(r.code());
                    return;
                }
                reviews.add(r.code());
                out.add(new ProducerRecord<>(topics.review(), result.imageId(),
                        Json.write(result.forReview(r.message()))));
            });
        } else if (outcome instanceof Outcome.Failed f) {
            out.add(DeadLetter.of(topics.dlq(), f.key(), f.source(), DLQ_STAGE_PREFIX + f.stage(), f.code(),
                    f.message()));
        }
        return new Routed(out, reviews, capped);
    }
}
