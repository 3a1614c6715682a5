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

import io.argus.common.contract.Json;
import io.argus.common.nd4j.OneDnn;

/**
 * Reads and writes model bundles: one zip file per version holding {@code manifest.json}
 * ({@link BundleManifest}) and the DL4J network. The manifest carries the network's SHA-256 and
 * reading verifies it, so a truncated or tampered bundle is refused, never served.
 */
public final class ModelBundles {

    static final String MANIFEST = "manifest.json";
    static final String NETWORK = "network.dl4j";

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
        BundleManifest written = new BundleManifest(BundleManifest.FORMAT, m.name(), m.version(), m.labels(),
                m.inputSpec(), m.provenance(), m.metrics(), networkType(bundle.network()), Sha256.of(network),
                m.createdAt());
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry(MANIFEST));
        zip.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(written));
        zip.closeEntry();
        // The DL4J format is itself a zip: store it as is rather than deflating it twice.
        zip.setLevel(0);
        zip.putNextEntry(new ZipEntry(NETWORK));
        zip.write(network);
        zip.closeEntry();
        zip.finish();
        return written;
    }

    /** Reads a bundle and restores its network, verifying the network checksum. */
    public static ModelBundle read(InputStream in) throws IOException {
        Entries e = entries(in, true);
        String actual = Sha256.of(e.network);
        if (!actual.equals(e.manifest.networkSha256())) {
            throw new BundleCorrupted("bundle " + e.manifest.id() + ": network checksum " + actual
                    + " does not match the manifest's " + e.manifest.networkSha256());
        }
        Model network;
        try (InputStream net = new ByteArrayInputStream(e.network)) {
            network = switch (e.manifest.networkType()) {
                case "MultiLayerNetwork" -> ModelSerializer.restoreMultiLayerNetwork(net, false);
                case "ComputationGraph" -> ModelSerializer.restoreComputationGraph(net, false);
                default -> throw new BundleCorrupted("unknown network type " + e.manifest.networkType());
            };
        } catch (RuntimeException ex) {
            if (ex instanceof BundleCorrupted) {
                throw ex;
            }
            throw new BundleCorrupted("bundle " + e.manifest.id() + ": the network cannot be restored", ex);
        }
        return new ModelBundle(e.manifest, network);
    }

    public static ModelBundle read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** Only the manifest, without restoring the network (cheap: for listings). */
    public static BundleManifest readManifest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return entries(in, false).manifest;
        }
    }

    private record Entries(BundleManifest manifest, byte[] network) {
    }

    private static Entries entries(InputStream in, boolean withNetwork) throws IOException {
        BundleManifest manifest = null;
        byte[] network = null;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals(MANIFEST)) {
                    manifest = Json.mapper().readValue(zip.readAllBytes(), BundleManifest.class);
                    if (!withNetwork) {
                        break;
                    }
                } else if (entry.getName().equals(NETWORK) && withNetwork) {
                    network = zip.readAllBytes();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new BundleCorrupted("not a readable model bundle: " + e.getMessage(), e);
        }
        if (manifest == null || (withNetwork && network == null)) {
            throw new BundleCorrupted("not a model bundle: " + (manifest == null ? MANIFEST : NETWORK) + " is missing");
        }
        if (manifest.format() != BundleManifest.FORMAT) {
            throw new BundleCorrupted("bundle format " + manifest.format() + " is not supported (this reader knows "
                    + BundleManifest.FORMAT + ")");
        }
        return new Entries(manifest, network);
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
