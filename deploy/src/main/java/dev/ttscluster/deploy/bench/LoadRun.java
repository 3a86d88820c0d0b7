package dev.ttscluster.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Drives the gateway like its users: submits jobs (open loop: arrivals do not wait for answers),
 * then reads each job's timestamps once it is final. Nothing polls while jobs are being submitted,
 * so the measurement adds no load of its own beyond the submissions; latencies come from the
 * cluster's own timestamps (first_audio_at, finished_at) against the client's submit time, on the
 * same machine clock.
 */
public final class LoadRun implements AutoCloseable {
    /** Characters from which a job counts as long in {@link #openLoop(double, double, Supplier, long, double)}. */
    public static final int LONG_CHARS = 100;

    private record Submitted(Workload.Kind kind, long submitMs, CompletableFuture<HttpResponse<String>> response) {
    }

    private final String gateway;
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "load");
        t.setDaemon(true);
        return t;
    });
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().executor(pool).connectTimeout(Duration.ofSeconds(5)).build();

    static {
        // drop idle connections before the gateway's server does, so a request is not sent down a closed one
        System.setProperty("jdk.httpclient.keepalive.timeout", System.getProperty("jdk.httpclient.keepalive.timeout", "5"));
    }

    /**
     * @param gatewayUrl the gateway's base URL
     * @param apiKey sent as {@code Authorization: Bearer} on every request
     */
    public LoadRun(String gatewayUrl, String apiKey) {
        this.gateway = gatewayUrl;
        this.authorization = "Bearer " + apiKey;
    }

    /**
     * Open-loop load: Poisson arrivals at {@code ratePerSecond} for {@code seconds}, job kinds from
     * {@code longEvery} (every n-th job long), texts from {@code workload}; waits for every job to
     * finish (at most {@code drainSeconds} after the last arrival).
     */
    public List<JobSample> openLoop(double ratePerSecond, double seconds, int longEvery, Workload workload, long seed,
                                    double drainSeconds) throws InterruptedException {
        int[] i = {0};
        return openLoop(ratePerSecond, seconds, () -> workload.next(kind(i[0]++, longEvery)), seed, drainSeconds);
    }

    /**
     * Open-loop load: Poisson arrivals at {@code ratePerSecond} for {@code seconds}, each job's text the
     * next of {@code texts}; waits for every job to finish (at most {@code drainSeconds} after the last
     * arrival). A job counts as long from {@link #LONG_CHARS} characters.
     */
    public List<JobSample> openLoop(double ratePerSecond, double seconds, Supplier<String> texts, long seed,
                                    double drainSeconds) throws InterruptedException {
        return openLoopJobs(ratePerSecond, seconds, () -> Map.of("text", texts.get()), seed, drainSeconds);
    }

    /**
     * As {@link #openLoop(double, double, Supplier, long, double)} with whole job bodies ({@code text} and any of
     * {@code voice}, {@code speed}, ...).
     */
    public List<JobSample> openLoopJobs(double ratePerSecond, double seconds, Supplier<Map<String, ?>> jobs, long seed,
                                        double drainSeconds) throws InterruptedException {
        Random r = new Random(seed);
        List<Submitted> sent = new ArrayList<>();
        long start = System.nanoTime();
        double t = 0;
        while (true) {
            t += -Math.log(1.0 - r.nextDouble()) / ratePerSecond;
            if (t >= seconds) {
                break;
            }
            long due = start + (long) (t * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            Map<String, ?> job = jobs.get();
            sent.add(submit(String.valueOf(job.get("text")).length() >= LONG_CHARS ? Workload.Kind.LONG : Workload.Kind.SHORT,
                    job));
        }
        return collect(sent, drainSeconds);
    }

    private static Workload.Kind kind(int i, int longEvery) {
        return longEvery > 0 && i % longEvery == longEvery - 1 ? Workload.Kind.LONG : Workload.Kind.SHORT;
    }

    /** All {@code texts} at once (a backlog): the cluster's throughput at saturation. */
    public List<JobSample> burst(List<String> texts, int longEvery, double drainSeconds) throws InterruptedException {
        List<Submitted> sent = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            sent.add(submit(kind(i, longEvery), Map.of("text", texts.get(i))));
        }
        return collect(sent, drainSeconds);
    }

    private Submitted submit(Workload.Kind kind, Map<String, ?> job) {
        String body;
        try {
            body = Json.MAPPER.writeValueAsString(job);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long now = System.currentTimeMillis();
        HttpRequest req = HttpRequest.newBuilder(URI.create(gateway + "/v1/jobs")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // a kept-alive connection the gateway closed while idle fails before any byte of an answer: the
        // request never reached the service, so it is sent once more on a fresh connection, as clients do
        return new Submitted(kind, now, send(req, 3));
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest req, int attempts) {
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).exceptionallyCompose(e ->
                attempts > 1 && staleConnection(e) ? send(req, attempts - 1) : CompletableFuture.failedFuture(e));
    }

    private static boolean staleConnection(Throwable e) {
        Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return c instanceof IOException && String.valueOf(c.getMessage()).contains("received no bytes");
    }

    private List<JobSample> collect(List<Submitted> sent, double drainSeconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + (long) (drainSeconds * 1000);
        List<String> ids = new ArrayList<>(sent.size());
        JobSample[] out = new JobSample[sent.size()];
        for (int i = 0; i < sent.size(); i++) {
            Submitted s = sent.get(i);
            try {
                HttpResponse<String> resp = s.response().join();
                if (resp.statusCode() != 202) {
                    out[i] = JobSample.unfinished(s.kind(), s.submitMs(), "rejected " + resp.statusCode());
                    ids.add(null);
                    continue;
                }
                ids.add(Json.MAPPER.readTree(resp.body()).get("id").asText());
            } catch (RuntimeException | IOException e) {
                out[i] = JobSample.unfinished(s.kind(), s.submitMs(), "rejected " + e.getMessage());
                ids.add(null);
            }
        }
        int open = (int) ids.stream().filter(java.util.Objects::nonNull).count();
        while (open > 0 && System.currentTimeMillis() < deadline) {
            for (int i = 0; i < sent.size(); i++) {
                if (out[i] != null || ids.get(i) == null) {
                    continue;
                }
                JsonNode job = get(ids.get(i));
                String status = job == null ? "" : job.path("status").asText();
                if (status.equals("succeeded") || status.equals("failed") || status.equals("cancelled")) {
                    out[i] = new JobSample(sent.get(i).kind(), sent.get(i).submitMs(), millis(job.get("first_audio_at")),
                            millis(job.get("finished_at")), status, job.path("audio_seconds").asDouble(0),
                            job.path("segments").asInt(0), job.path("segments_cached").asInt(0));
                    open--;
                } else {
                    break; // jobs finish roughly in order: look again later rather than poll every open job
                }
            }
            if (open > 0) {
                Thread.sleep(100);
            }
        }
        List<JobSample> result = new ArrayList<>(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            result.add(out[i] != null ? out[i]
                    : JobSample.unfinished(sent.get(i).kind(), sent.get(i).submitMs(), "timeout"));
        }
        return result;
    }

    private JsonNode get(String id) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/jobs/" + id))
                    .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static long millis(JsonNode iso) {
        return iso == null || iso.isNull() ? 0 : Instant.parse(iso.asText()).toEpochMilli();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
