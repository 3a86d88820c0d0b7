package dev.ttscluster.gateway.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.gateway.redis.RedisCalls;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The webhooks' records in the job-state Redis:
 * <ul>
 *   <li>{@code tts:webhook:{kind}:{id}}: hash of {@code url}, {@code tenant}, {@code state} (pending, delivered,
 *       failed), {@code attempts} (count), {@code created_ms}, {@code delivered_ms}; expires with the work;</li>
 *   <li>{@code tts:webhook:{kind}:{id}:attempts}: list of JSON attempts {@code {at, status, error}};</li>
 *   <li>{@code tts:webhooks:due}: sorted set of {@code {kind}:{id}} members scored by when each is next due (ms);</li>
 *   <li>{@code tts:webhook:lock:{kind}:{id}}: a claim on one entry ({@code SET NX PX}, the claimant's id);</li>
 *   <li>{@code tts:webhooks:master}: the generated gateway secret the signing secrets derive from.</li>
 * </ul>
 * Thread-safe. Every method throws {@link dev.ttscluster.common.error.RetriableException} when Redis cannot be
 * reached, except where it says it never throws.
 */
final class WebhookStore implements AutoCloseable {
    static final String DUE = "tts:webhooks:due";
    static final String MASTER = "tts:webhooks:master";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final UnifiedJedis redis;
    private final long ttlSeconds;

    /**
     * @param redis client of the job-state Redis; closed by {@link #close()}
     * @param ttlSeconds how long a callback's record is kept
     */
    WebhookStore(UnifiedJedis redis, long ttlSeconds) {
        this.redis = redis;
        this.ttlSeconds = ttlSeconds;
    }

    /** A callback's record: its hash fields and its attempts (JSON texts), oldest first. */
    record Entry(Map<String, String> fields, List<String> attempts) {}

    static String key(String kind, String id) {
        return "tts:webhook:" + kind + ":" + id;
    }

    /** The due-set member of {@code kind} {@code id}. */
    static String member(String kind, String id) {
        return kind + ":" + id;
    }

    /** Records a pending callback, due at {@code dueMs}. */
    void register(String kind, String id, String tenant, URI url, long nowMs, long dueMs) {
        String k = key(kind, id);
        RedisCalls.run(() -> {
            try (AbstractPipeline p = redis.pipelined()) {
                p.hset(
                        k,
                        Map.of(
                                "url",
                                url.toString(),
                                "tenant",
                                tenant,
                                "state",
                                "pending",
                                "attempts",
                                "0",
                                "created_ms",
                                Long.toString(nowMs)));
                p.expire(k, ttlSeconds);
                p.zadd(DUE, dueMs, member(kind, id));
                p.sync();
            }
        });
    }

    /** The record of {@code kind} {@code id} (empty fields when it has none), in one round trip. */
    Entry entry(String kind, String id) {
        String k = key(kind, id);
        return RedisCalls.call(() -> {
            try (AbstractPipeline p = redis.pipelined()) {
                Response<Map<String, String>> rh = p.hgetAll(k);
                Response<List<String>> ra = p.lrange(k + ":attempts", 0, -1);
                p.sync();
                Map<String, String> h = rh.get();
                return new Entry(h == null ? Map.of() : h, ra.get());
            }
        });
    }

    /** The hash fields of the member's record (empty when it has none). */
    Map<String, String> fields(String member) {
        Map<String, String> h = RedisCalls.call(() -> redis.hgetAll("tts:webhook:" + member));
        return h == null ? Map.of() : h;
    }

    /** Up to {@code limit} members due at {@code nowMs}, earliest first. */
    List<String> due(long nowMs, int limit) {
        return RedisCalls.call(() -> redis.zrangeByScore(DUE, 0, nowMs, 0, limit));
    }

    /** When the member is next due, or null when it is not in the due set. */
    Double dueAt(String member) {
        return RedisCalls.call(() -> redis.zscore(DUE, member));
    }

    /** Makes the member due at {@code atMs}. */
    void schedule(String member, long atMs) {
        RedisCalls.run(() -> redis.zadd(DUE, atMs, member));
    }

    /** Takes the member out of the due set. */
    void unschedule(String member) {
        RedisCalls.run(() -> redis.zrem(DUE, member));
    }

    /** Claims the member for {@code owner} for {@code holdMs}; false when another holds it. */
    boolean lock(String member, String owner, long holdMs) {
        return "OK"
                .equals(RedisCalls.call(() -> redis.set(
                        lockKey(member), owner, SetParams.setParams().nx().px(holdMs))));
    }

    /** Gives the member's claim back if {@code owner} still holds it. Never throws: a claim also expires. */
    void unlock(String member, String owner) {
        try {
            redis.eval(RELEASE, List.of(lockKey(member)), List.of(owner));
        } catch (RuntimeException ignored) {
            // the lock expires on its own
        }
    }

    private static String lockKey(String member) {
        return "tts:webhook:lock:" + member;
    }

    /** Appends an attempt made at {@code atMs} (status null: no answer); returns the attempt count. */
    int recordAttempt(String member, long atMs, Integer status, String error) {
        String k = "tts:webhook:" + member;
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("at", Instant.ofEpochMilli(atMs).toString());
        a.put("status", status);
        a.put("error", error);
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(a);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return RedisCalls.call(() -> {
            redis.rpush(k + ":attempts", json);
            redis.expire(k + ":attempts", ttlSeconds);
            return (int) redis.hincrBy(k, "attempts", 1);
        });
    }

    /** Marks the member delivered at {@code atMs} and takes it out of the due set. */
    void delivered(String member, long atMs) {
        RedisCalls.run(() -> {
            redis.hset("tts:webhook:" + member, Map.of("state", "delivered", "delivered_ms", Long.toString(atMs)));
            redis.zrem(DUE, member);
        });
    }

    /** Marks the member given up and takes it out of the due set. */
    void failed(String member) {
        RedisCalls.run(() -> {
            redis.hset("tts:webhook:" + member, "state", "failed");
            redis.zrem(DUE, member);
        });
    }

    /** The gateway secret every gateway shares: generated once (the first gateway to ask sets it). */
    String masterSecret() {
        return RedisCalls.call(() -> {
            redis.setnx(MASTER, HexFormat.of().formatHex(new SecureRandom().generateSeed(32)));
            return redis.get(MASTER);
        });
    }

    @Override
    public void close() {
        redis.close();
    }
}
