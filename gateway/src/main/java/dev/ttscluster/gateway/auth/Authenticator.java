package dev.ttscluster.gateway.auth;

import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.gateway.tenants.ApiKey;
import dev.ttscluster.gateway.tenants.ApiKeyStore;
import dev.ttscluster.gateway.tenants.Quota;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code Authorization} header into a {@link Caller}. Lookups are remembered for a few seconds
 * (found and not found alike), so a polling client costs Redis one read per key per interval, and a revoked
 * key stops working within that interval. Thread-safe.
 */
public final class Authenticator {
    private static final int MAX_REMEMBERED = 10_000;
    private static final String CHALLENGE = "Bearer realm=\"tts\"";

    private final ApiKeyStore keys;
    private final Quota defaults;
    private final Clock clock;
    private final long rememberMs;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(Optional<ApiKey> key, long untilMs) {}

    /**
     * @param keys where keys are looked up
     * @param defaults limits for the quota fields a key leaves at 0
     * @param clock time source for the lookup memory
     * @param rememberMs how long a lookup is reused
     */
    public Authenticator(ApiKeyStore keys, Quota defaults, Clock clock, long rememberMs) {
        this.keys = keys;
        this.defaults = defaults;
        this.clock = clock;
        this.rememberMs = rememberMs;
    }

    /**
     * The caller named by an {@code Authorization} header value.
     *
     * @throws ApiException 401 with a {@code WWW-Authenticate} challenge when the header is missing, not a
     *     Bearer token or names no valid key
     * @throws dev.ttscluster.common.error.RetriableException when the key store cannot be reached
     */
    public Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("this route needs an API key: send 'Authorization: Bearer <key>'");
        }
        String h = authorization.strip();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("the Authorization header must be 'Bearer <key>'");
        }
        String secret = h.substring(7).strip();
        ApiKey key = lookup(secret).orElseThrow(() -> unauthorized("the API key is not valid (unknown or revoked)"));
        return new Caller(key.tenant(), key.id(), key.quota().orElse(defaults));
    }

    private Optional<ApiKey> lookup(String secret) {
        long now = clock.millis();
        Remembered r = remembered.get(secret);
        if (r != null && r.untilMs() > now) {
            return r.key();
        }
        Optional<ApiKey> key = keys.find(secret);
        if (remembered.size() >= MAX_REMEMBERED) {
            for (Iterator<Remembered> it = remembered.values().iterator(); it.hasNext(); ) {
                if (it.next().untilMs() <= now) {
                    it.remove();
                }
            }
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
        }
        remembered.put(secret, new Remembered(key, now + rememberMs));
        return key;
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null, Map.of("WWW-Authenticate", CHALLENGE));
    }
}
