package io.argus.trainer.registry;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.argus.common.error.ArgusException;

/**
 * Whether state the trainer rebuilds from a whole topic at start (the model history, the label
 * index) holds everything the topic had then. Before, the state is empty only because it has not
 * been read, and an answer from it would say there is nothing; so requests that need it wait a
 * moment, then are refused for the client to retry, and readiness is down. Each state refuses with
 * a code of its own, so clients and logs say which one is not read yet.
 */
public final class CaughtUpGuard {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final CountDownLatch reached = new CountDownLatch(1);
    private final Duration wait;
    private final String code;
    private final String notYet;

    /**
     * @param wait   how long a request waits for it before it is refused ({@code argus.trainer.history-wait})
     * @param code   the refusal's code, e.g. {@code MODEL_HISTORY_NOT_READ}
     * @param notYet what is still being read and what is not known until then, for people
     */
    public CaughtUpGuard(Duration wait, String code, String notYet) {
        this.wait = wait;
        this.code = code;
        this.notYet = notYet;
    }

    /** Everything the topic had at start is read. */
    public void reached() {
        reached.countDown();
    }

    public boolean isReached() {
        return reached.getCount() == 0;
    }

    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return reached.await(timeout, unit);
    }

    /** Waits up to the configured wait for the state to be read, then refuses with 503 and Retry-After. */
    public void require() {
        try {
            if (!await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw ArgusException.unavailable(code, notYet + ", retry shortly", RETRY_AFTER, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ArgusException.unavailable("INTERRUPTED", "the service is stopping; retry", RETRY_AFTER, e);
        }
    }

    /** A readiness check named {@code check}: up once read, down with the reason before. */
    public HealthCheckResponse readiness(String check) {
        var builder = HealthCheckResponse.named(check);
        return isReached() ? builder.up().build() : builder.down().withData("reason", notYet).build();
    }
}
