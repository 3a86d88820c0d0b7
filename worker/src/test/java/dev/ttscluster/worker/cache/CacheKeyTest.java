package dev.ttscluster.worker.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheKeyTest {
    private static final long[] HELLO = {1, 18, 7, 23, 27, 1};

    @Test
    void sameInputsSameKeyAcrossCalls() {
        assertThat(CacheKey.of("abc", 0, 1.0f, HELLO))
                .isEqualTo(CacheKey.of("abc", 0, 1.0f, HELLO.clone()))
                .startsWith("tts:cache:v1:")
                .hasSize("tts:cache:v1:".length() + 40);
    }

    @Test
    void everythingThatChangesTheAudioChangesTheKey() {
        String k = CacheKey.of("abc", 0, 1.0f, HELLO);
        assertThat(CacheKey.of("abd", 0, 1.0f, HELLO))
                .as("another bundle version")
                .isNotEqualTo(k);
        assertThat(CacheKey.of("abc", 1, 1.0f, HELLO)).as("another speaker").isNotEqualTo(k);
        assertThat(CacheKey.of("abc", 0, 1.1f, HELLO)).as("another speed").isNotEqualTo(k);
        assertThat(CacheKey.of("abc", 0, 1.0f, new long[] {1, 18, 7, 23, 27}))
                .as("other edge context")
                .isNotEqualTo(k);
        assertThat(CacheKey.of("abc", 0, 1.0f, new long[] {18, 7, 23, 27, 1, 1}))
                .as("same phones, other order")
                .isNotEqualTo(k);
    }
}
