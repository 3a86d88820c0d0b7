package dev.ttscluster.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.internal.JsonFields;

/**
 * One chapter of a {@link BookView}: its index and title, the job that speaks it, its state, and once it
 * succeeded the presigned URLs of its WAV, FLAC, timestamps (JSON), WebVTT and SRT files (null before).
 * Immutable.
 */
public record ChapterView(
        int index,
        String title,
        String jobId,
        String status,
        double progress,
        int segments,
        int segmentsDone,
        Double audioSeconds,
        String audioUrl,
        String flacUrl,
        String timestampsUrl,
        String vttUrl,
        String srtUrl,
        String error) {

    static ChapterView from(JsonNode n) {
        return new ChapterView(
                JsonFields.count(n, "index"),
                JsonFields.text(n, "title"),
                JsonFields.text(n, "job_id"),
                JsonFields.text(n, "status"),
                n.path("progress").asDouble(0),
                JsonFields.count(n, "segments"),
                JsonFields.count(n, "segments_done"),
                JsonFields.number(n, "audio_seconds"),
                JsonFields.text(n, "audio_url"),
                JsonFields.text(n, "flac_url"),
                JsonFields.text(n, "timestamps_url"),
                JsonFields.text(n, "vtt_url"),
                JsonFields.text(n, "srt_url"),
                JsonFields.text(n, "error"));
    }
}
