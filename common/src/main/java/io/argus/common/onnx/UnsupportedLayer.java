package io.argus.common.onnx;

/** A layer, vertex or setting the ONNX exporter cannot translate; the message names it. */
public class UnsupportedLayer extends RuntimeException {

    public UnsupportedLayer(String message) {
        super(message);
    }
}
