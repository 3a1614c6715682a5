package io.argus.common.nd4j;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes DL4J's CPU convolutions, pooling and batch norm run on oneDNN: 5-6x faster, same outputs.
 *
 * <p>Why this exists: DL4J 1.0.0-M2.1 ships with its oneDNN layer helpers switched off twice over.
 * <ol>
 *   <li>{@code org.eclipse.deeplearning4j.helpers.disable} defaults to {@code true}, so no helper
 *       is even created. {@link #enable()} sets it to {@code false} unless the JVM was started
 *       with an explicit value (benchmarks use that to compare).</li>
 *   <li>Every helper then asks {@code BaseMKLDNNHelper.mklDnnEnabled()}, which reflects on
 *       {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class M2.1 moved. The shim at that
 *       old name ({@link org.nd4j.nativeblas.Nd4jCpu}) forwards to the moved class.</li>
 * </ol>
 * The oneDNN code itself comes from the {@code linux-x86_64-onednn-avx2} build of nd4j-native
 * (see the root pom). Helpers are created when a layer is instantiated, so {@link #enable()} must
 * run before any network is built or loaded; the model and training code call it first thing.
 */
public final class OneDnn {

    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnn() {
    }

    /** Lets DL4J create its oneDNN layer helpers, unless the JVM was told otherwise. */
    public static void enable() {
        if (System.getProperty(HELPERS_DISABLE_PROPERTY) == null) {
            System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
        }
    }

    /** Whether layers built from now on will run on oneDNN. */
    public static boolean active() {
        enable();
        return !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY))
                && BaseMKLDNNHelper.mklDnnEnabled();
    }

    /** One line for start-up logs: backend, oneDNN state, threads. */
    public static String describe() {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        return "ND4J backend " + backend + ", oneDNN layer helpers " + (active() ? "active" : "NOT active")
                + ", " + Nd4j.getEnvironment().maxThreads() + " threads";
    }
}
