package dev.ttscluster.client.api;

import dev.ttscluster.common.error.TtsException;
import java.time.Duration;
import java.util.Optional;

/**
 * The gateway (or a presigned storage URL) answered with an error status. Carries the HTTP status, the JSON
 * body's {@code error} code and {@code message} (null code and the raw body as message when the body is not
 * the gateway's JSON error), and the {@code Retry-After} the server asked for. Immutable.
 */
public final class TtsApiException extends TtsException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String detail;
    private final Duration retryAfter;

    public TtsApiException(int status, String code, String detail, Duration retryAfter) {
        super(status + (code == null ? "" : " " + code) + ": " + detail);
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status, e.g. 404. */
    public int status() {
        return status;
    }

    /** The JSON {@code error} code, e.g. {@code not_found}; null when the body was not a JSON error. */
    public String code() {
        return code;
    }

    /** The JSON {@code message}, or the body as it came when it was not a JSON error. */
    public String detail() {
        return detail;
    }

    /** The {@code Retry-After} the server sent (on 429 and 503), if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** True for the answers a caller may retry later: 429 (rate limited) and 503 (a backing server unavailable). */
    public boolean retriable() {
        return status == 429 || status == 503;
    }
}
