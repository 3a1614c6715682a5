package io.argus.inference.progress;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the stream moves: a replica whose partitions have had images waiting without a
 * commit for longer than {@code argus.inference.stall-timeout} is not, whatever else is up, and
 * says which partition, how many images wait, for how long, and the last commit failure.
 */
@Readiness
@ApplicationScoped
public class StreamProgressCheck implements HealthCheck {

    private final ProgressMonitor monitor;
    private final CommitFailures failures;

    public StreamProgressCheck(ProgressMonitor monitor, CommitFailures failures) {
        this.monitor = monitor;
        this.failures = failures;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("stream")
                .withData("stallTimeout", monitor.stallTimeout().toString());
        Optional<PartitionProgress.Stall> stall = monitor.stall();
        if (stall.isEmpty()) {
            return builder.up().build();
        }
        PartitionProgress.Stall s = stall.get();
        builder.down().withData("reason", s.partition() + " has " + s.waiting() + " images waiting and no offsets "
                + "were committed for " + s.without().toSeconds() + " s (stall-timeout " + monitor.stallTimeout()
                .toSeconds() + " s)");
        failures.last().ifPresent(f -> builder.withData("lastCommitFailure", f.cause() + ": " + f.reason())
                .withData("lastCommitFailureAt", f.at().toString()));
        return builder.build();
    }
}
