package dev.ttscluster.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraConfigTest {
    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("TTS_S3_ACCESS_KEY", "ak");
        m.put("TTS_S3_SECRET_KEY", "sk");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreValidGivenCredentials() {
        InfraConfig c = InfraConfig.fromEnv(env());
        assertThat(c.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(c.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(c.s3Endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(c.s3Bucket()).isEqualTo("tts-audio");
        assertThat(c.s3Region()).isEqualTo("us-east-1");
        assertThat(c.s3AccessKey()).isEqualTo("ak");
        assertThat(c.s3SecretKey()).isEqualTo("sk");
    }

    @Test
    void publicEndpointDefaultsToEndpoint() {
        InfraConfig c = InfraConfig.fromEnv(env("TTS_S3_ENDPOINT", "http://minio.example:9000"));
        assertThat(c.s3PublicEndpoint()).isEqualTo("http://minio.example:9000");
    }

    @Test
    void blankPublicEndpointDefaultsToEndpoint() {
        InfraConfig c = InfraConfig.fromEnv(
                env("TTS_S3_ENDPOINT", "http://minio.example:9000", "TTS_S3_PUBLIC_ENDPOINT", "  "));
        assertThat(c.s3PublicEndpoint()).isEqualTo("http://minio.example:9000");
    }

    @Test
    void explicitPublicEndpointIsKept() {
        InfraConfig c = InfraConfig.fromEnv(env("TTS_S3_PUBLIC_ENDPOINT", "https://audio.example.com"));
        assertThat(c.s3PublicEndpoint()).isEqualTo("https://audio.example.com");
        assertThat(c.s3Endpoint()).isEqualTo("http://127.0.0.1:9000");
    }

    @Test
    void badS3EndpointNamesTheKey() {
        for (String bad : new String[] {"not a url", "ftp://host:21", "minio:9000", "http://"}) {
            assertThatThrownBy(() -> InfraConfig.fromEnv(env("TTS_S3_ENDPOINT", bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("TTS_S3_ENDPOINT");
        }
    }

    @Test
    void badPublicEndpointNamesTheKey() {
        assertThatThrownBy(() -> InfraConfig.fromEnv(env("TTS_S3_PUBLIC_ENDPOINT", "audio.example.com")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_S3_PUBLIC_ENDPOINT");
    }

    @Test
    void badRedisUrlNamesTheKey() {
        assertThatThrownBy(() -> InfraConfig.fromEnv(env("TTS_REDIS_URL", "http://127.0.0.1:6379")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_REDIS_URL");
    }

    @Test
    void badBucketNameNamesTheKey() {
        for (String bad : new String[] {"Upper-Case", "ab", "under_score", "-leading", "trailing-"}) {
            assertThatThrownBy(() -> InfraConfig.fromEnv(env("TTS_S3_BUCKET", bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("TTS_S3_BUCKET");
        }
    }

    @Test
    void missingAccessKeyNamesTheKey() {
        Map<String, String> e = env();
        e.remove("TTS_S3_ACCESS_KEY");
        assertThatThrownBy(() -> InfraConfig.fromEnv(e))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_S3_ACCESS_KEY");
    }

    @Test
    void toStringHidesSecrets() {
        assertThat(InfraConfig.fromEnv(env("TTS_S3_SECRET_KEY", "hunter2")).toString())
                .doesNotContain("hunter2");
    }
}
