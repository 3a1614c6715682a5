package io.argus.common.image;

import java.time.Duration;
import java.util.List;

import io.argus.common.error.ArgusException;
import io.argus.common.error.Problem;

/**
 * Decoding needs memory the service does not have right now. The image may be perfectly good, so
 * this is "unavailable, retry later" (503 with Retry-After at a REST boundary), never a refusal of
 * the image: a 4xx would tell a camera to give up on a good picture. Thrown when the
 * {@link DecodeMemory} budget stays taken for its whole wait, and when a decoder runs out of
 * memory anyway.
 *
 * <p>Not an {@link ImageRejected}: a consumer of a topic should wait and decode the record again,
 * not dead-letter it.
 */
public class DecoderBusy extends ArgusException {

    public static final String CODE = "DECODER_BUSY";

    public DecoderBusy(String message, Duration retryAfter, Throwable cause) {
        super(Problem.UNAVAILABLE, CODE, message, List.of(), retryAfter, cause);
    }
}
