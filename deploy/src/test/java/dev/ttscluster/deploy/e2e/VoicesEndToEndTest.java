package dev.ttscluster.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both voices of the shipped bundle through the API on the shared cluster: {@code GET /v1/voices} lists them with a
 * sample each, the sample is that voice's WAV, and a job in each voice is exactly that voice's reference audio (and
 * not the other's), and OpenAI's voice names on {@code /v1/audio/speech} speak with the voice they alias (the male
 * names with kal).
 */
class VoicesEndToEndTest {
    static final List<String> VOICES = List.of("slt", "kal");
    static Api api;

    @BeforeAll
    static void cluster() {
        api = new Api(SharedCluster.get().gatewayUrl());
        SharedCluster.restoreWorkers();
    }

    @Test
    void bothVoicesAreListedWithASampleOfTheirOwn() {
        JsonNode list = Api.json(api.get("/v1/voices").body());
        List<String> ids = new ArrayList<>();
        for (JsonNode v : list.get("data")) {
            ids.add(v.get("id").asText());
        }
        assertThat(ids).containsAll(VOICES);
        for (JsonNode v : list.get("data")) {
            String voice = v.get("id").asText();
            HttpResponse<byte[]> sample = api.getBytes(v.get("sample_url").asText());
            assertThat(sample.statusCode()).as(voice + "'s sample").isEqualTo(200);
            assertThat(sample.headers().firstValue("Content-Type")).hasValue("audio/wav");
            int rate = Integer.parseInt(sample.headers().firstValue("X-Sample-Rate").orElseThrow());
            short[] got = SpeechEndToEndTest.streamedWavSamples(sample.body(), rate);
            ReferenceSynthesis.assertMatches(got, ReferenceSynthesis.expected(v.get("sample_text").asText(), 1.0, voice),
                    voice + "'s sample");
        }
        assertThat(api.get("/v1/voices/nobody/sample").statusCode()).isEqualTo(404);
    }

    @Test
    void aJobInEachVoiceIsThatVoicesAudio() throws InterruptedException {
        String text = "Two voices check " + SpeechEndToEndTest.nonce() + ". Which one of us is speaking now?";
        for (String voice : VOICES) {
            HttpResponse<String> r = api.submit(Map.of("text", text, "voice", voice));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode job = api.awaitFinal(Api.json(r.body()).get("id").asText(), Duration.ofSeconds(60));
            assertThat(job.get("status").asText()).isEqualTo("succeeded");
            assertThat(job.get("voice").asText()).isEqualTo(voice);
            short[] got = ReferenceSynthesis.samples(api.getBytes(job.get("audio_url").asText()).body());
            ReferenceSynthesis.assertMatches(got, ReferenceSynthesis.expected(text, 1.0, voice), voice + "'s job");
            String other = VOICES.get(1 - VOICES.indexOf(voice));
            short[] otherAudio = ReferenceSynthesis.expected(text, 1.0, other);
            assertThat(got.length != otherAudio.length || differs(got, otherAudio)).as(voice + " is not " + other).isTrue();
        }
    }

    @Test
    void openAiVoiceNamesSpeakWithTheirAliasedVoice() throws Exception {
        JsonNode aliases = Api.json(api.get("/v1/voices").body()).get("aliases");
        assertThat(aliases.get("onyx").asText()).isEqualTo("kal");
        assertThat(aliases.get("nova").asText()).isEqualTo("slt");
        String text = "Which voice is this, " + SpeechEndToEndTest.nonce() + "?";
        for (Map.Entry<String, String> e : Map.of("onyx", "kal", "nova", "slt").entrySet()) {
            String body = dev.ttscluster.common.contract.Json.MAPPER.writeValueAsString(
                    Map.of("model", "tts-1", "voice", e.getKey(), "input", text, "response_format", "wav"));
            HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(SharedCluster.get().gatewayUrl() + "/v1/audio/speech"))
                    .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + SharedCluster.key())
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
            int rate = Integer.parseInt(r.headers().firstValue("X-Sample-Rate").orElseThrow());
            ReferenceSynthesis.assertMatches(SpeechEndToEndTest.streamedWavSamples(r.body(), rate),
                    ReferenceSynthesis.expected(text, 1.0, e.getValue()), e.getKey() + " speaking as " + e.getValue());
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
