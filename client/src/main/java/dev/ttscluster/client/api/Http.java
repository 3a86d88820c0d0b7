package dev.ttscluster.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.internal.JsonFields;
import dev.ttscluster.common.contract.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The client's HTTP plumbing: builds requests (the API key on gateway paths, none on presigned URLs), sends
 * them, and turns an error status into a {@link TtsApiException}. Thread-safe (immutable; the JDK client is).
 */
final class Http {
    private final HttpClient client;
    private final String base;
    private final String authorization;
    private final Duration timeout;

    Http(HttpClient client, String base, String apiKey, Duration timeout) {
        this.client = client;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.authorization = apiKey == null || apiKey.isBlank() ? null : "Bearer " + apiKey.strip();
        this.timeout = timeout;
    }

    String base() {
        return base;
    }

    /**
     * A request to a gateway path (with the key) or to an absolute URL (a presigned storage URL carries its own
     * signature, so no key is sent).
     */
    HttpRequest.Builder request(String pathOrUrl) {
        boolean absolute = pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(absolute ? pathOrUrl : base + pathOrUrl))
                .timeout(timeout);
        return absolute || authorization == null ? b : b.header("Authorization", authorization);
    }

    /** Sends and returns the body when the status is {@code expected}; any other status throws. */
    byte[] call(HttpRequest r, int expected) {
        return check(send(r, HttpResponse.BodyHandlers.ofByteArray()), expected).body();
    }

    /** Sends and reads the JSON body of an answer with status {@code expected}. */
    JsonNode json(HttpRequest r, int expected) {
        return parse(call(r, expected));
    }

    <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(r, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(r.method() + " " + r.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException(r.method() + " " + r.uri() + " interrupted"));
        }
    }

    <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest r, HttpResponse.BodyHandler<T> handler) {
        return client.sendAsync(r, handler);
    }

    /** The same response when its status is {@code expected}; else the error it carries, thrown. */
    static HttpResponse<byte[]> check(HttpResponse<byte[]> r, int expected) {
        if (r.statusCode() != expected) {
            throw error(r.statusCode(), r.headers(), r.body());
        }
        return r;
    }

    /** As {@link #check} for a streamed body: on an error status the body is read, closed and thrown. */
    static HttpResponse<InputStream> checkStream(HttpResponse<InputStream> r, int expected) {
        if (r.statusCode() != expected) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readAllBytes();
            } catch (IOException e) {
                body = new byte[0];
            }
            throw error(r.statusCode(), r.headers(), body);
        }
        return r;
    }

    /** The error an answer carries: the JSON {@code error}/{@code message} when it is the gateway's, else the raw body. */
    static TtsApiException error(int status, HttpHeaders headers, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        String code = null;
        String message = text;
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            if (n != null && n.isObject() && n.hasNonNull("error")) {
                code = JsonFields.text(n, "error");
                message = n.path("message").asText(text);
            }
        } catch (IOException e) {
            // not JSON (e.g. a storage server's XML error): the body is the message
        }
        Duration retryAfter =
                headers.firstValue("Retry-After").flatMap(Http::seconds).orElse(null);
        return new TtsApiException(status, code, message, retryAfter);
    }

    private static java.util.Optional<Duration> seconds(String v) {
        try {
            return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the answer is not JSON", e);
        }
    }

    static HttpRequest.BodyPublisher jsonBody(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
