package io.argus.common.engine;

import java.util.Optional;

/** A classifier whose bundle carries out-of-distribution statistics: it offers their {@link OodScorer}. */
public final class OodClassifier extends ForwardingClassifier {

    private final OodScorer scorer;

    public OodClassifier(ImageClassifier inner, OodScorer scorer) {
        super(inner);
        this.scorer = scorer;
    }

    @Override
    public Optional<OodScorer> ood() {
        return Optional.of(scorer);
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            scorer.close();
        }
    }
}
