package dev.ttscluster.worker.store;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads segments are uploaded on: one pool for the segments of a computed batch (none when uploads run
 * one after another), one for segments served at intake. Created by the worker's wiring and closed by it
 * after the poll loop stopped (uploads still running then were abandoned: they are interrupted). Thread-safe.
 */
public final class UploadPools implements AutoCloseable {
    /**
     * Segments served at intake uploaded at once, whatever {@code uploadThreads} says: a served segment's
     * latency is its upload, and uploads one after another would add up.
     */
    public static final int SERVED_UPLOAD_THREADS = 4;

    private final ExecutorService batch;
    private final ExecutorService served;

    /**
     * @param uploadThreads segments of one batch uploaded at once (1 or less: one after another, on the
     *                      thread making the batch durable)
     */
    public UploadPools(int uploadThreads) {
        this.batch = uploadThreads <= 1 ? null : daemonPool("upload", uploadThreads);
        this.served = daemonPool("serve-upload", SERVED_UPLOAD_THREADS);
    }

    /** Fixed-size pool of daemon threads named {@code name}. */
    public static ExecutorService daemonPool(String name, int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The pool of a batch's uploads; null when they run one after another. */
    ExecutorService batch() {
        return batch;
    }

    /** The pool of served segments' uploads (and their jobs' status lookups). */
    ExecutorService served() {
        return served;
    }

    /** Interrupts uploads still running and lets the threads end. */
    @Override
    public void close() {
        if (batch != null) {
            batch.shutdownNow();
        }
        served.shutdownNow();
    }
}
