package dev.ttscluster.gateway.redis;

import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import java.util.function.Supplier;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Calls to the job-state Redis from the gateway's own stores (tenants, webhooks): a failure of the client
 * (connection refused, timeout, server error) becomes a {@link RetriableException} of {@link Dependency#REDIS},
 * which the HTTP API answers with 503. Stateless and thread-safe.
 */
public final class RedisCalls {
    private RedisCalls() {}

    /**
     * The value of {@code op}.
     *
     * @throws RetriableException when {@code op} throws a {@link JedisException}
     */
    public static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (JedisException e) {
            throw new RetriableException(Dependency.REDIS, "job-state Redis unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code op}.
     *
     * @throws RetriableException when {@code op} throws a {@link JedisException}
     */
    public static void run(Runnable op) {
        call(() -> {
            op.run();
            return null;
        });
    }
}
