package dev.ttscluster.deploy.e2e;

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

/** A small HTTP client for the gateway's API, as a user would call it. Thread-safe. */
final class Api {
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(String base) {
        this.base = base;
    }

    HttpResponse<String> post(String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
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
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String url) {
        String full = url.startsWith("http") ? url : base + url;
        return send(HttpRequest.newBuilder(URI.create(full)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
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

    static boolean isFinal(JsonNode j) {
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
