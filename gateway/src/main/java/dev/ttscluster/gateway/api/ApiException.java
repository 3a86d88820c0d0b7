package dev.ttscluster.gateway.api;

/**
 * An error answered to the client as {@code {"error": code, "message": message}} with an HTTP status.
 * Expected: thrown without a stack trace.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;
    private final transient java.util.Map<String, String> headers;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, Integer retryAfterSeconds) {
        this(status, code, message, retryAfterSeconds, java.util.Map.of());
    }

    /** An error with further response headers (e.g. a {@code WWW-Authenticate} challenge). */
    public ApiException(
            int status, String code, String message, Integer retryAfterSeconds, java.util.Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.headers = java.util.Map.copyOf(headers);
    }

    /** A 429 naming the exhausted limit, to retry after {@code seconds}. */
    public static ApiException tooManyRequests(String message, int seconds) {
        return new ApiException(429, "rate_limited", message, Math.max(1, seconds));
    }

    /** Further headers to send with the error. */
    public java.util.Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for a Retry-After header, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
