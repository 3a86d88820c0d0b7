package dev.ttscluster.deploy.local;

import dev.ttscluster.common.config.InfraConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The backing servers of a local cluster, all real and on loopback free ports: a Kafka KRaft broker,
 * the job-state Redis and an S3 server. Each can be stopped and started again on the same port with
 * its data kept. Not thread-safe.
 */
public final class LocalServers implements BackingServers {
    private final KafkaNode kafka;
    private final RedisNode redis;
    private final RedisNode cache;
    private final S3Node s3;

    private LocalServers(Path dataDir) {
        this.kafka = new KafkaNode(dataDir.resolve("kafka"), Ports.free(), Ports.free());
        this.redis = new RedisNode(dataDir.resolve("redis"), Ports.free(), RedisNode.Role.JOB_STATE);
        // the feature cache evicts (allkeys-lru): a Redis of its own, so eviction never touches job state
        this.cache = new RedisNode(dataDir.resolve("redis-cache"), Ports.free(), RedisNode.Role.CACHE);
        this.s3 = new S3Node(
                dataDir.resolve("s3"),
                Ports.free(),
                "tts-local",
                "tts-local-secret-" + Long.toHexString(new java.security.SecureRandom().nextLong()));
    }

    /**
     * Starts every server with its data under {@code dataDir}.
     *
     * @throws RuntimeException when one cannot start (the others are stopped again)
     */
    public static LocalServers start(Path dataDir) {
        LocalServers s = new LocalServers(dataDir);
        try {
            s.redis.start();
            s.cache.start();
            s.s3.start();
            s.kafka.start();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Environment variables (the shared {@link InfraConfig} keys) pointing services at these servers. */
    @Override
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put(InfraConfig.KAFKA_BOOTSTRAP.name(), kafka.bootstrap());
        env.put(InfraConfig.REDIS_URL.name(), redis.url());
        env.put("TTS_CACHE_REDIS_URL", cache.url());
        env.put(InfraConfig.S3_ENDPOINT.name(), s3.endpoint());
        env.put(InfraConfig.S3_ACCESS_KEY.name(), s3.accessKey());
        env.put(InfraConfig.S3_SECRET_KEY.name(), s3.secretKey());
        env.put(InfraConfig.S3_BUCKET.name(), "tts-audio");
        return env;
    }

    public KafkaNode kafka() {
        return kafka;
    }

    public RedisNode redis() {
        return redis;
    }

    /** The segment cache's Redis. */
    public RedisNode cache() {
        return cache;
    }

    public S3Node s3() {
        return s3;
    }

    /**
     * Starts again, on their ports and with their data, the servers a fault injection left stopped (for a
     * test's cleanup: every server is up afterwards).
     *
     * @return the names of the servers it started ({@code kafka}, {@code redis}, {@code redis-cache},
     *     {@code s3}); empty when all were running
     * @throws RuntimeException when one cannot start
     */
    public java.util.List<String> startStopped() {
        java.util.List<String> started = new java.util.ArrayList<>();
        if (!redis.isRunning()) {
            redis.start();
            started.add("redis");
        }
        if (!cache.isRunning()) {
            cache.start();
            started.add("redis-cache");
        }
        if (!s3.isRunning()) {
            s3.start();
            started.add("s3");
        }
        if (!kafka.isRunning()) {
            kafka.start();
            started.add("kafka");
        }
        return started;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : new AutoCloseable[] {kafka, s3, redis, cache}) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("stopping servers", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
