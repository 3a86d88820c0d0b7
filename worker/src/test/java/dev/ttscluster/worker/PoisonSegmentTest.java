package dev.ttscluster.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.storage.ObjectKeys;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import dev.ttscluster.testing.Eventually;
import dev.ttscluster.testing.FakeS3;
import dev.ttscluster.worker.assembly.JobAssembler;
import dev.ttscluster.worker.batch.BatchPolicy;
import dev.ttscluster.worker.frontend.Phonemizer;
import dev.ttscluster.worker.inference.BatchRunner;
import dev.ttscluster.worker.inference.DjlSynthesisModel;
import dev.ttscluster.worker.inference.Frontends;
import dev.ttscluster.worker.inference.ModelCall;
import dev.ttscluster.worker.inference.ModelManifest;
import dev.ttscluster.worker.inference.SynthesisInput;
import dev.ttscluster.worker.inference.SynthesisModel;
import dev.ttscluster.worker.inference.SynthesisOutput;
import dev.ttscluster.worker.ingest.SegmentConsumerLoop;
import dev.ttscluster.worker.ingest.StoreThreads;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.retry.Retrier;
import dev.ttscluster.worker.retry.Sleeper;
import dev.ttscluster.worker.store.JobFailures;
import dev.ttscluster.worker.store.SegmentWriter;
import dev.ttscluster.worker.store.UploadPools;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * A segment the model keeps rejecting, through the whole worker path: Kafka's mock consumer, the poll
 * loop, the pipeline with the placeholder bundle behind a model that throws whenever the bad row is in
 * its call, a real Redis for job state and a fake S3 for the audio.
 */
class PoisonSegmentTest {
    private static final Path BUNDLE =
            Path.of(System.getProperty("tts.repo.root", "..")).resolve("models/placeholder");
    private static final TopicPartition TP = new TopicPartition(Topics.SEGMENTS_INTERACTIVE, 0);
    private static final String BAD_TEXT = "this sentence poisons the engine";

    static RedisServer redis;
    static String redisUrl;
    static DjlSynthesisModel engine;
    static Phonemizer phonemizer;

    FakeS3 s3;
    JobStore jobs;
    AudioBucket bucket;
    InfraConfig infra;
    PoisonModel model;
    final List<String> deadLetters = new CopyOnWriteArrayList<>();
    final List<Long> pauses = new CopyOnWriteArrayList<>();
    final WorkerMetrics metrics = new WorkerMetrics(Clock.systemUTC());
    final StoreThreads storeThreads = new StoreThreads(2);
    final UploadPools uploads = new UploadPools(1);
    volatile OffsetAndMetadata lastCommit;

    final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            lastCommit = offsets.getOrDefault(TP, lastCommit);
        }

        @Override
        public synchronized void commitAsync(
                Map<TopicPartition, OffsetAndMetadata> offsets,
                org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
            super.commitAsync(offsets, callback);
            lastCommit = offsets.getOrDefault(TP, lastCommit);
        }
    };

    /** The placeholder bundle, except that a call holding the bad row throws (its first {@code failAlone} calls alone). */
    static final class PoisonModel implements SynthesisModel {
        final long[] bad = phonemizer.ids(BAD_TEXT);
        int failAlone = Integer.MAX_VALUE;
        int aloneCalls;
        int calls;

        @Override
        public List<SynthesisOutput> synthesize(List<SynthesisInput> rows) {
            calls++;
            boolean holdsBad = rows.stream().anyMatch(r -> Arrays.equals(r.phones(), bad));
            if (holdsBad && rows.size() == 1 && ++aloneCalls > failAlone) {
                return engine.synthesize(rows);
            }
            if (holdsBad) {
                throw new IllegalArgumentException("index out of range in self (row of " + bad.length + " phones)");
            }
            return engine.synthesize(rows);
        }

        @Override
        public ModelManifest manifest() {
            return engine.manifest();
        }

        @Override
        public void close() {}
    }

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        redis = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        redis.start();
        redisUrl = "redis://127.0.0.1:" + port;
        engine = DjlSynthesisModel.load(BUNDLE, 1);
        phonemizer = Frontends.forManifest(engine.manifest());
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @BeforeEach
    void connect() {
        s3 = new FakeS3();
        infra = InfraConfig.fromEnv(Map.of(
                InfraConfig.REDIS_URL.name(),
                redisUrl,
                InfraConfig.S3_ENDPOINT.name(),
                s3.endpoint(),
                InfraConfig.S3_ACCESS_KEY.name(),
                "ak",
                InfraConfig.S3_SECRET_KEY.name(),
                "sk"));
        jobs = JobStore.connect(redisUrl, Clock.systemUTC(), 3600);
        bucket = new AudioBucket(infra);
        model = new PoisonModel();
    }

    @AfterEach
    void close() {
        storeThreads.close();
        uploads.close();
        jobs.close();
        s3.close();
    }

    /** A job of these sentences, queued in Redis; returns its segments. */
    private List<SegmentTask> job(String... sentences) {
        String id = UUID.randomUUID().toString();
        jobs.create(JobRecord.queued(
                id, "default", "default", "wav", 1.0, sentences.length, 100, System.currentTimeMillis()));
        List<SegmentTask> tasks = new ArrayList<>();
        for (int i = 0; i < sentences.length; i++) {
            tasks.add(new SegmentTask(
                    SegmentTask.SCHEMA_VERSION, id, "default", i, sentences.length, sentences[i], "default", 1.0, 0L));
        }
        return tasks;
    }

    /** Delivers the segments in one poll, runs the worker's loop until every job is final, and stops it. */
    private void run(List<SegmentTask> segments) throws Exception {
        run(segments, Map.of());
    }

    /** As {@link #run(List)}, each job's records carrying the trace id header {@code traces} gives it (if any). */
    private void run(List<SegmentTask> segments, Map<String, String> traces) throws Exception {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            consumer.updateBeginningOffsets(Map.of(TP, 0L));
            long offset = 0;
            for (SegmentTask t : segments) {
                RecordHeaders headers = new RecordHeaders();
                if (traces.containsKey(t.jobId())) {
                    headers.add(Topics.TRACE_HEADER, traces.get(t.jobId()).getBytes(StandardCharsets.UTF_8));
                }
                consumer.addRecord(new ConsumerRecord<>(
                        TP.topic(),
                        TP.partition(),
                        offset++,
                        0L,
                        TimestampType.CREATE_TIME,
                        -1,
                        -1,
                        t.recordKey(),
                        t.encode(),
                        headers,
                        Optional.empty()));
            }
        });
        int rate = engine.manifest().sampleRate();
        Sleeper sleeper = pauses::add;
        Worker.Stages stages = Worker.Stages.of(
                model,
                phonemizer,
                jobs,
                new SegmentWriter(bucket, jobs, rate),
                new JobAssembler(bucket, jobs, rate),
                (task, reason, attempts) -> deadLetters.add(task.recordKey() + " " + attempts + " " + reason),
                sleeper,
                100,
                metrics,
                uploads,
                new ModelCall(model, sleeper, 100, metrics).withMaxAttempts(3),
                null,
                null);
        SegmentConsumerLoop loop = new SegmentConsumerLoop(
                consumer,
                stages.intake(),
                stages.runner(),
                new BatchPolicy(16, 2048, 0, true),
                storeThreads,
                Clock.systemUTC(),
                metrics);
        Thread t = new Thread(loop, "poll");
        t.start();
        List<String> ids = segments.stream().map(SegmentTask::jobId).distinct().toList();
        Eventually.onRealTime()
                .within(
                        Duration.ofSeconds(30),
                        () -> ids.stream().allMatch(id -> jobs.get(id)
                                        .orElseThrow()
                                        .status()
                                        .isFinal())
                                && lastCommit != null
                                && lastCommit.offset() == segments.size());
        loop.stop();
        t.join(30_000);
        assertThat(t.isAlive()).isFalse();
    }

    private short[] storedAudio(String jobId) {
        byte[] wav = s3.get(infra.s3Bucket(), ObjectKeys.jobAudio("default", jobId, "wav"));
        assertThat(wav).as("audio of job " + jobId).isNotNull();
        return Wav.pcm(wav, engine.manifest().sampleRate());
    }

    /** The row synthesized alone, as 16-bit samples: what it gives in a batch without the bad row. */
    private static short[] alone(String text) {
        float[] f = engine.synthesize(List.of(new SynthesisInput(phonemizer.ids(text), 0, 1f)))
                .get(0)
                .samples();
        return Wav.pcm(
                Wav.encode(f, f.length, engine.manifest().sampleRate()),
                engine.manifest().sampleRate());
    }

    private static void assertSameAudio(short[] actual, short[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            // batched rows equal the same rows alone within 1e-4 (DjlSynthesisModelTest): at most 4 steps of 16 bits
            assertThat(Math.abs(actual[i] - expected[i])).as("sample " + i).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void aPoisonSegmentIsRetriedThenDeadLetteredAndFailsOnlyItsJob() throws Exception {
        List<SegmentTask> first = job("the first job speaks.", "in two sentences.");
        List<SegmentTask> poisoned = job("a good start.", BAD_TEXT, "a good end.");
        List<SegmentTask> single = job("one more job, alone.");
        List<SegmentTask> all = new ArrayList<>();
        all.addAll(first);
        all.addAll(poisoned);
        all.addAll(single);

        run(all);

        String poisonedId = poisoned.get(0).jobId();
        JobRecord failed = jobs.get(poisonedId).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error())
                .isEqualTo("synthesis failed after 3 attempts: index out of range in self (row of "
                        + phonemizer.ids(BAD_TEXT).length + " phones)");
        assertThat(failed.done())
                .as("a failed job's other segments are not counted")
                .isZero();
        assertThat(model.aloneCalls).as("calls with the bad row alone").isEqualTo(3);
        assertThat(pauses).containsExactly(100L, 200L);
        assertThat(deadLetters).containsExactly(poisoned.get(1).recordKey() + " 3 " + failed.error());
        assertThat(metrics.deadLetters()).isEqualTo(1);
        assertThat(metrics.render()).contains("tts_worker_dead_letters_total 1");

        for (List<SegmentTask> good : List.of(first, single)) {
            JobRecord r = jobs.get(good.get(0).jobId()).orElseThrow();
            assertThat(r.status()).as(r.toString()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(r.done()).isEqualTo(good.size());
            assertThat(r.duplicates()).isZero();
        }
        // every good row sounds exactly as it would in a batch without the bad row
        assertSameAudio(storedAudio(single.get(0).jobId()), alone(single.get(0).text()));
        short[] joined = storedAudio(first.get(0).jobId());
        short[] a = alone(first.get(0).text());
        short[] b = alone(first.get(1).text());
        assertSameAudio(Arrays.copyOfRange(joined, 0, a.length), a);
        assertSameAudio(Arrays.copyOfRange(joined, joined.length - b.length, joined.length), b);
        assertThat(lastCommit.offset())
                .as("offsets commit past the poison segment")
                .isEqualTo(all.size());
    }

    @Test
    void aSegmentThatFailsOnceAndPassesOnItsSecondAttemptIsNotDeadLettered() throws Exception {
        model.failAlone = 1;
        List<SegmentTask> flaky = job("a good start.", BAD_TEXT);
        List<SegmentTask> other = job("another job.");
        List<SegmentTask> all = new ArrayList<>(flaky);
        all.addAll(other);

        run(all);

        assertThat(model.aloneCalls).isEqualTo(2);
        assertThat(deadLetters).isEmpty();
        assertThat(metrics.deadLetters()).isZero();
        for (List<SegmentTask> j : List.of(flaky, other)) {
            JobRecord r = jobs.get(j.get(0).jobId()).orElseThrow();
            assertThat(r.status()).as(r.toString()).isEqualTo(JobStatus.SUCCEEDED);
        }
        short[] joined = storedAudio(flaky.get(0).jobId());
        short[] bad = alone(BAD_TEXT);
        assertSameAudio(Arrays.copyOfRange(joined, joined.length - bad.length, joined.length), bad);
        assertThat(lastCommit.offset()).isEqualTo(all.size());
    }

    /** Log events of the worker's classes while a test runs, with their MDC. */
    static final class Captured extends AbstractAppender {
        final List<LogEvent> events = new CopyOnWriteArrayList<>();

        Captured() {
            super("captured", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent e) {
            if (e.getLoggerName().startsWith("dev.ttscluster.worker")) {
                events.add(e.toImmutable());
            }
        }

        List<LogEvent> of(Class<?> logger) {
            return events.stream()
                    .filter(e -> e.getLoggerName().equals(logger.getName()))
                    .toList();
        }
    }

    private static Captured capture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Captured c = new Captured();
        c.start();
        ctx.getConfiguration().addAppender(c);
        ctx.getConfiguration().getRootLogger().addAppender(c, null, null);
        Configurator.setLevel("dev.ttscluster.worker", Level.DEBUG);
        ctx.updateLoggers();
        return c;
    }

    private static void release(Captured c) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(c.getName());
        Configurator.setLevel("dev.ttscluster.worker", Level.INFO);
        ctx.updateLoggers();
        c.stop();
    }

    private static String mdc(LogEvent e, String key) {
        return e.getContextData().getValue(key);
    }

    @Test
    void aRunIsMeasuredAndEveryLogLineOfItsSegmentsNamesTheirJobAndTrace() throws Exception {
        List<SegmentTask> first = job("the first job speaks.", "in two sentences.");
        List<SegmentTask> poisoned = job("a good start.", BAD_TEXT, "a good end.");
        List<SegmentTask> single = job("one more job, alone.");
        List<SegmentTask> all = new ArrayList<>();
        all.addAll(first);
        all.addAll(poisoned);
        all.addAll(single);
        String a = first.get(0).jobId();
        String p = poisoned.get(0).jobId();
        String b = single.get(0).jobId();
        Map<String, String> traces = Map.of(a, "trace-of-first", b, "trace-of-single"); // the poisoned job has none
        s3.failNextPuts(2);
        Captured log = capture();
        try {
            run(all, traces);
        } finally {
            release(log);
        }

        // the registry's scrape, as the benchmarks and e2e tests read it
        Map<String, Double> m = new java.util.HashMap<>();
        for (String line : metrics.render().split("\n")) {
            if (!line.startsWith("#")) {
                m.put(
                        line.substring(0, line.lastIndexOf(' ')),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        double batches = m.get("tts_worker_batch_size_count");
        assertThat(batches).isPositive();
        assertThat(m.get("tts_worker_batch_size_sum")).as("segments batched").isEqualTo(all.size());
        assertThat(m)
                .containsEntry("tts_worker_batch_wait_seconds_count", batches)
                .containsEntry("tts_worker_batch_padding_percent_count", batches)
                .containsEntry("tts_worker_segments_total", (double) all.size())
                // the jobs' first segments go first, in a batch of their own (the poisoned job's too, stored before its
                // poison shows); the poisoned job's good end fails with its batch's job and is not stored
                .containsEntry("tts_worker_segments_stored_total{source=\"model\"}", 4.0)
                .containsEntry("tts_worker_segment_seconds_count{source=\"model\"}", 4.0)
                .containsEntry("tts_worker_segments_stored_total{source=\"cache\"}", 0.0)
                .containsEntry("tts_worker_dead_letters_total", 1.0)
                .containsEntry("tts_worker_retriable_errors_total{backend=\"s3\"}", 2.0)
                .containsEntry("tts_worker_retriable_errors_total{backend=\"redis\"}", 0.0);
        assertThat(m.get("tts_worker_batch_padding_percent_sum"))
                .as("rows of different lengths were padded")
                .isPositive();
        assertThat(m.get("tts_worker_inference_seconds_count")).isPositive();
        assertThat(m.get("tts_worker_inference_failures_total")).isPositive();
        assertThat(m.get("tts_worker_realtime_factor_count")).isPositive();
        assertThat(m.get("tts_worker_realtime_factor_sum")).isPositive();
        assertThat(m.get("tts_worker_audio_seconds_total")).isPositive();
        assertThat(m.get("tts_worker_upload_seconds_count")).isEqualTo(4.0);

        // per segment: its own job and trace (the job id where the record had no trace header)
        Map<String, String> traceOf = Map.of(a, "trace-of-first", p, p, b, "trace-of-single");
        List<LogEvent> failed = log.of(JobFailures.class).stream()
                .filter(e -> e.getMessage().getFormattedMessage().contains("segment 1 failed"))
                .toList();
        assertThat(failed).hasSize(1);
        assertThat(mdc(failed.get(0), "job_id")).isEqualTo(p);
        assertThat(mdc(failed.get(0), "trace_id")).isEqualTo(p);
        List<LogEvent> retried = log.of(Retrier.class).stream()
                .filter(e -> e.getMessage().getFormattedMessage().startsWith("retrying"))
                .toList();
        assertThat(retried).hasSize(2).allSatisfy(e -> {
            assertThat(mdc(e, "job_id")).isIn(a, p, b);
            assertThat(mdc(e, "trace_id")).isEqualTo(traceOf.get(mdc(e, "job_id")));
        });
        List<LogEvent> assembled = log.of(dev.ttscluster.worker.assembly.JobAssembler.class);
        assertThat(assembled).extracting(e -> mdc(e, "job_id")).containsExactlyInAnyOrder(a, b);
        assertThat(assembled).allSatisfy(e -> assertThat(mdc(e, "trace_id")).isEqualTo(traceOf.get(mdc(e, "job_id"))));
        // the batched model call spans jobs: its lines list them all, and so does the batch's own line
        List<LogEvent> bisected = log.of(dev.ttscluster.worker.inference.RowIsolation.class);
        assertThat(bisected).isNotEmpty().allSatisfy(e -> {
            assertThat(mdc(e, "job_id").split(",")).contains(p);
            assertThat(mdc(e, "trace_id").split(",")).contains(p);
        });
        assertThat(log.of(BatchRunner.class))
                .filteredOn(e -> e.getMessage().getFormattedMessage().startsWith("batch of"))
                .isNotEmpty()
                .allSatisfy(
                        e -> assertThat(e.getMessage().getFormattedMessage()).contains(p));
        // nothing the worker writes while it handles these segments lacks a job
        // (but the poll loop's own lines: partitions assigned, the loop stopped)
        assertThat(log.events)
                .filteredOn(e -> !e.getLoggerName().endsWith("SegmentConsumerLoop")
                        && !e.getLoggerName().endsWith("PartitionRebalance"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(mdc(e, "job_id"))
                        .as(e.getMessage().getFormattedMessage())
                        .isNotBlank());
    }
}
