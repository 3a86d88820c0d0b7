package dev.ttscluster.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.common.error.RetriableException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.BadMessageException;
import org.junit.jupiter.api.Test;

/** Each error type to its status, code, message and Retry-After; decided by type, never by message text. */
class ErrorMappingTest {
    @Test
    void anApiExceptionKeepsItsStatusCodeRetryAfterAndHeaders() {
        ErrorMapping.Refusal r = ErrorMapping.of(new ApiException(
                401, "unauthorized", "no key", null, Map.of("WWW-Authenticate", "Bearer realm=\"tts\"")));
        assertThat(r)
                .isEqualTo(new ErrorMapping.Refusal(
                        401, "unauthorized", "no key", null, Map.of("WWW-Authenticate", "Bearer realm=\"tts\"")));
        assertThat(ErrorMapping.of(ApiException.tooManyRequests("slow down", 3)))
                .extracting(
                        ErrorMapping.Refusal::status,
                        ErrorMapping.Refusal::code,
                        ErrorMapping.Refusal::retryAfterSeconds)
                .containsExactly(429, "rate_limited", 3);
    }

    @Test
    void aRetriableExceptionIs503UnavailableWithRetryAfterAndNoDetail() {
        for (Dependency d : Dependency.values()) {
            ErrorMapping.Refusal r = ErrorMapping.of(new RetriableException(d, "connection refused to 10.0.0.5", null));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.code()).isEqualTo("unavailable");
            assertThat(r.retryAfterSeconds()).isEqualTo(2);
            assertThat(r.message()).doesNotContain("10.0.0.5");
        }
    }

    @Test
    void aSlowBodyFromJettyIs408RequestTimeout() {
        ErrorMapping.Refusal r = ErrorMapping.of(new BadMessageException(408, "Request timeout"));
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.code()).isEqualTo("request_timeout");
        assertThat(r.message()).isEqualTo("the request body arrived too slowly");
    }

    @Test
    void anotherBadMessageKeepsItsStatusAndTheFirstLineOfItsReason() {
        ErrorMapping.Refusal r = ErrorMapping.of(new BadMessageException(400, "bad chunk\nat offset 7"));
        assertThat(r)
                .extracting(ErrorMapping.Refusal::status, ErrorMapping.Refusal::code, ErrorMapping.Refusal::message)
                .containsExactly(400, "invalid_request", "bad chunk");
        assertThat(ErrorMapping.of(new BadMessageException(413)).code()).isEqualTo("payload_too_large");
    }

    @Test
    void javalinsResponsesKeepTheirStatusWithTheProjectsCodes() {
        assertThat(ErrorMapping.of(new NotFoundResponse("Endpoint GET /nope not found")))
                .extracting(ErrorMapping.Refusal::status, ErrorMapping.Refusal::code)
                .containsExactly(404, "not_found");
        assertThat(ErrorMapping.of(new MethodNotAllowedResponse()))
                .extracting(ErrorMapping.Refusal::status, ErrorMapping.Refusal::code)
                .containsExactly(405, "method_not_allowed");
    }

    @Test
    void anythingElseIsAnInternalErrorWhateverItsMessageSays() {
        for (RuntimeException e : new RuntimeException[] {
            new IllegalStateException("Redis unavailable"),
            new FatalException("S3 refused: 503 Service Unavailable"),
            new NullPointerException()
        }) {
            assertThat(ErrorMapping.of(e))
                    .isEqualTo(new ErrorMapping.Refusal(500, "internal", "internal error", null, Map.of()));
        }
    }

    @Test
    void aBlankMessageIsReplacedByTheCode() {
        assertThat(ErrorMapping.of(new ApiException(409, "conflict", " ")).message())
                .isEqualTo("conflict");
    }

    @Test
    void theServersOwnErrorsUseTheSameCodes() {
        assertThat(JsonErrorHandler.json(431, null)).startsWith("{\"error\":\"headers_too_large\"");
        assertThat(JsonErrorHandler.json(408, "Request Timeout"))
                .startsWith("{\"error\":\"" + ErrorMapping.codeFor(408) + "\"");
        assertThat(JsonErrorHandler.json(500, "boom")).startsWith("{\"error\":\"internal\"");
    }

    @Test
    void aBodyOverTheLimitIs413AndASlowOneIs408() {
        ApiException big = catchThrowableOfType(
                () -> Bodies.read(new ByteArrayInputStream(new byte[2000]), -1, 1000, "the body", () -> 0L),
                ApiException.class);
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.getMessage()).contains("the body").contains("1000");

        AtomicLong now = new AtomicLong();
        InputStream trickle = new InputStream() {
            int left = 10;

            @Override
            public int read() {
                return -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                now.addAndGet(Bodies.BODY_RATE_GRACE_MS); // each byte takes the whole grace
                return left-- > 0 ? 1 : -1;
            }
        };
        ApiException slow =
                catchThrowableOfType(() -> Bodies.read(trickle, 10, 1000, "the body", now::get), ApiException.class);
        assertThat(slow.status()).isEqualTo(408);
        assertThat(slow.code()).isEqualTo("request_timeout");
    }
}
