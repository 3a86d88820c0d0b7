package dev.ttscluster.worker;

import dev.ttscluster.common.config.ConfigException;
import dev.ttscluster.common.config.ConfigKey;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.worker.batch.BatchPolicy;

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
 * @param groupId Kafka consumer group
 * @param batch batch policy (size and window)
 * @param inferenceThreads intra-op threads of the engine
 * @param sessionTimeoutMs Kafka session timeout: how fast a dead worker's partitions move
 * @param retryBackoffMs first backoff when Redis or S3 fail (doubles up to 10 s)
 * @param infra where the shared servers are
 */
public record WorkerConfig(String workerId, Path modelDir, String groupId, BatchPolicy batch, int inferenceThreads,
                           int sessionTimeoutMs, long retryBackoffMs, InfraConfig infra) {

    public static final ConfigKey<String> WORKER_ID = ConfigKey.optionalString("TTS_WORKER_ID",
            "Name of this worker in logs and Kafka client ids; empty means worker-<pid>");
    public static final ConfigKey<String> MODEL_DIR = ConfigKey.string("TTS_WORKER_MODEL_DIR", "models/slt",
            "Model bundle directory (manifest.json + TorchScript file)");
    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("TTS_WORKER_GROUP_ID", "workers",
            "Kafka consumer group shared by all workers");
    public static final ConfigKey<Integer> BATCH_MAX_SIZE = ConfigKey.integer("TTS_WORKER_BATCH_MAX_SIZE", 16, 1, 1024,
            "Most segments in one micro-batch (one model call); 1 means per-request serving");
    public static final ConfigKey<Integer> BATCH_WINDOW_MS = ConfigKey.integer("TTS_WORKER_BATCH_WINDOW_MS", 50, 0,
            60_000, "Longest wait for a batch to fill after its first segment, in ms");
    public static final ConfigKey<Integer> INFERENCE_THREADS = ConfigKey.integer("TTS_WORKER_INFERENCE_THREADS", 1, 1,
            256, "Intra-op threads of the inference engine");
    public static final ConfigKey<Integer> SESSION_TIMEOUT_MS = ConfigKey.integer("TTS_WORKER_SESSION_TIMEOUT_MS",
            10_000, 6_000, 300_000, "Kafka session timeout: how soon a dead worker's partitions move to others");
    public static final ConfigKey<Integer> RETRY_BACKOFF_MS = ConfigKey.integer("TTS_WORKER_RETRY_BACKOFF_MS", 200, 1,
            60_000, "First backoff when Redis or S3 fail; doubles up to 10 s");

    /** The worker's own keys (see also {@link InfraConfig#KEYS}). */
    public static final List<ConfigKey<?>> KEYS = List.of(WORKER_ID, MODEL_DIR, GROUP_ID, BATCH_MAX_SIZE,
            BATCH_WINDOW_MS, INFERENCE_THREADS, SESSION_TIMEOUT_MS, RETRY_BACKOFF_MS);

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
        return new WorkerConfig(id, model, GROUP_ID.read(env),
                new BatchPolicy(BATCH_MAX_SIZE.read(env), BATCH_WINDOW_MS.read(env)), INFERENCE_THREADS.read(env),
                SESSION_TIMEOUT_MS.read(env), RETRY_BACKOFF_MS.read(env), InfraConfig.fromEnv(env));
    }

    /** Every key the worker reads, its own and the shared ones. */
    public static List<ConfigKey<?>> allKeys() {
        List<ConfigKey<?>> all = new ArrayList<>(KEYS);
        all.addAll(InfraConfig.KEYS);
        return all;
    }
}
