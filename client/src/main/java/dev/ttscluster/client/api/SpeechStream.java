package dev.ttscluster.client.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * The audio of a speech request as it streams: the job the gateway made ({@code X-Job-Id}), the sample rate
 * ({@code X-Sample-Rate}), the content type, the length when the server sent one (FLAC is sent whole; WAV, PCM
 * and MP3 stream without one) and the body. Close it to release the connection. Not thread-safe: one thread
 * reads the body. Reading fails with an {@link IOException} when the server cuts a failed stream short.
 */
public record SpeechStream(
        String jobId, int sampleRate, String contentType, OptionalLong contentLength, InputStream body)
        implements AutoCloseable {

    /** Reads the rest of the body and closes it. */
    public byte[] readAll() throws IOException {
        try (InputStream in = body) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
