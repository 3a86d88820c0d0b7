package dev.ttscluster.common.error;

import java.util.Objects;

/**
 * A failure that may go away by itself (a server restarting, a timeout): the same work may be tried
 * again later without changing it. It names the backing server that failed ({@link #dependency()}), so
 * callers count and map it by type.
 */
public class RetriableException extends TtsException {
    private static final long serialVersionUID = 1L;

    private final Dependency dependency;

    public RetriableException(Dependency dependency, String message) {
        super(message);
        this.dependency = Objects.requireNonNull(dependency, "dependency");
    }

    public RetriableException(Dependency dependency, String message, Throwable cause) {
        super(message, cause);
        this.dependency = Objects.requireNonNull(dependency, "dependency");
    }

    /** The backing server that failed. */
    public Dependency dependency() {
        return dependency;
    }
}
