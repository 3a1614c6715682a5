package io.argus.tools.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import io.argus.common.security.ApiKeys;

/**
 * The local stack's API keys: {@code keys --file run/keys} makes the file once (one key per role,
 * random 192-bit secrets, readable by this user only) and prints each role's secret. A file made
 * before a role existed gets that role's key added, so an existing stack keeps its other keys. The
 * review desk asks for the labeler key; {@code ./argus} hands the others to the services and the
 * demo, and names the model-reader key to inference, which downloads bundles with it.
 */
public final class KeysCommand {

    public static final String USAGE = """
            keys --file FILE   make the local API keys file if it is missing, print a secret per role""";

    /** The keys of the local stack: name, role. */
    static final List<String[]> LOCAL = List.of(
            new String[] {"local-sensors", "sensor"},
            new String[] {"local-labelers", "labeler"},
            new String[] {"local-admin", "admin"},
            new String[] {"local-model-readers", "model-reader"});

    private KeysCommand() {
    }

    public static int run(String[] args) throws IOException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return 0;
        }
        if (args.length != 2 || !args[0].equals("--file")) {
            System.err.println(USAGE);
            return 2;
        }
        Path file = Path.of(args[1]);
        if (!Files.exists(file)) {
            create(file);
        }
        ApiKeys before = ApiKeys.read(file);
        List<String[]> missing = LOCAL.stream().filter(k -> before.named(k[0]).isEmpty()).toList();
        if (!missing.isEmpty()) {
            add(file, missing);
        }
        ApiKeys keys = missing.isEmpty() ? before : ApiKeys.read(file);
        for (String[] k : LOCAL) {
            String secret = keys.secretOf(k[0]).orElseThrow(() -> new IllegalStateException(file
                    + " has no key named " + k[0] + "; delete the file to make a new one"));
            System.out.printf("%-12s %s%n", k[1], secret);
        }
        return 0;
    }

    /** Writes a new keys file (it must not exist yet): what {@code ./argus up} and the bench give the services. */
    public static void create(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "# API keys of the local stack: name:roles:secret (docs/access.md)\n" + lines(LOCAL),
                StandardCharsets.UTF_8);
        System.err.println("API keys written to " + file + " (" + String.join(", ", LOCAL.stream().map(k -> k[1])
                .toList()) + ")");
    }

    /** Appends keys for roles the file has none of yet (it was made before they existed). */
    static void add(Path file, List<String[]> missing) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + lines(missing),
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.err.println("API keys added to " + file + " (" + String.join(", ", missing.stream().map(k -> k[1])
                .toList()) + ")");
    }

    private static String lines(List<String[]> keys) {
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder();
        for (String[] k : keys) {
            byte[] secret = new byte[24];
            random.nextBytes(secret);
            text.append(k[0]).append(':').append(k[1]).append(':').append(HexFormat.of().formatHex(secret))
                    .append('\n');
        }
        return text.toString();
    }
}
