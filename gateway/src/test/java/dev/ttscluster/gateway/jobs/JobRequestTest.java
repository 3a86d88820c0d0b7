package dev.ttscluster.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.gateway.config.GatewayConfig;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobRequestTest {
    private static final GatewayConfig CFG = GatewayConfig.fromEnv(Map.of(
            "TTS_S3_ACCESS_KEY",
            "ak",
            "TTS_S3_SECRET_KEY",
            "sk",
            "TTS_GATEWAY_VOICES",
            "amy,bob",
            "TTS_GATEWAY_MAX_TEXT_CHARS",
            "20"));

    private static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                arguments("missing text", "{}", 400, "'text'"),
                arguments("null text", "{\"text\":null}", 400, "'text'"),
                arguments("text not a string", "{\"text\":42}", 400, "'text'"),
                arguments("text an array", "{\"text\":[\"hi\"]}", 400, "'text'"),
                arguments("blank text", "{\"text\":\"  \\n \"}", 400, "'text'"),
                arguments("empty text", "{\"text\":\"\"}", 400, "'text'"),
                arguments("text over the limit", "{\"text\":\"" + "a".repeat(21) + "\"}", 413, "'text'"),
                arguments("unknown voice", "{\"text\":\"hi\",\"voice\":\"zed\"}", 400, "voice"),
                arguments("voice not a string", "{\"text\":\"hi\",\"voice\":1}", 400, "'voice'"),
                arguments("unknown format", "{\"text\":\"hi\",\"format\":\"mp3\"}", 400, "format"),
                arguments("format not a string", "{\"text\":\"hi\",\"format\":true}", 400, "'format'"),
                arguments("speed not a number", "{\"text\":\"hi\",\"speed\":\"fast\"}", 400, "'speed'"),
                arguments("speed below 0.25", "{\"text\":\"hi\",\"speed\":0.24}", 400, "'speed'"),
                arguments("speed zero", "{\"text\":\"hi\",\"speed\":0}", 400, "'speed'"),
                arguments("speed negative", "{\"text\":\"hi\",\"speed\":-1}", 400, "'speed'"),
                arguments("speed above 4.0", "{\"text\":\"hi\",\"speed\":4.01}", 400, "'speed'"),
                arguments("unknown field", "{\"text\":\"hi\",\"pitch\":2}", 400, "pitch"),
                arguments("body an array", "[{\"text\":\"hi\"}]", 400, "object"),
                arguments("body a string", "\"hi\"", 400, "object"),
                arguments("body json null", "null", 400, "object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void invalidBodyIsRejectedNamingTheField(String name, String body, int status, String mentions) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> JobRequest.from(json(body), CFG));
        assertThat(e).as(name).isNotNull();
        assertThat(e.status()).as(name).isEqualTo(status);
        assertThat(e.getMessage()).as(name).contains(mentions);
        assertThat(e.code()).as(name).isEqualTo(status == 413 ? "text_too_long" : "invalid_request");
    }

    @Test
    void missingBodyIsRejected() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> JobRequest.from(null, CFG));
        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void minimalBodyGetsDefaults() {
        JobRequest r = JobRequest.from(json("{\"text\":\"Hello.\"}"), CFG);
        assertThat(r).isEqualTo(new JobRequest("Hello.", "amy", "wav", 1.0));
    }

    @Test
    void explicitNullsGetDefaults() {
        JobRequest r =
                JobRequest.from(json("{\"text\":\"Hello.\",\"voice\":null,\"format\":null,\"speed\":null}"), CFG);
        assertThat(r).isEqualTo(new JobRequest("Hello.", "amy", "wav", 1.0));
    }

    @Test
    void fullBodyIsKept() {
        JobRequest r = JobRequest.from(json("{\"text\":\"Hi\",\"voice\":\"bob\",\"format\":\"wav\",\"speed\":2}"), CFG);
        assertThat(r).isEqualTo(new JobRequest("Hi", "bob", "wav", 2.0));
    }

    @Test
    void speedBoundsAreInclusive() {
        assertThat(JobRequest.from(json("{\"text\":\"hi\",\"speed\":0.25}"), CFG)
                        .speed())
                .isEqualTo(0.25);
        assertThat(JobRequest.from(json("{\"text\":\"hi\",\"speed\":4.0}"), CFG).speed())
                .isEqualTo(4.0);
    }

    @Test
    void textAtTheLimitIsAccepted() {
        String text = "a".repeat(20);
        assertThat(JobRequest.from(json("{\"text\":\"" + text + "\"}"), CFG).text())
                .isEqualTo(text);
    }

    @Test
    void echoedValuesAreAbbreviatedAndPrintable() {
        String longVoice = "v".repeat(100) + "\\u0001";
        ApiException e = catchThrowableOfType(
                ApiException.class,
                () -> JobRequest.from(json("{\"text\":\"hi\",\"voice\":\"" + longVoice + "\"}"), CFG));
        assertThat(e.getMessage()).contains("v".repeat(40) + "...").doesNotContain("v".repeat(41));
        assertThat(JobRequest.abbreviate("a\u0001b\u00E9")).isEqualTo("a?b?");
    }
}
