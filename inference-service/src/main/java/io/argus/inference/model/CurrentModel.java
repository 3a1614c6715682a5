package io.argus.inference.model;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.argus.common.engine.ImageClassifier;
import io.argus.common.model.ModelId;

/**
 * The model inference serves right now. A swap replaces it atomically; work that already leased
 * the old one finishes with it, so a swap lands between batches and every result names the
 * version that really produced it.
 */
@ApplicationScoped
public class CurrentModel {

    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private final Object firstLoad = new Object();

    /** A model leased for one batch or request; close it when done. */
    public static final class Lease implements AutoCloseable {
        private final LoadedModel model;

        private Lease(LoadedModel model) {
            this.model = model;
        }

        public ImageClassifier classifier() {
            return model.classifier();
        }

        @Override
        public void close() {
            model.release();
        }
    }

    /** Leases the current model, or empty if none is loaded yet. */
    public Optional<Lease> lease() {
        while (true) {
            LoadedModel m = current.get();
            if (m == null) {
                return Optional.empty();
            }
            if (m.acquire()) {
                return Optional.of(new Lease(m));
            }
            // Lost a race with a swap that just retired m; the new one is in place, try again.
        }
    }

    /** Makes {@code next} current; the previous model is closed once its last lease ends. */
    public void swap(ImageClassifier next) {
        LoadedModel old = current.getAndSet(new LoadedModel(next));
        if (old != null) {
            old.release();
        }
        synchronized (firstLoad) {
            firstLoad.notifyAll();
        }
    }

    public Optional<ModelId> id() {
        LoadedModel m = current.get();
        return m == null ? Optional.empty() : Optional.of(m.classifier().id());
    }

    /** Where the current model runs (see {@link ImageClassifier#engine()}). */
    public Optional<String> engine() {
        LoadedModel m = current.get();
        return m == null ? Optional.empty() : Optional.of(m.classifier().engine());
    }

    /**
     * Whether the current model scores images for being unlike its training data: {@code on
     * (threshold X)}, or {@code off} with why (its bundle has no OOD statistics).
     */
    public Optional<String> ood() {
        LoadedModel m = current.get();
        return m == null ? Optional.empty() : Optional.of(m.classifier().ood()
                .map(s -> String.format(Locale.ROOT, "on (threshold %.2f)", s.threshold()))
                .orElse("off: the model's bundle has no out-of-distribution statistics"));
    }

    /** Waits until some model is loaded; false if {@code timeoutMs} passed first. */
    public boolean awaitLoaded(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (firstLoad) {
            while (current.get() == null) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                firstLoad.wait(left);
            }
        }
        return true;
    }

    /** Closes the model on shutdown. */
    public void clear() {
        LoadedModel old = current.getAndSet(null);
        if (old != null) {
            old.release();
        }
    }
}
