package dev.ttscluster.state;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.state.SegmentMark;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Job state in the job-state Redis (never the evicting cache instance). Layout per job:
 * {@code tts:job:{id}} hash of fields, {@code tts:job:{id}:done} set of finished segment indices,
 * {@code tts:job:{id}:samples} hash index -> samples. Transitions run as Lua scripts, so concurrent
 * workers and redeliveries are safe. Thread-safe (the client pools connections).
 *
 * <p>Every method throws {@link RetriableException} when Redis cannot be reached or times out.
 */
public final class JobStore implements AutoCloseable {
    private static final String MARK_DONE = """
            local st = redis.call('HGET', KEYS[1], 'status')
            if not st then return {0, 0, 0, 0} end
            local added = redis.call('SADD', KEYS[2], ARGV[1])
            if added == 1 then
              redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
              if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[1], 'cached', 1) end
            else
              redis.call('HINCRBY', KEYS[1], 'duplicates', 1)
            end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl); redis.call('PEXPIRE', KEYS[3], ttl) end
            local fin = 0
            if st == 'succeeded' or st == 'failed' or st == 'cancelled' then fin = 1 end
            if st == 'queued' then redis.call('HSET', KEYS[1], 'status', 'running', 'started_ms', ARGV[3]) end
            if added == 1 and fin == 0 and ARGV[1] == '0' then redis.call('HSETNX', KEYS[1], 'first_audio_ms', ARGV[3]) end
            local done = redis.call('SCARD', KEYS[2])
            if fin == 0 then redis.call('HSET', KEYS[1], 'updated_ms', ARGV[3], 'done', done) end
            return {added, done, tonumber(redis.call('HGET', KEYS[1], 'segments')), fin}
            """;
    /** Moves a state hash (KEYS[1]) to a final status ARGV[1] at ARGV[2] with further fields, unless already final. */
    static final String FINISH = """
            local st = redis.call('HGET', KEYS[1], 'status')
            if not st or st == 'succeeded' or st == 'failed' or st == 'cancelled' then return 0 end
            redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updated_ms', ARGV[2], 'finished_ms', ARGV[2])
            for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            if string.sub(KEYS[1], 1, 8) == 'tts:job:' then redis.call('HINCRBY', 'tts:stats:jobs', ARGV[1], 1) end
            return 1
            """;

    /** Cluster-wide counts of jobs by what happened to them: accepted, succeeded, failed, cancelled. */
    static final String STATS = "tts:stats:jobs";

    private final UnifiedJedis redis;
    private final Clock clock;
    private final long ttlSeconds;

    /**
     * @param redis client; closed by {@link #close()}
     * @param clock time source for timestamps
     * @param ttlSeconds how long a job's state is kept after creation
     */
    public JobStore(UnifiedJedis redis, Clock clock, long ttlSeconds) {
        this.redis = redis;
        this.clock = clock;
        this.ttlSeconds = ttlSeconds;
    }

    /** Connects to {@code redis://host:port} with short timeouts. */
    public static JobStore connect(String redisUrl, Clock clock, long ttlSeconds) {
        return new JobStore(client(redisUrl, 2000), clock, ttlSeconds);
    }

    /** A pooled client for {@code redis://host:port} with the given connect and socket timeout. */
    public static UnifiedJedis client(String redisUrl, int timeoutMs) {
        return client(redisUrl, timeoutMs, timeoutMs);
    }

    /** A pooled client for {@code redis://host:port} with its own connect and socket (round trip) timeouts. */
    public static UnifiedJedis client(String redisUrl, int connectTimeoutMs, int socketTimeoutMs) {
        URI uri = URI.create(redisUrl);
        return RedisClient.builder()
                .hostAndPort(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()))
                .clientConfig(DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(connectTimeoutMs)
                        .socketTimeoutMillis(socketTimeoutMs)
                        .build())
                .build();
    }

    static String jobKey(String id) {
        return "tts:job:" + id;
    }

    /** Stores a new job. */
    public void create(JobRecord job) {
        call(() -> {
            Map<String, String> f = new HashMap<>();
            f.put("id", job.id());
            f.put("tenant", job.tenant());
            f.put("status", job.status().wire());
            f.put("voice", job.voice());
            f.put("format", job.format());
            f.put("speed", Double.toString(job.speed()));
            f.put("segments", Integer.toString(job.segments()));
            f.put("done", "0");
            f.put("duplicates", "0");
            f.put("cached", "0");
            f.put("text_chars", Integer.toString(job.textChars()));
            f.put("created_ms", Long.toString(job.createdMs()));
            f.put("updated_ms", Long.toString(job.updatedMs()));
            f.put("finished_ms", "0");
            f.put("error", job.error());
            f.put("audio_key", "");
            f.put("audio_samples", "0");
            f.put("sample_rate", "0");
            redis.hset(jobKey(job.id()), f);
            redis.expire(jobKey(job.id()), ttlSeconds);
            redis.hincrBy(STATS, "accepted", 1);
            return null;
        });
    }

    /** The job, or empty when unknown or expired. */
    public Optional<JobRecord> get(String id) {
        Map<String, String> f = call(() -> redis.hgetAll(jobKey(id)));
        if (f == null || f.isEmpty() || !f.containsKey("status")) {
            return Optional.empty();
        }
        return Optional.of(new JobRecord(
                f.get("id"),
                f.get("tenant"),
                JobStatus.fromWire(f.get("status")),
                f.get("voice"),
                f.get("format"),
                Double.parseDouble(f.getOrDefault("speed", "1")),
                num(f, "segments"),
                num(f, "done"),
                num(f, "duplicates"),
                num(f, "cached"),
                num(f, "text_chars"),
                lng(f, "created_ms"),
                lng(f, "updated_ms"),
                lng(f, "finished_ms"),
                lng(f, "first_audio_ms"),
                f.getOrDefault("error", ""),
                f.getOrDefault("audio_key", ""),
                lng(f, "audio_samples"),
                num(f, "sample_rate")));
    }

    /**
     * Records that segment {@code index} of the job is stored, synthesized by the model. Idempotent: a
     * second call for the same segment counts nothing and increments the job's duplicate counter.
     */
    public SegmentMark markSegmentDone(String jobId, int index, long samples) {
        return markSegmentDone(jobId, index, samples, false);
    }

    /**
     * As {@link #markSegmentDone(String, int, long)}; {@code cached} says the audio came from the
     * segment cache, counted in the job's {@code cached} field when the segment is counted.
     */
    public SegmentMark markSegmentDone(String jobId, int index, long samples, boolean cached) {
        String k = jobKey(jobId);
        Object r = call(() -> redis.eval(
                MARK_DONE,
                List.of(k, k + ":done", k + ":samples"),
                List.of(
                        Integer.toString(index),
                        Long.toString(samples),
                        Long.toString(clock.millis()),
                        cached ? "1" : "0")));
        List<?> l = (List<?>) r;
        return new SegmentMark(
                ((Long) l.get(0)) == 1L,
                ((Long) l.get(1)).intValue(),
                ((Long) l.get(2)).intValue(),
                ((Long) l.get(3)) == 1L);
    }

    /**
     * Keeps segment {@code index}'s word timings (an opaque string, e.g. JSON) for the job's assembly;
     * they expire with the job.
     */
    public void putWords(String jobId, int index, String words) {
        String k = jobKey(jobId) + ":words";
        call(() -> {
            try (redis.clients.jedis.AbstractPipeline p = redis.pipelined()) {
                p.hset(k, Integer.toString(index), words);
                p.expire(k, ttlSeconds);
                p.sync();
            }
            return null;
        });
    }

    /** The word timings kept for each segment of the job, by index. */
    public Map<Integer, String> words(String jobId) {
        Map<String, String> m = call(() -> redis.hgetAll(jobKey(jobId) + ":words"));
        Map<Integer, String> out = new HashMap<>();
        m.forEach((k, v) -> out.put(Integer.parseInt(k), v));
        return out;
    }

    /**
     * Status of each job in one round trip; jobs that are unknown or expired are absent.
     */
    public Map<String, JobStatus> statuses(java.util.Collection<String> ids) {
        return call(() -> {
            Map<String, redis.clients.jedis.Response<String>> pending = new HashMap<>();
            try (redis.clients.jedis.AbstractPipeline p = redis.pipelined()) {
                for (String id : ids) {
                    pending.put(id, p.hget(jobKey(id), "status"));
                }
                p.sync();
            }
            Map<String, JobStatus> out = new HashMap<>();
            pending.forEach((id, r) -> {
                if (r.get() != null) {
                    out.put(id, JobStatus.fromWire(r.get()));
                }
            });
            return out;
        });
    }

    /** Samples of each finished segment, by index; missing ones are -1. */
    public long[] segmentSamples(String jobId, int count) {
        Map<String, String> m = call(() -> redis.hgetAll(jobKey(jobId) + ":samples"));
        long[] out = new long[count];
        java.util.Arrays.fill(out, -1);
        m.forEach((k, v) -> {
            int i = Integer.parseInt(k);
            if (i >= 0 && i < count) {
                out[i] = Long.parseLong(v);
            }
        });
        return out;
    }

    /** Marks the job succeeded with its audio; false if it was already final (counted once). */
    public boolean markSucceeded(String jobId, String audioKey, long samples, int sampleRate) {
        return finish(
                jobId,
                JobStatus.SUCCEEDED,
                "audio_key",
                audioKey,
                "audio_samples",
                Long.toString(samples),
                "sample_rate",
                Integer.toString(sampleRate));
    }

    /** Marks the job failed with a reason; false if it was already final. */
    public boolean markFailed(String jobId, String reason) {
        return finish(jobId, JobStatus.FAILED, "error", reason);
    }

    /** Cancels the job; false if it was already final. */
    public boolean cancel(String jobId) {
        return finish(jobId, JobStatus.CANCELLED);
    }

    private boolean finish(String jobId, JobStatus status, String... fields) {
        return finish(redis, jobKey(jobId), status, clock.millis(), fields);
    }

    /** Moves the state hash at {@code key} (a job's or a book's) to a final status; false if already final. */
    static boolean finish(UnifiedJedis redis, String key, JobStatus status, long nowMs, String... fields) {
        List<String> args = new java.util.ArrayList<>(List.of(status.wire(), Long.toString(nowMs)));
        args.addAll(List.of(fields));
        Object r = call(() -> redis.eval(FINISH, List.of(key), args));
        return ((Long) r) == 1L;
    }

    /**
     * Forgets a job: its record and every per-segment key. A worker still holding one of its segments
     * finds no record and counts nothing.
     */
    public void delete(String jobId) {
        String k = jobKey(jobId);
        call(() -> redis.del(k, k + ":done", k + ":samples", k + ":words"));
    }

    /**
     * How many jobs the cluster has accepted and how many ended in each final status, since the job-state
     * Redis was created (counted by the transitions themselves, so every gateway and worker agrees).
     */
    public Map<String, Long> jobCounts() {
        Map<String, String> m = call(() -> redis.hgetAll(STATS));
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String k : List.of("accepted", "succeeded", "failed", "cancelled")) {
            out.put(k, Long.parseLong(m.getOrDefault(k, "0")));
        }
        return out;
    }

    /** Books in the same Redis, through the same client (closed with this store). */
    public BookStore books() {
        return new BookStore(redis, clock, ttlSeconds);
    }

    /** True when Redis answers a PING. */
    public boolean ping() {
        try {
            return "PONG".equalsIgnoreCase(redis.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    /** Runs a Redis operation; a Redis failure becomes {@link RetriableException}. */
    static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (JedisException e) {
            throw new RetriableException(Dependency.REDIS, "job-state Redis unavailable: " + e.getMessage(), e);
        }
    }

    private static int num(Map<String, String> f, String k) {
        return Integer.parseInt(f.getOrDefault(k, "0"));
    }

    private static long lng(Map<String, String> f, String k) {
        return Long.parseLong(f.getOrDefault(k, "0"));
    }

    @Override
    public void close() {
        redis.close();
    }
}
