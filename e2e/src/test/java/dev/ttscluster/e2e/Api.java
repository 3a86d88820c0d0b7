package dev.ttscluster.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Plain HTTP to the gateway, status and body as they come: for the tests that check the answers to requests the
 * typed {@link dev.ttscluster.client.api.TtsClient} would never send (unknown fields, wrong content types and methods,
 * raw Authorization and Idempotency-Key headers, a quota's 429s). Tests that talk the normal API use the typed
 * client; {@link RawHttp} sends what no HTTP client would. Thread-safe.
 */
final class Api {
    private final String base;
    private final String key;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A client of the shared cluster's gateway with the shared test key. */
    Api(String base) {
        this(base, SharedCluster.key());
    }

    /** A client calling with {@code key} (null: no Authorization header). */
    Api(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** The gateway's base URL. */
    String base() {
        return base;
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    HttpResponse<String> post(String path, String contentType, String body) {
        HttpRequest.Builder b = authorized(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> submit(Map<String, ?> job) {
        try {
            return post("/v1/jobs", "application/json", Json.MAPPER.writeValueAsString(job));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(
                authorized(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String url) {
        // a presigned URL carries its own signature; a gateway path needs the key
        HttpRequest.Builder b = url.startsWith("http")
                ? HttpRequest.newBuilder(URI.create(url))
                : authorized(HttpRequest.newBuilder(URI.create(base + url)));
        return send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = authorized(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body)));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with one further header (e.g. Idempotency-Key, or a raw Authorization). */
    HttpResponse<String> sendWith(String method, String path, String header, String value) {
        return sendWith(method, path, header, value, null, null);
    }

    /** A request with one further header and a body. */
    HttpResponse<String> sendWith(
            String method, String path, String header, String value, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!header.equalsIgnoreCase("Authorization")) {
            b = authorized(b);
        }
        b.header(header, value);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode job(String id) {
        return json(get("/v1/jobs/" + id).body());
    }

    /** Polls until the job is final or the deadline passes; returns the last view. */
    JsonNode awaitFinal(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode j = job(id);
        while (!isFinal(j) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            j = job(id);
        }
        return j;
    }

    private static boolean isFinal(JsonNode j) {
        String s = j.path("status").asText();
        return s.equals("succeeded") || s.equals("failed") || s.equals("cancelled");
    }

    static JsonNode json(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> h) {
        try {
            return http.send(r, h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
