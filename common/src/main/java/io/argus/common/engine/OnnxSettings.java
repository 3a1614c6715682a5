package io.argus.common.engine;

/**
 * How an ONNX Runtime session runs.
 *
 * @param intraOpThreads threads inside one operator (a convolution); 0 lets ONNX Runtime choose
 * @param cuda           try the CUDA execution provider first (GPU builds); falls back to CPU
 * @param cudaDevice     which GPU
 */
public record OnnxSettings(int intraOpThreads, boolean cuda, int cudaDevice) {

    public static final OnnxSettings CPU = new OnnxSettings(0, false, 0);
}
