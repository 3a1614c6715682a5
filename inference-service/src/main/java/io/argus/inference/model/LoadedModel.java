package io.argus.inference.model;

import java.util.concurrent.atomic.AtomicInteger;

import io.argus.common.engine.ImageClassifier;

/**
 * A classifier in service, counted by its users: a model swapped out is closed only when the
 * last batch or request that leased it is done, never under their feet.
 */
final class LoadedModel {

    private final ImageClassifier classifier;
    /** 1 for being current, plus one per lease. */
    private final AtomicInteger users = new AtomicInteger(1);

    LoadedModel(ImageClassifier classifier) {
        this.classifier = classifier;
    }

    ImageClassifier classifier() {
        return classifier;
    }

    boolean acquire() {
        while (true) {
            int n = users.get();
            if (n == 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (users.decrementAndGet() == 0) {
            classifier.close();
        }
    }
}
