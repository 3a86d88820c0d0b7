package dev.ttscluster.gateway.retention;

import dev.ttscluster.storage.AudioBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes audio objects older than the retention time, every sweep interval, on a daemon thread. Job and
 * book records expire by their own TTL in Redis; this removes what they pointed at. With several
 * gateways, {@code mayRun} (a lock in Redis) lets one of them sweep per interval. A failed sweep is
 * logged and tried again next interval. Thread-safe.
 */
public final class RetentionSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);
    /** Everything tenants own lives under this prefix. */
    static final String PREFIX = "tenants/";

    private final AudioBucket bucket;
    private final Duration retention;
    private final Clock clock;
    private final BooleanSupplier mayRun;
    private ScheduledExecutorService timer;

    /**
     * @param bucket the audio bucket
     * @param retention how long an object is kept after it was last written
     * @param clock time source
     * @param mayRun asked before each sweep; false skips it (another gateway sweeps)
     */
    public RetentionSweeper(AudioBucket bucket, Duration retention, Clock clock, BooleanSupplier mayRun) {
        this.bucket = bucket;
        this.retention = retention;
        this.clock = clock;
        this.mayRun = mayRun;
    }

    /** Sweeps every {@code interval}, the first time after one interval. */
    public synchronized RetentionSweeper start(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention-sweeper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        if (mayRun.getAsBoolean()) {
                            sweep();
                        }
                    } catch (RuntimeException e) {
                        log.warn("retention sweep failed, next in {}: {}", interval, e.getMessage());
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Deletes every object under {@code tenants/} last written before now minus the retention.
     *
     * @return how many objects were deleted
     * @throws dev.ttscluster.common.error.RetriableException when S3 is unavailable
     */
    public int sweep() {
        Instant cutoff = clock.instant().minus(retention);
        List<String> expired = new ArrayList<>();
        int[] deleted = {0};
        bucket.list(PREFIX, o -> {
            if (o.lastModified().isBefore(cutoff)) {
                expired.add(o.key());
                if (expired.size() == 1000) {
                    bucket.delete(expired);
                    deleted[0] += expired.size();
                    expired.clear();
                }
            }
        });
        bucket.delete(expired);
        deleted[0] += expired.size();
        if (deleted[0] > 0) {
            log.info("retention: deleted {} objects last written before {}", deleted[0], cutoff);
        }
        return deleted[0];
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
