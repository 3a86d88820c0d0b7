package dev.ttscluster.gateway.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.gateway.jobs.JobRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated {@code POST /v1/audio/speech} body, OpenAI's speech API: {@code model}, {@code input}, {@code voice},
 * {@code response_format}, {@code speed} (and {@code stream_format: "audio"}). It becomes a normal job
 * ({@link #job()}, always WAV segments); the text, voice and speed pass the same checks as {@code POST /v1/jobs}.
 *
 * <p>Models: OpenAI's names ({@link #OPENAI_MODELS}) and the served voices' names. Voices: a served voice, or one of
 * OpenAI's voice names ({@link #OPENAI_VOICES}), which speaks with the voice the model names when the model is a
 * served voice, else with the served voice {@code TTS_GATEWAY_VOICE_ALIASES} maps it to (OpenAI's male names to the
 * male voice by default), else with the default voice (the first of {@code TTS_GATEWAY_VOICES}).
 *
 * @param job the job to run
 * @param model the model as asked
 * @param format {@code wav}, {@code pcm}, {@code flac} or {@code mp3}
 */
public record SpeechRequest(JobRequest job, String model, String format) {
    public static final List<String> OPENAI_MODELS = List.of("tts-1", "tts-1-hd", "gpt-4o-mini-tts");
    public static final List<String> OPENAI_VOICES =
            List.of("alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse");
    /** Response formats produced, the first the default (OpenAI's default, mp3, is not produced). */
    public static final List<String> FORMATS = List.of("wav", "pcm", "flac", "mp3");

    private static final Set<String> FIELDS =
            Set.of("model", "input", "voice", "response_format", "speed", "stream_format");

    /** Every model id the route accepts: OpenAI's names, then the served voices. */
    public static List<String> models(GatewayConfig cfg) {
        List<String> out = new ArrayList<>(OPENAI_MODELS);
        cfg.voices().stream().filter(v -> !out.contains(v)).forEach(out::add);
        return out;
    }

    /** OpenAI's voice names and the served voice each speaks with (under an OpenAI model). */
    public static Map<String, String> aliases(GatewayConfig cfg) {
        Map<String, String> m = new LinkedHashMap<>();
        OPENAI_VOICES.stream().filter(v -> !cfg.voices().contains(v)).forEach(v -> m.put(v, aliased(cfg, v)));
        return m;
    }

    /** The served voice an OpenAI voice name speaks with: its alias when that voice is served, else the default. */
    private static String aliased(GatewayConfig cfg, String openAiVoice) {
        String to = cfg.voiceAliases().get(openAiVoice);
        return to != null && cfg.voices().contains(to) ? to : cfg.voices().get(0);
    }

    /**
     * Validates a parsed body against the configuration.
     *
     * @throws ApiException 400 naming the offending field; 413 when {@code input} is longer than a job's text may be
     */
    public static SpeechRequest from(JsonNode body, GatewayConfig cfg) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest("unknown field '" + JobRequest.abbreviate(f)
                        + "'; allowed: model, input, voice, response_format, speed, stream_format");
            }
        }
        String model = JobRequest.optionalString(body, "model", null);
        if (model == null) {
            throw ApiException.badRequest("'model' is required; available: " + models(cfg));
        }
        if (!models(cfg).contains(model)) {
            throw ApiException.badRequest(
                    "unknown model '" + JobRequest.abbreviate(model) + "'; available: " + models(cfg));
        }
        String voice = JobRequest.optionalString(body, "voice", null);
        String served;
        if (voice == null || (OPENAI_VOICES.contains(voice) && !cfg.voices().contains(voice))) {
            served = cfg.voices().contains(model)
                    ? model
                    : voice == null ? cfg.voices().get(0) : aliased(cfg, voice);
        } else if (cfg.voices().contains(voice)) {
            served = voice;
        } else {
            throw ApiException.badRequest("unknown voice '" + JobRequest.abbreviate(voice) + "'; available: "
                    + cfg.voices() + " and OpenAI's " + OPENAI_VOICES);
        }
        String format = JobRequest.optionalString(body, "response_format", FORMATS.get(0));
        if (!FORMATS.contains(format)) {
            throw ApiException.badRequest("unsupported response_format '" + JobRequest.abbreviate(format)
                    + "'; supported: " + FORMATS + " (opus and aac are not produced)");
        }
        String streamFormat = JobRequest.optionalString(body, "stream_format", "audio");
        if (!streamFormat.equals("audio")) {
            throw ApiException.badRequest(
                    "unsupported stream_format '" + JobRequest.abbreviate(streamFormat) + "'; supported: [audio]");
        }
        JsonNode input = body.get("input");
        if (input == null || input.isNull()) {
            throw ApiException.badRequest("'input' is required");
        }
        ObjectNode job = Json.MAPPER.createObjectNode();
        job.set("text", input);
        job.put("voice", served);
        job.put("format", "wav");
        if (body.has("speed")) {
            job.set("speed", body.get("speed"));
        }
        try {
            return new SpeechRequest(JobRequest.from(job, cfg), model, format);
        } catch (ApiException e) {
            // the job's checks name its field 'text'; this body calls it 'input'
            throw new ApiException(
                    e.status(), e.code(), e.getMessage().replace("'text'", "'input'"), e.retryAfterSeconds());
        }
    }
}
