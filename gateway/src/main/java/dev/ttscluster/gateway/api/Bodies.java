package dev.ttscluster.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Reads request bodies for the routes: bounded in size (413) and in slowness (408), and for JSON routes the
 * content type (415) and the strict JSON of {@link RequestJson} (400). The server's own bound is the largest
 * route's; each route passes its own. Stateless and thread-safe.
 */
public final class Bodies {
    /**
     * Slowest body accepted, in bytes per second, after a grace of {@link #BODY_RATE_GRACE_MS}; slower gets 408.
     * Measured from the moment the route starts reading, so a request that waited for a thread on a busy server
     * is never mistaken for a slow client (Jetty's own minimum data rate counts that wait and refused small
     * bodies under load).
     */
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;

    static final long BODY_RATE_GRACE_MS = 2000;

    private Bodies() {}

    /** A JSON body: its raw bytes (for idempotency fingerprints) and its parsed tree. */
    public record JsonBody(byte[] raw, JsonNode json) {}

    /**
     * The body of a JSON route, at most {@code limit} bytes, parsed strictly.
     *
     * @throws ApiException 415 when the Content-Type is not {@code application/json}; 413, 408 or 400 as
     *     {@link #read}; 400 when the body is not valid JSON
     */
    public static JsonBody json(Context ctx, long limit) {
        String ct = ctx.contentType();
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "Content-Type must be application/json");
        }
        byte[] raw = read(ctx, limit, "the body");
        try {
            return new JsonBody(raw, RequestJson.parse(raw));
        } catch (IOException e) {
            throw ApiException.badRequest("body is not valid JSON: " + ErrorMapping.firstLine(e.getMessage()));
        }
    }

    /**
     * The request body, at most {@code limit} bytes.
     *
     * @throws ApiException 413 naming {@code what} and the limit; 408 when it arrives too slowly; 400 when it
     *     cannot be read
     * @throws BadMessageException what Jetty found wrong with the request's framing
     */
    public static byte[] read(Context ctx, long limit, String what) {
        long length = ctx.req().getContentLengthLong();
        if (length > limit) {
            throw new ApiException(413, "payload_too_large", what + " has " + length + " bytes; the limit is " + limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            return read(in, length, limit, what, () -> System.nanoTime() / 1_000_000);
        } catch (IOException e) {
            if (e.getCause() instanceof BadMessageException b) {
                throw b;
            }
            throw new ApiException(
                    400, "invalid_request", what + " could not be read: " + ErrorMapping.firstLine(e.getMessage()));
        }
    }

    /** Reads at most {@code limit + 1} bytes whatever the framing (a chunked body declares no length). */
    static byte[] read(InputStream in, long declared, long limit, String what, LongSupplier millis) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), limit));
        byte[] buf = new byte[16 * 1024];
        long start = millis.getAsLong();
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > limit) {
                throw new ApiException(
                        413, "payload_too_large", what + " has more than " + limit + " bytes, the limit");
            }
            long ms = millis.getAsLong() - start;
            if (ms > BODY_RATE_GRACE_MS && out.size() * 1000L / ms < MIN_BODY_BYTES_PER_SECOND) {
                throw new ApiException(
                        408,
                        "request_timeout",
                        what + " arrived too slowly: " + out.size() + " bytes in " + ms + " ms; at least "
                                + MIN_BODY_BYTES_PER_SECOND + " bytes/s are expected");
            }
        }
        return out.toByteArray();
    }
}
