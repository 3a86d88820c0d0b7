package dev.ttscluster.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.internal.JsonFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/voices}: the served voices (the first is the default), the default's name, OpenAI's voice names
 * and the served voice each speaks with, and the response formats. Immutable.
 */
public record VoiceList(String defaultVoice, List<Voice> voices, Map<String, String> aliases, List<String> formats) {
    /** One served voice: its id, whether it is the default, and its sample's path and text. */
    public record Voice(String id, boolean isDefault, String sampleUrl, String sampleText) {}

    public VoiceList {
        voices = List.copyOf(voices);
        aliases = Map.copyOf(aliases);
        formats = List.copyOf(formats);
    }

    static VoiceList from(JsonNode n) {
        List<Voice> vs = new ArrayList<>();
        for (JsonNode v : n.path("data")) {
            vs.add(new Voice(
                    JsonFields.text(v, "id"),
                    v.path("default").asBoolean(),
                    JsonFields.text(v, "sample_url"),
                    JsonFields.text(v, "sample_text")));
        }
        return new VoiceList(
                JsonFields.text(n, "default"), vs, JsonFields.textMap(n, "aliases"), JsonFields.texts(n, "formats"));
    }
}
