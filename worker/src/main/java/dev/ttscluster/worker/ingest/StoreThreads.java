package dev.ttscluster.worker.ingest;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads computed batches become durable on while the polling thread goes on: one for interactive
 * batches, one for bulk (book) batches so interactive ones never queue behind a book's, and
 * {@value #SERVED_IN_FLIGHT} for segments served at intake, which never queue behind a batch's uploads nor
 * behind each other's. Created by the worker's wiring and closed by it after the poll loop stopped (what still
 * runs then was abandoned: it is interrupted). Thread-safe.
 */
public final class StoreThreads implements AutoCloseable {
    /** Groups of served-at-intake segments that may be storing at once, beyond the batches in flight. */
    public static final int SERVED_IN_FLIGHT = 4;

    private final int storeInFlight;
    private final ExecutorService interactive;
    private final ExecutorService bulk;
    private final ExecutorService served;

    /**
     * @param storeInFlight batches of a lane whose durable step may still run while the next batch computes
     * @throws IllegalArgumentException when it is below 1 (the loop then stores on the polling thread: no threads)
     */
    public StoreThreads(int storeInFlight) {
        if (storeInFlight < 1) {
            throw new IllegalArgumentException("storeInFlight must be at least 1");
        }
        this.storeInFlight = storeInFlight;
        this.interactive = daemonThreads("store", 1);
        this.bulk = daemonThreads("bulk-store", 1);
        this.served = daemonThreads("serve", SERVED_IN_FLIGHT);
    }

    private static ExecutorService daemonThreads(String name, int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Batches of a lane whose durable step may still run while the next batch computes. */
    int storeInFlight() {
        return storeInFlight;
    }

    ExecutorService of(StoreKind kind) {
        return switch (kind) {
            case INTERACTIVE -> interactive;
            case BULK -> bulk;
            case SERVED -> served;
        };
    }

    /** Interrupts durable steps still running and lets the threads end. */
    @Override
    public void close() {
        interactive.shutdownNow();
        bulk.shutdownNow();
        served.shutdownNow();
    }
}
