package dev.ttscluster.worker.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.worker.frontend.Phonemizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When each word of a segment is spoken, from the model's frames per phone: a word runs from the first
 * frame of its first phone to the last frame of its last one; frames become seconds by the segment's own
 * samples per frame (its audio length over its frames), so speed is accounted for. Stored per segment as
 * compact JSON ({@code [[word, start, end], ...]}, seconds from the segment's start) until the chapter is
 * assembled. Stateless.
 */
public final class WordTimings {
    private WordTimings() {}

    /**
     * @param words the segment's words with their spans among the model's input ids
     * @param durations frames per input id, as the model reported them
     * @param samples samples of the segment's audio
     * @param sampleRate its sample rate
     */
    public static String json(List<Phonemizer.WordSpan> words, long[] durations, int samples, int sampleRate) {
        long frames = 0;
        for (long d : durations) {
            frames += d;
        }
        double secondsPerFrame = frames == 0 ? 0 : samples / (double) frames / sampleRate;
        long[] start = new long[durations.length + 1];
        for (int i = 0; i < durations.length; i++) {
            start[i + 1] = start[i] + durations[i];
        }
        List<Object[]> out = new ArrayList<>();
        for (Phonemizer.WordSpan w : words) {
            if (w.from() < 0 || w.to() > durations.length || w.from() >= w.to()) {
                continue; // the model saw other ids than the frontend reports: leave the word out
            }
            out.add(new Object[] {
                w.word(), round(start[w.from()] * secondsPerFrame), round(start[w.to()] * secondsPerFrame)
            });
        }
        try {
            return Json.MAPPER.writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The words of a stored segment, shifted by {@code offset} seconds, as {word, start, end} maps; empty
     * for a missing or unreadable entry.
     */
    public static List<Map<String, Object>> shifted(String json, double offset) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        try {
            for (JsonNode w : Json.MAPPER.readTree(json)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("word", w.get(0).asText());
                m.put("start", round(offset + w.get(1).asDouble()));
                m.put("end", round(offset + w.get(2).asDouble()));
                out.add(m);
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
