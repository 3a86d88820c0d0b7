package dev.ttscluster.worker;

import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import dev.ttscluster.worker.assembly.JobAssembler;
import dev.ttscluster.worker.batch.BatchAggregator;
import dev.ttscluster.worker.cache.Breaker;
import dev.ttscluster.worker.cache.RecentAudio;
import dev.ttscluster.worker.cache.SegmentCache;
import dev.ttscluster.worker.config.WorkerConfig;
import dev.ttscluster.worker.frontend.Phonemizer;
import dev.ttscluster.worker.inference.BatchRunner;
import dev.ttscluster.worker.inference.DjlSynthesisModel;
import dev.ttscluster.worker.inference.Frontends;
import dev.ttscluster.worker.inference.ModelCall;
import dev.ttscluster.worker.inference.SynthesisModel;
import dev.ttscluster.worker.ingest.LaneBalancedAssignor;
import dev.ttscluster.worker.ingest.SegmentConsumerLoop;
import dev.ttscluster.worker.ingest.StoreThreads;
import dev.ttscluster.worker.intake.CacheIntake;
import dev.ttscluster.worker.intake.SegmentKeys;
import dev.ttscluster.worker.metrics.MetricsServer;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.retry.Retrier;
import dev.ttscluster.worker.retry.Sleeper;
import dev.ttscluster.worker.store.DeadLetterTopic;
import dev.ttscluster.worker.store.DeadLetters;
import dev.ttscluster.worker.store.JobFailures;
import dev.ttscluster.worker.store.SegmentStore;
import dev.ttscluster.worker.store.SegmentWriter;
import dev.ttscluster.worker.store.UploadPools;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one worker process: model, Redis job store, S3 bucket, the stages (intake, the batch runner with its
 * model call, store), the threads they store on, and the Kafka poll loop on its own thread. Start once,
 * close once: close stops polling and lets the loop finish (or abandon) what is in flight and leave the
 * consumer group, then closes the store threads and upload pools, then the clients and the model.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final SynthesisModel model;
    private final JobStore jobs;
    private final DeadLetterTopic deadLetters;
    private final UploadPools uploads;
    private final StoreThreads storeThreads;
    private final SegmentConsumerLoop loop;
    private final Thread thread;
    private final WorkerMetrics metrics;
    private final MetricsServer metricsServer;
    private final SegmentCache cache;

    /** The stages the poll loop drives: intake (frontend, cache hits) and the batch runner (model, then store). */
    record Stages(CacheIntake intake, BatchRunner runner) {
        /**
         * Assembles the stages around one model.
         *
         * @param sleeper waits between retries ({@code Thread::sleep}; tests inject their own)
         * @param shared the shared segment cache, or null
         * @param recent this worker's memory of recent audio, or null
         */
        static Stages of(
                SynthesisModel model,
                Phonemizer phonemizer,
                JobStore jobs,
                SegmentWriter writer,
                JobAssembler assembler,
                DeadLetters deadLetters,
                Sleeper sleeper,
                long backoffMs,
                WorkerMetrics metrics,
                UploadPools uploads,
                ModelCall call,
                SegmentCache shared,
                RecentAudio recent) {
            Retrier retrier = new Retrier(sleeper, backoffMs, metrics::retriableError);
            SegmentKeys keys = new SegmentKeys(
                    SegmentKeys.weights(model.manifest().version(), model.halfPrecision()),
                    model.manifest()::speakerId,
                    phonemizer);
            SegmentStore store = new SegmentStore(
                    writer, assembler, jobs, phonemizer, model.manifest().sampleRate(), retrier, metrics, uploads);
            JobFailures failures = new JobFailures(deadLetters, jobs, retrier, metrics);
            return new Stages(
                    new CacheIntake(phonemizer, keys, store, shared, recent),
                    new BatchRunner(model, call, keys, jobs, retrier, failures, store, metrics, shared, recent));
        }
    }

    private Worker(WorkerConfig cfg) {
        this.model = DjlSynthesisModel.load(cfg.modelDir(), cfg.inferenceThreads(), cfg.device(), cfg.modelVariant());
        this.jobs = JobStore.connect(cfg.infra().redisUrl(), Clock.systemUTC(), 7 * 86_400L);
        AudioBucket bucket = new AudioBucket(cfg.infra());
        int rate = model.manifest().sampleRate();
        this.deadLetters = new DeadLetterTopic(producer(cfg), cfg.workerId(), Duration.ofSeconds(10));
        this.metrics = new WorkerMetrics(Clock.systemUTC()).bindJvmMetrics();
        RecentAudio recent = null;
        if (cfg.cache() != null) {
            this.cache = new SegmentCache(
                    SegmentCache.client(cfg.cache().redisUrl(), cfg.cache().timeoutMs()),
                    new Breaker(3, 5_000, Clock.systemUTC()),
                    cfg.cache().ttlSeconds(),
                    cfg.cache().maxValueBytes());
            recent = cfg.cache().localBytes() == 0
                    ? null
                    : new RecentAudio(cfg.cache().localBytes());
            metrics.cacheStats(cache::stats);
        } else {
            this.cache = null;
        }
        this.uploads = new UploadPools(cfg.uploadThreads());
        Sleeper sleeper = Thread::sleep;
        ModelCall call = new ModelCall(model, sleeper, cfg.retryBackoffMs(), metrics)
                .withMaxAttempts(cfg.maxAttempts())
                .withFaultInjection(cfg.faultInjectText());
        Stages stages = Stages.of(
                model,
                Frontends.forManifest(model.manifest()),
                jobs,
                new SegmentWriter(bucket, jobs, rate),
                new JobAssembler(bucket, jobs, rate),
                deadLetters,
                sleeper,
                cfg.retryBackoffMs(),
                metrics,
                uploads,
                call,
                cache,
                recent);
        this.storeThreads = cfg.storeInFlight() == 0 ? null : new StoreThreads(cfg.storeInFlight());
        this.loop = new SegmentConsumerLoop(
                        consumer(cfg),
                        stages.intake(),
                        stages.runner(),
                        cfg.batch(),
                        storeThreads,
                        Clock.systemUTC(),
                        metrics)
                .withBulkPolicy(cfg.bulkBatch())
                .serving(cfg.topics());
        this.metricsServer = cfg.metricsPort() == 0
                ? null
                : MetricsServer.start(cfg.metricsHost(), cfg.metricsPort(), metrics::render);
        this.thread = new Thread(loop, cfg.workerId() + "-poll");
    }

    /**
     * Loads the model, connects, and starts polling.
     *
     * @throws FatalException when the model bundle is bad
     */
    public static Worker start(WorkerConfig cfg) {
        Worker w = new Worker(cfg);
        w.thread.start();
        log.info(
                "worker {} started: model {} v{} (variant {}, vocoder {}, voices {}, {}) on {} in {} ({}={}), mode {}, "
                        + "batch {}, {} batches may upload while the next computes, cache {}, metrics {}, lanes {}",
                cfg.workerId(),
                w.model.manifest().name(),
                w.model.manifest().version(),
                w.model.manifest().variant(),
                w.model.manifest().vocoder(),
                w.model.manifest().speakers(),
                w.model.manifest().producesSpeech() ? "speech" : "placeholder, no speech",
                w.model.device(),
                w.model.halfPrecision() ? "FP16" : "FP32",
                WorkerConfig.DEVICE.name(),
                cfg.device().wire(),
                cfg.mode().wire(),
                cfg.batch(),
                cfg.storeInFlight(),
                w.cache == null ? "off" : cfg.cache().redisUrl(),
                w.metricsServer == null ? "off" : "on port " + w.metricsServer.port(),
                cfg.topics());
        if (!cfg.faultInjectText().isEmpty()) {
            log.warn(
                    "FAULT INJECTION ON ({}): segments whose text contains '{}' fail in the model",
                    WorkerConfig.FAULT_INJECT_TEXT.name(),
                    cfg.faultInjectText());
        }
        return w;
    }

    private static KafkaConsumer<String, byte[]> consumer(WorkerConfig cfg) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.infra().kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, cfg.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, cfg.workerId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // more than one batch's worth, so the batcher can group similar lengths (1 for per-request serving)
        p.put(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                Integer.toString(
                        cfg.batch().maxSize() == 1
                                ? 1
                                : Math.min(1024, cfg.batch().maxSize() * BatchAggregator.LOOKAHEAD_BATCHES)));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(cfg.sessionTimeoutMs()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(Math.max(500, cfg.sessionTimeoutMs() / 4)));
        // incremental rebalancing: when a worker leaves (or joins) only its partitions move; the others keep theirs
        // with their buffered and in-flight work. With the eager default every worker gave up all its partitions at
        // each change, dropped what it had buffered, and redid the segments it had finished above that.
        // (Switching a running fleet from eager needs two rolling restarts; this one starts fresh.)
        // Each lane (topic) is balanced on its own: Kafka's cooperative-sticky assignor guarantees only a balanced
        // total, so one worker may end up with most of a lane's partitions (seen once in the chaos suite: all 12
        // interactive partitions on one of two workers).
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, LaneBalancedAssignor.class.getName());
        // the broker holds a fetch until data comes (min 1 byte) for up to this long: a fetch stays outstanding
        // while a batch is in the model, so a segment that arrives meanwhile is already here at the next poll
        // (with a short wait the fetch came back empty mid-batch and the segment waited one more batch)
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<String, byte[]> producer(WorkerConfig cfg) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.infra().kafkaBootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, cfg.workerId() + "-dlq");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** The port of the metrics endpoint, or 0 when off. */
    public int metricsPort() {
        return metricsServer == null ? 0 : metricsServer.port();
    }

    /** Blocks until the poll loop ends. */
    public void await() throws InterruptedException {
        thread.join();
    }

    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the loop drained what it could; what still runs on these threads was abandoned (uncommitted)
        if (storeThreads != null) {
            storeThreads.close();
        }
        uploads.close();
        if (metricsServer != null) {
            metricsServer.close();
        }
        metrics.close();
        deadLetters.close();
        jobs.close();
        if (cache != null) {
            cache.close();
        }
        model.close();
    }
}
