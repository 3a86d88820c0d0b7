package dev.ttscluster.gateway.tenants;

import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.gateway.redis.RedisCalls;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * {@code Idempotency-Key} claims in the job-state Redis: {@code tts:idem:{key id}:{sha256 of the header}} holds
 * the request's fingerprint (a hash of route and body) and the id of the job or book it created. The first
 * request with a header claims it; a replay finds the claim. Claims are per API key, so two tenants never
 * see each other's. Thread-safe. Every method throws {@link RetriableException} when Redis cannot be reached.
 */
public final class IdempotencyStore {
    private final UnifiedJedis redis;
    private final long ttlSeconds;

    /** A claim: what request made it and what it created. */
    public record Claim(String fingerprint, String createdId) {}

    /**
     * @param redis the job-state Redis
     * @param ttlSeconds how long a claim is kept (replays after that create new work)
     */
    public IdempotencyStore(UnifiedJedis redis, long ttlSeconds) {
        this.redis = redis;
        this.ttlSeconds = ttlSeconds;
    }

    /**
     * Claims {@code header} for the key, recording what the request will create.
     *
     * @return empty when this request claimed it; otherwise the earlier claim
     */
    public Optional<Claim> claim(String keyId, String header, String fingerprint, String createdId) {
        String k = redisKey(keyId, header);
        String set = RedisCalls.call(() -> redis.set(
                k, fingerprint + " " + createdId, SetParams.setParams().nx().ex(ttlSeconds)));
        if ("OK".equals(set)) {
            return Optional.empty();
        }
        String v = RedisCalls.call(() -> redis.get(k));
        if (v == null) { // expired between the two calls: try once more
            return claim(keyId, header, fingerprint, createdId);
        }
        int sp = v.indexOf(' ');
        return Optional.of(new Claim(v.substring(0, sp), v.substring(sp + 1)));
    }

    /** Drops a claim whose request did not create its work, so a retry may. */
    public void release(String keyId, String header) {
        RedisCalls.call(() -> redis.del(redisKey(keyId, header)));
    }

    private static String redisKey(String keyId, String header) {
        return "tts:idem:" + keyId + ":" + ApiKeyStore.hash(header);
    }
}
