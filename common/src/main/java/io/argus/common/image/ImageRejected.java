package io.argus.common.image;

import java.util.List;

import io.argus.common.error.ArgusException;

/** An image that cannot be used, with the reason code and a message a person can act on. */
public class ImageRejected extends ArgusException {

    private final RejectReason reason;

    public ImageRejected(RejectReason reason, String message) {
        this(reason, message, null);
    }

    public ImageRejected(RejectReason reason, String message, Throwable cause) {
        super(reason.problem(), reason.name(), message, List.of(), null, cause);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
