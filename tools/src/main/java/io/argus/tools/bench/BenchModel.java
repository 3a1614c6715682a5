package io.argus.tools.bench;

import org.deeplearning4j.nn.api.Model;

import io.argus.common.image.InputSpec;

/**
 * A network under benchmark, with its ONNX export (checked against it) and its cost.
 *
 * @param parityError largest relative difference between ONNX Runtime and DL4J on random inputs
 */
record BenchModel(String name, String source, Model network, InputSpec spec, long flopsPerImage, byte[] onnx,
                  double parityError) {

    long params() {
        return network.numParams();
    }
}
