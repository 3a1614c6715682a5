package io.argus.trainer.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.argus.common.contract.Classification;
import io.argus.common.kafka.KafkaClients;
import io.argus.common.topics.TopicsConfig;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.labels.LabelIndex;
import io.argus.trainer.registry.FollowedTopic;

/**
 * The review desk's queue: what inference sent to {@code argus.images.review}, minus what has
 * been labeled since. Rebuilt from the topic at start (labels are looked up in the label index,
 * so a restart does not bring labeled images back). Holds the newest {@code max-items}; older
 * ones leave the queue.
 */
@Singleton
public class ReviewQueue extends FollowedTopic {

    /** In which order the desk shows waiting images. */
    public enum Order {
        NEWEST, LEAST_CONFIDENT;

        public static Order parse(String s) {
            if (s == null || s.isBlank() || s.equalsIgnoreCase("newest")) {
                return NEWEST;
            }
            if (s.equalsIgnoreCase("least-confident")) {
                return LEAST_CONFIDENT;
            }
            throw new IllegalArgumentException("order must be newest or least-confident, not '" + s + "'");
        }
    }

    /**
     * An image waiting for a label.
     *
     * @param queuedAt  when inference sent it to review
     * @param reason    why, in words
     * @param source    where the image's bytes are on the raw topic
     * @param skippedAt when someone last skipped it (skipped images come after the others), or null
     */
    public record Item(String imageId, String sensorId, Instant capturedAt, Instant queuedAt, String guess,
                       double confidence, List<Classification.LabelScore> topK, String modelName, int modelVersion,
                       String reason, Classification.Source source, Instant skippedAt) {

        Item skipped(Instant at) {
            return new Item(imageId, sensorId, capturedAt, queuedAt, guess, confidence, topK, modelName, modelVersion,
                    reason, source, at);
        }
    }

    private final Map<String, Item> items;
    private final LabelIndex labels;
    private final int capacity;

    public ReviewQueue(KafkaClients kafka, TopicsConfig topics, TrainerConfig config, LabelIndex labels) {
        super(kafka, topics.review(), "argus-trainer-review-queue");
        this.capacity = config.review().maxItems();
        this.items = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Item> eldest) {
                return size() > capacity;
            }
        };
        this.labels = labels;
    }

    /** How many images the queue holds at most ({@code max-items}): older ones leave it. */
    public int capacity() {
        return capacity;
    }

    @Override
    public void record(ConsumerRecord<String, byte[]> r) {
        Classification.fromRecord(r).ifPresent(c -> {
            Item item = new Item(c.imageId(), c.sensorId(), c.capturedAt(), Instant.ofEpochMilli(r.timestamp()),
                    c.label(), c.confidence(), c.topK(), c.modelName(), c.modelVersion(), c.reviewReason(), c.source(), null);
            synchronized (items) {
                items.remove(r.key()); // re-inserted: a newer review of the same image counts as newest
                items.put(r.key(), item);
            }
        });
    }

    /** The image, if it is in the queue (labeled or not). */
    public Optional<Item> get(String imageId) {
        synchronized (items) {
            return Optional.ofNullable(items.get(imageId));
        }
    }

    /** Up to {@code limit} waiting images: unskipped ones in {@code order}, then skipped ones, least recently skipped first. */
    public List<Item> waiting(Order order, int limit) {
        List<Item> open = snapshot(this::unlabeled);
        Comparator<Item> byOrder = order == Order.NEWEST
                ? Comparator.comparing(Item::queuedAt).reversed()
                : Comparator.comparingDouble(Item::confidence);
        Comparator<Item> skippedLast = Comparator.comparing((Item i) -> i.skippedAt() != null)
                .thenComparing(i -> i.skippedAt() == null ? Instant.EPOCH : i.skippedAt());
        return open.stream().sorted(skippedLast.thenComparing(byOrder)).limit(limit).toList();
    }

    /** How many images wait for a label. */
    public int waitingCount() {
        return snapshot(this::unlabeled).size();
    }

    public boolean skip(String imageId, Instant at) {
        synchronized (items) {
            return items.computeIfPresent(imageId, (k, i) -> i.skipped(at)) != null;
        }
    }

    public boolean unskip(String imageId) {
        synchronized (items) {
            return items.computeIfPresent(imageId, (k, i) -> i.skipped(null)) != null;
        }
    }

    private boolean unlabeled(Item i) {
        return labels.get(i.imageId()).isEmpty();
    }

    private List<Item> snapshot(Predicate<Item> filter) {
        synchronized (items) {
            return new ArrayList<>(items.values()).stream().filter(filter).toList();
        }
    }
}
