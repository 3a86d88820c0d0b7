package dev.ttscluster.common.contract;

import java.util.Locale;

/** Lifecycle of a job: queued -> running -> succeeded | failed | cancelled. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** The lower-case name used on the wire and in Redis. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for succeeded, failed and cancelled: nothing changes a final job any more. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /**
     * Parses the wire form.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static JobStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
