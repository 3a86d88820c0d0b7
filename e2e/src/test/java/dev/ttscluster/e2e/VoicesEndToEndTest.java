package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ttscluster.client.api.JobRequest;
import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.SpeechRequest;
import dev.ttscluster.client.api.SpeechStream;
import dev.ttscluster.client.api.TtsApiException;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.client.api.VoiceList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both voices of the shipped bundle through the API on the shared cluster: {@code GET /v1/voices} lists them with a
 * sample each, the sample is that voice's WAV, and a job in each voice is exactly that voice's reference audio (and
 * not the other's), and OpenAI's voice names on {@code /v1/audio/speech} speak with the voice they alias (the male
 * names with kal).
 */
@OnSharedCluster
class VoicesEndToEndTest {
    static final List<String> VOICES = List.of("slt", "kal");
    final TtsClient api;

    VoicesEndToEndTest(TtsClient api) {
        this.api = api;
    }

    @Test
    void bothVoicesAreListedWithASampleOfTheirOwn() throws Exception {
        VoiceList list = api.voices();
        assertThat(list.voices()).extracting(VoiceList.Voice::id).containsAll(VOICES);
        for (VoiceList.Voice v : list.voices()) {
            assertThat(v.sampleUrl()).isEqualTo("/v1/voices/" + v.id() + "/sample");
            try (SpeechStream sample = api.voiceSample(v.id())) {
                assertThat(sample.contentType()).isEqualTo("audio/wav");
                short[] got = WavAssert.streamedWavSamples(sample.readAll(), sample.sampleRate());
                ReferenceSynthesis.assertMatches(
                        got, ReferenceSynthesis.expected(v.sampleText(), 1.0, v.id()), v.id() + "'s sample");
            }
        }
        assertThat(catchThrowableOfType(() -> api.voiceSample("nobody"), TtsApiException.class)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aJobInEachVoiceIsThatVoicesAudio() {
        String text = "Two voices check " + SpeechEndToEndTest.nonce() + ". Which one of us is speaking now?";
        for (String voice : VOICES) {
            JobView job = api.awaitJob(
                    api.submitJob(JobRequest.of(text).withVoice(voice)).view().id(), Duration.ofSeconds(60));
            assertThat(job.status()).isEqualTo("succeeded");
            assertThat(job.voice()).isEqualTo(voice);
            short[] got = ReferenceSynthesis.samples(api.download(job.audioUrl()));
            ReferenceSynthesis.assertMatches(got, ReferenceSynthesis.expected(text, 1.0, voice), voice + "'s job");
            String other = VOICES.get(1 - VOICES.indexOf(voice));
            short[] otherAudio = ReferenceSynthesis.expected(text, 1.0, other);
            assertThat(got.length != otherAudio.length || differs(got, otherAudio))
                    .as(voice + " is not " + other)
                    .isTrue();
        }
    }

    @Test
    void openAiVoiceNamesSpeakWithTheirAliasedVoice() throws Exception {
        Map<String, String> aliases = api.voices().aliases();
        assertThat(aliases.get("onyx")).isEqualTo("kal");
        assertThat(aliases.get("nova")).isEqualTo("slt");
        String text = "Which voice is this, " + SpeechEndToEndTest.nonce() + "?";
        for (Map.Entry<String, String> e : Map.of("onyx", "kal", "nova", "slt").entrySet()) {
            try (SpeechStream r = api.speech(
                    SpeechRequest.of("tts-1", text).withVoice(e.getKey()).withFormat("wav"))) {
                ReferenceSynthesis.assertMatches(
                        WavAssert.streamedWavSamples(r.readAll(), r.sampleRate()),
                        ReferenceSynthesis.expected(text, 1.0, e.getValue()),
                        e.getKey() + " speaking as " + e.getValue());
            }
        }
    }

    private static boolean differs(short[] a, short[] b) {
        long far = 0;
        for (int i = 0; i < a.length; i++) {
            far += Math.abs(a[i] - b[i]) > 1000 ? 1 : 0;
        }
        return far > a.length / 20;
    }
}
