package dev.ttscluster.gateway.api;

import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.gateway.metrics.GatewayMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from an error to its HTTP answer: a status, a JSON body {@code {"error": code, "message": text}}
 * and, where a retry helps, a {@code Retry-After} header. Decided by the error's type, never by its text:
 * <ul>
 *   <li>{@link ApiException}: its own status, code, message, Retry-After and headers;</li>
 *   <li>{@link RetriableException}: 503 {@code unavailable}, Retry-After 2, counted per dependency;</li>
 *   <li>Jetty's {@link BadMessageException} (a body arriving too slowly, a malformed request): its status;</li>
 *   <li>Javalin's {@link HttpResponseException} (no such route, method not allowed): its status;</li>
 *   <li>anything else: a logged 500 {@code internal} that never leaks a stack trace.</li>
 * </ul>
 * The server's own errors before a route runs ({@link JsonErrorHandler}) use the same codes ({@link #codeFor}).
 * Thread-safe.
 */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);
    /** Seconds a client waits before retrying after a backing service was unavailable. */
    static final int UNAVAILABLE_RETRY_SECONDS = 2;

    private final GatewayMetrics metrics;

    /** @param metrics counts every refusal and every backing-service error */
    public ErrorMapping(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * What a client is answered for an error.
     *
     * @param status the HTTP status
     * @param code the body's {@code error} field
     * @param message the body's {@code message} field (the code when blank)
     * @param retryAfterSeconds the Retry-After header, or null for none
     * @param headers further headers (e.g. a {@code WWW-Authenticate} challenge)
     */
    public record Refusal(
            int status, String code, String message, Integer retryAfterSeconds, Map<String, String> headers) {
        public Refusal {
            message = message == null || message.isBlank() ? code : message;
            headers = Map.copyOf(headers);
        }
    }

    /** The answer to {@code e}, by its type. Never throws. */
    public static Refusal of(Throwable e) {
        if (e instanceof ApiException a) {
            return new Refusal(a.status(), a.code(), a.getMessage(), a.retryAfterSeconds(), a.headers());
        }
        if (e instanceof RetriableException) {
            return new Refusal(
                    503,
                    "unavailable",
                    "a backing service is unavailable, try again shortly",
                    UNAVAILABLE_RETRY_SECONDS,
                    Map.of());
        }
        if (e instanceof BadMessageException b) {
            return new Refusal(
                    b.getCode(),
                    codeFor(b.getCode()),
                    b.getCode() == 408 ? "the request body arrived too slowly" : firstLine(b.getReason()),
                    null,
                    Map.of());
        }
        if (e instanceof HttpResponseException h) {
            return new Refusal(h.getStatus(), codeFor(h.getStatus()), h.getMessage(), null, Map.of());
        }
        return new Refusal(500, "internal", "internal error", null, Map.of());
    }

    /** The {@code error} code of a status the server answers on its own. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "error";
        };
    }

    /** Installs the mapping as the app's exception handlers. */
    public void register(Javalin app) {
        // Javalin answers its own HttpResponseExceptions unless a handler names that type itself
        app.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e));
        app.exception(Exception.class, (e, ctx) -> answer(ctx, e));
    }

    /** Answers the request with the error's refusal, logging and counting it. */
    void answer(Context ctx, Exception e) {
        Refusal r = of(e);
        if (e instanceof RetriableException re) {
            log.warn("{} {}: {}", ctx.method(), ctx.path(), re.getMessage());
            metrics.backendError(re.dependency().label());
        } else if (r.status() == 500
                && !(e instanceof ApiException)
                && !(e instanceof HttpResponseException)
                && !(e instanceof BadMessageException)) {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
        }
        metrics.refused(r.status(), r.code());
        r.headers().forEach(ctx::header);
        if (r.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Integer.toString(r.retryAfterSeconds()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", r.code());
        body.put("message", r.message());
        ctx.status(r.status()).json(body);
    }

    /** The first line of a message, at most 200 characters ("" for null): safe to show a client. */
    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
