package dev.ttscluster.e2e;

import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.deploy.local.BackingServers;
import dev.ttscluster.worker.config.WorkerConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same backing servers as containers (the {@code containers} Maven profile): Apache Kafka,
 * Redis with append-only persistence for job state, a second Redis for the segment cache (bounded
 * memory, allkeys-lru, no persistence), and MinIO, the S3 server production uses. Where no Docker
 * daemon answers, every end-to-end test is skipped with a message saying so.
 */
public final class ContainerServers implements BackingServers {
    private final KafkaContainer kafka;
    private final GenericContainer<?> redis;
    private final GenericContainer<?> cache;
    private final MinIOContainer minio;

    private ContainerServers(
            KafkaContainer kafka, GenericContainer<?> redis, GenericContainer<?> cache, MinIOContainer minio) {
        this.kafka = kafka;
        this.redis = redis;
        this.cache = cache;
        this.minio = minio;
    }

    /** Starts the containers, or aborts the calling test when Docker is not available. */
    public static BackingServers start() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        if (!docker) {
            String why = "the 'containers' profile runs the end-to-end suite against Kafka, Redis and MinIO"
                    + " containers and needs a Docker daemon; none answers here, so these tests are skipped."
                    + " Run without -Pcontainers to use the servers started in the test JVM.";
            System.err.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.0"))
                .withEnv("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "6000");
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7.4-alpine"))
                .withCommand("redis-server", "--appendonly", "yes", "--maxmemory-policy", "noeviction")
                .withExposedPorts(6379);
        GenericContainer<?> cache = new GenericContainer<>(DockerImageName.parse("redis:7.4-alpine"))
                .withCommand(
                        "redis-server",
                        "--appendonly",
                        "no",
                        "--save",
                        "",
                        "--maxmemory",
                        "256mb",
                        "--maxmemory-policy",
                        "allkeys-lru")
                .withExposedPorts(6379);
        MinIOContainer minio = new MinIOContainer(DockerImageName.parse("minio/minio:RELEASE.2025-04-22T22-12-26Z"));
        kafka.start();
        redis.start();
        cache.start();
        minio.start();
        return new ContainerServers(kafka, redis, cache, minio);
    }

    @Override
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put(InfraConfig.KAFKA_BOOTSTRAP.name(), kafka.getBootstrapServers());
        env.put(InfraConfig.REDIS_URL.name(), "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
        env.put(WorkerConfig.CACHE_REDIS_URL.name(), "redis://" + cache.getHost() + ":" + cache.getMappedPort(6379));
        env.put(InfraConfig.S3_ENDPOINT.name(), minio.getS3URL());
        env.put(InfraConfig.S3_ACCESS_KEY.name(), minio.getUserName());
        env.put(InfraConfig.S3_SECRET_KEY.name(), minio.getPassword());
        env.put(InfraConfig.S3_BUCKET.name(), "tts-audio");
        return env;
    }

    @Override
    public void close() {
        minio.stop();
        cache.stop();
        redis.stop();
        kafka.stop();
    }
}
