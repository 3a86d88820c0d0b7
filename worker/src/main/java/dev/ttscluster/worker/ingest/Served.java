package dev.ttscluster.worker.ingest;

/**
 * What {@link Intake#serve} took: which of the polled segments it answered without a batch, and the
 * step that makes them durable.
 *
 * @param taken one flag per polled segment, true where served
 * @param durable uploads and progress of the served ones
 */
public record Served(boolean[] taken, Durable durable) {
    /** Nothing served. */
    public static Served none(int polled) {
        return new Served(new boolean[polled], Durable.DONE);
    }

    /** How many were served. */
    public int count() {
        int n = 0;
        for (boolean t : taken) {
            n += t ? 1 : 0;
        }
        return n;
    }
}
