package io.argus.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.argus.common.engine.Dl4jClassifier;

class ModelStoreTest {

    @TempDir
    Path dir;

    @Test
    void savedBundlesComeBackWithTheSameNetworkAndManifest() throws IOException {
        ModelStore store = new ModelStore(dir);
        ModelBundle bundle = TinyNetworks.bundle("argus", 1, List.of("cat", "dog"));

        StoredModel stored = store.save(bundle);
        ModelBundle loaded = store.load(stored);

        assertThat(stored.sha256()).isEqualTo(Sha256.of(stored.file())).hasSize(64);
        assertThat(stored.sizeBytes()).isEqualTo(Files.size(stored.file()));
        assertThat(loaded.manifest().labels()).containsExactly("cat", "dog");
        assertThat(loaded.manifest().networkType()).isEqualTo("MultiLayerNetwork");
        assertThat(loaded.manifest().networkSha256()).hasSize(64);

        float[] input = new float[64];
        input[10] = 1;
        try (Dl4jClassifier original = Dl4jClassifier.of(bundle); Dl4jClassifier restored = Dl4jClassifier.of(loaded)) {
            assertThat(restored.classify(input, 1)[0]).containsExactly(original.classify(input, 1)[0]);
        }
    }

    @Test
    void bundlesCarryTheOnnxGraphAndServingReadsSkipTheDl4jNetwork() throws IOException {
        ModelBundle bundle = TinyNetworks.bundle("argus", 1, List.of("cat", "dog"));
        StoredModel stored = new ModelStore(dir).save(bundle);

        ModelBundle all = ModelStore.load(stored.file(), stored.sha256());
        ModelBundle serving = ModelStore.load(stored.file(), stored.sha256(), ModelBundles.Parts.SERVING);

        assertThat(all.manifest().onnxSha256()).isEqualTo(Sha256.of(bundle.onnx()));
        assertThat(all.onnx()).isEqualTo(bundle.onnx());
        assertThat(all.network()).isNotNull();
        assertThat(serving.onnx()).isEqualTo(bundle.onnx());
        assertThat(serving.network()).as("not restored for ONNX serving").isNull();
    }

    @Test
    void aBundleWrittenBeforeBundlesCarriedOnnxStillReadsAndServesOnDl4j() throws IOException {
        ModelBundle old = new ModelBundle(TinyNetworks.bundle("argus", 1, List.of("cat", "dog")).manifest(),
                TinyNetworks.cnn(8, 2, 1));
        StoredModel stored = new ModelStore(dir).save(old);
        try (var zip = new java.util.zip.ZipFile(stored.file().toFile())) {
            String manifest = new String(zip.getInputStream(zip.getEntry(ModelBundles.MANIFEST)).readAllBytes());
            assertThat(manifest).as("the manifest of a bundle from before ONNX").doesNotContain("onnx");
            assertThat(zip.getEntry(ModelBundles.ONNX)).isNull();
        }

        ModelBundle read = ModelBundles.read(stored.file(), ModelBundles.Parts.SERVING);

        assertThat(read.hasOnnx()).isFalse();
        assertThat(read.network()).as("restored: DL4J is the only way to serve it").isNotNull();
    }

    @Test
    void aBundleWhoseOnnxGraphWasSwappedIsRefused() throws IOException {
        StoredModel first = new ModelStore(dir.resolve("a")).save(TinyNetworks.bundle("argus", 1, List.of("x", "y")));
        StoredModel second = new ModelStore(dir.resolve("b")).save(TinyNetworks.bundle("argus", 2, List.of("x", "y")));
        Path forged = dir.resolve("forged.bundle");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(forged));
             var in1 = new java.util.zip.ZipFile(first.file().toFile());
             var in2 = new java.util.zip.ZipFile(second.file().toFile())) {
            for (String entry : List.of(ModelBundles.MANIFEST, ModelBundles.NETWORK)) {
                out.putNextEntry(new java.util.zip.ZipEntry(entry));
                out.write(in1.getInputStream(in1.getEntry(entry)).readAllBytes());
            }
            out.putNextEntry(new java.util.zip.ZipEntry(ModelBundles.ONNX));
            out.write(in2.getInputStream(in2.getEntry(ModelBundles.ONNX)).readAllBytes());
        }

        assertThatThrownBy(() -> ModelBundles.read(forged, ModelBundles.Parts.SERVING))
                .isInstanceOf(BundleCorrupted.class).hasMessageContaining("network.onnx has checksum");
    }

    @Test
    void versionsAreListedInOrderAndNumberedOnwards() throws IOException {
        ModelStore store = new ModelStore(dir);
        assertThat(store.nextVersion("argus")).isEqualTo(1);
        store.save(TinyNetworks.bundle("argus", 2, List.of("a", "b")));
        store.save(TinyNetworks.bundle("argus", 1, List.of("a", "b")));
        store.save(TinyNetworks.bundle("other", 7, List.of("a", "b")));
        Files.writeString(dir.resolve("argus-v9.bundle"), "not a bundle");

        assertThat(store.list("argus")).extracting(s -> s.manifest().version()).containsExactly(1, 2);
        assertThat(store.nextVersion("argus")).isEqualTo(3);
        assertThat(store.find(new ModelId("other", 7))).isPresent();
        assertThatThrownBy(() -> store.save(TinyNetworks.bundle("argus", 2, List.of("a", "b"))))
                .hasMessageContaining("already in the store");
    }

    @Test
    void aBundleThatDoesNotMatchItsChecksumIsRefused() throws IOException {
        StoredModel stored = new ModelStore(dir).save(TinyNetworks.bundle("argus", 1, List.of("a", "b")));
        try (RandomAccessFile f = new RandomAccessFile(stored.file().toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xFF);
        }

        assertThatThrownBy(() -> ModelStore.load(stored.file(), stored.sha256()))
                .isInstanceOf(BundleCorrupted.class).hasMessageContaining("expected " + stored.sha256());
    }

    @Test
    void aBundleWhoseNetworkWasSwappedIsRefusedEvenWithoutAnOutsideChecksum() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        StoredModel first = new ModelStore(a).save(TinyNetworks.bundle("argus", 1, List.of("x", "y")));
        StoredModel second = new ModelStore(b).save(TinyNetworks.bundle("argus", 2, List.of("x", "y")));
        // Graft the second bundle's network entry under the first one's manifest.
        Path forged = dir.resolve("forged.bundle");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(forged));
             var in1 = new java.util.zip.ZipFile(first.file().toFile());
             var in2 = new java.util.zip.ZipFile(second.file().toFile())) {
            out.putNextEntry(new java.util.zip.ZipEntry(ModelBundles.MANIFEST));
            out.write(in1.getInputStream(in1.getEntry(ModelBundles.MANIFEST)).readAllBytes());
            out.putNextEntry(new java.util.zip.ZipEntry(ModelBundles.NETWORK));
            out.write(in2.getInputStream(in2.getEntry(ModelBundles.NETWORK)).readAllBytes());
            out.putNextEntry(new java.util.zip.ZipEntry(ModelBundles.ONNX));
            out.write(in1.getInputStream(in1.getEntry(ModelBundles.ONNX)).readAllBytes());
        }

        assertThatThrownBy(() -> ModelBundles.read(forged)).isInstanceOf(BundleCorrupted.class)
                .hasMessageContaining("network.dl4j has checksum");
    }

    @Test
    void aFileThatIsNoBundleIsRefusedClearly() throws IOException {
        Path junk = dir.resolve("junk.bundle");
        Files.writeString(junk, "hello");

        assertThatThrownBy(() -> ModelBundles.read(junk)).isInstanceOf(BundleCorrupted.class)
                .hasMessageContaining("manifest.json is missing");
    }
}
