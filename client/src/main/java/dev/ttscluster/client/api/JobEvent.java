package dev.ttscluster.client.api;

/**
 * One event of a job's stream ({@code GET /v1/jobs/{id}/events}). {@link #id()} is the SSE event id (set on
 * segment events only: index + 1), the value to resume after with Last-Event-ID. Immutable.
 */
public sealed interface JobEvent permits JobEvent.State, JobEvent.Progress, JobEvent.Segment, JobEvent.Other {
    /** The SSE id, or null. */
    String id();

    /**
     * The job's state: on each change, and last the final one ({@code succeeded} with the audio URL and seconds,
     * {@code failed} with the error, {@code cancelled}, or {@code gone} when the job was deleted or expired).
     */
    record State(String id, String status, String audioUrl, Double audioSeconds, String error) implements JobEvent {
        /** True for a state after which the server closes the stream. */
        public boolean isFinal() {
            return JobView.isFinalStatus(status) || "gone".equals(status);
        }
    }

    /** Progress: segments done of all. */
    record Progress(String id, int segmentsDone, int segments, double progress) implements JobEvent {}

    /** Segment {@code index} is stored, with {@code samples} samples. */
    record Segment(String id, int index, long samples) implements JobEvent {}

    /** An event this client does not know (a newer server's), as sent. */
    record Other(String id, String name, String data) implements JobEvent {}
}
