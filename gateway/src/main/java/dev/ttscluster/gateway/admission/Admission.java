package dev.ttscluster.gateway.admission;

import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.gateway.auth.Caller;
import dev.ttscluster.gateway.tenants.QuotaStore;
import java.util.function.LongSupplier;

/**
 * Decides whether a request may go on: the caller's request rate, the caller's active jobs and books, and
 * how much interactive work already waits in Kafka. Refusals are {@link ApiException}s carrying a
 * Retry-After: 429 for the caller's own limits, 503 when the cluster is behind. Thread-safe.
 */
public final class Admission {
    /** A slot frees when one of the caller's jobs finishes: a short wait is the honest hint. */
    private static final int ACTIVE_RETRY_SECONDS = 2;

    private final QuotaStore quotas;
    private final LongSupplier interactiveLag;
    private final long maxLag;
    private final int lagRetrySeconds;

    /**
     * @param quotas the per-key counters
     * @param interactiveLag segments waiting on the interactive topic, or -1 when unknown
     * @param maxLag the bound on {@code interactiveLag}; 0 for none
     * @param lagRetrySeconds Retry-After when the bound is passed
     */
    public Admission(QuotaStore quotas, LongSupplier interactiveLag, long maxLag, int lagRetrySeconds) {
        this.quotas = quotas;
        this.interactiveLag = interactiveLag;
        this.maxLag = maxLag;
        this.lagRetrySeconds = lagRetrySeconds;
    }

    /**
     * Counts one request against the caller's rate.
     *
     * @throws ApiException 429 with Retry-After when the caller's bucket is empty
     */
    public void request(Caller caller) {
        long waitMs = quotas.take(
                caller.keyId(), caller.quota().ratePerSecond(), caller.quota().burst());
        if (waitMs > 0) {
            throw ApiException.tooManyRequests(
                    "rate limit of " + fmt(caller.quota().ratePerSecond()) + " requests/s (burst "
                            + caller.quota().burst() + ") reached",
                    (int) Math.ceil(waitMs / 1000.0));
        }
    }

    /**
     * Checks that the interactive queue has room. An unknown lag (Kafka unreachable) admits: the publish
     * itself then fails cleanly.
     *
     * @throws ApiException 503 with Retry-After when more than the bound waits
     */
    public void interactiveQueueHasRoom() {
        if (maxLag <= 0) {
            return;
        }
        long lag = interactiveLag.getAsLong();
        if (lag > maxLag) {
            throw new ApiException(
                    503,
                    "overloaded",
                    "the cluster is behind: " + lag + " segments are waiting (bound " + maxLag + "); try again shortly",
                    lagRetrySeconds);
        }
    }

    /**
     * Admits {@code member} ({@code job:{id}} or {@code book:{id}}) as active work of the caller.
     *
     * @throws ApiException 429 with Retry-After when the caller already has its maximum queued or running
     */
    public void admit(Caller caller, String member) {
        if (!quotas.admit(caller.keyId(), member, caller.quota().maxActiveJobs())) {
            throw ApiException.tooManyRequests(
                    "concurrent limit of " + caller.quota().maxActiveJobs()
                            + " queued or running jobs and books reached; wait for one to finish",
                    ACTIVE_RETRY_SECONDS);
        }
    }

    /** Gives back an admission whose work was not created. Never throws. */
    public void release(Caller caller, String member) {
        try {
            quotas.release(caller.keyId(), member);
        } catch (RuntimeException e) {
            // pruned later: a member without a record is dropped once the set is full
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
