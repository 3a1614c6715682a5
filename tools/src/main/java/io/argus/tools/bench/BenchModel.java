package io.argus.tools.bench;

import org.deeplearning4j.nn.api.Model;

import io.argus.common.image.InputSpec;
import io.argus.common.model.DriftReference;
import io.argus.common.model.OodReference;

/**
 * A network under benchmark, with its ONNX export (checked against it) and its cost.
 *
 * @param parityError    largest relative difference between ONNX Runtime and DL4J on random inputs
 * @param driftReference the stored bundle's drift reference (the project's CNN), so the service the
 *                       bench starts watches drift as deployed; null for the random-weight models,
 *                       which have none (drift is off for them, as for any bundle without one)
 * @param ood            the stored bundle's out-of-distribution statistics, likewise: the service
 *                       scores every image as deployed; null for the random-weight models
 */
record BenchModel(String name, String source, Model network, InputSpec spec, long flopsPerImage, byte[] onnx,
                  double parityError, DriftReference driftReference, OodReference ood) {

    long params() {
        return network.numParams();
    }
}
