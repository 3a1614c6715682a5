package io.argus.inference.batching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.argus.inference.outcome.Outcome;
import io.argus.inference.progress.CommitFailures;
import io.argus.inference.routing.ResultRouter;

/**
 * Commits pending records so that one record Kafka will not take cannot hold up the others. When
 * a commit fails for a reason that may lie in a record (not a broker away, a fenced producer or a
 * rebalance: see {@link BatchCommitter.NotCommitted#isolatable()}), the records are committed in
 * halves, in order, down to the one that fails alone. That one is dead-lettered with the reason
 * ({@code inference-commit}, {@code COMMIT_FAILED}). If even its dead letter fails, its own
 * outputs are tried once more: a failure that has ended by then (a broker hiccup that Kafka's
 * exceptions made look like a refused record) loses nothing. A failure that is not about the
 * records stops the commit: what is left is processed again, later.
 *
 * <p>A record is given up (only its offset committed, counted and logged as skipped) only when
 * Kafka said, for its outputs tried again and for its dead letter, that it is the record it cannot
 * take ({@link BatchCommitter.NotCommitted#recordAtFault()}: too large, a bad timestamp, not
 * serializable). Any other failure leaves it not committed, to be read and tried again: the
 * classification of failures is imperfect, and a failure it cannot explain is as likely Kafka's as
 * the record's. Skipping on such a failure would lose good images, all of them while it lasted;
 * waiting at worst stalls the partition, visibly (readiness names the partition and the cause)
 * and only until the cause is gone or an operator moves past the record. A record Kafka refuses for
 * what it holds does not stall: it is dead-lettered (a dead letter is cut to fit the DLQ), or
 * skipped if Kafka refuses that too for what it holds.
 *
 * <p>The halves keep consumption order, so each commit's offsets follow the previous one's on
 * every partition, and what is left over is always a suffix that can be re-read.
 */
final class IsolatingCommitter implements AutoCloseable {

    static final String STAGE = "commit";
    static final String CODE = "COMMIT_FAILED";

    private static final Logger LOG = Logger.getLogger(IsolatingCommitter.class);

    private final BatchCommitter committer;
    private final ResultRouter router;
    private final CommitFailures failures;

    IsolatingCommitter(BatchCommitter committer, ResultRouter router, CommitFailures failures) {
        this.committer = committer;
        this.router = router;
        this.failures = failures;
    }

    /**
     * What became of a commit.
     *
     * @param committed    committed with their outputs (a record isolated with its dead letter in place of them)
     * @param skipped      given up on: only their offsets were committed
     * @param notCommitted not committed; in consumption order, after everything committed or skipped
     */
    record Result(List<Pending> committed, List<Pending> skipped, List<Pending> notCommitted) {
    }

    Result commit(List<Pending> pending, ConsumerGroupMetadata group) {
        Result result = new Result(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        commit(pending, group, result);
        return result;
    }

    /** False once something could not be committed; then it and everything after it is in notCommitted. */
    private boolean commit(List<Pending> part, ConsumerGroupMetadata group, Result result) {
        try {
            committer.commit(outputs(part), offsets(part), group);
            result.committed().addAll(part);
            return true;
        } catch (BatchCommitter.NotCommitted e) {
            failures.failed(e.cause(), e.reason(), part.size());
            if (!e.isolatable()) {
                result.notCommitted().addAll(part);
                return false;
            }
            if (part.size() == 1) {
                return isolate(part.get(0), e, group, result);
            }
            int half = part.size() / 2;
            if (!commit(part.subList(0, half), group, result)) {
                result.notCommitted().addAll(part.subList(half, part.size()));
                return false;
            }
            return commit(part.subList(half, part.size()), group, result);
        }
    }

    /**
     * The record whose commit fails alone: its dead letter instead; else its outputs once more;
     * else, if Kafka blamed the record both times, its offset alone. Otherwise it waits.
     */
    private boolean isolate(Pending p, BatchCommitter.NotCommitted why, ConsumerGroupMetadata group,
                            Result result) {
        Outcome.Failed failed = new Outcome.Failed(p.source(), p.outcome().key(), STAGE, CODE,
                "its outputs could not be committed (" + why.cause() + "): " + why.reason());
        Pending dead = new Pending(p.batch(), failed, router.route(failed));
        BatchCommitter.NotCommitted deadFailed = tryCommit(dead, group);
        if (deadFailed == null) {
            LOG.warnf("Dead-lettered %s (image %s) with %s: its outputs could not be committed (%s)",
                    position(p), p.outcome().key(), CODE, why.cause());
            result.committed().add(dead);
            return true;
        }
        if (!deadFailed.isolatable()) {
            // Kafka itself is away or refuses us: its outputs would fail alike now. It waits with the rest.
            result.notCommitted().add(p);
            return false;
        }
        BatchCommitter.NotCommitted againFailed = tryCommit(p, group);
        if (againFailed == null) {
            LOG.infof("Committed %s (image %s) when tried again: its commit had failed with %s", position(p),
                    p.outcome().key(), why.cause());
            result.committed().add(p);
            return true;
        }
        if (!deadFailed.recordAtFault() || !againFailed.recordAtFault()) {
            // Kafka did not say the record is what it refuses: the failure may yet end. It waits with the rest.
            result.notCommitted().add(p);
            return false;
        }
        try {
            committer.commit(List.of(), offsets(List.of(p)), group);
            failures.skipped(position(p), p.outcome().key(), deadFailed.cause(), deadFailed.reason());
            result.skipped().add(p);
            return true;
        } catch (BatchCommitter.NotCommitted e) {
            // Not even an offset alone: the record is not what fails. It waits with the rest.
            failures.failed(e.cause(), e.reason(), 1);
            result.notCommitted().add(p);
            return false;
        }
    }

    /** Commits one record's outputs and offset; what failed, counted, or null once committed. */
    private BatchCommitter.NotCommitted tryCommit(Pending p, ConsumerGroupMetadata group) {
        try {
            committer.commit(p.outputs(), offsets(List.of(p)), group);
            return null;
        } catch (BatchCommitter.NotCommitted e) {
            failures.failed(e.cause(), e.reason(), 1);
            return e;
        }
    }

    private static List<ProducerRecord<String, byte[]>> outputs(List<Pending> part) {
        List<ProducerRecord<String, byte[]>> all = new ArrayList<>();
        part.forEach(p -> all.addAll(p.outputs()));
        return all;
    }

    /** One past the last record of each partition: in consumption order, that is the last one seen. */
    private static Map<TopicPartition, OffsetAndMetadata> offsets(List<Pending> part) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Pending p : part) {
            offsets.merge(new TopicPartition(p.source().topic(), p.source().partition()),
                    new OffsetAndMetadata(p.source().offset() + 1), (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    private static String position(Pending p) {
        return p.source().topic() + "/" + p.source().partition() + "/" + p.source().offset();
    }

    @Override
    public void close() {
        committer.close();
    }
}
