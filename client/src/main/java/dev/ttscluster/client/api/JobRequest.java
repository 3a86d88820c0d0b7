package dev.ttscluster.client.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A job to submit ({@code POST /v1/jobs}): the text and, each optional (null: the server's default), the voice,
 * speed, format, callback URL and Idempotency-Key. Immutable; the {@code with...} methods return copies. The
 * server validates the values: a bad one is refused with a 4xx {@link TtsApiException}.
 */
public record JobRequest(
        String text, String voice, Double speed, String format, String callbackUrl, String idempotencyKey) {
    public JobRequest {
        Objects.requireNonNull(text, "text");
    }

    /** A request for {@code text} with every other field left to the server. */
    public static JobRequest of(String text) {
        return new JobRequest(text, null, null, null, null, null);
    }

    public JobRequest withVoice(String v) {
        return new JobRequest(text, v, speed, format, callbackUrl, idempotencyKey);
    }

    public JobRequest withSpeed(double s) {
        return new JobRequest(text, voice, s, format, callbackUrl, idempotencyKey);
    }

    public JobRequest withFormat(String f) {
        return new JobRequest(text, voice, speed, f, callbackUrl, idempotencyKey);
    }

    public JobRequest withCallbackUrl(String url) {
        return new JobRequest(text, voice, speed, format, url, idempotencyKey);
    }

    public JobRequest withIdempotencyKey(String key) {
        return new JobRequest(text, voice, speed, format, callbackUrl, key);
    }

    /** The JSON body's fields (the Idempotency-Key travels as a header), in a stable order. */
    Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text);
        putIf(m, "voice", voice);
        putIf(m, "format", format);
        putIf(m, "speed", speed);
        putIf(m, "callback_url", callbackUrl);
        return m;
    }

    static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
