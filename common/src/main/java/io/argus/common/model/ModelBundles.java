package io.argus.common.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import io.argus.common.json.Json;
import io.argus.common.nd4j.OneDnn;

/**
 * Reads and writes model bundles: one zip file per version holding {@code manifest.json}
 * ({@link BundleManifest}), the DL4J network and the ONNX graph of the same network. The manifest
 * carries the SHA-256 of both and reading verifies them, so a truncated or tampered bundle is
 * refused, never served.
 */
public final class ModelBundles {

    static final String MANIFEST = "manifest.json";
    static final String NETWORK = "network.dl4j";
    static final String ONNX = "network.onnx";

    /** What {@link #read(InputStream, Parts)} restores. */
    public enum Parts {
        /** Manifest, DL4J network and ONNX graph: for training and for the DL4J engine. */
        ALL,
        /**
         * Manifest and ONNX graph; the DL4J network only if there is no ONNX graph. Serving on
         * ONNX Runtime needs no DL4J network, and restoring one costs seconds and memory.
         */
        SERVING
    }

    static {
        OneDnn.enable();
    }

    private ModelBundles() {
    }

    /**
     * Writes the bundle; the manifest's network type and checksum are filled in from the network.
     *
     * @return the manifest as written
     */
    public static BundleManifest write(ModelBundle bundle, OutputStream out) throws IOException {
        byte[] network = networkBytes(bundle.network());
        BundleManifest m = bundle.manifest();
        BundleManifest written = m.withChecksums(networkType(bundle.network()), Sha256.of(network),
                bundle.hasOnnx() ? Sha256.of(bundle.onnx()) : null);
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(written));
        zip.closeEntry();
        // The DL4J format is itself a zip: store it as is rather than deflating it twice.
        zip.setLevel(0);
        zip.putNextEntry(new ZipEntry(NETWORK));
        zip.write(network);
        zip.closeEntry();
        if (bundle.hasOnnx()) {
            // Float weights barely deflate: stored, so reading them back costs nothing.
            zip.putNextEntry(new ZipEntry(ONNX));
            zip.write(bundle.onnx());
            zip.closeEntry();
        }
        zip.finish();
        return written;
    }

    /** Reads a whole bundle, verifying its checksums. */
    public static ModelBundle read(InputStream in) throws IOException {
        return read(in, Parts.ALL);
    }

    /** Reads a bundle, verifying the checksums of what it reads. */
    public static ModelBundle read(InputStream in, Parts parts) throws IOException {
        Entries e = entries(in, true);
        BundleManifest m = e.manifest;
        if (m.onnxSha256() != null) {
            if (e.onnx == null) {
                throw new BundleCorrupted("bundle " + m.id() + ": the manifest names an ONNX graph, " + ONNX
                        + " is missing");
            }
            verify(m, ONNX, e.onnx, m.onnxSha256());
        }
        boolean restore = parts == Parts.ALL || m.onnxSha256() == null;
        if (!restore) {
            return new ModelBundle(m, null, e.onnx);
        }
        verify(m, NETWORK, e.network, m.networkSha256());
        Model network;
        try (InputStream net = new ByteArrayInputStream(e.network)) {
            network = switch (m.networkType()) {
                case "MultiLayerNetwork" -> ModelSerializer.restoreMultiLayerNetwork(net, false);
                case "ComputationGraph" -> ModelSerializer.restoreComputationGraph(net, false);
                default -> throw new BundleCorrupted("unknown network type " + m.networkType());
            };
        } catch (RuntimeException ex) {
            if (ex instanceof BundleCorrupted) {
                throw ex;
            }
            throw new BundleCorrupted("bundle " + m.id() + ": the network cannot be restored", ex);
        }
        return new ModelBundle(m, network, m.onnxSha256() == null ? null : e.onnx);
    }

    private static void verify(BundleManifest m, String entry, byte[] bytes, String expected) {
        String actual = Sha256.of(bytes);
        if (!actual.equals(expected)) {
            throw new BundleCorrupted("bundle " + m.id() + ": " + entry + " has checksum " + actual
                    + ", the manifest says " + expected);
        }
    }

    public static ModelBundle read(Path file) throws IOException {
        return read(file, Parts.ALL);
    }

    public static ModelBundle read(Path file, Parts parts) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, parts);
        }
    }

    /** Only the manifest, without restoring the network (cheap: for listings). */
    public static BundleManifest readManifest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return entries(in, false).manifest;
        }
    }

    private record Entries(BundleManifest manifest, byte[] network, byte[] onnx) {
    }

    private static Entries entries(InputStream in, boolean withNetwork) throws IOException {
        BundleManifest manifest = null;
        byte[] network = null;
        byte[] onnx = null;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals(MANIFEST)) {
                    manifest = Json.mapper().readValue(zip.readAllBytes(), BundleManifest.class);
                    if (!withNetwork) {
                        break;
                    }
                } else if (entry.getName().equals(NETWORK) && withNetwork) {
                    network = zip.readAllBytes();
                } else if (entry.getName().equals(ONNX) && withNetwork) {
                    onnx = zip.readAllBytes();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new BundleCorrupted("not a readable model bundle: " + e.getMessage(), e);
        }
        if (manifest == null || (withNetwork && network == null)) {
            throw new BundleCorrupted("not a model bundle: " + (manifest == null ? MANIFEST : NETWORK) + " is missing");
        }
        if (!BundleManifest.READABLE.contains(manifest.format())) {
            throw new BundleCorrupted("bundle format " + manifest.format() + " is not supported (this reader knows "
                    + BundleManifest.READABLE + ")");
        }
        return new Entries(manifest, network, onnx);
    }

    private static byte[] networkBytes(Model network) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try {
            ModelSerializer.writeModel(network, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String networkType(Model network) {
        if (network instanceof MultiLayerNetwork) {
            return "MultiLayerNetwork";
        }
        if (network instanceof ComputationGraph) {
            return "ComputationGraph";
        }
        throw new IllegalArgumentException("unsupported DL4J model type " + network.getClass().getName());
    }
}
