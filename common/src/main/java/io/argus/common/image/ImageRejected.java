package io.argus.common.image;

/** An image that cannot be used, with the reason code and a message a person can act on. */
public class ImageRejected extends RuntimeException {

    private final RejectReason reason;

    public ImageRejected(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageRejected(RejectReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
