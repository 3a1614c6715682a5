package io.argus.trainer.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.RawImage;
import io.argus.common.error.ArgusException;
import io.argus.trainer.labels.LabelIndex;
import io.argus.trainer.labels.Labelers;
import io.argus.trainer.labels.LabelService;
import io.argus.trainer.labels.RawImageFetcher;
import io.argus.trainer.registry.ModelHistory;

/**
 * Labels from the review desk: only images in the queue, each at most once (a second submit, from
 * a double click or a colleague, is refused saying who labeled it), and undone by removing the
 * sample again, which puts the image back in the queue.
 */
@ApplicationScoped
public class ReviewService {

    private final ReviewQueue queue;
    private final LabelService labels;
    private final LabelIndex index;
    private final ModelHistory history;
    private final RawImageFetcher fetcher;

    public ReviewService(ReviewQueue queue, LabelService labels, LabelIndex index, ModelHistory history,
                         RawImageFetcher fetcher) {
        this.queue = queue;
        this.labels = labels;
        this.index = index;
        this.history = history;
        this.fetcher = fetcher;
    }

    /** What the desk needs: the waiting images, counts, and the classes to offer. */
    public record Queue(List<ReviewQueue.Item> items, int waiting, int labeled, List<String> classes) {
    }

    public Queue queue(ReviewQueue.Order order, int limit) {
        history.requireCaughtUp();
        index.requireCaughtUp();
        Set<String> classes = new LinkedHashSet<>(history.champion().map(ModelEvent::labels).orElse(List.of()));
        classes.addAll(new TreeSet<>(index.perClass(e -> true).keySet()));
        return new Queue(queue.waiting(order, limit), queue.waitingCount(), index.size(), new ArrayList<>(classes));
    }

    /** A queued image as the sensor sent it, read back from the raw topic. */
    public RawImage image(String imageId) {
        ReviewQueue.Item item = queued(imageId);
        if (item.source() == null) {
            throw ArgusException.notFound("IMAGE_UNAVAILABLE", "the review record of " + imageId + " does not say where its"
                    + " image is");
        }
        return fetcher.fetch(item.source());
    }

    /** Labels a queued image; synchronized so two submits of one image cannot both pass the check. */
    public synchronized LabelService.Labeled label(String imageId, String label, boolean newClass,
                                                   Labelers.Labeler labeler) {
        if (label == null || label.isBlank()) {
            throw ArgusException.invalid("EMPTY_LABEL", "the class name is empty: press 1-9 for a class or type a name");
        }
        ReviewQueue.Item item = queued(imageId);
        index.requireCaughtUp();
        index.get(imageId).ifPresent(e -> {
            throw ArgusException.conflict("ALREADY_LABELED", "image " + imageId + " was already labeled '" + e.label()
                    + "' by " + e.labeler() + " at " + e.labeledAt() + "; undo that label to change it");
        });
        // The desk labels the very record it showed, whatever else shares its image id.
        LabelService.RawRef shown = item.source() == null ? null : new LabelService.RawRef(item.source().partition(),
                item.source().offset(), item.source().sha256());
        return labels.labelImages(List.of(new LabelService.ByImage(imageId, label, shown, newClass)), labeler).get(0);
    }

    /** Removes the label a queued image got, so it waits again. */
    public synchronized void undo(String imageId) {
        queued(imageId);
        index.requireCaughtUp();
        if (index.get(imageId).isEmpty()) {
            throw ArgusException.notFound("NOT_LABELED", "image " + imageId + " has no label to undo");
        }
        labels.delete(imageId);
    }

    public void skip(String imageId, boolean skip) {
        queued(imageId);
        if (skip) {
            queue.skip(imageId, Instant.now());
        } else {
            queue.unskip(imageId);
        }
    }

    private ReviewQueue.Item queued(String imageId) {
        return queue.get(imageId).orElseThrow(() -> ArgusException.notFound("NOT_IN_QUEUE", "image " + imageId
                + " is not in the review queue: it was never sent to review, or it has left the queue (it keeps the"
                + " newest " + queue.capacity() + " images)"));
    }
}
