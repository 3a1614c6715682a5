package io.argus.inference.shadow;

import java.nio.charset.StandardCharsets;

/**
 * Which images a candidate classifies when only a share of them is shadowed: a fixed hash of the
 * image id, so every replica and every restart picks the same images (an image processed again
 * after a crash is shadowed again or not at all, never by chance), and the trainer can tell which
 * images to expect.
 */
public final class ShadowSampling {

    private final double share;

    public ShadowSampling(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("argus.inference.shadow.share must be between 0 and 1, not " + share);
        }
        this.share = share;
    }

    /** Whether the image with this id is shadowed. */
    public boolean picks(String imageId) {
        if (share >= 1) {
            return true;
        }
        return share > 0 && position(imageId) < share;
    }

    /** Whether no image is shadowed. */
    public boolean none() {
        return share <= 0;
    }

    /**
     * The id's place in [0, 1): FNV-1a over its UTF-8 bytes, then a 64-bit finaliser (MurmurHash3's),
     * so that ids differing in one character (img-1, img-2...) land far apart.
     */
    static double position(String imageId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : imageId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}
