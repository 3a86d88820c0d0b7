package dev.ttscluster.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {
    @Test
    void tableListsEveryKey() {
        String table = ConfigDocs.table(InfraConfig.KEYS);
        for (ConfigKey<?> k : InfraConfig.KEYS) {
            assertThat(table).contains("`" + k.name() + "`");
        }
        assertThat(table.lines().count()).isEqualTo(2 + InfraConfig.KEYS.size());
    }

    @Test
    void requiredKeysShowRequiredAndDefaultsAreQuoted() {
        String table = ConfigDocs.table(List.of(InfraConfig.S3_ACCESS_KEY, InfraConfig.S3_BUCKET));
        assertThat(table).contains("| `TTS_S3_ACCESS_KEY` | (required) |");
        assertThat(table).contains("| `TTS_S3_BUCKET` | `tts-audio` |");
    }

    @Test
    void pipesInDocAreEscaped() {
        String table = ConfigDocs.table(List.of(ConfigKey.string("K", "v", "a|b")));
        assertThat(table).contains("a\\|b");
    }
}
