package dev.ttscluster.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.internal.JsonFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery state of a job's or book's callback ({@code webhook} in their views): the URL, the state
 * ({@code pending}, {@code delivered}, ...) and every attempt so far. Immutable.
 */
public record WebhookState(String url, String state, boolean delivered, List<Attempt> attempts) {
    /** One delivery attempt: when, the HTTP status the receiver answered (null when none) and the error (null when none). */
    public record Attempt(Instant at, Integer status, String error) {}

    public WebhookState {
        attempts = List.copyOf(attempts);
    }

    /** Reads the view's {@code webhook} field; null when it is missing or null. */
    static WebhookState from(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        List<Attempt> as = new ArrayList<>();
        for (JsonNode a : n.path("attempts")) {
            JsonNode s = a.get("status");
            as.add(new Attempt(
                    JsonFields.instant(a, "at"),
                    s == null || s.isNull() ? null : s.asInt(),
                    JsonFields.text(a, "error")));
        }
        return new WebhookState(
                JsonFields.text(n, "url"),
                JsonFields.text(n, "state"),
                n.path("delivered").asBoolean(),
                as);
    }
}
