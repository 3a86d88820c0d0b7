package dev.ttscluster.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.internal.JsonFields;
import dev.ttscluster.client.internal.SseReader;
import dev.ttscluster.common.contract.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A job's open event stream ({@link TtsClient#events}): iterate it for typed {@link JobEvent}s until the server
 * closes it after the final state. {@link #lastEventId()} is the id to resume from with a new stream. Close it to
 * stop early. Not thread-safe: one thread reads it; {@code next()} blocks until an event arrives and throws
 * {@link UncheckedIOException} when the connection fails.
 */
public final class JobEventStream implements Iterator<JobEvent>, AutoCloseable {
    private final SseReader reader;
    private final BufferedReader in;
    private JobEvent next;
    private boolean ended;
    private String lastEventId;
    private final String contentType;

    JobEventStream(BufferedReader in, String lastEventId, String contentType) {
        this.in = in;
        this.contentType = contentType;
        this.reader = new SseReader(in);
        this.lastEventId = lastEventId;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            try {
                SseReader.Frame f = reader.next();
                if (f == null) {
                    ended = true;
                    close();
                } else {
                    next = event(f);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return next != null;
    }

    @Override
    public JobEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has ended");
        }
        JobEvent e = next;
        next = null;
        if (e.id() != null) {
            lastEventId = e.id();
        }
        return e;
    }

    /** Reads every remaining event until the server closes the stream. */
    public List<JobEvent> readAll() {
        List<JobEvent> out = new ArrayList<>();
        forEachRemaining(out::add);
        return out;
    }

    /** The answer's Content-Type ({@code text/event-stream}), or null when the server sent none. */
    public String contentType() {
        return contentType;
    }

    /** The id of the last event read that had one (or the one this stream resumed from); null when none. */
    public String lastEventId() {
        return lastEventId;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // closing a stream that failed: nothing to keep
        }
    }

    static JobEvent event(SseReader.Frame f) throws IOException {
        JsonNode d = f.data().isEmpty() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(f.data());
        return switch (f.event()) {
            case "state" ->
                new JobEvent.State(
                        f.id(),
                        JsonFields.text(d, "status"),
                        JsonFields.text(d, "audio_url"),
                        JsonFields.number(d, "audio_seconds"),
                        JsonFields.text(d, "error"));
            case "progress" ->
                new JobEvent.Progress(
                        f.id(),
                        JsonFields.count(d, "segments_done"),
                        JsonFields.count(d, "segments"),
                        d.path("progress").asDouble(0));
            case "segment" ->
                new JobEvent.Segment(
                        f.id(), JsonFields.count(d, "index"), d.path("samples").asLong());
            default -> new JobEvent.Other(f.id(), f.event(), f.data());
        };
    }
}
