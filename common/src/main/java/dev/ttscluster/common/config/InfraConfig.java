package dev.ttscluster.common.config;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Where the shared servers are: Kafka, the job-state Redis, and S3. Both gateway and worker embed it.
 *
 * @param kafkaBootstrap Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param redisUrl job-state Redis, {@code redis://host:port}
 * @param s3Endpoint S3 endpoint the services use
 * @param s3PublicEndpoint S3 endpoint that presigned URLs handed to clients point at
 * @param s3AccessKey S3 access key
 * @param s3SecretKey S3 secret key
 * @param s3Bucket bucket holding all audio
 * @param s3Region region used for signing
 */
public record InfraConfig(
        String kafkaBootstrap,
        String redisUrl,
        String s3Endpoint,
        String s3PublicEndpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Bucket,
        String s3Region) {

    public static final ConfigKey<String> KAFKA_BOOTSTRAP = ConfigKey.string(
            "TTS_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "Kafka bootstrap servers (host:port, comma separated)");
    public static final ConfigKey<String> REDIS_URL = ConfigKey.string(
            "TTS_REDIS_URL", "redis://127.0.0.1:6379", "Job-state Redis (no eviction, append-only persistence)");
    public static final ConfigKey<String> S3_ENDPOINT =
            ConfigKey.string("TTS_S3_ENDPOINT", "http://127.0.0.1:9000", "S3 endpoint used by the services");
    public static final ConfigKey<String> S3_PUBLIC_ENDPOINT = ConfigKey.optionalString(
            "TTS_S3_PUBLIC_ENDPOINT",
            "S3 endpoint that presigned URLs for clients are signed for; empty means TTS_S3_ENDPOINT");
    public static final ConfigKey<String> S3_ACCESS_KEY = ConfigKey.string("TTS_S3_ACCESS_KEY", null, "S3 access key");
    public static final ConfigKey<String> S3_SECRET_KEY = ConfigKey.string("TTS_S3_SECRET_KEY", null, "S3 secret key");
    public static final ConfigKey<String> S3_BUCKET =
            ConfigKey.string("TTS_S3_BUCKET", "tts-audio", "Bucket holding segment and job audio");
    public static final ConfigKey<String> S3_REGION =
            ConfigKey.string("TTS_S3_REGION", "us-east-1", "Region used to sign S3 requests");

    /** Every key, for documentation. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            KAFKA_BOOTSTRAP,
            REDIS_URL,
            S3_ENDPOINT,
            S3_PUBLIC_ENDPOINT,
            S3_ACCESS_KEY,
            S3_SECRET_KEY,
            S3_BUCKET,
            S3_REGION);

    /**
     * Reads and validates the keys.
     *
     * @throws ConfigException naming the first bad key
     */
    public static InfraConfig fromEnv(Map<String, String> env) {
        String endpoint = httpUrl(S3_ENDPOINT, S3_ENDPOINT.read(env));
        String publicRaw = S3_PUBLIC_ENDPOINT.read(env);
        String publicEndpoint = publicRaw.isBlank() ? endpoint : httpUrl(S3_PUBLIC_ENDPOINT, publicRaw.trim());
        String redis = REDIS_URL.read(env);
        if (!redis.startsWith("redis://")) {
            throw new ConfigException(REDIS_URL.name() + "='" + redis + "' is invalid: expected redis://host:port");
        }
        String bucket = S3_BUCKET.read(env);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new ConfigException(S3_BUCKET.name() + "='" + bucket + "' is invalid: expected an S3 bucket name");
        }
        return new InfraConfig(
                KAFKA_BOOTSTRAP.read(env),
                redis,
                endpoint,
                publicEndpoint,
                S3_ACCESS_KEY.read(env),
                S3_SECRET_KEY.read(env),
                bucket,
                S3_REGION.read(env));
    }

    private static String httpUrl(ConfigKey<String> key, String value) {
        try {
            URI uri = URI.create(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.name() + "='" + value + "' is invalid: expected an http(s) URL");
        }
    }

    @Override
    public String toString() {
        return "InfraConfig[kafka=" + kafkaBootstrap + ", redis=" + redisUrl + ", s3=" + s3Endpoint + ", s3Public="
                + s3PublicEndpoint + ", bucket=" + s3Bucket + "]";
    }
}
