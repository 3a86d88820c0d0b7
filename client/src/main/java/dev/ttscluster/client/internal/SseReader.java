package dev.ttscluster.client.internal;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads Server-Sent Events frames from a text stream: {@code id:}, {@code event:} and {@code data:} lines up to a
 * blank line make one {@link Frame}; comment lines (a leading colon, the server's keep-alives) are skipped.
 * Not thread-safe: one thread reads a stream.
 */
public final class SseReader {
    /** One event as sent: its id (null when it had none), name ("message" when it had none) and data lines joined. */
    public record Frame(String id, String event, String data) {}

    private final BufferedReader in;

    public SseReader(BufferedReader in) {
        this.in = in;
    }

    /**
     * The next frame, or null when the stream ended. A frame cut off by the end of the stream is dropped, as the
     * SSE specification says.
     *
     * @throws IOException when reading fails
     */
    public Frame next() throws IOException {
        String id = null;
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null || event != null) {
                    return new Frame(id, event == null ? "message" : event, data == null ? "" : data.toString());
                }
                id = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" ->
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                default -> {
                    // retry and unknown fields are ignored
                }
            }
        }
        return null;
    }
}
