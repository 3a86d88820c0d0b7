package dev.ttscluster.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads optional fields of the gateway's JSON views: a missing field and a JSON {@code null} both read as
 * Java {@code null} (or 0 for counters). Stateless and thread-safe; never throws for a missing field.
 */
public final class JsonFields {
    private JsonFields() {}

    /** The text of {@code field}, or null when it is missing or null. */
    public static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The number of {@code field}, or null when it is missing or null. */
    public static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    /** The integer of {@code field}, or 0 when it is missing or null. */
    public static int count(JsonNode n, String field) {
        return n.path(field).asInt(0);
    }

    /** The ISO-8601 instant of {@code field}, or null when it is missing, null or not an instant. */
    public static Instant instant(JsonNode n, String field) {
        String s = text(n, field);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The texts of an array field (empty when missing), unmodifiable. */
    public static List<String> texts(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        n.path(field).forEach(v -> out.add(v.asText()));
        return Collections.unmodifiableList(out);
    }

    /** An object field of texts (empty when missing), unmodifiable, in the JSON's order. */
    public static Map<String, String> textMap(JsonNode n, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        n.path(field)
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return Collections.unmodifiableMap(out);
    }
}
