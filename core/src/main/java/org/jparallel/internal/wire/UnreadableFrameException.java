package org.jparallel.internal.wire;

/**
 * A frame from an authenticated peer that its listener cannot read: the peer broke the protocol, and
 * its connection is closed rather than the frame dropped, so whatever waited for it hears of the loss.
 */
public final class UnreadableFrameException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableFrameException(String message) {
        super(message);
    }
}
