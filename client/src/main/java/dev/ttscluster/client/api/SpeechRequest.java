package dev.ttscluster.client.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An OpenAI-style speech request ({@code POST /v1/audio/speech}): model ({@code tts-1}, {@code tts-1-hd}, ... or
 * a served voice), input text and, optional (null: the server's default), voice, response format ({@code wav},
 * {@code pcm}, {@code flac}, {@code mp3}) and speed. Immutable.
 */
public record SpeechRequest(String model, String input, String voice, String responseFormat, Double speed) {
    public SpeechRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(input, "input");
    }

    public static SpeechRequest of(String model, String input) {
        return new SpeechRequest(model, input, null, null, null);
    }

    public SpeechRequest withVoice(String v) {
        return new SpeechRequest(model, input, v, responseFormat, speed);
    }

    public SpeechRequest withFormat(String f) {
        return new SpeechRequest(model, input, voice, f, speed);
    }

    public SpeechRequest withSpeed(double s) {
        return new SpeechRequest(model, input, voice, responseFormat, s);
    }

    Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("input", input);
        JobRequest.putIf(m, "voice", voice);
        JobRequest.putIf(m, "response_format", responseFormat);
        JobRequest.putIf(m, "speed", speed);
        return m;
    }
}
