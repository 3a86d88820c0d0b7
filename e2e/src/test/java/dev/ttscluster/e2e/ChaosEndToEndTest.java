package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.deploy.local.LocalServers;
import dev.ttscluster.state.JobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The chaos suite: on the shared local cluster with 2 workers, 200 short jobs run while, one
 * after the other and each with work in flight, a worker JVM is killed with SIGKILL mid-batch, the
 * job-state Redis restarts (append-only persistence), the S3 server is down for 10 s, the Kafka broker
 * restarts and the gateway restarts. Then every job has succeeded, no segment is missing or counted twice,
 * and each job's audio matches a clean run of its text. The figures (jobs, faults with their recovery,
 * redeliveries, duplicates suppressed, longest recovery) are written to {@code docs/RELIABILITY.md}
 * (another path with {@code -Dtts.chaos.report=FILE}).
 *
 * <p>Jobs go in 5 waves of 40, one per fault: 30 before it (the fault waits until the wave is being
 * synthesized) and 10 while the component is down, so submissions meet each outage too. The cluster is
 * left healthy for the tests that follow: every server up, the gateway ready on its port, 2 workers.
 *
 * <p>Its own test group, JUnit tag {@code chaos}: it runs in the default {@code mvn verify}
 * ({@code deploy/ci/test-all}), and alone with
 * {@code DJL_OFFLINE=true mvn -B -pl e2e verify -Dgroups=chaos} (the other modules installed
 * first); {@code -DexcludedGroups=chaos} leaves it out. About 2 to 3 minutes on 2 cores.
 */
@Tag("chaos")
@OnSharedCluster
class ChaosEndToEndTest {
    static final int JOBS = 200;
    static final int WAVE = 40;
    /** Of each wave, submitted while the fault's component is down. */
    static final int DURING = 10;
    /** How long the job-state Redis and the broker stay down in their restart. */
    static final long RESTART_DOWN_MS = 2_000;

    static final long S3_DOWN_MS = 10_000;
    /**
     * Largest sample difference from the clean run, of 32768. Batching alone moves the lowest bits: with no
     * fault, some segments synthesized in a batch differ from the same segment alone by up to 15 in a few
     * hundred samples (measured); a missing, doubled or wrong segment differs by thousands or changes the
     * length.
     */
    static final int TOLERANCE = ReferenceSynthesis.TOLERANCE;
    /** The tolerance {@link JobLifecycleEndToEndTest} uses; jobs beyond it are counted, not failed. */
    static final int STRICT = 2;

    static final long GATEWAY_GRACE_MS = 30_000;
    static final Duration PATIENCE = Duration.ofMinutes(3);

    static final String[] PHRASES = {
        "Your table for two is ready",
        "The parcel left our depot this morning",
        "Please check the spelling of your name",
        "We moved your appointment to Friday",
        "The next train leaves from platform four",
        "Thanks for waiting on the line",
        "Your refund has been approved",
        "Can I help with anything else",
        "The store closes at nine tonight",
        "A new password was sent to you",
    };

    private final long runTag = System.nanoTime() % 1000;
    private final List<String> texts = new ArrayList<>();
    private final AtomicReferenceArray<String> ids = new AtomicReferenceArray<>(JOBS);
    private final AtomicLongArray acceptedAt = new AtomicLongArray(JOBS);
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();
    private final Semaphore permits = new Semaphore(0);
    private final AtomicReference<Throwable> submitError = new AtomicReference<>();
    private final List<Injected> faults = new ArrayList<>();
    private LocalCluster cluster;
    private LocalServers servers;
    private ChaosClient client;
    private JobStore store;
    private OffsetMonitor offsets;
    private long firstSubmitMs;
    /** Records not yet committed on the killed worker's partitions when it died. */
    private long takenOver;

    private String replacementNote = "";

    /** 1 to 3 sentences, each unique in the run (so the segment cache cannot serve it). */
    String text(int i) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + i % 3;
        for (int k = 0; k < n; k++) {
            int s = i * 3 + k;
            sb.append(PHRASES[s % PHRASES.length])
                    .append(", check ")
                    .append(runTag)
                    .append(' ')
                    .append(s)
                    .append(i % 4 == 0 && k == n - 1 ? "!" : ".")
                    .append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void twoHundredJobsSucceedThroughEveryFaultWithNoSegmentMissingOrCountedTwice() throws Exception {
        cluster = SharedCluster.get();
        Assumptions.assumeTrue(cluster.servers() instanceof LocalServers, "needs the local servers, to restart them");
        servers = (LocalServers) cluster.servers();
        SharedCluster.restoreWorkers();
        client = new ChaosClient(new Api(cluster.gatewayUrl()));
        Map<String, String> env = servers.env();
        for (int i = 0; i < JOBS; i++) {
            texts.add(text(i));
        }
        ChaosReport.Run run;
        Thread submitter = new Thread(this::submitAll, "chaos-submitter");
        try (JobStore jobs = JobStore.connect(env.get(InfraConfig.REDIS_URL.name()), Clock.systemUTC(), 3600);
                OffsetMonitor monitor = new OffsetMonitor(env.get(InfraConfig.KAFKA_BOOTSTRAP.name()))) {
            store = jobs;
            offsets = monitor;
            firstSubmitMs = System.currentTimeMillis();
            submitter.start();
            faults.add(phase(0, this::killWorker));
            long t = System.currentTimeMillis();
            SharedCluster.restoreWorkers(); // as a supervisor would: a replacement node joins
            replacementNote = " After the worker kill was recovered, a replacement worker was started (ready in "
                    + ChaosReport.seconds(System.currentTimeMillis() - t) + ") while the jobs went on.";
            faults.add(phase(1, this::restartRedis));
            faults.add(phase(2, this::s3Outage));
            faults.add(phase(3, this::restartKafka));
            faults.add(phase(4, this::restartGateway));
            submitter.join(PATIENCE.toMillis());
            assertThat(submitError.get()).as("submissions").isNull();
            assertThat(accepted.get()).as("jobs accepted").isEqualTo(JOBS);
            awaitAllFinal();
            run = verify();
        } finally {
            submitter.interrupt();
            leaveHealthy();
        }
        Path page = Path.of(System.getProperty(
                "tts.chaos.report",
                SharedCluster.repoRoot().resolve("docs/RELIABILITY.md").toString()));
        new ChaosReport(run).write(page);
        System.out.println(
                "chaos: " + run.succeeded() + "/" + run.jobs() + " succeeded, " + run.missing() + " missing, "
                        + run.doubleCounted() + " counted twice, " + run.duplicates()
                        + " duplicates suppressed, longest recovery "
                        + run.longest()
                                .map(f -> ChaosReport.seconds(f.recoveryMs().get()) + " (" + f.what() + ")")
                                .orElse("-")
                        + "; written to " + page);

        assertThat(run.succeeded())
                .as("jobs succeeded; not: %s", run.notSucceeded())
                .isEqualTo(JOBS);
        assertThat(run.missing()).as("segments missing").isZero();
        assertThat(run.doubleCounted()).as("segments counted twice").isZero();
        assertThat(run.audioMismatches())
                .as("jobs whose audio differs from the clean run")
                .isZero();
        for (ChaosReport.Fault f : run.faults()) {
            assertThat(f.jobsInFlight()).as("jobs in flight at: %s", f.what()).isPositive();
            assertThat(f.recoveryMs()).as("recovery after: %s", f.what()).isPresent();
        }
        assertThat(run.passed()).isTrue();
        assertThat(cluster.workers()).as("workers left running").hasSize(SharedCluster.WORKERS);
        assertThat(new Api(cluster.gatewayUrl()).get("/readyz").statusCode())
                .as("gateway ready afterwards")
                .isEqualTo(200);
    }

    // ---- submissions ----

    private void submitAll() {
        try {
            for (int i = 0; i < JOBS; i++) {
                permits.acquire();
                ids.set(i, client.submit(texts.get(i), PATIENCE));
                acceptedAt.set(i, System.currentTimeMillis());
                accepted.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            submitError.set(t);
        }
    }

    private void release(int n) {
        released.addAndGet(n);
        permits.release(n);
    }

    /** The first acceptance after {@code t}, if any. */
    private Optional<Long> firstAcceptedAfter(long t) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < JOBS; i++) {
            long a = acceptedAt.get(i);
            if (a > t) {
                best = Math.min(best, a);
            }
        }
        return best == Long.MAX_VALUE ? Optional.empty() : Optional.of(best);
    }

    private List<String> acceptedIds() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            if (ids.get(i) != null) {
                out.add(ids.get(i));
            }
        }
        return out;
    }

    /** Status of each accepted job, or null while the job-state Redis does not answer. */
    private Map<String, JobStatus> statusesOrNull() {
        try {
            return store.statuses(acceptedIds());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Status of each accepted job, asked again while the job-state Redis does not answer (pooled connections to a
     * restarted server fail once each). */
    private Map<String, JobStatus> statuses() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        Map<String, JobStatus> st;
        while ((st = statusesOrNull()) == null) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the job-state Redis does not answer");
            }
            Thread.sleep(100);
        }
        return st;
    }

    private static boolean isFinal(JobStatus s) {
        return s == JobStatus.SUCCEEDED || s == JobStatus.FAILED || s == JobStatus.CANCELLED;
    }

    /** Accepted jobs that are final, or -1 while the job-state Redis does not answer. */
    private int finalCountOrMinus() {
        Map<String, JobStatus> st = statusesOrNull();
        return st == null
                ? -1
                : (int) st.values().stream().filter(ChaosEndToEndTest::isFinal).count();
    }

    // ---- faults ----

    /**
     * What a fault reports back to {@link #phase}.
     *
     * @param startMs when it began
     * @param endMs when it ended: the process dead, or the component back (and ready)
     * @param live polled after the end until it says when the cluster made progress again
     * @param precise with every job record at hand afterwards, a more exact moment (or empty: keep the live one)
     * @param recoveredWhen what the moment is, in words
     */
    private record Window(
            long startMs, long endMs, String what, String note, Probe live, Precise precise, String recoveredWhen) {}

    /** With every job record at hand afterwards, when the cluster made progress again (empty: keep the live moment). */
    private interface Precise {
        Optional<Long> at(List<JobRecord> records, int pendingAtEnd);
    }

    /** Tells, after a fault that ended at {@code endMs}, when the cluster made progress again (empty: not yet). */
    private interface Probe {
        Optional<Long> at(long endMs, int pendingAtEnd) throws InterruptedException;
    }

    private interface Injection {
        Window inject() throws Exception;
    }

    /** A fault as {@link #phase} measured it, refined by {@link #verify} into the report's figure. */
    private record Injected(
            Window window, int jobsInFlight, long uncommitted, int pendingAtEnd, Optional<Long> liveRecoveredAt) {
        ChaosReport.Fault measured(List<JobRecord> records) {
            Optional<Long> at = window.precise().at(records, pendingAtEnd).or(() -> liveRecoveredAt);
            return new ChaosReport.Fault(
                    window.what(),
                    window.startMs(),
                    window.endMs(),
                    jobsInFlight,
                    uncommitted,
                    at.map(t -> Math.max(0, t - window.endMs())),
                    window.recoveredWhen(),
                    window.note());
        }
    }

    /**
     * Runs one wave: submits its first part, waits until the workers are on it, injects the fault (which
     * releases the rest of the wave while its component is down), then waits until the cluster recovered.
     */
    private Injected phase(int wave, Injection fault) throws Exception {
        release(WAVE - DURING);
        int before = wave * WAVE + WAVE - DURING;
        await("wave " + (wave + 1) + " accepted and being synthesized", Duration.ofMinutes(2), () -> {
            if (submitError.get() != null) {
                throw new AssertionError("submissions failed", submitError.get());
            }
            Map<String, JobStatus> st = accepted.get() < before ? null : statusesOrNull();
            for (int i = wave * WAVE; st != null && i < before; i++) {
                JobStatus s = st.get(ids.get(i));
                if (s == JobStatus.RUNNING || s == JobStatus.SUCCEEDED) {
                    return true;
                }
            }
            return false;
        });
        int inFlight =
                (int) statuses().values().stream().filter(s -> !isFinal(s)).count();
        long uncommitted =
                offsets.sample().map(s -> s.uncommitted(s.end().keySet())).orElse(-1L);
        Window w = fault.inject();
        int pendingAtEnd = released.get() - accepted.get();
        Optional<Long> recovered = Optional.empty();
        long deadline = System.currentTimeMillis() + PATIENCE.toMillis();
        while (System.currentTimeMillis() < deadline && (recovered = w.live().at(w.endMs(), pendingAtEnd)).isEmpty()) {
            Thread.sleep(100);
        }
        System.out.println("chaos: " + w.what() + ": " + inFlight + " jobs in flight, recovered "
                + recovered
                        .map(t -> ChaosReport.seconds(t - w.endMs()) + " after it ended")
                        .orElse("never"));
        return new Injected(w, inFlight, uncommitted, pendingAtEnd, recovered);
    }

    /** Progress resumed once a job finishes after the fault: live, the count of final jobs grows past its count at
     * the end; precisely, the first finish time (the worker's clock) after the end. */
    private Probe aJobFinishes() throws InterruptedException {
        int finalAtEnd = (int)
                statuses().values().stream().filter(ChaosEndToEndTest::isFinal).count();
        return (end, pending) ->
                finalCountOrMinus() > finalAtEnd ? Optional.of(System.currentTimeMillis()) : Optional.empty();
    }

    private static Optional<Long> firstFinishAfter(long t, List<JobRecord> records) {
        return records.stream().map(JobRecord::finishedMs).filter(f -> f > t).min(Long::compare);
    }

    /** The gateway accepted a job again after {@code end} (when submissions were waiting at the end). */
    private Optional<Long> acceptedAgain(long end, int pending) {
        return pending == 0 ? Optional.of(end) : firstAcceptedAfter(end);
    }

    /** The group's offsets now, asked again while the broker does not answer. */
    private OffsetMonitor.Sample sampleNow() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        Optional<OffsetMonitor.Sample> s;
        while ((s = offsets.sample()).isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the Kafka broker does not answer");
            }
            Thread.sleep(100);
        }
        return s.get();
    }

    private static Optional<Long> both(Optional<Long> a, Optional<Long> b) {
        return a.isPresent() && b.isPresent() ? Optional.of(Math.max(a.get(), b.get())) : Optional.empty();
    }

    private Window killWorker() throws Exception {
        ChildJvm victim = cluster.workers().get(0);
        // mid-batch: wait until the victim holds records it has not made durable yet
        AtomicReference<Set<Integer>> parts = new AtomicReference<>(Set.of());
        await(victim.name() + " holding work not yet durable", Duration.ofMinutes(1), () -> {
            parts.set(offsets.partitionsOf(victim.name()));
            return !parts.get().isEmpty()
                    && offsets.sample().map(s -> s.uncommitted(parts.get()) > 0).orElse(false);
        });
        long start = System.currentTimeMillis();
        victim.kill();
        long end = System.currentTimeMillis();
        assertThat(victim.isAlive()).isFalse();
        release(DURING);
        OffsetMonitor.Sample atKill = sampleNow();
        Set<Integer> held = parts.get();
        takenOver = atKill.uncommitted(held);
        return new Window(
                start,
                end,
                victim.name() + " killed with SIGKILL mid-batch",
                "Worker kill: " + victim.name() + " held interactive partitions " + held + " with " + takenOver
                        + " records not yet committed.",
                (e, pending) -> offsets.takenOverAfter(e, held, atKill.committed()),
                (r, p) -> Optional.empty(),
                "the surviving worker had made the killed worker's partitions durable (after the 6 s session timeout)");
    }

    private Window restartRedis() throws Exception {
        String marker = "tts:chaos:marker:" + runTag;
        try (UnifiedJedis redis = JobStore.client(servers.redis().url(), 2000)) {
            String aof = redis.info("persistence")
                    .lines()
                    .filter(l -> l.startsWith("aof_enabled:"))
                    .findFirst()
                    .orElse("?")
                    .trim();
            int recordsBefore = statuses().size();
            redis.set(marker, "written just before the stop");
            long start = System.currentTimeMillis();
            servers.redis().stop();
            release(DURING);
            Thread.sleep(RESTART_DOWN_MS);
            servers.redis().start();
            long end = System.currentTimeMillis();
            String back = null;
            for (int attempt = 0; attempt < 50 && back == null; attempt++) {
                try {
                    back = redis.get(marker);
                } catch (RuntimeException e) {
                    Thread.sleep(100); // each pooled connection to the old process fails once
                }
            }
            int recordsAfter = statuses().size();
            assertThat(aof)
                    .as("job-state Redis runs with append-only persistence")
                    .isEqualTo("aof_enabled:1");
            assertThat(back).as("a key written just before the stop").isNotNull();
            assertThat(recordsAfter).as("job records after the restart").isGreaterThanOrEqualTo(recordsBefore);
            Probe finishes = aJobFinishes();
            return new Window(
                    start,
                    end,
                    "job-state Redis restarted (SIGTERM, started again on its port)",
                    "Redis restart: " + aof + "; the " + recordsBefore + " job records accepted by then, and a key "
                            + "written just before the stop, were all read back after the start.",
                    (e, pending) -> both(finishes.at(e, pending), acceptedAgain(e, pending)),
                    (r, p) -> both(firstFinishAfter(end, r), acceptedAgain(end, p)),
                    "a job finished and the gateway accepted a job again");
        }
    }

    private Window s3Outage() throws Exception {
        long start = System.currentTimeMillis();
        servers.s3().stop();
        release(DURING);
        Thread.sleep(S3_DOWN_MS);
        servers.s3().start();
        long end = System.currentTimeMillis();
        return new Window(
                start,
                end,
                "S3 server stopped for " + S3_DOWN_MS / 1000 + " s",
                "",
                aJobFinishes(),
                (r, p) -> firstFinishAfter(end, r),
                "a job finished (its segments read and its audio written to S3)");
    }

    private Window restartKafka() throws Exception {
        OffsetMonitor.Sample before = sampleNow();
        long start = System.currentTimeMillis();
        servers.kafka().stop();
        release(DURING);
        Thread.sleep(RESTART_DOWN_MS);
        servers.kafka().start();
        long end = System.currentTimeMillis();
        OffsetMonitor.Sample after = sampleNow();
        for (var e : before.end().entrySet()) {
            assertThat(after.end().getOrDefault(e.getKey(), -1L))
                    .as("log end of partition %d after the restart", e.getKey())
                    .isGreaterThanOrEqualTo(e.getValue());
            assertThat(after.committed().getOrDefault(e.getKey(), -1L))
                    .as("committed offset of partition %d after the " + "restart", e.getKey())
                    .isGreaterThanOrEqualTo(before.committed().getOrDefault(e.getKey(), -1L));
        }
        long records = before.end().values().stream().mapToLong(Long::longValue).sum();
        return new Window(
                start,
                end,
                "Kafka broker restarted (controlled shutdown, started again on its ports and log " + "directory)",
                "Broker restart: every interactive partition's log end offset (" + records
                        + " records in all) and the workers' committed offsets were at least as far after the restart as before.",
                (e, pending) -> both(offsets.firstAdvanceAfter(e), acceptedAgain(e, pending)),
                (r, p) -> Optional.empty(),
                "the workers committed offsets again and the gateway accepted (published) a job again");
    }

    private Window restartGateway() throws Exception {
        String url = cluster.gatewayUrl();
        ChildJvm old = cluster.gateway();
        long start = System.currentTimeMillis();
        old.stop(GATEWAY_GRACE_MS);
        long exited = System.currentTimeMillis() - start;
        release(DURING);
        cluster.startGateway();
        long end = System.currentTimeMillis();
        assertThat(cluster.gatewayUrl()).isEqualTo(url);
        String stop = exited < GATEWAY_GRACE_MS
                ? "the old process exited " + ChaosReport.seconds(exited) + " after SIGTERM"
                : "the old process had not exited " + GATEWAY_GRACE_MS / 1000 + " s after SIGTERM and was killed";
        return new Window(
                start,
                end,
                "gateway restarted (SIGTERM, a new process on its port)",
                "Gateway restart: " + stop
                        + ", the new one was ready " + ChaosReport.seconds(end - start - exited)
                        + " later on the same address; "
                        + "submissions made meanwhile were retried by the client until accepted.",
                this::acceptedAgain,
                (r, p) -> Optional.empty(),
                "the gateway accepted a job again");
    }

    // ---- checks ----

    private void awaitAllFinal() throws Exception {
        await("every job final", PATIENCE, () -> finalCountOrMinus() == JOBS);
    }

    private ChaosReport.Run verify() throws Exception {
        List<JobRecord> records = new ArrayList<>();
        Map<String, String> notSucceeded = new LinkedHashMap<>();
        int segments = 0;
        int missing = 0;
        int doubled = 0;
        int duplicates = 0;
        int mismatches = 0;
        int beyondStrict = 0;
        int maxDiff = 0;
        long lastFinish = 0;
        for (int i = 0; i < JOBS; i++) {
            String id = ids.get(i);
            JobRecord r = store.get(id).orElseThrow(() -> new AssertionError("no record of job " + id));
            records.add(r);
            segments += r.segments();
            missing += Math.max(0, r.segments() - r.done());
            doubled += Math.max(0, r.done() - r.segments());
            duplicates += r.duplicates();
            lastFinish = Math.max(lastFinish, r.finishedMs());
            if (r.status() != JobStatus.SUCCEEDED) {
                notSucceeded.put(id, r.status().wire() + (r.error().isEmpty() ? "" : ": " + r.error()));
                continue;
            }
            JsonNode view = client.view(id, PATIENCE);
            short[] audio = ReferenceSynthesis.samples(
                    client.download(view.get("audio_url").asText(), PATIENCE));
            short[] clean = ReferenceSynthesis.expected(texts.get(i), 1.0);
            if (audio.length < clean.length) {
                missing++;
            } else if (audio.length > clean.length) {
                doubled++;
            }
            int diff = audio.length == clean.length ? 0 : Integer.MAX_VALUE;
            for (int s = 0; s < Math.min(audio.length, clean.length); s++) {
                diff = Math.max(diff, Math.abs(audio[s] - clean[s]));
            }
            if (diff > STRICT) {
                beyondStrict++;
            }
            if (diff > TOLERANCE) {
                mismatches++;
                System.out.println("chaos: job " + i + " (" + id + ") audio " + audio.length + " samples against "
                        + clean.length + " clean; largest difference " + diff);
            } else {
                maxDiff = Math.max(maxDiff, diff);
            }
        }
        List<ChaosReport.Fault> measured = new ArrayList<>();
        for (Injected f : faults) {
            measured.add(f.measured(records));
        }
        String machine = Runtime.getRuntime().availableProcessors() + " cores; memory " + memory() + "; "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + "; Java "
                + System.getProperty("java.version");
        String workload = JOBS + " jobs of 1 to 3 short sentences (" + segments + " segments), every sentence unique "
                + "(no segment-cache hits), in 5 waves of " + WAVE + ", one per fault: " + (WAVE - DURING)
                + " submitted "
                + "before it, " + DURING + " while the component was down." + replacementNote;
        return new ChaosReport.Run(
                System.currentTimeMillis(),
                machine,
                commit(),
                JOBS,
                accepted.get(),
                JOBS - notSucceeded.size(),
                notSucceeded,
                segments,
                missing,
                doubled,
                mismatches,
                TOLERANCE,
                maxDiff,
                beyondStrict,
                STRICT,
                duplicates,
                takenOver,
                measured,
                firstSubmitMs,
                lastFinish,
                client.refusals(),
                workload);
    }

    // ---- cluster ----

    /** Starts whatever a fault left stopped, so the tests after this one find the whole cluster. */
    private void leaveHealthy() {
        List<String> started = servers.startStopped();
        if (!started.isEmpty()) {
            System.out.println("chaos: started again after a failure: " + started);
        }
        if (cluster.gateway() == null || !cluster.gateway().isAlive()) {
            cluster.startGateway();
        }
        SharedCluster.restoreWorkers();
        Api api = new Api(cluster.gatewayUrl());
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (api.get("/readyz").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static String memory() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return String.format(java.util.Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / (double) (1L << 30));
        }
        return "unknown";
    }

    /** The checked-out commit, saying so when the working tree has changes on top of it. */
    private static String commit() {
        String head = git("rev-parse", "--short", "HEAD");
        if (head == null || head.isEmpty()) {
            return "unknown";
        }
        String changes = git("status", "--porcelain", "--untracked-files=no");
        return changes == null || changes.isEmpty() ? head : head + " with uncommitted changes";
    }

    private static String git(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("git"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd)
                    .directory(SharedCluster.repoRoot().toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (Exception e) {
            return null;
        }
    }
}
