package dev.ttscluster.gateway.api;

import dev.ttscluster.gateway.webhooks.Webhooks;
import java.time.Instant;
import java.util.Map;

/**
 * Field values the JSON views of jobs and books share: timestamps, optional texts, audio lengths and the
 * {@code webhook} field. Stateless and thread-safe.
 */
final class Views {
    private Views() {}

    /** An ISO-8601 instant, or null for 0 (not yet). */
    static String instant(long epochMs) {
        return epochMs == 0 ? null : Instant.ofEpochMilli(epochMs).toString();
    }

    /** The text, or null when empty. */
    static String text(String s) {
        return s.isEmpty() ? null : s;
    }

    /** Seconds of audio, or null when the sample rate is unknown (0). */
    static Double seconds(long samples, int sampleRate) {
        return sampleRate == 0 ? null : samples / (double) sampleRate;
    }

    /** The {@code webhook} field of {@code kind} {@code id}: null when webhooks are off or it has no callback. */
    static Map<String, Object> webhook(Webhooks webhooks, String kind, String id) {
        return webhooks == null ? null : webhooks.view(kind, id).orElse(null);
    }
}
