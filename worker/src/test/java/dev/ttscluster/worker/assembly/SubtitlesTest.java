package dev.ttscluster.worker.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubtitlesTest {
    private static final List<Map<String, Object>> SENTENCES = List.of(
            Map.of("start", 0.5, "end", 2.25, "text", "First   line."),
            Map.of("start", 3661.0, "end", 3662.5, "text", "An arrow --> inside."));

    @Test
    void vttAndSrtHaveOneCuePerSentenceWithTheirTimeFormats() {
        assertThat(Subtitles.vtt(SENTENCES))
                .isEqualTo("WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.250\nFirst line.\n\n"
                        + "2\n01:01:01.000 --> 01:01:02.500\nAn arrow -> inside.\n\n");
        assertThat(Subtitles.srt(SENTENCES))
                .startsWith("1\n00:00:00,500 --> 00:00:02,250\nFirst line.\n\n2\n01:01:01,000");
    }
}
