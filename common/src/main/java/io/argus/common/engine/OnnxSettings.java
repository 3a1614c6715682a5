package io.argus.common.engine;

/**
 * How an ONNX Runtime session runs.
 *
 * @param intraOpThreads threads inside one operator (a convolution); 0 lets ONNX Runtime choose
 * @param spinning       whether the intra-op threads spin, waiting for the next operator, instead of
 *                       sleeping: a few percent faster back-to-back forward passes when the model has
 *                       the cores to itself (the bench's model-only figure), but a spinning thread burns
 *                       a core whenever the session is idle between batches, which a service shares with
 *                       decoding, scoring, Kafka and the broker (docs/serving.md, "Spinning")
 * @param cuda           try the CUDA execution provider first (GPU builds); falls back to CPU
 * @param cudaDevice     which GPU
 */
public record OnnxSettings(int intraOpThreads, boolean spinning, boolean cuda, int cudaDevice) {

    /** On the CPU, ONNX Runtime's thread count, no spinning: what a process that does more than the forward pass wants. */
    public static final OnnxSettings CPU = new OnnxSettings(0, false, false, 0);

    /** The same session on the CUDA provider (or, without one, loudly on the CPU). */
    public OnnxSettings withCuda(boolean cuda) {
        return new OnnxSettings(intraOpThreads, spinning, cuda, cudaDevice);
    }
}
