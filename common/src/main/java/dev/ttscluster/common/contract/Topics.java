package dev.ttscluster.common.contract;

/** Kafka topic and consumer-group names shared by gateway and workers. */
public final class Topics {
    /** Segments of interactive jobs: served first. */
    public static final String SEGMENTS_INTERACTIVE = "tts.segments.interactive";
    /** Segments of bulk work (books' chapters): served when no interactive segment waits. */
    public static final String SEGMENTS_BULK = "tts.segments.bulk";
    /** Segments that failed for good, with the reason in a header. */
    public static final String SEGMENTS_DEAD_LETTER = "tts.segments.dlq";
    /**
     * Kafka record header carrying the trace id of the request that made the segment (UTF-8 text). Optional:
     * workers trace a record without it by its job id.
     */
    public static final String TRACE_HEADER = "trace_id";
    /** The consumer group every worker joins. */
    public static final String WORKER_GROUP = "workers";

    private Topics() {}
}
