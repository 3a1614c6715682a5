package io.argus.trainer.labels;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.RecordMetadata;

import io.argus.common.contract.Classification;
import io.argus.common.contract.Identifiers;
import io.argus.common.contract.LabeledSample;
import io.argus.common.contract.ModelEvent;
import io.argus.common.contract.RawImage;
import io.argus.common.error.ArgusException;
import io.argus.common.image.ImageDecoder;
import io.argus.common.image.ImageLimitsConfig;
import io.argus.common.model.Sha256;
import io.argus.common.model.StoredModel;
import io.argus.trainer.TrainerConfig;
import io.argus.trainer.metrics.TrainerMetrics;
import io.argus.trainer.registry.ModelHistory;
import io.argus.trainer.registry.ModelRegistry;

/**
 * Turns labeling requests into samples of the training set: finds the exact raw record that was
 * classified (by the id Argus gave it, and, when an id names several records, by the record the
 * request names), checks the label and the image, and writes the sample, with the image's sensor,
 * capture time and record, to argus.labels. A batch is all or nothing. The answer comes once the
 * label index has read the samples back from the topic, the one way labels come in.
 */
@ApplicationScoped
public class LabelService {

    /** A sample as the API reports it. */
    public record Labeled(String sampleId, String label, String labeler, Instant labeledAt, String sourceImageId,
                          String sensorId, LabeledSample.RawRecord raw, int sizeBytes) {
    }

    /**
     * One item of a label-by-id request.
     *
     * @param raw      the exact raw record (partition, offset, sha256) that was shown; needed when the
     *                 image id names more than one record, checked whenever it is given
     * @param newClass true when the label is meant as a new class although it looks like an existing one
     */
    public record ByImage(String imageId, String label, RawRef raw, Boolean newClass) {

        public ByImage(String imageId, String label) {
            this(imageId, label, null, null);
        }
    }

    /** A raw record as clients name it. */
    public record RawRef(Integer partition, Long offset, String sha256) {
    }

    /** An uploaded image's label and where it came from, all but the bytes and label optional. */
    public record Upload(byte[] bytes, String label, String sampleId, String sensorId, Instant capturedAt,
                         boolean newClass) {
    }

    /**
     * What the training set holds, and how much of it is new since the champion was trained.
     *
     * @param perSource         {@code person} and the base data ({@code dataset:...})
     * @param lastModelVersion  the newest stored version, whatever its status
     * @param lastModelLabelsUpTo the champion's newest label
     * @param newSinceLastModel labels people gave after the champion's newest label: what starts runs
     */
    public record Stats(int samples, Map<String, Integer> perClass, Map<String, Integer> perSensor,
                        Map<String, Integer> perSource, Integer lastModelVersion, Instant lastModelLabelsUpTo,
                        int newSinceLastModel, Map<String, Integer> newPerClass, Map<String, Integer> newPerSensor) {
    }

    /**
     * Paths of the label API beside {@code /api/labels/{sampleId}}: a sample of such an id could be
     * stored but never read or deleted, so none is given one.
     */
    static final Set<String> RESERVED_SAMPLE_IDS = Set.of("stats", "batch");
    private static final long LOCATE_WAIT_MS = 3000;
    private static final long READ_BACK_MS = 10_000;

    private final ImageLocator locator;
    private final RawImageFetcher fetcher;
    private final LabelWriter writer;
    private final LabelIndex index;
    private final ImageDecoder decoder;
    private final ModelRegistry registry;
    private final ModelHistory history;
    private final TrainerMetrics metrics;
    private final LabelRateLimiter rateLimiter;
    private final Optional<Set<String>> vocabulary;

    public LabelService(ImageLocator locator, RawImageFetcher fetcher, LabelWriter writer, LabelIndex index,
                        ImageLimitsConfig limits, ModelRegistry registry, ModelHistory history, TrainerConfig config,
                        TrainerMetrics metrics) {
        this.metrics = metrics;
        this.locator = locator;
        this.fetcher = fetcher;
        this.writer = writer;
        this.index = index;
        this.decoder = new ImageDecoder(limits.limits());
        this.registry = registry;
        this.history = history;
        this.rateLimiter = new LabelRateLimiter(config.labels().maxPerMinute(), config.labels().maxPerMinutePerKey());
        this.vocabulary = config.labels().vocabulary().map(v -> Set.copyOf(v.stream()
                .map(LabeledSample::normalizeLabel).toList()));
    }

    /** Labels images Argus has seen, by their image ids. All are checked before any is written. */
    public List<Labeled> labelImages(List<ByImage> items, Labelers.Labeler labeler) {
        if (items == null || items.isEmpty()) {
            throw ArgusException.invalid("EMPTY", "no labels in the request");
        }
        List<LabeledSample> samples = new ArrayList<>(items.size());
        Set<String> ids = new LinkedHashSet<>();
        for (ByImage item : items) {
            if (item == null || item.imageId() == null || item.imageId().isBlank()) {
                throw ArgusException.invalid("INVALID_REQUEST", "every label needs an imageId");
            }
            if (RESERVED_SAMPLE_IDS.contains(item.imageId())) {
                throw ArgusException.invalid("RESERVED_SAMPLE_ID", "image '" + item.imageId() + "' cannot be labeled by "
                        + "its id: the sample would be named after /api/labels/" + item.imageId() + "; upload it "
                        + "with a sampleId of its own");
            }
            if (!ids.add(item.imageId())) {
                throw ArgusException.invalid("DUPLICATE_IMAGE", "image " + item.imageId() + " is labeled twice in one "
                        + "request");
            }
            String label = allowed(LabeledSample.normalizeLabel(item.label()), Boolean.TRUE.equals(item.newClass()));
            Classification.Source source = locate(item.imageId(), item.raw());
            RawImage image = fetcher.fetch(source);
            String sha = Sha256.of(image.bytes());
            if (source.sha256() != null && !source.sha256().equals(sha)) {
                throw ArgusException.conflict("IMAGE_CHANGED", "the raw record " + position(source)
                        + " no longer holds the image that was classified");
            }
            if (item.raw() != null && item.raw().sha256() != null && !item.raw().sha256().equals(sha)) {
                throw ArgusException.conflict("IMAGE_MISMATCH", "the raw record " + position(source) + " of image "
                        + item.imageId() + " does not hold the image the request names (sha256 " + item.raw().sha256()
                        + ")");
            }
            samples.add(new LabeledSample(item.imageId(), label, labeler.name(), Instant.now(), LabeledSample.PERSON,
                    new LabeledSample.Origin(item.imageId(), image.sensorId(), image.capturedAt(),
                            new LabeledSample.RawRecord(source.topic(), source.partition(), source.offset(), sha)),
                    image.bytes()));
        }
        rateLimiter.take(labeler, samples.size());
        return write(samples);
    }

    /** Adds an uploaded image with its label; without a sample id it gets a new one. */
    public Labeled upload(Upload upload, Labelers.Labeler labeler) {
        String label = allowed(LabeledSample.normalizeLabel(upload.label()), upload.newClass());
        decoder.decode(upload.bytes());
        String id = upload.sampleId() == null || upload.sampleId().isBlank()
                ? "upload-" + Identifiers.newImageId() : Identifiers.require("sample id", upload.sampleId().trim());
        if (RESERVED_SAMPLE_IDS.contains(id)) {
            throw ArgusException.invalid("RESERVED_SAMPLE_ID", "sample id '" + id + "' names /api/labels/" + id
                    + "; give the sample another id");
        }
        String sensor = upload.sensorId() == null || upload.sensorId().isBlank() ? null
                : Identifiers.require("sensor id", upload.sensorId().trim());
        rateLimiter.take(labeler, 1);
        return write(List.of(new LabeledSample(id, label, labeler.name(), Instant.now(), LabeledSample.PERSON,
                new LabeledSample.Origin(null, sensor, upload.capturedAt(), null), upload.bytes()))).get(0);
    }

    /** A sample of the training set, as the label index holds it. */
    public LabelIndex.Entry sample(String sampleId) {
        index.requireCaughtUp();
        return index.get(sampleId).orElseThrow(() -> ArgusException.notFound("UNKNOWN_SAMPLE",
                "there is no labeled sample " + sampleId));
    }

    /** Removes a sample from the training set (a tombstone on argus.labels). */
    public void delete(String sampleId) {
        sample(sampleId);
        awaitRead(writer.delete(sampleId));
    }

    public Stats stats() {
        history.requireCaughtUp();
        index.requireCaughtUp();
        Optional<StoredModel> last = registry.latest();
        Instant upTo = registry.storedChampion()
                .map(s -> s.manifest().provenance() == null ? null : s.manifest().provenance().labelsUpTo())
                .orElse(null);
        return new Stats(index.size(), index.perClass(e -> true), index.perSensor(e -> true),
                index.perSource(e -> true), last.map(s -> s.manifest().version()).orElse(null), upTo,
                index.count(LabelIndex.newSince(upTo)), index.perClass(LabelIndex.newSince(upTo)),
                index.perSensor(LabelIndex.newSince(upTo)));
    }

    private List<Labeled> write(List<LabeledSample> samples) {
        awaitRead(writer.write(samples));
        List<Labeled> out = new ArrayList<>(samples.size());
        for (LabeledSample s : samples) {
            metrics.labelReceived(s.label());
            out.add(new Labeled(s.sampleId(), s.label(), s.labeler(), s.labeledAt(), s.origin().imageId(),
                    s.origin().sensorId(), s.origin().raw(), s.bytes().length));
        }
        return out;
    }

    /** Waits until the label index has read what was written, so the answer and the index agree. */
    private void awaitRead(List<RecordMetadata> written) {
        try {
            if (!index.awaitRead(written, READ_BACK_MS)) {
                throw ArgusException.unavailable("KAFKA_UNAVAILABLE", "the label is stored but not yet read back "
                        + "from argus.labels; it will count shortly", Duration.ofSeconds(5), null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ArgusException.unavailable("INTERRUPTED", "the service is stopping; retry", Duration.ofSeconds(5), e);
        }
    }

    /** The raw record an image id names: the one the request names, or the only one there is. */
    private Classification.Source locate(String imageId, RawRef raw) {
        List<Classification.Source> found;
        try {
            found = locator.find(imageId, LOCATE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ArgusException.unavailable("INTERRUPTED", "the service is stopping; retry", Duration.ofSeconds(5), e);
        }
        if (found.isEmpty()) {
            throw ArgusException.notFound("UNKNOWN_IMAGE", "no classified image " + imageId + " is known (only "
                    + "recently classified images can be labeled by id; upload older ones)");
        }
        if (raw != null && raw.partition() != null && raw.offset() != null) {
            return found.stream().filter(s -> s.partition() == raw.partition() && s.offset() == raw.offset())
                    .findFirst().orElseThrow(() -> ArgusException.conflict("NOT_THAT_IMAGE", "image " + imageId
                            + " was not classified from the raw record " + raw.partition() + "/" + raw.offset()
                            + "; it was from " + positions(found)));
        }
        if (found.size() > 1) {
            throw ArgusException.conflict("AMBIGUOUS_IMAGE_ID", "image id " + imageId + " names " + found.size()
                    + " different raw records (" + positions(found) + "): say which one with "
                    + "\"raw\": {\"partition\": ..., \"offset\": ..., \"sha256\": ...}");
        }
        return found.get(0);
    }

    /**
     * The label as it will be stored: one of the configured vocabulary, and not a near copy of a class
     * that exists (the same but for case, spacing or invisible characters) unless the request says it
     * is meant as a new class.
     */
    private String allowed(String label, boolean newClass) {
        if (vocabulary.isPresent() && !vocabulary.get().contains(label)) {
            throw ArgusException.invalid("LABEL_NOT_IN_VOCABULARY", "'" + label + "' is not one of the configured "
                    + "labels " + new TreeSet<>(vocabulary.get()));
        }
        if (newClass) {
            return label;
        }
        String key = LabeledSample.lookAlikeKey(label);
        for (String existing : classes()) {
            if (!existing.equals(label) && LabeledSample.lookAlikeKey(existing).equals(key)) {
                throw ArgusException.conflict("LOOKS_LIKE_A_CLASS", "'" + label + "' differs from the class '" + existing
                        + "' only by case, spacing or punctuation: use '" + existing + "', or send \"newClass\": true "
                        + "if it is a different class");
            }
        }
        return label;
    }

    /** The champion's classes and those labeled since, known once the history and the index are read. */
    private Set<String> classes() {
        history.requireCaughtUp();
        index.requireCaughtUp();
        Set<String> classes = new LinkedHashSet<>(history.champion().map(ModelEvent::labels).orElse(List.of()));
        classes.addAll(index.perClass(e -> true).keySet());
        return classes;
    }

    private static String positions(List<Classification.Source> sources) {
        return String.join(", ", sources.stream().map(LabelService::position).toList());
    }

    private static String position(Classification.Source s) {
        return s.topic() + "/" + s.partition() + "/" + s.offset();
    }
}
