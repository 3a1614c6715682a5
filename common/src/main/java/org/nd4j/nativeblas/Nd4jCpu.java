package org.nd4j.nativeblas;

/**
 * Forwarding shim for DL4J 1.0.0-M2.1 (see {@link io.argus.common.nd4j.OneDnn}). Not Argus API.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper} looks up this class by name and
 * calls {@code Environment.getInstance().isUseMKLDNN()} to decide whether oneDNN layer helpers
 * may run. M2.1 moved the class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and
 * renamed the method {@code isUseONEDNN}, so the lookup failed and every helper was silently
 * dropped. This class answers at the old name with the new answer.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
