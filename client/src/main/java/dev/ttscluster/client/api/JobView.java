package dev.ttscluster.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.internal.JsonFields;
import java.time.Instant;

/**
 * A job as the gateway shows it ({@code GET /v1/jobs/{id}}). Times, {@code error}, {@code audioSeconds},
 * {@code audioUrl} (presigned, once succeeded) and {@code webhook} (only with a callback URL) may be null.
 * Immutable.
 */
public record JobView(
        String id,
        String status,
        double progress,
        int segments,
        int segmentsDone,
        int segmentsCached,
        String voice,
        String format,
        Double speed,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        Instant firstAudioAt,
        String error,
        Double audioSeconds,
        String audioUrl,
        WebhookState webhook) {

    /** True once the job is succeeded, failed or cancelled: it changes no more. */
    public boolean isFinal() {
        return isFinalStatus(status);
    }

    public boolean succeeded() {
        return "succeeded".equals(status);
    }

    /** True for {@code succeeded}, {@code failed} and {@code cancelled}. */
    public static boolean isFinalStatus(String status) {
        return "succeeded".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }

    /** Reads the gateway's JSON job view. */
    public static JobView from(JsonNode n) {
        return new JobView(
                JsonFields.text(n, "id"),
                JsonFields.text(n, "status"),
                n.path("progress").asDouble(0),
                JsonFields.count(n, "segments"),
                JsonFields.count(n, "segments_done"),
                JsonFields.count(n, "segments_cached"),
                JsonFields.text(n, "voice"),
                JsonFields.text(n, "format"),
                JsonFields.number(n, "speed"),
                JsonFields.instant(n, "created_at"),
                JsonFields.instant(n, "updated_at"),
                JsonFields.instant(n, "finished_at"),
                JsonFields.instant(n, "first_audio_at"),
                JsonFields.text(n, "error"),
                JsonFields.number(n, "audio_seconds"),
                JsonFields.text(n, "audio_url"),
                WebhookState.from(n.get("webhook")));
    }
}
