package io.argus.trainer.labels;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.contract.Classification;
import io.argus.common.contract.Identifiers;
import io.argus.common.contract.LabeledSample;
import io.argus.common.contract.RawImage;
import io.argus.common.image.ImageDecoder;
import io.argus.common.image.ImageLimitsConfig;
import io.argus.common.model.StoredModel;
import io.argus.common.error.ArgusException;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.metrics.TrainerMetrics;
import io.argus.trainer.registry.ModelRegistry;

/**
 * Turns labeling requests into samples of the training set: finds the image (by the id Argus
 * gave it, or uploaded), checks the label and the image, writes the sample to argus.labels. A
 * batch is all or nothing.
 */
@ApplicationScoped
public class LabelService {

    /** A sample as the API reports it. */
    public record Labeled(String sampleId, String label, String labeler, Instant labeledAt, String sourceImageId,
                          int sizeBytes) {
    }

    /** One item of a label-by-id request. */
    public record ByImage(String imageId, String label) {
    }

    /** What the training set holds, and how much is new since the newest model. */
    public record Stats(int samples, Map<String, Integer> perClass, Integer lastModelVersion, Instant lastModelLabelsUpTo,
                        int newSinceLastModel, Map<String, Integer> newPerClass) {
    }

    private static final long LOCATE_WAIT_MS = 3000;

    private final ImageLocator locator;
    private final RawImageFetcher fetcher;
    private final LabelWriter writer;
    private final LabelIndex index;
    private final ImageDecoder decoder;
    private final ModelRegistry registry;
    private final String modelName;
    private final TrainerMetrics metrics;
    private final LabelRateLimiter rateLimiter;
    private final Optional<java.util.Set<String>> vocabulary;

    public LabelService(ImageLocator locator, RawImageFetcher fetcher, LabelWriter writer, LabelIndex index,
                        ImageLimitsConfig limits, ModelRegistry registry, TrainerConfig config, TrainerMetrics metrics) {
        this.metrics = metrics;
        this.locator = locator;
        this.fetcher = fetcher;
        this.writer = writer;
        this.index = index;
        this.decoder = new ImageDecoder(limits.limits());
        this.registry = registry;
        this.modelName = config.modelName();
        this.rateLimiter = new LabelRateLimiter(config.labels().maxPerMinute());
        this.vocabulary = config.labels().vocabulary().map(v -> java.util.Set.copyOf(v.stream()
                .map(LabelService::label).toList()));
    }

    /** Labels images Argus has seen, by their image ids. All are checked before any is written. */
    public List<Labeled> labelImages(List<ByImage> items, String labeler) {
        if (items == null || items.isEmpty()) {
            throw ArgusException.invalid("EMPTY", "no labels in the request");
        }
        String who = labeler(labeler);
        List<LabeledSample> samples = new ArrayList<>(items.size());
        for (ByImage item : items) {
            if (item == null || item.imageId() == null || item.imageId().isBlank()) {
                throw ArgusException.invalid("INVALID_REQUEST", "every label needs an imageId");
            }
            String label = allowed(label(item.label()));
            Classification.Source source = locate(item.imageId());
            RawImage image = fetcher.fetch(source);
            samples.add(new LabeledSample(item.imageId(), label, who, Instant.now(), item.imageId(),
                    image.bytes()));
        }
        rateLimiter.take(who, samples.size());
        return write(samples);
    }

    /** Adds an uploaded image with its label; {@code sampleId} may be null for a new one. */
    public Labeled upload(byte[] bytes, String label, String labeler, String sampleId) {
        String l = allowed(label(label));
        decoder.decode(bytes);
        String id = sampleId == null || sampleId.isBlank() ? "upload-" + Identifiers.newImageId()
                : Identifiers.require("sample id", sampleId.trim());
        String who = labeler(labeler);
        rateLimiter.take(who, 1);
        return write(List.of(new LabeledSample(id, l, who, Instant.now(), null, bytes))).get(0);
    }

    /** Removes a sample from the training set (a tombstone on argus.labels). */
    public void delete(String sampleId) {
        if (index.get(sampleId).isEmpty()) {
            throw ArgusException.notFound("UNKNOWN_SAMPLE", "there is no labeled sample " + sampleId);
        }
        writer.delete(sampleId);
        index.remove(sampleId);
    }

    public Stats stats() {
        Optional<StoredModel> last = registry.store().latest(modelName);
        Instant upTo = last.map(s -> s.manifest().provenance() == null ? null : s.manifest().provenance().labelsUpTo())
                .orElse(null);
        return new Stats(index.size(), index.perClass(null), last.map(s -> s.manifest().version()).orElse(null), upTo,
                index.countSince(upTo), index.perClass(upTo));
    }

    private List<Labeled> write(List<LabeledSample> samples) {
        writer.write(samples);
        List<Labeled> out = new ArrayList<>(samples.size());
        for (LabeledSample s : samples) {
            index.put(s.sampleId(), new LabelIndex.Entry(s.label(), s.labeler(), s.labeledAt(), s.sourceImageId()));
            metrics.labelReceived(s.label());
            out.add(new Labeled(s.sampleId(), s.label(), s.labeler(), s.labeledAt(), s.sourceImageId(), s.bytes().length));
        }
        return out;
    }

    private Classification.Source locate(String imageId) {
        try {
            return locator.find(imageId, LOCATE_WAIT_MS).orElseThrow(() -> ArgusException.notFound("UNKNOWN_IMAGE",
                    "no classified image " + imageId + " is known (only recently classified images can be labeled by"
                            + " id; upload older ones)"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ArgusException.unavailable("INTERRUPTED", "the service is stopping; retry", Duration.ofSeconds(5), e);
        }
    }

    private String allowed(String label) {
        if (vocabulary.isPresent() && !vocabulary.get().contains(label)) {
            throw ArgusException.invalid("LABEL_NOT_IN_VOCABULARY", "'" + label + "' is not one of the configured labels "
                    + new java.util.TreeSet<>(vocabulary.get()));
        }
        return label;
    }

    private static String label(String label) {
        return LabeledSample.normalizeLabel(label);
    }

    private static String labeler(String labeler) {
        return labeler == null || labeler.isBlank() ? "anonymous"
                : Identifiers.require("labeler", labeler.trim());
    }
}
