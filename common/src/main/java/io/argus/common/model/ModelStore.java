package io.argus.common.model;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of model bundles: {@code <name>-v<version>.bundle}, each with a {@code .sha256}
 * file beside it. Files appear atomically (written aside, then moved), so a reader never sees
 * half a bundle. Shared by the trainer (writes) and, when the directory is shared, inference.
 */
public final class ModelStore {

    private static final Pattern FILE = Pattern.compile("(.+)-v(\\d+)\\.bundle");

    private final Path root;
    /**
     * What each bundle file was found to hold, by path. A bundle is never rewritten in place
     * ({@link #save} refuses), so its manifest is read once: the trainer asks for the newest model
     * on every label it reads, and a manifest with out-of-distribution statistics is large.
     */
    private final Map<Path, Described> described = new ConcurrentHashMap<>();

    private record Described(FileTime modified, long size, StoredModel model) {
    }

    public ModelStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Writes a bundle as the version its manifest names; refuses to overwrite an existing version. */
    public StoredModel save(ModelBundle bundle) throws IOException {
        Files.createDirectories(root);
        Path file = root.resolve(fileName(bundle.manifest().id()));
        if (Files.exists(file)) {
            throw new IllegalStateException("model " + bundle.manifest().id() + " is already in the store: " + file);
        }
        Path tmp = Files.createTempFile(root, ".writing-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ModelBundles.write(bundle, out);
            }
            String sha = Sha256.of(tmp);
            Files.writeString(root.resolve(file.getFileName() + ".sha256"), sha + "\n", StandardCharsets.US_ASCII);
            move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return describe(file).orElseThrow();
    }

    /** Every stored version of {@code name}, oldest first. */
    public List<StoredModel> list(String name) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<StoredModel> models = new ArrayList<>();
        try (Stream<Path> files = Files.list(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = FILE.matcher(file.getFileName().toString());
                if (m.matches() && m.group(1).equals(name)) {
                    describe(file).ifPresent(models::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        models.sort(Comparator.comparingInt(s -> s.manifest().version()));
        return models;
    }

    public Optional<StoredModel> find(ModelId id) {
        Path file = root.resolve(fileName(id));
        return Files.exists(file) ? describe(file) : Optional.empty();
    }

    public Optional<StoredModel> latest(String name) {
        List<StoredModel> all = list(name);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The version number the next bundle of {@code name} gets. */
    public int nextVersion(String name) {
        return latest(name).map(s -> s.manifest().version() + 1).orElse(1);
    }

    /** Loads a stored version after checking the whole file against its recorded checksum. */
    public ModelBundle load(StoredModel stored) throws IOException {
        return load(stored.file(), stored.sha256());
    }

    /**
     * Loads a bundle file after checking it against {@code expectedSha256}: the check every
     * service makes before serving a model, whether the file came from the store or a download.
     */
    public static ModelBundle load(Path file, String expectedSha256) throws IOException {
        return load(file, expectedSha256, ModelBundles.Parts.ALL);
    }

    /** As {@link #load(Path, String)}, restoring only the given parts. */
    public static ModelBundle load(Path file, String expectedSha256, ModelBundles.Parts parts) throws IOException {
        String actual = Sha256.of(file);
        if (!actual.equals(expectedSha256)) {
            throw new BundleCorrupted("bundle " + file.getFileName() + " has checksum " + actual + ", expected "
                    + expectedSha256);
        }
        return ModelBundles.read(file, parts);
    }

    public static String fileName(ModelId id) {
        return id.name() + "-v" + id.version() + ".bundle";
    }

    private Optional<StoredModel> describe(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Described known = described.get(file);
            if (known != null && known.modified().equals(attributes.lastModifiedTime())
                    && known.size() == attributes.size()) {
                return Optional.of(known.model());
            }
            Optional<StoredModel> read = read(file);
            read.ifPresent(m -> described.put(file, new Described(attributes.lastModifiedTime(), attributes.size(), m)));
            return read;
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<StoredModel> read(Path file) {
        try {
            Path shaFile = file.resolveSibling(file.getFileName() + ".sha256");
            String sha = Files.exists(shaFile) ? Files.readString(shaFile, StandardCharsets.US_ASCII).trim() : Sha256.of(file);
            return Optional.of(new StoredModel(ModelBundles.readManifest(file), file, sha, Files.size(file)));
        } catch (IOException | BundleCorrupted e) {
            // A foreign or broken file in the directory is not a model; listing skips it.
            return Optional.empty();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
