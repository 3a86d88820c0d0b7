package dev.ttscluster.gateway.tenants;

import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.gateway.redis.RedisCalls;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import redis.clients.jedis.UnifiedJedis;

/**
 * API keys in the job-state Redis, stored only as SHA-256 hashes: {@code tts:apikey:{sha256 hex}} is a hash
 * of the key's tenant, name, quota and creation time. A key is {@code tts_} followed by 43 URL-safe base64
 * characters (256 random bits), so a hash without a salt is safe: nobody can guess a preimage. The secret
 * is returned once, by {@link #create}, and never stored. Thread-safe.
 *
 * <p>Every method throws {@link RetriableException} when Redis cannot be reached.
 */
public final class ApiKeyStore {
    /** Every key starts with this, so leaked keys are easy to scan for. */
    public static final String PREFIX = "tts_";

    private static final Pattern SHAPE = Pattern.compile("tts_[A-Za-z0-9_-]{43}");
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UnifiedJedis redis;
    private final Clock clock;

    public ApiKeyStore(UnifiedJedis redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** A newly made key: the secret, shown once, and what the store keeps. */
    public record Issued(String secret, ApiKey key) {}

    /**
     * Makes a key for {@code tenant}.
     *
     * @throws IllegalArgumentException when the tenant name is not 1-63 of [a-z0-9_-] starting alphanumeric
     */
    public Issued create(String tenant, String name, Quota quota) {
        if (!validTenant(tenant)) {
            throw new IllegalArgumentException("tenant must be 1-63 characters of [a-z0-9_-], starting with a letter"
                    + " or digit: '" + tenant + "'");
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String hash = hash(secret);
        ApiKey key = new ApiKey(idOf(hash), tenant, name == null ? "" : name, quota, clock.millis());
        RedisCalls.call(() -> redis.hset(
                redisKey(hash),
                Map.of(
                        "tenant",
                        tenant,
                        "name",
                        key.name(),
                        "rate_per_second",
                        Double.toString(quota.ratePerSecond()),
                        "burst",
                        Integer.toString(quota.burst()),
                        "max_active_jobs",
                        Integer.toString(quota.maxActiveJobs()),
                        "created_ms",
                        Long.toString(key.createdMs()))));
        return new Issued(secret, key);
    }

    /** The key a caller presented, or empty when it is malformed, unknown or revoked. */
    public Optional<ApiKey> find(String secret) {
        if (secret == null || !SHAPE.matcher(secret).matches()) {
            return Optional.empty();
        }
        String hash = hash(secret);
        Map<String, String> f = RedisCalls.call(() -> redis.hgetAll(redisKey(hash)));
        if (f == null || !f.containsKey("tenant")) {
            return Optional.empty();
        }
        return Optional.of(new ApiKey(
                idOf(hash),
                f.get("tenant"),
                f.getOrDefault("name", ""),
                new Quota(
                        Double.parseDouble(f.getOrDefault("rate_per_second", "0")),
                        Integer.parseInt(f.getOrDefault("burst", "0")),
                        Integer.parseInt(f.getOrDefault("max_active_jobs", "0"))),
                Long.parseLong(f.getOrDefault("created_ms", "0"))));
    }

    /** Revokes a key; false when it was not known. */
    public boolean revoke(String secret) {
        if (secret == null || !SHAPE.matcher(secret).matches()) {
            return false;
        }
        return RedisCalls.call(() -> redis.del(redisKey(hash(secret)))) == 1L;
    }

    /** True for a tenant name keys can be made for (it becomes part of object keys). */
    public static boolean validTenant(String tenant) {
        return tenant != null && TENANT.matcher(tenant).matches();
    }

    static String redisKey(String hash) {
        return "tts:apikey:" + hash;
    }

    /** The public id of a key: the first 16 hex digits of its hash. */
    static String idOf(String hash) {
        return hash.substring(0, 16);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
