package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad requests against the running gateway get 4xx JSON errors that say what is wrong, never a 5xx. */
@OnSharedCluster
class ApiErrorsEndToEndTest {
    static Api api;

    @BeforeAll
    static void cluster() {
        api = new Api(SharedCluster.get().gatewayUrl());
    }

    static Stream<Arguments> badRequests() {
        String json = "application/json";
        return Stream.of(
                Arguments.of("no text", "POST", "/v1/jobs", json, "{}", 400, "text"),
                Arguments.of("null text", "POST", "/v1/jobs", json, "{\"text\":null}", 400, "text"),
                Arguments.of("text not a string", "POST", "/v1/jobs", json, "{\"text\":42}", 400, "text"),
                Arguments.of("blank text", "POST", "/v1/jobs", json, "{\"text\":\"   \"}", 400, "text"),
                Arguments.of(
                        "nothing speakable", "POST", "/v1/jobs", json, "{\"text\":\"\\u0000\\u0001\"}", 400, "text"),
                Arguments.of(
                        "text over the limit",
                        "POST",
                        "/v1/jobs",
                        json,
                        "{\"text\":\"" + "a".repeat(5001) + "\"}",
                        413,
                        "limit"),
                Arguments.of(
                        "unknown voice",
                        "POST",
                        "/v1/jobs",
                        json,
                        "{\"text\":\"hi\",\"voice\":\"nobody\"}",
                        400,
                        "voice"),
                Arguments.of(
                        "unknown format",
                        "POST",
                        "/v1/jobs",
                        json,
                        "{\"text\":\"hi\",\"format\":\"mp7\"}",
                        400,
                        "format"),
                Arguments.of(
                        "speed too low", "POST", "/v1/jobs", json, "{\"text\":\"hi\",\"speed\":0.1}", 400, "speed"),
                Arguments.of(
                        "speed not a number",
                        "POST",
                        "/v1/jobs",
                        json,
                        "{\"text\":\"hi\",\"speed\":\"fast\"}",
                        400,
                        "speed"),
                Arguments.of("unknown field", "POST", "/v1/jobs", json, "{\"text\":\"hi\",\"txet\":1}", 400, "txet"),
                Arguments.of("bad JSON", "POST", "/v1/jobs", json, "{\"text\": \"unterminated", 400, "JSON"),
                Arguments.of("JSON array", "POST", "/v1/jobs", json, "[1,2]", 400, "object"),
                Arguments.of(
                        "not JSON content type",
                        "POST",
                        "/v1/jobs",
                        "text/plain",
                        "{\"text\":\"hi\"}",
                        415,
                        "Content-Type"),
                Arguments.of("no content type", "POST", "/v1/jobs", null, "{\"text\":\"hi\"}", 415, "Content-Type"),
                Arguments.of(
                        "body over the limit",
                        "POST",
                        "/v1/jobs",
                        json,
                        "{\"text\":\"" + "a".repeat(1_100_000) + "\"}",
                        413,
                        ""),
                Arguments.of(
                        "unknown job",
                        "GET",
                        "/v1/jobs/00000000-0000-0000-0000-000000000000",
                        null,
                        null,
                        404,
                        "no job"),
                Arguments.of("malformed job id", "GET", "/v1/jobs/..%2F..%2Fetc", null, null, 404, ""),
                Arguments.of(
                        "audio of unknown job",
                        "GET",
                        "/v1/jobs/00000000-0000-0000-0000-000000000000/audio",
                        null,
                        null,
                        404,
                        "no job"),
                Arguments.of(
                        "cancel unknown job",
                        "POST",
                        "/v1/jobs/00000000-0000-0000-0000-000000000000/cancel",
                        null,
                        "",
                        404,
                        "no job"),
                Arguments.of("unknown route", "GET", "/v2/anything", null, null, 404, "not found"),
                Arguments.of("wrong method", "DELETE", "/v1/jobs", null, null, 405, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestGetsAClearJsonError(
            String name, String method, String path, String contentType, String body, int status, String mentions) {
        HttpResponse<String> r = api.send(method, path, contentType, body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode err = Api.json(r.body());
        assertThat(err.get("error").asText()).isNotBlank();
        assertThat(err.get("message").asText()).contains(mentions);
    }

    @Test
    void healthAndReadinessAnswer() {
        assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(api.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void aValidJobIsAcceptedAfterBadOnes() {
        assertThat(api.submit(Map.of("text", "Still working?")).statusCode()).isEqualTo(202);
    }
}
