package io.argus.inference.batching;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.junit.jupiter.api.Test;

import io.argus.common.contract.Classification;
import io.argus.common.contract.DeadLetter;
import io.argus.common.topics.TopicNames;
import io.argus.common.topics.Topics;
import io.argus.inference.outcome.Outcome;
import io.argus.inference.outcome.RawBatch;
import io.argus.inference.progress.CommitFailures;
import io.argus.inference.routing.ResultRouter;
import io.argus.inference.routing.ReviewPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * How a commit is taken apart when Kafka refuses it, against a committer that refuses what it is
 * told to. What Kafka itself does is in CommitFailureTest (a real broker).
 */
class IsolatingCommitterTest {

    private final ConsumerGroupMetadata group = new ConsumerGroupMetadata("argus-inference");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ResultRouter router = new ResultRouter(TopicNames.DEFAULTS,
            new ReviewPolicy(new ReviewPolicy.Settings(0, 0, 0, 0, 0), java.time.Clock.systemUTC(), new Random(1)));

    /**
     * Refuses the commits whose outputs match, with {@code cause}, every time or only the first
     * {@code refusals} times (a failure that ends); keeps what it committed and what it refused.
     */
    private static final class Refusing implements BatchCommitter {
        private final Predicate<List<ProducerRecord<String, byte[]>>> refuses;
        private final RuntimeException cause;
        private int refusalsLeft;
        final List<List<ProducerRecord<String, byte[]>>> outputs = new ArrayList<>();
        final List<Map<TopicPartition, OffsetAndMetadata>> offsets = new ArrayList<>();
        final List<List<ProducerRecord<String, byte[]>>> refused = new ArrayList<>();
        int attempts;

        Refusing(Predicate<List<ProducerRecord<String, byte[]>>> refuses, RuntimeException cause) {
            this(refuses, cause, Integer.MAX_VALUE);
        }

        Refusing(Predicate<List<ProducerRecord<String, byte[]>>> refuses, RuntimeException cause, int refusals) {
            this.refuses = refuses;
            this.cause = cause;
            this.refusalsLeft = refusals;
        }

        @Override
        public void commit(List<ProducerRecord<String, byte[]>> out, Map<TopicPartition, OffsetAndMetadata> off,
                           ConsumerGroupMetadata group) {
            attempts++;
            if (refusalsLeft > 0 && refuses.test(out)) {
                refusalsLeft--;
                refused.add(List.copyOf(out));
                throw new NotCommitted("transaction aborted: " + cause, cause);
            }
            outputs.add(List.copyOf(out));
            offsets.add(Map.copyOf(off));
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aRecordWhoseResultIsRefusedIsDeadLetteredAndTheOthersAreCommittedInOrder() {
        List<Pending> pending = pending(16);
        Refusing kafka = new Refusing(out -> hasResultFor(out, "img-5"), new KafkaException("refused"));

        IsolatingCommitter.Result result = committer(kafka).commit(pending, group);

        assertThat(result.notCommitted()).isEmpty();
        assertThat(result.skipped()).isEmpty();
        assertThat(result.committed()).extracting(p -> p.outcome().key()).containsExactlyInAnyOrderElementsOf(
                pending.stream().map(p -> p.outcome().key()).toList());
        Pending dead = result.committed().stream().filter(p -> p.outcome().key().equals("img-5")).findFirst()
                .orElseThrow();
        assertThat(dead.outcome()).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) dead.outcome()).code()).isEqualTo("COMMIT_FAILED");
        ProducerRecord<String, byte[]> letter = dead.outputs().get(0);
        assertThat(letter.topic()).isEqualTo(Topics.DLQ);
        assertThat(header(letter, DeadLetter.STAGE)).isEqualTo("inference-commit");
        assertThat(header(letter, DeadLetter.MESSAGE)).contains("KafkaException: refused");
        assertThat(committedOffsets(kafka)).as("offsets only ever move forward").isSorted();
        assertThat(kafka.attempts).as("a bisection, not a commit per record").isLessThan(16);
    }

    @Test
    void aRecordWhoseResultAndDeadLetterKafkaRefusesForWhatTheyHoldIsSkippedWithOnlyItsOffsetCommittedAndCounted() {
        List<Pending> pending = pending(4);
        Refusing kafka = new Refusing(anythingOf("img-2"), new RecordTooLargeException("too large"));

        IsolatingCommitter.Result result = committer(kafka).commit(pending, group);

        assertThat(result.skipped()).extracting(p -> p.outcome().key()).containsExactly("img-2");
        assertThat(result.committed()).extracting(p -> p.outcome().key()).containsExactly("img-0", "img-1", "img-3");
        assertThat(result.notCommitted()).as("a poison record does not stall its partition").isEmpty();
        assertThat(kafka.refused).filteredOn(out -> hasResultFor(out, "img-2") && out.size() == 1)
                .as("its result alone, then once more after its dead letter").hasSize(2);
        assertThat(kafka.offsets).contains(Map.of(new TopicPartition(Topics.RAW, 0), new OffsetAndMetadata(103)));
        assertThat(meters.get("argus.inference.records.skipped").tag("cause", "RecordTooLargeException").counter()
                .count()).isEqualTo(1);
    }

    @Test
    void aFailureThatEndsAfterTheDeadLetterWasRefusedLosesNothingTheRecordsOwnResultIsCommitted() {
        List<Pending> pending = pending(4);
        // Transient, but not classified so: the batch, its half, img-2 alone and its dead letter are refused.
        Refusing kafka = new Refusing(anythingOf("img-2"),
                new TransactionAbortableException("transaction aborted by the coordinator"), 4);

        IsolatingCommitter.Result result = committer(kafka).commit(pending, group);

        assertThat(result.skipped()).isEmpty();
        assertThat(result.notCommitted()).isEmpty();
        assertThat(result.committed()).extracting(p -> p.outcome().key())
                .containsExactly("img-0", "img-1", "img-2", "img-3");
        assertThat(result.committed()).extracting(Pending::outcome).as("classified, not dead-lettered")
                .allMatch(o -> o instanceof Outcome.Classified);
        assertThat(kafka.outputs).anyMatch(out -> hasResultFor(out, "img-2"));
        assertThat(committedOffsets(kafka)).isSorted();
    }

    @Test
    void aRecordWhoseCommitsFailWithoutKafkaBlamingTheRecordIsNeverSkippedItWaitsWithTheRestInOrder() {
        List<Pending> pending = pending(4);
        Refusing kafka = new Refusing(anythingOf("img-2"), new KafkaException("refused, reason unknown"));

        IsolatingCommitter.Result result = committer(kafka).commit(pending, group);

        assertThat(result.committed()).extracting(p -> p.outcome().key()).containsExactly("img-0", "img-1");
        assertThat(result.skipped()).isEmpty();
        assertThat(result.notCommitted()).containsExactlyElementsOf(pending.subList(2, 4));
        assertThat(kafka.offsets).as("no offset committed past it").containsExactly(
                Map.of(new TopicPartition(Topics.RAW, 0), new OffsetAndMetadata(102)));
    }

    @Test
    void aFailureThatIsAboutKafkaNotTheRecordsIsNotTakenApartAndEverythingWaits() {
        List<Pending> pending = pending(8);
        Refusing kafka = new Refusing(out -> true, new TimeoutException("broker away"));

        IsolatingCommitter.Result result = committer(kafka).commit(pending, group);

        assertThat(result.notCommitted()).containsExactlyElementsOf(pending);
        assertThat(kafka.attempts).isEqualTo(1);
        assertThat(meters.get("argus.inference.commit.failures").tag("cause", "TimeoutException").counter().count())
                .isEqualTo(1);
    }

    @Test
    void whenNotEvenAnOffsetAloneCanBeCommittedNothingIsDroppedAndTheRestWaitsInOrder() {
        List<Pending> pending = pending(6);
        Refusing kafka = new Refusing(anythingOf("img-3").or(List::isEmpty), new RecordTooLargeException("refused"));

        IsolatingCommitter.Result result = committer(kafka).commit(pending, group);

        assertThat(result.committed()).extracting(p -> p.outcome().key()).containsExactly("img-0", "img-1", "img-2");
        assertThat(result.skipped()).isEmpty();
        assertThat(result.notCommitted()).containsExactlyElementsOf(pending.subList(3, 6));
    }

    private IsolatingCommitter committer(BatchCommitter kafka) {
        return new IsolatingCommitter(kafka, router, new CommitFailures(meters));
    }

    /** Records of partition 0 from offset 100, classified. */
    private List<Pending> pending(int n) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new ConsumerRecord<>(Topics.RAW, 0, 100 + i, "cam", new byte[] {1, 2, 3}));
        }
        RawBatch batch = new RawBatch(records);
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Classification c = Classification.builder().image("img-" + i, "cam", Instant.EPOCH)
                    .topK(List.of(new Classification.LabelScore("bright", 0.99))).model("argus", 1)
                    .source(new Classification.Source(Topics.RAW, 0, 100 + i))
                    .timings(new Classification.Timings(Instant.EPOCH, Instant.EPOCH, 1, 1, n)).build();
            Outcome o = new Outcome.Classified(records.get(i), c);
            pending.add(new Pending(batch, o, router.route(o)));
        }
        return pending;
    }

    /** Commits that hold any output of this image: its result or its dead letter. */
    private static Predicate<List<ProducerRecord<String, byte[]>>> anythingOf(String imageId) {
        return out -> out.stream().anyMatch(r -> imageId.equals(r.key()));
    }

    private static boolean hasResultFor(List<ProducerRecord<String, byte[]>> out, String imageId) {
        return out.stream().anyMatch(r -> imageId.equals(r.key()) && r.topic().equals(Topics.CLASSIFIED));
    }

    private static List<Long> committedOffsets(Refusing kafka) {
        return kafka.offsets.stream().map(m -> m.get(new TopicPartition(Topics.RAW, 0)).offset()).toList();
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
