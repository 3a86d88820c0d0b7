package dev.ttscluster.gateway.config;

import dev.ttscluster.common.config.ConfigException;
import dev.ttscluster.common.config.ConfigKey;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.gateway.tenants.Quota;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's configuration, read once from the environment (keys {@code TTS_GATEWAY_*} plus the
 * shared {@link InfraConfig} keys) and validated at start. Immutable.
 *
 * @param bindHost address the HTTP server binds
 * @param port HTTP port (0 picks a free one)
 * @param maxTextChars longest accepted text, in characters
 * @param maxBodyBytes largest accepted request body
 * @param segmentMaxChars longest segment; longer sentences are split
 * @param voices voices the cluster serves; the first is the default
 * @param voiceAliases other names of voices (OpenAI's voice names on {@code /v1/audio/speech}) and the served voice
 *     each speaks with; a name whose voice is not served speaks with the default voice
 * @param formats audio formats the cluster produces; the first is the default
 * @param presignTtlSeconds lifetime of presigned audio URLs
 * @param jobTtlSeconds how long job state is kept
 * @param partitions partitions of the segments topic when the gateway creates it
 * @param createTopics whether the gateway creates missing topics at start
 * @param publishTimeoutMs how long a submission waits for Kafka to acknowledge its segments
 * @param maxBookBytes largest accepted book upload
 * @param maxBookChars most characters of text in one book
 * @param bookSegmentMaxChars longest segment of a book (shorter than a job's: a worker cannot interrupt a
 *     model call, so short book segments keep interactive work from waiting long behind them)
 * @param defaultQuota each API key's limits where the key sets none (rate, burst, active jobs)
 * @param idempotencyTtlSeconds how long an {@code Idempotency-Key} is remembered
 * @param admitMaxLag most interactive segments waiting in Kafka before submissions get 503 (0: no bound)
 * @param workerGroup the workers' consumer group, whose lag is bounded
 * @param audioRetentionSeconds how long audio objects are kept (0: until deleted)
 * @param retentionSweepSeconds how often expired audio is swept
 * @param infra where the shared servers are
 * @param events job event streams and webhooks
 */
public record GatewayConfig(
        String bindHost,
        int port,
        int maxTextChars,
        int maxBodyBytes,
        int segmentMaxChars,
        List<String> voices,
        Map<String, String> voiceAliases,
        List<String> formats,
        int presignTtlSeconds,
        long jobTtlSeconds,
        int partitions,
        boolean createTopics,
        int publishTimeoutMs,
        int maxBookBytes,
        long maxBookChars,
        int bookSegmentMaxChars,
        Quota defaultQuota,
        long idempotencyTtlSeconds,
        long admitMaxLag,
        String workerGroup,
        long audioRetentionSeconds,
        int retentionSweepSeconds,
        InfraConfig infra,
        dev.ttscluster.gateway.events.EventsConfig events) {

    public static final ConfigKey<String> BIND_HOST = ConfigKey.string(
            "TTS_GATEWAY_BIND_HOST", "127.0.0.1", "Address the HTTP server binds (0.0.0.0 in containers)");
    public static final ConfigKey<Integer> PORT =
            ConfigKey.integer("TTS_GATEWAY_PORT", 8080, 0, 65535, "HTTP port; 0 picks a free one");
    public static final ConfigKey<Integer> MAX_TEXT_CHARS = ConfigKey.integer(
            "TTS_GATEWAY_MAX_TEXT_CHARS", 5000, 1, 10_000_000, "Longest text accepted by POST /v1/jobs, in characters");
    public static final ConfigKey<Integer> MAX_BODY_BYTES = ConfigKey.integer(
            "TTS_GATEWAY_MAX_BODY_BYTES", 1_000_000, 1024, 100_000_000, "Largest request body accepted, in bytes");
    public static final ConfigKey<Integer> SEGMENT_MAX_CHARS = ConfigKey.integer(
            "TTS_GATEWAY_SEGMENT_MAX_CHARS",
            300,
            16,
            10_000,
            "Longest segment; longer sentences split at clauses, then words");
    public static final ConfigKey<String> VOICES = ConfigKey.string(
            "TTS_GATEWAY_VOICES",
            "slt,kal",
            "Comma-separated voices served (the workers' bundle must speak each one); the first is the default");
    public static final ConfigKey<String> VOICE_ALIASES = ConfigKey.string(
            "TTS_GATEWAY_VOICE_ALIASES",
            "ash=kal,ballad=kal,echo=kal,fable=kal,onyx=kal,verse=kal",
            "Comma-separated name=voice pairs: the served voice "
                    + "each of OpenAI's voice names speaks with on /v1/audio/speech (a name not listed, or whose voice is "
                    + "not served, speaks with the default voice); none for no aliases");
    public static final ConfigKey<String> FORMATS = ConfigKey.string(
            "TTS_GATEWAY_FORMATS", "wav", "Comma-separated audio formats produced; the first is the default");
    public static final ConfigKey<Integer> PRESIGN_TTL_SECONDS = ConfigKey.integer(
            "TTS_GATEWAY_PRESIGN_TTL_SECONDS",
            300,
            1,
            604_800,
            "Lifetime of presigned audio URLs, in seconds (each URL covers one object)");
    public static final ConfigKey<Long> JOB_TTL_SECONDS = ConfigKey.longInt(
            "TTS_GATEWAY_JOB_TTL_SECONDS", 7 * 86_400L, 60, 365 * 86_400L, "How long job state is kept, in seconds");
    public static final ConfigKey<Integer> PARTITIONS = ConfigKey.integer(
            "TTS_GATEWAY_TOPIC_PARTITIONS",
            12,
            1,
            10_000,
            "Partitions of the segments topic when created by the gateway (bounds useful worker count)");
    public static final ConfigKey<Boolean> CREATE_TOPICS =
            ConfigKey.bool("TTS_GATEWAY_CREATE_TOPICS", true, "Create missing topics at start");
    public static final ConfigKey<Integer> PUBLISH_TIMEOUT_MS = ConfigKey.integer(
            "TTS_GATEWAY_PUBLISH_TIMEOUT_MS",
            10_000,
            100,
            120_000,
            "How long a submission waits for Kafka to acknowledge its segments");

    public static final ConfigKey<Integer> MAX_BOOK_BYTES = ConfigKey.integer(
            "TTS_GATEWAY_MAX_BOOK_BYTES",
            32 << 20,
            1024,
            1 << 30,
            "Largest accepted book upload (POST /v1/books), in bytes; an EPUB may unpack to 4x this");
    public static final ConfigKey<Long> MAX_BOOK_CHARS = ConfigKey.longInt(
            "TTS_GATEWAY_MAX_BOOK_CHARS", 3_000_000L, 1, 1_000_000_000L, "Most characters of text in one book");

    public static final ConfigKey<Integer> BOOK_SEGMENT_MAX_CHARS = ConfigKey.integer(
            "TTS_GATEWAY_BOOK_SEGMENT_MAX_CHARS",
            200,
            16,
            2000,
            "Longest segment of a book; longer sentences split at clause punctuation, then words");

    public static final ConfigKey<Integer> KEY_RATE_PER_SECOND = ConfigKey.integer(
            "TTS_GATEWAY_KEY_RATE_PER_SECOND",
            20,
            1,
            1_000_000,
            "Requests per second an API key may make on /v1 (token bucket), unless the key sets its own");
    public static final ConfigKey<Integer> KEY_BURST = ConfigKey.integer(
            "TTS_GATEWAY_KEY_BURST",
            40,
            1,
            1_000_000,
            "Requests an API key may make at once after a quiet period, unless the key sets its own");
    public static final ConfigKey<Integer> KEY_MAX_ACTIVE_JOBS = ConfigKey.integer(
            "TTS_GATEWAY_KEY_MAX_ACTIVE_JOBS",
            100,
            1,
            10_000_000,
            "Jobs and books an API key may have queued or running at once, unless the key sets its own");
    public static final ConfigKey<Long> IDEMPOTENCY_TTL_SECONDS = ConfigKey.longInt(
            "TTS_GATEWAY_IDEMPOTENCY_TTL_SECONDS",
            86_400L,
            60,
            30 * 86_400L,
            "How long an Idempotency-Key is remembered, in seconds");
    public static final ConfigKey<Long> ADMIT_MAX_LAG = ConfigKey.longInt(
            "TTS_GATEWAY_ADMIT_MAX_LAG",
            50_000L,
            0,
            1_000_000_000L,
            "Interactive segments waiting in Kafka beyond which POST /v1/jobs answers 503 with "
                    + "Retry-After (0: no bound)");
    public static final ConfigKey<String> WORKER_GROUP = ConfigKey.string(
            "TTS_GATEWAY_WORKER_GROUP", "workers", "The workers' consumer group, whose lag admission bounds");
    public static final ConfigKey<Long> AUDIO_RETENTION_SECONDS = ConfigKey.longInt(
            "TTS_GATEWAY_AUDIO_RETENTION_SECONDS",
            7 * 86_400L,
            0,
            3650 * 86_400L,
            "How long audio objects are kept before the sweeper deletes them, in seconds " + "(0: until deleted)");
    public static final ConfigKey<Integer> RETENTION_SWEEP_SECONDS = ConfigKey.integer(
            "TTS_GATEWAY_RETENTION_SWEEP_SECONDS",
            3600,
            1,
            86_400,
            "How often a gateway sweeps expired audio (one gateway per interval does it)");

    /** The gateway's own keys (see also {@link InfraConfig#KEYS}). */
    public static final List<ConfigKey<?>> KEYS = List.of(
            BIND_HOST,
            PORT,
            MAX_TEXT_CHARS,
            MAX_BODY_BYTES,
            SEGMENT_MAX_CHARS,
            VOICES,
            VOICE_ALIASES,
            FORMATS,
            PRESIGN_TTL_SECONDS,
            JOB_TTL_SECONDS,
            PARTITIONS,
            CREATE_TOPICS,
            PUBLISH_TIMEOUT_MS,
            MAX_BOOK_BYTES,
            MAX_BOOK_CHARS,
            BOOK_SEGMENT_MAX_CHARS,
            KEY_RATE_PER_SECOND,
            KEY_BURST,
            KEY_MAX_ACTIVE_JOBS,
            IDEMPOTENCY_TTL_SECONDS,
            ADMIT_MAX_LAG,
            WORKER_GROUP,
            AUDIO_RETENTION_SECONDS,
            RETENTION_SWEEP_SECONDS,
            dev.ttscluster.gateway.events.EventsConfig.SSE_MAX_STREAMS,
            dev.ttscluster.gateway.events.EventsConfig.SSE_POLL_MS,
            dev.ttscluster.gateway.events.EventsConfig.SSE_HEARTBEAT_SECONDS,
            dev.ttscluster.gateway.events.EventsConfig.WEBHOOK_ALLOW_HOSTS,
            dev.ttscluster.gateway.events.EventsConfig.WEBHOOK_SECRET,
            dev.ttscluster.gateway.events.EventsConfig.WEBHOOK_MAX_ATTEMPTS,
            dev.ttscluster.gateway.events.EventsConfig.WEBHOOK_BACKOFF_MS,
            dev.ttscluster.gateway.events.EventsConfig.WEBHOOK_TIMEOUT_MS);

    private static final Set<String> SUPPORTED_FORMATS = Set.of("wav");
    private static final String VOICE_NAME = "[a-z0-9_-]{1,40}";

    /**
     * Reads and validates the configuration.
     *
     * @throws ConfigException naming the first bad key
     */
    public static GatewayConfig fromEnv(Map<String, String> env) {
        List<String> formats = list(FORMATS, FORMATS.read(env));
        for (String f : formats) {
            if (!SUPPORTED_FORMATS.contains(f)) {
                throw new ConfigException(
                        FORMATS.name() + " names unsupported format '" + f + "'; supported: " + SUPPORTED_FORMATS);
            }
        }
        List<String> voices = list(VOICES, VOICES.read(env));
        for (String v : voices) {
            if (!v.matches(VOICE_NAME)) {
                throw new ConfigException(VOICES.name() + " has invalid voice name '" + v + "'");
            }
        }
        return new GatewayConfig(
                BIND_HOST.read(env),
                PORT.read(env),
                MAX_TEXT_CHARS.read(env),
                MAX_BODY_BYTES.read(env),
                SEGMENT_MAX_CHARS.read(env),
                voices,
                aliases(VOICE_ALIASES.read(env)),
                formats,
                PRESIGN_TTL_SECONDS.read(env),
                JOB_TTL_SECONDS.read(env),
                PARTITIONS.read(env),
                CREATE_TOPICS.read(env),
                PUBLISH_TIMEOUT_MS.read(env),
                MAX_BOOK_BYTES.read(env),
                MAX_BOOK_CHARS.read(env),
                BOOK_SEGMENT_MAX_CHARS.read(env),
                new Quota(KEY_RATE_PER_SECOND.read(env), KEY_BURST.read(env), KEY_MAX_ACTIVE_JOBS.read(env)),
                IDEMPOTENCY_TTL_SECONDS.read(env),
                ADMIT_MAX_LAG.read(env),
                WORKER_GROUP.read(env),
                AUDIO_RETENTION_SECONDS.read(env),
                RETENTION_SWEEP_SECONDS.read(env),
                InfraConfig.fromEnv(env),
                dev.ttscluster.gateway.events.EventsConfig.fromEnv(env));
    }

    /** Every key the gateway reads, its own and the shared ones. */
    public static List<ConfigKey<?>> allKeys() {
        List<ConfigKey<?>> all = new ArrayList<>(KEYS);
        all.addAll(InfraConfig.KEYS);
        return all;
    }

    private static Map<String, String> aliases(String raw) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (raw.trim().equals("none")) {
            return Map.of();
        }
        for (String pair : raw.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] kv = pair.trim().split("=", -1);
            if (kv.length != 2
                    || !kv[0].trim().matches(VOICE_NAME)
                    || !kv[1].trim().matches(VOICE_NAME)) {
                throw new ConfigException(VOICE_ALIASES.name() + " has '" + pair.trim() + "'; expected name=voice");
            }
            if (out.put(kv[0].trim(), kv[1].trim()) != null) {
                throw new ConfigException(VOICE_ALIASES.name() + " names '" + kv[0].trim() + "' twice");
            }
        }
        return Map.copyOf(out);
    }

    private static List<String> list(ConfigKey<String> key, String raw) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(raw.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .forEach(out::add);
        if (out.isEmpty()) {
            throw new ConfigException(key.name() + " must name at least one value");
        }
        return List.copyOf(out);
    }
}
