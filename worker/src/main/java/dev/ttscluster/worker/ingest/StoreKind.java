package dev.ttscluster.worker.ingest;

/** What an in-flight durable step belongs to: each kind has its own threads ({@link StoreThreads}) and its own bound. */
enum StoreKind {
    /** A batch of the interactive lane. */
    INTERACTIVE,
    /** A batch of the bulk lane (books), and its chapters' assembly. */
    BULK,
    /** Segments served at intake (cache hits), which wait for no batch. */
    SERVED;

    /** The kind of a batch of {@code lane}. */
    static StoreKind of(Lane lane) {
        return lane == Lane.BULK ? BULK : INTERACTIVE;
    }
}
