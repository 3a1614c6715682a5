package io.argus.inference.batching;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;

import io.micrometer.core.instrument.Timer;

/**
 * Runs commits on a thread of their own, one at a time and in consumption order, while the
 * classification thread goes on with the next batches. A Kafka transaction is several round trips
 * to the broker (the outputs, the offsets, the commit: 10-30 ms on a busy machine); on the
 * classification thread they held the stream up once per commit, and at a rate that could not
 * afford a commit per batch the commit interval piled up latency. Exactly-once is unchanged: each
 * commit is still one transaction with its records' outputs and offsets, and the next starts only
 * once the one before is done, so commits follow each other on every partition.
 *
 * <p>{@code inline}: commits run on the caller's thread, as at least once needs (its consumer commits
 * the offsets, and only the thread that polls may use it).
 *
 * <p>Used by the classification thread only; the commit thread touches nothing but the committer.
 */
final class CommitPipeline implements AutoCloseable {

    private final IsolatingCommitter committer;
    private final Timer took;
    private final ExecutorService thread;
    private Future<IsolatingCommitter.Result> inFlight;

    /** @param took records how long each commit took, failed ones included */
    CommitPipeline(IsolatingCommitter committer, boolean inline, Timer took) {
        this.committer = committer;
        this.took = took;
        this.thread = inline ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "argus-commit");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether a commit has started and not yet been collected. */
    boolean inFlight() {
        return inFlight != null;
    }

    /** Whether commits run on the caller's thread. */
    boolean inline() {
        return thread == null;
    }

    /** Whether a commit is still running. */
    boolean busy() {
        return inFlight != null && !inFlight.isDone();
    }

    /**
     * Starts committing {@code pending} (a list no one changes any more). Only with no commit in
     * flight: collect the one before first ({@link #await()}), so that its failure can rewind what
     * came after it.
     */
    void start(List<Pending> pending, ConsumerGroupMetadata group) {
        if (inFlight != null) {
            throw new IllegalStateException("a commit is still in flight");
        }
        if (thread == null) {
            FutureTask<IsolatingCommitter.Result> now = new FutureTask<>(() -> timed(pending, group));
            now.run();
            inFlight = now;
        } else {
            inFlight = thread.submit(() -> timed(pending, group));
        }
    }

    private IsolatingCommitter.Result timed(List<Pending> pending, ConsumerGroupMetadata group) {
        long start = System.nanoTime();
        try {
            return committer.commit(pending, group);
        } finally {
            took.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The commit in flight, if it has finished; it is then collected. */
    Optional<IsolatingCommitter.Result> finished() {
        if (inFlight == null || !inFlight.isDone()) {
            return Optional.empty();
        }
        return await();
    }

    /** Waits for the commit in flight and collects it; empty if none is. */
    Optional<IsolatingCommitter.Result> await() {
        if (inFlight == null) {
            return Optional.empty();
        }
        Future<IsolatingCommitter.Result> f = inFlight;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return Optional.of(f.get());
                } catch (InterruptedException e) {
                    // The commit runs on regardless: its outcome must be known before anything else is committed.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            // IsolatingCommitter turns Kafka's failures into results; anything else is a bug, and the
            // loop restarts from the committed offsets.
            throw new IllegalStateException("commit failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            inFlight = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        try {
            await();
        } finally {
            if (thread != null) {
                thread.shutdown();
            }
            committer.close();
        }
    }
}
