package dev.ttscluster.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.internal.JsonFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A book as the gateway shows it ({@code GET /v1/books/{id}}), with every chapter. {@code manifestUrl} is set
 * once every chapter is done; times, {@code error} and {@code webhook} may be null. Immutable.
 */
public record BookView(
        String id,
        String title,
        String status,
        double progress,
        int chaptersTotal,
        int chaptersDone,
        int segments,
        int segmentsDone,
        String voice,
        Double speed,
        String sourceFormat,
        int textChars,
        Instant createdAt,
        Instant finishedAt,
        String error,
        String manifestUrl,
        List<ChapterView> chapters,
        WebhookState webhook) {
    public BookView {
        chapters = List.copyOf(chapters);
    }

    /** True once the book is succeeded, failed or cancelled. */
    public boolean isFinal() {
        return JobView.isFinalStatus(status);
    }

    /** Reads the gateway's JSON book view. */
    public static BookView from(JsonNode n) {
        List<ChapterView> cs = new ArrayList<>();
        n.path("chapters").forEach(c -> cs.add(ChapterView.from(c)));
        return new BookView(
                JsonFields.text(n, "id"),
                JsonFields.text(n, "title"),
                JsonFields.text(n, "status"),
                n.path("progress").asDouble(0),
                JsonFields.count(n, "chapters_total"),
                JsonFields.count(n, "chapters_done"),
                JsonFields.count(n, "segments"),
                JsonFields.count(n, "segments_done"),
                JsonFields.text(n, "voice"),
                JsonFields.number(n, "speed"),
                JsonFields.text(n, "source_format"),
                JsonFields.count(n, "text_chars"),
                JsonFields.instant(n, "created_at"),
                JsonFields.instant(n, "finished_at"),
                JsonFields.text(n, "error"),
                JsonFields.text(n, "manifest_url"),
                cs,
                WebhookState.from(n.get("webhook")));
    }
}
