package dev.ttscluster.common.error;

/**
 * A failure that retrying cannot fix (bad input, a broken model bundle): the work fails with this
 * message as its reason.
 */
public class FatalException extends TtsException {
    private static final long serialVersionUID = 1L;

    public FatalException(String message) {
        super(message);
    }

    public FatalException(String message, Throwable cause) {
        super(message, cause);
    }
}
