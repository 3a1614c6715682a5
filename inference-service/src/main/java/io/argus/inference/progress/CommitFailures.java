package io.argus.inference.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.argus.common.metrics.BoundedTagValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Commits that Kafka refused, said once. Every failed commit counts in
 * {@code argus_inference_commit_failures_total{cause}}; the log names a cause (the innermost
 * exception's class and message) when it first fails, then at most once a minute while it goes
 * on, with how many failed meanwhile, and says when commits go through again after that. Records
 * given up on count in {@code argus_inference_records_skipped_total{cause}} and are logged each:
 * their outputs went nowhere.
 */
@ApplicationScoped
public class CommitFailures {

    private static final Logger LOG = Logger.getLogger(CommitFailures.class);
    static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private final MeterRegistry meters;
    private final LongSupplier clock;
    /** Exception class names are few, but a tag value is never left unbounded. */
    private final BoundedTagValues causes = new BoundedTagValues(20);
    private final Map<String, Said> said = new HashMap<>();
    private boolean waited;
    private volatile Failure last;

    /** A commit failure: when, why (the innermost exception's class) and what Kafka said. */
    public record Failure(Instant at, String cause, String reason) {
    }

    /** When a cause was last logged and how many of its failures went unlogged since. */
    private static final class Said {
        long at;
        int unsaid;
    }

    @Inject
    public CommitFailures(MeterRegistry meters) {
        this(meters, System::nanoTime);
    }

    CommitFailures(MeterRegistry meters, LongSupplier clock) {
        this.meters = meters;
        this.clock = clock;
    }

    /** A commit of {@code records} raw records failed with {@code cause}, as {@code reason} says. */
    public void failed(String cause, String reason, int records) {
        Counter.builder("argus.inference.commit.failures")
                .description("Commits of outputs and offsets that Kafka refused, by cause (the innermost exception)")
                .tag("cause", causes.of(cause)).register(meters).increment();
        last = new Failure(Instant.now(), cause, reason);
        logLine(cause, reason, records).ifPresent(LOG::warn);
    }

    /** What to log for this failure, if anything: the first of its cause, then one a minute. */
    synchronized Optional<String> logLine(String cause, String reason, int records) {
        long now = clock.getAsLong();
        Said s = said.get(cause);
        if (s == null) {
            s = new Said();
            s.at = now;
            said.put(cause, s);
            return Optional.of("A commit of " + images(records) + " failed (" + cause + "): " + reason
                    + ". Further failures with this cause are logged once a minute; see "
                    + "argus_inference_commit_failures_total");
        }
        if (now - s.at < LOG_EVERY.toNanos()) {
            s.unsaid++;
            return Optional.empty();
        }
        String line = "Commits still fail (" + cause + "): " + (s.unsaid + 1) + " failed in the last "
                + Duration.ofNanos(now - s.at).toSeconds() + " s; the last with " + images(records) + ": " + reason;
        s.at = now;
        s.unsaid = 0;
        return Optional.of(line);
    }

    /** Some images were not committed and wait to be processed again. */
    public synchronized void retrying() {
        waited = true;
    }

    /** Everything pending was committed: a cause that comes back is news again. */
    public void committed() {
        last = null;
        String recovered = recovered();
        if (recovered != null) {
            LOG.info(recovered);
        }
    }

    /** What to log once everything pending is committed: that commits go through again, if images had to wait. */
    synchronized String recovered() {
        String line = waited ? "Commits go through again (after " + String.join(", ", said.keySet()) + ")" : null;
        said.clear();
        waited = false;
        return line;
    }

    /** A record given up on: neither its outputs nor its dead letter could be committed, only its offset. */
    public void skipped(String position, String imageId, String cause, String reason) {
        Counter.builder("argus.inference.records.skipped")
                .description("Raw records given up on: neither their outputs nor their dead letter could be committed")
                .tag("cause", causes.of(cause)).register(meters).increment();
        LOG.errorf("Skipped %s (image %s): neither its outputs nor its dead letter could be committed (%s: %s); "
                + "only its offset was, so the stream goes on without it", position, imageId, cause, reason);
    }

    private static String images(int n) {
        return n == 1 ? "1 image" : n + " images";
    }

    /** The last commit failure since everything pending was last committed. */
    public Optional<Failure> last() {
        return Optional.ofNullable(last);
    }
}
