package dev.ttscluster.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A patient client of the gateway, as an application behind a retrying SDK would be: every call is
 * retried while the gateway is unreachable (connection refused or reset), unavailable (503), busy
 * (429), or not yet accepting the shared key (401, while the key work lands), until a deadline. It
 * counts what it was answered on the way. Thread-safe.
 */
final class ChaosClient {
    private static final long RETRY_MS = 200;

    private final Api api;
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();

    ChaosClient(Api api) {
        this.api = api;
    }

    /**
     * Submits a job and returns its id once the gateway accepted it (202).
     *
     * @throws AssertionError when the gateway answers a client error other than 401/429, or never
     *     accepts it within {@code timeout}
     */
    String submit(String text, Duration timeout) throws InterruptedException {
        HttpResponse<String> r = call(() -> api.submit(Map.of("text", text, "voice", SharedCluster.VOICE)), timeout);
        if (r.statusCode() != 202) {
            throw new AssertionError("submission refused with " + r.statusCode() + ": " + r.body());
        }
        return Api.json(r.body()).get("id").asText();
    }

    /** The job view, retried like {@link #submit}. */
    JsonNode view(String id, Duration timeout) throws InterruptedException {
        HttpResponse<String> r = call(() -> api.get("/v1/jobs/" + id), timeout);
        if (r.statusCode() != 200) {
            throw new AssertionError("job " + id + ": " + r.statusCode() + " " + r.body());
        }
        return Api.json(r.body());
    }

    /** The bytes behind a presigned URL (straight from S3), retried while S3 is unreachable. */
    byte[] download(String url, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<byte[]> r = api.getBytes(url);
                if (r.statusCode() == 200) {
                    return r.body();
                }
                count("download " + r.statusCode());
            } catch (UncheckedIOException e) {
                count("download unreachable");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not download " + url);
            }
            Thread.sleep(RETRY_MS);
        }
    }

    /** How often each kind of answer made the client wait and retry, e.g. {@code POST 503: 12}. */
    Map<String, Integer> refusals() {
        Map<String, Integer> out = new TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private <T> HttpResponse<T> call(Supplier<HttpResponse<T>> request, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing";
        while (true) {
            try {
                HttpResponse<T> r = request.get();
                int s = r.statusCode();
                if (s != 503 && s != 429 && s != 401 && s != 502) {
                    return r;
                }
                last = s + " " + r.body();
                count(r.request().method() + " " + s);
            } catch (UncheckedIOException e) {
                last = "unreachable: " + e.getMessage();
                count("gateway unreachable");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gateway did not answer within " + timeout + "; last: " + last);
            }
            Thread.sleep(RETRY_MS);
        }
    }

    private void count(String what) {
        refusals.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }
}
