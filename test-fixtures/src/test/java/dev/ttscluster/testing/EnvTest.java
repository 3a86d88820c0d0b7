package dev.ttscluster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.config.InfraConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
    @Test
    void laterPairsReplaceEarlierOnesAndTheOriginalIsUnchanged() {
        Env base = Env.of("TTS_A", "1", "TTS_B", "2");

        Env changed = base.with("TTS_A", "3").with(InfraConfig.S3_BUCKET, "audio");

        assertThat(changed)
                .containsExactly(Map.entry("TTS_A", "3"), Map.entry("TTS_B", "2"), Map.entry("TTS_S3_BUCKET", "audio"));
        assertThat(base).containsExactly(Map.entry("TTS_A", "1"), Map.entry("TTS_B", "2"));
    }

    @Test
    void s3CredentialsAreEnoughForTheInfraConfig() {
        InfraConfig c = InfraConfig.fromEnv(Env.s3Credentials());

        assertThat(c.s3AccessKey()).isEqualTo("ak");
        assertThat(c.s3SecretKey()).isEqualTo("sk");
    }

    @Test
    void withoutRemovesAKey() {
        assertThat(Env.s3Credentials().without(InfraConfig.S3_SECRET_KEY)).containsOnlyKeys("TTS_S3_ACCESS_KEY");
    }

    @Test
    void anOddNumberOfStringsIsRefused() {
        assertThatThrownBy(() -> Env.of("TTS_A")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMapCannotBeChangedInPlace() {
        assertThatThrownBy(() -> Env.of("TTS_A", "1").put("TTS_B", "2"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
