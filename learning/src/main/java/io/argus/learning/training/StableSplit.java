package io.argus.learning.training;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Splits samples into train, validation and held-out (test) parts by a fixed function of each
 * sample's id: the SHA-256 of the id, read as a number in [0, 1), against two thresholds. Adding
 * or removing other samples never moves a sample to another part, so a held-out sample is never
 * trained on by a later run, and a candidate and its champion are scored on samples neither saw.
 * The price is that small classes are not split in exact proportion (a class of five labels may
 * have none held out); the gate says when a slice has too few held-out samples to judge.
 */
public final class StableSplit {

    /** The three parts, as indices into the original list. */
    public record Parts(List<Integer> train, List<Integer> validation, List<Integer> test) {
    }

    public enum Part { TRAIN, VALIDATION, TEST }

    private final double validationFraction;
    private final double testFraction;

    public StableSplit(double validationFraction, double testFraction) {
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1) {
            throw new IllegalArgumentException("validation (" + validationFraction + ") and test (" + testFraction
                    + ") fractions must be non-negative and leave room for training");
        }
        this.validationFraction = validationFraction;
        this.testFraction = testFraction;
    }

    /** The part {@code id} belongs to, whatever else is in the set. */
    public Part of(String id) {
        double u = unit(id);
        if (u < testFraction) {
            return Part.TEST;
        }
        return u < testFraction + validationFraction ? Part.VALIDATION : Part.TRAIN;
    }

    public <T> Parts split(List<T> samples, Function<T, String> id) {
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            switch (of(id.apply(samples.get(i)))) {
                case TEST -> test.add(i);
                case VALIDATION -> validation.add(i);
                default -> train.add(i);
            }
        }
        return new Parts(train, validation, test);
    }

    /** The id's hash as a number in [0, 1): the first 52 bits of its SHA-256. */
    static double unit(String id) {
        byte[] h = sha256().digest(id.getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 7; i++) {
            bits = (bits << 8) | (h[i] & 0xff);
        }
        return (bits >>> 4) / (double) (1L << 52);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
