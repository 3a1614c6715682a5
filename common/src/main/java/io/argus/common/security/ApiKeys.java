package io.argus.common.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The configured API keys, and which one (if any) a presented secret is. */
public final class ApiKeys {

    /** A key's owner (the principal: who sent an image or gave a label) and its roles. */
    public record Key(String name, Set<String> roles, byte[] secret) {
    }

    static final int MIN_SECRET_LENGTH = 16;

    private final List<Key> keys;

    private ApiKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /** Parses the keys file; refuses, naming the line, anything it cannot trust. */
    public static ApiKeys parse(List<String> lines, String source) {
        List<Key> keys = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException(where + ": expected name:role[,role...]:secret");
            }
            String name = parts[0].strip();
            if (name.isEmpty() || !names.add(name)) {
                throw new IllegalArgumentException(where + ": the name is empty or used twice");
            }
            Set<String> roles = new LinkedHashSet<>();
            for (String role : parts[1].split(",")) {
                String r = role.strip();
                if (!Roles.ALL.contains(r)) {
                    throw new IllegalArgumentException(where + ": unknown role '" + r + "' (roles: " + Roles.ALL + ")");
                }
                roles.add(r);
            }
            String secret = parts[2].strip();
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException(where + ": the secret of '" + name + "' is shorter than "
                        + MIN_SECRET_LENGTH + " characters");
            }
            keys.add(new Key(name, Set.copyOf(roles), secret.getBytes(StandardCharsets.UTF_8)));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no API key");
        }
        return new ApiKeys(keys);
    }

    public static ApiKeys read(Path file) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API keys file " + file, e);
        }
    }

    /** The key whose secret this is. Every key is compared, in constant time, whatever matches. */
    public Optional<Key> find(String presented) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        Key found = null;
        for (Key k : keys) {
            if (MessageDigest.isEqual(k.secret(), p)) {
                found = k;
            }
        }
        Arrays.fill(p, (byte) 0);
        return Optional.ofNullable(found);
    }

    public int size() {
        return keys.size();
    }

    /** The key named {@code name}: a service's own key for calling another (inference's model-reader key). */
    public Optional<Key> named(String name) {
        return keys.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The secret of the key named {@code name}, for the tools that hand local keys to clients. */
    public Optional<String> secretOf(String name) {
        return named(name).map(k -> new String(k.secret(), StandardCharsets.UTF_8));
    }
}
