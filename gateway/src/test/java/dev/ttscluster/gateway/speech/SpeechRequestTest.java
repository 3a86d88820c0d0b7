package dev.ttscluster.gateway.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.gateway.config.GatewayConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpeechRequestTest {
    private static final GatewayConfig CFG = GatewayConfig.fromEnv(Map.of(
            "TTS_S3_ACCESS_KEY",
            "ak",
            "TTS_S3_SECRET_KEY",
            "sk",
            "TTS_GATEWAY_VOICES",
            "amy,bob",
            "TTS_GATEWAY_MAX_TEXT_CHARS",
            "20"));

    private static SpeechRequest parse(String s) {
        try {
            JsonNode n = Json.MAPPER.readTree(s);
            return SpeechRequest.from(n, CFG);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static ApiException refused(String s) {
        return catchThrowableOfType(ApiException.class, () -> parse(s));
    }

    @Test
    void openAiNamesMapToTheServedVoices() {
        SpeechRequest r = parse("{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"Hello.\"}");
        assertThat(r.job().voice()).isEqualTo("amy");
        assertThat(r.job().format()).isEqualTo("wav");
        assertThat(r.job().speed()).isEqualTo(1.0);
        assertThat(r.format()).isEqualTo("wav");
        assertThat(parse("{\"model\":\"bob\",\"voice\":\"shimmer\",\"input\":\"Hi.\"}")
                        .job()
                        .voice())
                .isEqualTo("bob");
        assertThat(parse("{\"model\":\"tts-1-hd\",\"voice\":\"bob\",\"input\":\"Hi.\",\"speed\":2,"
                        + "\"response_format\":\"flac\"}"))
                .satisfies(q -> {
                    assertThat(q.job().voice()).isEqualTo("bob");
                    assertThat(q.job().speed()).isEqualTo(2.0);
                    assertThat(q.format()).isEqualTo("flac");
                });
        assertThat(parse("{\"model\":\"amy\",\"input\":\"Hi.\",\"response_format\":\"pcm\"}")
                        .job()
                        .voice())
                .isEqualTo("amy");
        assertThat(SpeechRequest.models(CFG)).containsExactly("tts-1", "tts-1-hd", "gpt-4o-mini-tts", "amy", "bob");
        assertThat(SpeechRequest.aliases(CFG))
                .containsEntry("alloy", "amy")
                .hasSize(SpeechRequest.OPENAI_VOICES.size());
    }

    @Test
    void openAiMaleNamesSpeakWithTheVoiceTheirAliasNamesWhenItIsServed() {
        GatewayConfig cfg = GatewayConfig.fromEnv(
                Map.of("TTS_S3_ACCESS_KEY", "ak", "TTS_S3_SECRET_KEY", "sk", "TTS_GATEWAY_VOICES", "slt,kal"));
        assertThat(SpeechRequest.aliases(cfg))
                .containsEntry("onyx", "kal")
                .containsEntry("echo", "kal")
                .containsEntry("nova", "slt")
                .containsEntry("alloy", "slt");
        JsonNode onyx = Json.MAPPER
                .createObjectNode()
                .put("model", "tts-1")
                .put("voice", "onyx")
                .put("input", "Hi.");
        assertThat(SpeechRequest.from(onyx, cfg).job().voice()).isEqualTo("kal");
        // the model naming a served voice still wins over the alias
        assertThat(SpeechRequest.from(
                                ((com.fasterxml.jackson.databind.node.ObjectNode) onyx.deepCopy()).put("model", "slt"),
                                cfg)
                        .job()
                        .voice())
                .isEqualTo("slt");
        // an alias to a voice not served speaks with the default (CFG serves amy and bob, no kal)
        assertThat(SpeechRequest.aliases(CFG)).containsEntry("onyx", "amy");
        GatewayConfig custom = GatewayConfig.fromEnv(Map.of(
                "TTS_S3_ACCESS_KEY",
                "ak",
                "TTS_S3_SECRET_KEY",
                "sk",
                "TTS_GATEWAY_VOICES",
                "amy,bob",
                "TTS_GATEWAY_VOICE_ALIASES",
                "nova=bob, alloy=bob"));
        assertThat(SpeechRequest.aliases(custom))
                .containsEntry("nova", "bob")
                .containsEntry("alloy", "bob")
                .containsEntry("onyx", "amy");
    }

    @Test
    void badAliasConfigurationIsRefusedAtStart() {
        for (String bad : new String[] {"onyx", "onyx=", "=kal", "onyx=kal=x", "onyx=kal,onyx=slt", "Onyx=kal"}) {
            assertThat(catchThrowableOfType(
                            dev.ttscluster.common.config.ConfigException.class,
                            () -> GatewayConfig.fromEnv(Map.of(
                                    "TTS_S3_ACCESS_KEY",
                                    "ak",
                                    "TTS_S3_SECRET_KEY",
                                    "sk",
                                    "TTS_GATEWAY_VOICE_ALIASES",
                                    bad))))
                    .as(bad)
                    .isNotNull()
                    .hasMessageContaining("TTS_GATEWAY_VOICE_ALIASES");
        }
        assertThat(GatewayConfig.fromEnv(Map.of(
                                "TTS_S3_ACCESS_KEY",
                                "ak",
                                "TTS_S3_SECRET_KEY",
                                "sk",
                                "TTS_GATEWAY_VOICE_ALIASES",
                                "none"))
                        .voiceAliases())
                .isEmpty();
    }

    @Test
    void badBodiesNameTheirField() {
        assertThat(refused("{\"voice\":\"alloy\",\"input\":\"Hi.\"}").getMessage())
                .contains("'model' is required");
        assertThat(refused("{\"model\":\"tts-2\",\"input\":\"Hi.\"}").getMessage())
                .contains("unknown model 'tts-2'");
        assertThat(refused("{\"model\":\"tts-1\",\"voice\":\"carl\",\"input\":\"Hi.\"}")
                        .getMessage())
                .contains("unknown voice 'carl'");
        assertThat(refused("{\"model\":\"tts-1\",\"input\":\"Hi.\",\"response_format\":\"opus\"}")
                        .getMessage())
                .contains("supported: [wav, pcm, flac, mp3]");
        assertThat(refused("{\"model\":\"tts-1\",\"input\":\"Hi.\",\"speed\":0.1}")
                        .getMessage())
                .contains("'speed'");
        assertThat(refused("{\"model\":\"tts-1\"}").getMessage()).contains("'input' is required");
        assertThat(refused("{\"model\":\"tts-1\",\"input\":\" \"}").getMessage())
                .contains("'input' is empty");
        ApiException tooLong = refused("{\"model\":\"tts-1\",\"input\":\"" + "a".repeat(21) + "\"}");
        assertThat(tooLong.status()).isEqualTo(413);
        assertThat(tooLong.getMessage()).contains("'input' has 21 characters");
        assertThat(refused("{\"model\":\"tts-1\",\"input\":\"Hi.\",\"format\":\"wav\"}")
                        .getMessage())
                .contains("unknown field");
        assertThat(refused("{\"model\":\"tts-1\",\"input\":\"Hi.\",\"stream_format\":\"sse\"}")
                        .status())
                .isEqualTo(400);
        assertThat(refused("[]").getMessage()).contains("JSON object");
    }
}
