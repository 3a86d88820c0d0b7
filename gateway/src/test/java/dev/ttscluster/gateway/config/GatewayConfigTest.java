package dev.ttscluster.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.config.ConfigException;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.testing.Env;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
    private static Map<String, String> env(String... kv) {
        return Env.s3Credentials().and(kv);
    }

    @Test
    void defaultsAreValidGivenS3Credentials() {
        GatewayConfig c = GatewayConfig.fromEnv(env());
        assertThat(c.bindHost()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.maxTextChars()).isEqualTo(5000);
        assertThat(c.segmentMaxChars()).isEqualTo(300);
        assertThat(c.voices()).containsExactly("slt", "kal");
        assertThat(c.formats()).containsExactly("wav");
        assertThat(c.createTopics()).isTrue();
        assertThat(c.jobTtlSeconds()).isEqualTo(7 * 86_400L);
        assertThat(c.infra().s3AccessKey()).isEqualTo("ak");
    }

    @Test
    void voicesAreTrimmedDeduplicatedAndOrdered() {
        GatewayConfig c = GatewayConfig.fromEnv(env("TTS_GATEWAY_VOICES", " amy , bob,amy,, "));
        assertThat(c.voices()).containsExactly("amy", "bob");
    }

    @Test
    void unknownFormatNamesTheKey() {
        assertThatThrownBy(() -> GatewayConfig.fromEnv(env("TTS_GATEWAY_FORMATS", "wav,mp3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_GATEWAY_FORMATS");
    }

    @Test
    void badVoiceNameNamesTheKey() {
        for (String bad : new String[] {"Amy", "two words", "a/b", "x".repeat(41)}) {
            assertThatThrownBy(() -> GatewayConfig.fromEnv(env("TTS_GATEWAY_VOICES", bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("TTS_GATEWAY_VOICES");
        }
    }

    @Test
    void emptyVoiceListNamesTheKey() {
        assertThatThrownBy(() -> GatewayConfig.fromEnv(env("TTS_GATEWAY_VOICES", " , ,")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_GATEWAY_VOICES");
    }

    @Test
    void portOutOfRangeNamesTheKey() {
        for (String bad : new String[] {"65536", "-1", "http"}) {
            assertThatThrownBy(() -> GatewayConfig.fromEnv(env("TTS_GATEWAY_PORT", bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("TTS_GATEWAY_PORT");
        }
    }

    @Test
    void missingS3AccessKeyNamesTheKey() {
        Map<String, String> e = Env.s3Credentials().without("TTS_S3_ACCESS_KEY");
        assertThatThrownBy(() -> GatewayConfig.fromEnv(e))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_S3_ACCESS_KEY");
    }

    @Test
    void missingS3SecretKeyNamesTheKey() {
        Map<String, String> e = Env.s3Credentials().without("TTS_S3_SECRET_KEY");
        assertThatThrownBy(() -> GatewayConfig.fromEnv(e))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TTS_S3_SECRET_KEY");
    }

    @Test
    void allKeysIncludesOwnAndInfraKeys() {
        assertThat(GatewayConfig.allKeys())
                .containsAll(GatewayConfig.KEYS)
                .containsAll(InfraConfig.KEYS)
                .hasSize(GatewayConfig.KEYS.size() + InfraConfig.KEYS.size());
        assertThat(GatewayConfig.allKeys().stream()
                        .map(k -> k.name())
                        .distinct()
                        .count())
                .isEqualTo(GatewayConfig.allKeys().size());
        assertThat(List.copyOf(GatewayConfig.allKeys())).isNotEmpty();
    }
}
