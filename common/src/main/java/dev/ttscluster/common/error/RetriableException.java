package dev.ttscluster.common.error;

/**
 * A failure that may go away by itself (a server restarting, a timeout): the same work may be tried
 * again later without changing it.
 */
public class RetriableException extends TtsException {
    private static final long serialVersionUID = 1L;

    public RetriableException(String message) {
        super(message);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
