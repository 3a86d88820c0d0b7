package dev.ttscluster.common.error;

/**
 * Root of every exception this project throws on purpose. Unchecked: callers decide by type whether
 * to retry ({@link RetriableException}) or give up ({@link FatalException}).
 */
public class TtsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TtsException(String message) {
        super(message);
    }

    public TtsException(String message, Throwable cause) {
        super(message, cause);
    }
}
