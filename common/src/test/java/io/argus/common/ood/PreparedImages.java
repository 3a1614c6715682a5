package io.argus.common.ood;

import java.util.ArrayList;
import java.util.List;

import io.argus.common.dataset.LabeledImages;
import io.argus.common.image.ImageLimits;
import io.argus.common.image.ImagePreprocessor;
import io.argus.common.image.InputSpec;

/**
 * Images as the out-of-distribution tests' 28x28 grey models take them: decoded and preprocessed as
 * served images are, one image's floats after another's. Fashion-MNIST images for fitting and for
 * ordinary inputs, generated {@link OtherDomainImages} for the inputs to flag.
 */
final class PreparedImages {

    static final InputSpec SPEC = InputSpec.grey(28, 28);

    private PreparedImages() {
    }

    /** Images {@code from} to {@code to} (exclusive) of a split. */
    static float[] of(LabeledImages images, int from, int to) {
        ImagePreprocessor prep = preprocessor();
        float[] out = new float[(to - from) * SPEC.size()];
        for (int i = from; i < to; i++) {
            prep.prepare(images.image(i), out, (i - from) * SPEC.size());
        }
        return out;
    }

    /** {@code perKind} generated images of each kind (56 pixels square, seed 1), kind after kind. */
    static float[] otherDomain(List<OtherDomainImages.Kind> kinds, int perKind) {
        ImagePreprocessor prep = preprocessor();
        List<byte[]> files = new ArrayList<>();
        for (OtherDomainImages.Kind kind : kinds) {
            files.addAll(OtherDomainImages.generate(kind, perKind, 56, 1));
        }
        float[] out = new float[files.size() * SPEC.size()];
        for (int i = 0; i < files.size(); i++) {
            prep.prepare(files.get(i), out, i * SPEC.size());
        }
        return out;
    }

    private static ImagePreprocessor preprocessor() {
        return new ImagePreprocessor(SPEC, ImageLimits.DEFAULT);
    }
}
