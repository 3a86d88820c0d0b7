package dev.ttscluster.gateway.tenants;

import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.gateway.redis.RedisCalls;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * Per-key quotas in the job-state Redis, shared by every gateway:
 * <ul>
 *   <li>a request-rate token bucket, {@code tts:quota:rate:{key id}}, refilled by Redis' own clock so gateways
 *       with skewed clocks agree;</li>
 *   <li>the key's active work, {@code tts:quota:active:{key id}}, a sorted set of {@code job:{id}} and
 *       {@code book:{id}} members scored by admission time. Members whose record is final or gone are pruned
 *       when the set is full; a member admitted in the last minute is never pruned (its record may still be
 *       being written).</li>
 * </ul>
 * Thread-safe. Every method throws {@link RetriableException} when Redis cannot be reached.
 */
public final class QuotaStore {
    private static final String TAKE = """
            local rate = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(b[1])
            local ts = tonumber(b[2])
            if not tokens or not ts then tokens = burst; ts = now end
            if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate / 1000); ts = now end
            local wait = 0
            if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
            redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
            return wait
            """;
    private static final String ADMIT = """
            local max = tonumber(ARGV[2])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
            if redis.call('ZCARD', KEYS[1]) >= max then
              local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
              for _, m in ipairs(old) do
                local st = redis.call('HGET', 'tts:' .. m, 'status')
                if (not st) or st == 'succeeded' or st == 'failed' or st == 'cancelled' then redis.call('ZREM', KEYS[1], m) end
              end
              local young = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (now - 60000), '+inf')
              for _, m in ipairs(young) do
                local st = redis.call('HGET', 'tts:' .. m, 'status')
                if st == 'succeeded' or st == 'failed' or st == 'cancelled' then redis.call('ZREM', KEYS[1], m) end
              end
              if redis.call('ZCARD', KEYS[1]) >= max then return 0 end
            end
            redis.call('ZADD', KEYS[1], now, ARGV[1])
            redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
            return 1
            """;

    private final UnifiedJedis redis;
    private final long activeTtlSeconds;

    /**
     * @param redis the job-state Redis (member records are read from it)
     * @param activeTtlSeconds how long an idle key's active set is kept (the job TTL: no member outlives it)
     */
    public QuotaStore(UnifiedJedis redis, long activeTtlSeconds) {
        this.redis = redis;
        this.activeTtlSeconds = activeTtlSeconds;
    }

    /**
     * Takes one request from the key's bucket.
     *
     * @return 0 when allowed, otherwise how many milliseconds until a request would be
     */
    public long take(String keyId, double ratePerSecond, int burst) {
        Object r = RedisCalls.call(() -> redis.eval(
                TAKE,
                List.of("tts:quota:rate:" + keyId),
                List.of(Double.toString(ratePerSecond), Integer.toString(burst))));
        return (Long) r;
    }

    /**
     * Admits a job ({@code job:{id}}) or book ({@code book:{id}}) as active work of the key, if fewer than
     * {@code maxActive} are queued or running. Admitting a member twice admits it once.
     *
     * @return false when the key is at its limit
     */
    public boolean admit(String keyId, String member, int maxActive) {
        Object r = RedisCalls.call(() -> redis.eval(
                ADMIT,
                List.of(activeKey(keyId)),
                List.of(member, Integer.toString(maxActive), Long.toString(activeTtlSeconds))));
        return (Long) r == 1L;
    }

    /** Gives back an admission whose work was never created (e.g. the queue refused it). */
    public void release(String keyId, String member) {
        RedisCalls.call(() -> redis.zrem(activeKey(keyId), member));
    }

    private static String activeKey(String keyId) {
        return "tts:quota:active:" + keyId;
    }
}
