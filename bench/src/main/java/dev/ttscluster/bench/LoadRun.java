package dev.ttscluster.bench;

import dev.ttscluster.client.api.Accepted;
import dev.ttscluster.client.api.JobRequest;
import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.TtsApiException;
import dev.ttscluster.client.api.TtsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

    private record Submitted(Workload.Kind kind, long submitMs, CompletableFuture<Accepted<JobView>> response) {}

    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "load");
        t.setDaemon(true);
        return t;
    });
    private final TtsClient client;

    static {
        // drop idle connections before the gateway's server does, so a request is not sent down a closed one
        System.setProperty(
                "jdk.httpclient.keepalive.timeout", System.getProperty("jdk.httpclient.keepalive.timeout", "5"));
    }

    /**
     * @param gatewayUrl the gateway's base URL
     * @param apiKey sent as {@code Authorization: Bearer} on every request
     */
    public LoadRun(String gatewayUrl, String apiKey) {
        this.client = TtsClient.builder(gatewayUrl)
                .apiKey(apiKey)
                .executor(pool)
                .connectTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(30))
                .build();
    }

    /**
     * Open-loop load: Poisson arrivals at {@code ratePerSecond} for {@code seconds}, job kinds from
     * {@code longEvery} (every n-th job long), texts from {@code workload}; waits for every job to
     * finish (at most {@code drainSeconds} after the last arrival).
     */
    public List<JobSample> openLoop(
            double ratePerSecond, double seconds, int longEvery, Workload workload, long seed, double drainSeconds)
            throws InterruptedException {
        int[] i = {0};
        return openLoop(ratePerSecond, seconds, () -> workload.next(kind(i[0]++, longEvery)), seed, drainSeconds);
    }

    /**
     * Open-loop load: Poisson arrivals at {@code ratePerSecond} for {@code seconds}, each job's text the
     * next of {@code texts}; waits for every job to finish (at most {@code drainSeconds} after the last
     * arrival). A job counts as long from {@link #LONG_CHARS} characters.
     */
    public List<JobSample> openLoop(
            double ratePerSecond, double seconds, Supplier<String> texts, long seed, double drainSeconds)
            throws InterruptedException {
        return openLoopJobs(ratePerSecond, seconds, () -> Map.of("text", texts.get()), seed, drainSeconds);
    }

    /**
     * As {@link #openLoop(double, double, Supplier, long, double)} with whole job bodies ({@code text} and any of
     * {@code voice}, {@code speed}, ...).
     */
    public List<JobSample> openLoopJobs(
            double ratePerSecond, double seconds, Supplier<Map<String, ?>> jobs, long seed, double drainSeconds)
            throws InterruptedException {
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
            sent.add(submit(
                    String.valueOf(job.get("text")).length() >= LONG_CHARS ? Workload.Kind.LONG : Workload.Kind.SHORT,
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
        JobRequest req = request(job);
        long now = System.currentTimeMillis();
        // a kept-alive connection the gateway closed while idle fails before any byte of an answer: the
        // request never reached the service, so it is sent once more on a fresh connection, as clients do
        return new Submitted(kind, now, send(req, 3));
    }

    /** A job body ({@code text} and any of {@code voice}, {@code speed}, {@code format}, {@code callback_url}) as a request. */
    private static JobRequest request(Map<String, ?> job) {
        Object speed = job.get("speed");
        return new JobRequest(
                String.valueOf(job.get("text")),
                (String) job.get("voice"),
                speed == null ? null : ((Number) speed).doubleValue(),
                (String) job.get("format"),
                (String) job.get("callback_url"),
                null);
    }

    private CompletableFuture<Accepted<JobView>> send(JobRequest req, int attempts) {
        return client.submitJobAsync(req)
                .exceptionallyCompose(e -> attempts > 1 && staleConnection(e)
                        ? send(req, attempts - 1)
                        : CompletableFuture.failedFuture(e));
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
                ids.add(s.response().join().view().id());
            } catch (CompletionException e) {
                out[i] = JobSample.unfinished(
                        s.kind(),
                        s.submitMs(),
                        "rejected "
                                + (e.getCause() instanceof TtsApiException a
                                        ? Integer.toString(a.status())
                                        : e.getMessage()));
                ids.add(null);
            } catch (RuntimeException e) {
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
                JobView job = get(ids.get(i));
                if (job != null && job.isFinal()) {
                    out[i] = new JobSample(
                            sent.get(i).kind(),
                            sent.get(i).submitMs(),
                            millis(job.firstAudioAt()),
                            millis(job.finishedAt()),
                            job.status(),
                            job.audioSeconds() == null ? 0 : job.audioSeconds(),
                            job.segments(),
                            job.segmentsCached());
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
            result.add(
                    out[i] != null
                            ? out[i]
                            : JobSample.unfinished(
                                    sent.get(i).kind(), sent.get(i).submitMs(), "timeout"));
        }
        return result;
    }

    private JobView get(String id) {
        try {
            return client.job(id);
        } catch (TtsApiException | UncheckedIOException e) {
            return null;
        }
    }

    private static long millis(Instant t) {
        return t == null ? 0 : t.toEpochMilli();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
