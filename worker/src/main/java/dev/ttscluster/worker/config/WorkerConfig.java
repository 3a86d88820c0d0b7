package dev.ttscluster.worker.config;

import dev.ttscluster.common.config.ConfigException;
import dev.ttscluster.common.config.ConfigKey;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.worker.batch.BatchPolicy;
import dev.ttscluster.worker.inference.DeviceChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The worker's configuration, read once from the environment (keys {@code TTS_WORKER_*} plus the
 * shared {@link InfraConfig} keys) and validated at start. Immutable.
 *
 * @param workerId name of this worker in logs and Kafka client ids
 * @param modelDir model bundle directory (manifest.json + TorchScript file)
 * @param modelVariant which of the bundle's exports runs (blank: its default file)
 * @param groupId Kafka consumer group
 * @param mode batched (the default) or per-request serving
 * @param batch batch policy (size, padded-token budget, window, length grouping)
 * @param bulkBatch batch policy of the bulk lane (books): the same but for its padded-token budget
 * @param topics the lanes' topics this worker serves (both by default; one to reserve workers for a lane)
 * @param storeInFlight computed batches that may still be uploading while the next one computes
 * @param uploadThreads segments of one batch uploaded at once
 * @param metricsHost address the Prometheus endpoint binds
 * @param metricsPort port of the Prometheus endpoint, 0 for none
 * @param cache the shared segment cache, or null when off
 * @param inferenceThreads intra-op threads of the engine
 * @param device where the model runs: auto (a GPU when the engine sees one), cpu or gpu
 * @param sessionTimeoutMs Kafka session timeout: how fast a dead worker's partitions move
 * @param retryBackoffMs first backoff when Redis or S3 fail (doubles up to 10 s)
 * @param maxAttempts model calls a segment may fail alone before it is dead-lettered and its job fails
 * @param faultInjectText for fault-injection tests only: segments whose text holds it fail in the model; empty: off
 * @param infra where the shared servers are
 */
public record WorkerConfig(
        String workerId,
        Path modelDir,
        String modelVariant,
        String groupId,
        Mode mode,
        BatchPolicy batch,
        BatchPolicy bulkBatch,
        List<String> topics,
        int storeInFlight,
        int uploadThreads,
        String metricsHost,
        int metricsPort,
        Cache cache,
        int inferenceThreads,
        DeviceChoice device,
        int sessionTimeoutMs,
        long retryBackoffMs,
        int maxAttempts,
        String faultInjectText,
        InfraConfig infra) {

    /**
     * The segment cache's settings.
     *
     * @param redisUrl its Redis (not the job-state one: this one evicts)
     * @param ttlSeconds entry lifetime
     * @param maxValueBytes larger values are not cached
     * @param timeoutMs socket timeout of a cache round trip; slower means unavailable
     * @param localBytes bytes of recent segments this worker also keeps in its own memory (0: none)
     */
    public record Cache(String redisUrl, long ttlSeconds, int maxValueBytes, int timeoutMs, long localBytes) {}

    /** How segments are served. */
    public enum Mode {
        /** Micro-batches under the batch policy; uploads overlap the next batch's inference. */
        BATCHED,
        /**
         * One segment per model call, no waiting, each made durable before the next starts: the naive
         * server (the write-up's "V22"), kept as the benchmark's baseline. Batch keys are ignored.
         */
        PER_REQUEST;

        static Mode parse(String s) {
            return switch (s) {
                case "batched" -> BATCHED;
                case "per-request" -> PER_REQUEST;
                default ->
                    throw new ConfigException(
                            WorkerConfig.MODE.name() + "='" + s + "' is invalid: expected batched or per-request");
            };
        }

        public String wire() {
            return this == BATCHED ? "batched" : "per-request";
        }
    }

    public static final ConfigKey<String> MODE = ConfigKey.string(
            "TTS_WORKER_MODE",
            "batched",
            "batched (micro-batches, uploads overlap inference) or per-request (one segment per call, the baseline)");

    public static final ConfigKey<String> WORKER_ID = ConfigKey.optionalString(
            "TTS_WORKER_ID", "Name of this worker in logs and Kafka client ids; empty means worker-<pid>");
    public static final ConfigKey<String> MODEL_DIR = ConfigKey.string(
            "TTS_WORKER_MODEL_DIR", "models/slt", "Model bundle directory (manifest.json + TorchScript file)");
    public static final ConfigKey<String> MODEL_VARIANT = ConfigKey.optionalString(
            "TTS_WORKER_MODEL_VARIANT",
            "Which export of the bundle runs, by its manifest name (e.g. int8, griffin-lim; the bundle's model card "
                    + "compares them); empty: the bundle's default file. Every worker of a cluster should run the same one: "
                    + "cached segments are keyed by the variant's version");
    public static final ConfigKey<String> GROUP_ID =
            ConfigKey.string("TTS_WORKER_GROUP_ID", "workers", "Kafka consumer group shared by all workers");
    public static final ConfigKey<Integer> BATCH_MAX_SIZE = ConfigKey.integer(
            "TTS_WORKER_BATCH_MAX_SIZE",
            16,
            1,
            1024,
            "Most segments in one micro-batch (one model call); 1 means per-request serving");
    public static final ConfigKey<Integer> BATCH_WINDOW_MS = ConfigKey.integer(
            "TTS_WORKER_BATCH_WINDOW_MS",
            50,
            0,
            60_000,
            "Longest wait for a batch to fill after its first segment, in ms");
    public static final ConfigKey<Integer> BATCH_MAX_TOKENS = ConfigKey.integer(
            "TTS_WORKER_BATCH_MAX_TOKENS",
            2048,
            1,
            1_000_000,
            "Padded-token budget of a micro-batch: rows x longest row, in phones");
    public static final ConfigKey<Integer> BULK_BATCH_MAX_TOKENS = ConfigKey.integer(
            "TTS_WORKER_BULK_BATCH_MAX_TOKENS",
            128,
            1,
            1_000_000,
            "Padded-token budget of a bulk (book) batch: small, so an interactive segment never "
                    + "waits long behind one (a model call cannot be interrupted); on CPU one row per call costs no "
                    + "throughput, on a GPU raise it");
    public static final ConfigKey<String> LANES = ConfigKey.string(
            "TTS_WORKER_LANES",
            "interactive,bulk",
            "Lanes this worker serves: interactive, bulk or both (comma-separated); workers reserved for the "
                    + "interactive lane never have a book sentence in the model when a short job arrives");
    public static final ConfigKey<Boolean> BATCH_GROUP_BY_LENGTH = ConfigKey.bool(
            "TTS_WORKER_BATCH_GROUP_BY_LENGTH",
            true,
            "Pick segments of similar length from what is buffered, to cut padding");
    public static final ConfigKey<Integer> STORE_IN_FLIGHT = ConfigKey.integer(
            "TTS_WORKER_STORE_IN_FLIGHT",
            2,
            0,
            16,
            "Computed batches that may still be uploading while the next batch computes (0: none)");
    public static final ConfigKey<Integer> UPLOAD_THREADS =
            ConfigKey.integer("TTS_WORKER_UPLOAD_THREADS", 4, 1, 64, "Segments of one batch uploaded to S3 at once");
    public static final ConfigKey<String> METRICS_HOST = ConfigKey.string(
            "TTS_WORKER_METRICS_HOST", "127.0.0.1", "Address the Prometheus endpoint binds (0.0.0.0 in a cluster)");
    public static final ConfigKey<Integer> METRICS_PORT = ConfigKey.integer(
            "TTS_WORKER_METRICS_PORT", 9464, 0, 65_535, "Port of the Prometheus endpoint GET /metrics; 0 turns it off");
    public static final ConfigKey<String> CACHE_REDIS_URL = ConfigKey.optionalString(
            "TTS_CACHE_REDIS_URL",
            "Redis of the shared segment cache (maxmemory + allkeys-lru; never the job-state Redis); empty: no cache");
    public static final ConfigKey<Integer> CACHE_TTL_SECONDS =
            ConfigKey.integer("TTS_CACHE_TTL_SECONDS", 86_400, 1, 30 * 86_400, "Lifetime of a cached segment");
    public static final ConfigKey<Integer> CACHE_MAX_VALUE_BYTES = ConfigKey.integer(
            "TTS_CACHE_MAX_VALUE_BYTES",
            1 << 20,
            1024,
            64 << 20,
            "Segments whose cached value would be larger are not cached");
    public static final ConfigKey<Integer> CACHE_TIMEOUT_MS = ConfigKey.integer(
            "TTS_CACHE_TIMEOUT_MS",
            200,
            1,
            10_000,
            "A cache round trip slower than this counts as a failure (the worker then synthesizes without it)");
    public static final ConfigKey<Integer> CACHE_LOCAL_MB = ConfigKey.integer(
            "TTS_CACHE_LOCAL_MB",
            64,
            0,
            4096,
            "MiB of recently made or fetched segments each worker also keeps in its own memory, in front of the "
                    + "shared cache (0: none); counts against the worker's heap");
    public static final ConfigKey<Integer> INFERENCE_THREADS =
            ConfigKey.integer("TTS_WORKER_INFERENCE_THREADS", 1, 1, 256, "Intra-op threads of the inference engine");
    public static final ConfigKey<String> DEVICE = ConfigKey.string(
            DeviceChoice.KEY,
            "auto",
            "Where the model runs: auto (the GPU when the PyTorch engine sees one, which needs the worker built with "
                    + "-Pgpu, else the CPU), cpu, or gpu (the worker does not start without one); on a GPU the bundle's "
                    + "FP16 export runs when it has one");
    public static final ConfigKey<Integer> SESSION_TIMEOUT_MS = ConfigKey.integer(
            "TTS_WORKER_SESSION_TIMEOUT_MS",
            10_000,
            6_000,
            300_000,
            "Kafka session timeout: how soon a dead worker's partitions move to others");
    public static final ConfigKey<Integer> RETRY_BACKOFF_MS = ConfigKey.integer(
            "TTS_WORKER_RETRY_BACKOFF_MS", 200, 1, 60_000, "First backoff when Redis or S3 fail; doubles up to 10 s");

    public static final ConfigKey<Integer> MAX_ATTEMPTS = ConfigKey.integer(
            "TTS_WORKER_MAX_ATTEMPTS",
            3,
            1,
            10,
            "Model calls a segment may fail alone (its batch is re-run without it) before it goes to the dead-letter "
                    + "topic with the reason and its job fails");
    public static final ConfigKey<String> FAULT_INJECT_TEXT = ConfigKey.optionalString(
            "TTS_WORKER_FAULT_INJECT_TEXT",
            "For fault-injection tests only, never in production: a segment whose text contains this marker (ignoring "
                    + "case) fails in the model every time, as a poison segment would; empty: off");

    /** The worker's own keys (see also {@link InfraConfig#KEYS}). */
    public static final List<ConfigKey<?>> KEYS = List.of(
            WORKER_ID,
            MODEL_DIR,
            MODEL_VARIANT,
            GROUP_ID,
            MODE,
            BATCH_MAX_SIZE,
            BATCH_MAX_TOKENS,
            BULK_BATCH_MAX_TOKENS,
            BATCH_WINDOW_MS,
            BATCH_GROUP_BY_LENGTH,
            STORE_IN_FLIGHT,
            UPLOAD_THREADS,
            METRICS_HOST,
            METRICS_PORT,
            CACHE_REDIS_URL,
            CACHE_TTL_SECONDS,
            CACHE_MAX_VALUE_BYTES,
            CACHE_TIMEOUT_MS,
            CACHE_LOCAL_MB,
            LANES,
            INFERENCE_THREADS,
            DEVICE,
            SESSION_TIMEOUT_MS,
            RETRY_BACKOFF_MS,
            MAX_ATTEMPTS,
            FAULT_INJECT_TEXT);

    /**
     * Reads and validates the configuration.
     *
     * @throws ConfigException naming the first bad key
     */
    public static WorkerConfig fromEnv(Map<String, String> env) {
        Path model = Path.of(MODEL_DIR.read(env)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(model.resolve("manifest.json"))) {
            throw new ConfigException(MODEL_DIR.name() + "='" + model + "' is invalid: no manifest.json there");
        }
        String id = WORKER_ID.read(env);
        if (id.isBlank()) {
            id = "worker-" + ProcessHandle.current().pid();
        }
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException(WORKER_ID.name() + "='" + id + "' is invalid: expected [A-Za-z0-9._-]{1,64}");
        }
        Mode mode = Mode.parse(MODE.read(env));
        BatchPolicy batched = new BatchPolicy(
                BATCH_MAX_SIZE.read(env),
                BATCH_MAX_TOKENS.read(env),
                BATCH_WINDOW_MS.read(env),
                BATCH_GROUP_BY_LENGTH.read(env));
        BatchPolicy bulk = new BatchPolicy(
                batched.maxSize(), BULK_BATCH_MAX_TOKENS.read(env), batched.windowMs(), batched.groupByLength());
        boolean perRequest = mode == Mode.PER_REQUEST;
        String variant = MODEL_VARIANT.read(env).strip();
        if (!variant.matches("[A-Za-z0-9._-]{0,64}")) {
            throw new ConfigException(
                    MODEL_VARIANT.name() + "='" + variant + "' is invalid: expected [A-Za-z0-9._-]{1,64}");
        }
        return new WorkerConfig(
                id,
                model,
                variant,
                GROUP_ID.read(env),
                mode,
                perRequest ? BatchPolicy.perRequest() : batched,
                perRequest ? BatchPolicy.perRequest() : bulk,
                lanes(LANES.read(env)),
                perRequest ? 0 : STORE_IN_FLIGHT.read(env),
                perRequest ? 1 : UPLOAD_THREADS.read(env),
                METRICS_HOST.read(env),
                METRICS_PORT.read(env),
                perRequest ? null : cache(env),
                INFERENCE_THREADS.read(env),
                device(DEVICE.read(env)),
                SESSION_TIMEOUT_MS.read(env),
                RETRY_BACKOFF_MS.read(env),
                MAX_ATTEMPTS.read(env),
                FAULT_INJECT_TEXT.read(env),
                InfraConfig.fromEnv(env));
    }

    private static DeviceChoice device(String raw) {
        try {
            return DeviceChoice.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(DEVICE.name() + "='" + raw + "' is invalid: " + e.getMessage());
        }
    }

    private static List<String> lanes(String raw) {
        List<String> topics = new ArrayList<>();
        for (String lane : raw.split(",")) {
            String l = lane.strip();
            String topic =
                    switch (l) {
                        case "interactive" -> dev.ttscluster.common.contract.Topics.SEGMENTS_INTERACTIVE;
                        case "bulk" -> dev.ttscluster.common.contract.Topics.SEGMENTS_BULK;
                        default ->
                            throw new ConfigException(LANES.name() + "='" + raw + "' is invalid: lane '" + l
                                    + "' is not interactive or bulk");
                    };
            if (!topics.contains(topic)) {
                topics.add(topic);
            }
        }
        return List.copyOf(topics);
    }

    private static Cache cache(Map<String, String> env) {
        String url = CACHE_REDIS_URL.read(env);
        if (url.isBlank()) {
            return null;
        }
        if (!url.matches("redis://[^/:]+(:[0-9]{1,5})?/?")) {
            throw new ConfigException(CACHE_REDIS_URL.name() + "='" + url + "' is invalid: expected redis://host:port");
        }
        return new Cache(
                url,
                CACHE_TTL_SECONDS.read(env),
                CACHE_MAX_VALUE_BYTES.read(env),
                CACHE_TIMEOUT_MS.read(env),
                CACHE_LOCAL_MB.read(env) * 1024L * 1024L);
    }

    /** Every key the worker reads, its own and the shared ones. */
    public static List<ConfigKey<?>> allKeys() {
        List<ConfigKey<?>> all = new ArrayList<>(KEYS);
        all.addAll(InfraConfig.KEYS);
        return all;
    }
}
