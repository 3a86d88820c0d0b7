package dev.ttscluster.bench;

import dev.ttscluster.client.api.BookUpload;
import dev.ttscluster.client.api.BookView;
import dev.ttscluster.client.api.TtsApiException;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Interactive latency while a book saturates the worker: on one fresh cluster, the same
 * open-loop interactive load first with nothing else to do (idle), then while a book far longer than
 * the step is being synthesized on the bulk lane. The book's own progress during the step shows it kept
 * the worker busy; it is cancelled afterwards.
 */
final class BookBench extends PartBench<BookBench.Options> {
    /**
     * @param ratePerSecond interactive jobs per second
     * @param seconds length of each step
     * @param bookChapters chapters of the book
     * @param chapterSentences sentences per chapter
     * @param warmupJobs jobs run first
     * @param drainSeconds longest wait for a step's jobs after its last arrival
     * @param nice nice value for every process but the worker
     */
    record Options(
            double ratePerSecond,
            double seconds,
            int bookChapters,
            int chapterSentences,
            int warmupJobs,
            double drainSeconds,
            int nice) {}

    static final long SEED = 61;

    BookBench(Path dataRoot, Path model, Options opts, Consumer<String> log) {
        super(dataRoot, model, opts, log);
    }

    Results.BookRun run(Map<String, String> env) throws Exception {
        Path data = dataRoot.resolve("book-bench");
        Files.createDirectories(data);
        log.accept("book lane: starting the cluster (Kafka, Redis, S3, gateway, 1 worker)");
        try (LocalCluster cluster = LocalCluster.start(data, 0, 1, model, env);
                LoadRun load = new LoadRun(cluster.gatewayUrl(), cluster.createApiKey("bench"))) {
            ChildJvm worker = cluster.workers().get(0);
            Priorities.deprioritizeAllBut(List.of(worker.pid()), opts.nice(), "book lane", log);
            load.burst(new Workload(99).mix(opts.warmupJobs(), BenchMain.LONG_EVERY), BenchMain.LONG_EVERY, 300);
            Map<String, Long> pids = ClusterBench.processes(cluster, worker);
            CpuUse cpu0 = CpuUse.snapshot(pids);
            Results.Latency idle = step(load, "idle");
            CpuUse idleCpu = CpuUse.snapshot(pids).since(cpu0);

            String book = book();
            TtsClient books = TtsClient.builder(cluster.gatewayUrl())
                    .apiKey(cluster.createApiKey("bench-books"))
                    .pollInterval(Duration.ofMillis(100))
                    .build();
            String id = books.submitBook(BookUpload.of(book.getBytes(StandardCharsets.UTF_8), "text/markdown")
                            .withTitle("Bench"))
                    .view()
                    .id();
            // until the worker is on the book
            BookView view = books.awaitBook(id, Duration.ofSeconds(60), v -> v.segmentsDone() > 0, v -> {});
            long before = view.segmentsDone();
            long total = view.segments();
            CpuUse cpu1 = CpuUse.snapshot(pids);
            Results.Latency loaded = step(load, "while the book runs");
            CpuUse loadedCpu = CpuUse.snapshot(pids).since(cpu1);
            BookView after = books.book(id);
            long done = after.segmentsDone();
            try {
                books.cancelBook(id);
            } catch (TtsApiException e) {
                // the book finished first: nothing to cancel
            }
            log.accept(String.format(
                    "book lane: interactive p95 idle %.3f s, with the book %.3f s (%.2fx); the book went "
                            + "from %d to %d of %d segments during the step",
                    idle.p95(), loaded.p95(), loaded.p95() / idle.p95(), before, done, total));
            return new Results.BookRun(
                    LocalDate.now(ZoneOffset.UTC).toString(),
                    opts.ratePerSecond(),
                    opts.seconds(),
                    book.length(),
                    total,
                    before,
                    done,
                    after.status(),
                    idle,
                    loaded,
                    env,
                    busy(idleCpu),
                    busy(loadedCpu),
                    loadedCpu.seconds().getOrDefault("worker", Double.NaN)
                            / Math.max(
                                    1e-9,
                                    loadedCpu.machineTotal()
                                            / Runtime.getRuntime().availableProcessors()));
        }
    }

    private static double busy(CpuUse c) {
        return c.machineTotal() == 0 ? Double.NaN : c.machineBusy() / c.machineTotal();
    }

    private Results.Latency step(LoadRun load, String name) throws InterruptedException {
        List<JobSample> samples = load.openLoop(
                opts.ratePerSecond(),
                opts.seconds(),
                BenchMain.LONG_EVERY,
                new Workload(SEED),
                SEED,
                opts.drainSeconds());
        List<JobSample> ok = samples.stream().filter(JobSample::succeeded).toList();
        if (ok.size() < samples.size()) {
            log.accept("book lane, " + name + ": " + (samples.size() - ok.size()) + " of " + samples.size()
                    + " interactive jobs did not succeed");
        }
        return CacheBench.latency(ok, j -> true);
    }

    /** A book far longer than one step: chapters of long customer-service paragraphs, none alike. */
    private String book() {
        Workload w = new Workload(SEED + 1);
        StringBuilder md = new StringBuilder("# Bench\n\n");
        for (int c = 0; c < opts.bookChapters(); c++) {
            md.append("## Chapter ").append(c + 1).append("\n\n");
            for (int s = 0; s < opts.chapterSentences(); s += 3) {
                md.append(w.next(Workload.Kind.LONG)).append("\n\n");
            }
        }
        return md.toString();
    }
}
