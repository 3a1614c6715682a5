package io.argus.common.image;

import java.util.Optional;

/** The image formats Argus accepts, recognised from their first bytes, never from a declared type. */
public enum ImageFormat {
    JPEG("image/jpeg", "jpeg"),
    PNG("image/png", "png"),
    GIF("image/gif", "gif"),
    BMP("image/bmp", "bmp"),
    TIFF("image/tiff", "tiff");

    private final String mimeType;
    private final String imageIoName;

    ImageFormat(String mimeType, String imageIoName) {
        this.mimeType = mimeType;
        this.imageIoName = imageIoName;
    }

    public String mimeType() {
        return mimeType;
    }

    /** The format name ImageIO registers its reader under. */
    String imageIoName() {
        return imageIoName;
    }

    /** The format the bytes really are, by magic number. */
    public static Optional<ImageFormat> sniff(byte[] b) {
        if (b == null || b.length < 4) {
            return Optional.empty();
        }
        if (u(b, 0) == 0xFF && u(b, 1) == 0xD8 && u(b, 2) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (b.length >= 8 && u(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return Optional.of(PNG);
        }
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8'
                && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return Optional.of(GIF);
        }
        if (b[0] == 'B' && b[1] == 'M') {
            return Optional.of(BMP);
        }
        if ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42)) {
            return Optional.of(TIFF);
        }
        return Optional.empty();
    }

    /** The format a MIME type names ({@code image/jpg} and {@code image/x-ms-bmp} included), if any. */
    public static Optional<ImageFormat> ofMimeType(String mimeType) {
        if (mimeType == null) {
            return Optional.empty();
        }
        String type = mimeType.split(";", 2)[0].trim().toLowerCase();
        return switch (type) {
            case "image/jpeg", "image/jpg", "image/pjpeg" -> Optional.of(JPEG);
            case "image/png" -> Optional.of(PNG);
            case "image/gif" -> Optional.of(GIF);
            case "image/bmp", "image/x-bmp", "image/x-ms-bmp" -> Optional.of(BMP);
            case "image/tiff", "image/tif" -> Optional.of(TIFF);
            default -> Optional.empty();
        };
    }

    private static int u(byte[] b, int i) {
        return b[i] & 0xFF;
    }
}
