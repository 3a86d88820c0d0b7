package dev.ttscluster.gateway.speech;

import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.common.state.JobRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Follows one job's segments in order while workers make them: polls the job's record (its done count and
 * status) every {@code poll}, and each time the count moves (or the job succeeds, or a second passes) reads the
 * next segments from S3, handing each to the sink as soon as it and every earlier one are stored. A segment's object
 * is written before it is counted, so an object that exists is whole. Not thread-safe: one follower per request.
 */
public final class SegmentFollower {
    /** Reads what the cluster has: the job's record now and a stored segment. */
    public interface Source {
        /** The job's record, or empty when it is gone (deleted or expired). */
        Optional<JobRecord> job();

        /** The stored WAV of segment {@code index}, or empty when it is not stored yet. */
        Optional<byte[]> segment(int index);
    }

    /** Receives each segment's samples, in order. */
    public interface Sink {
        /**
         * @param index the segment's index
         * @param sampleRate its sample rate (the same for every segment of a job)
         * @param pcm its 16-bit little-endian mono samples
         * @param pcmOffset where they start in {@code pcm}
         * @param pcmBytes how many bytes they take
         */
        void segment(int index, int sampleRate, byte[] pcm, int pcmOffset, int pcmBytes) throws IOException;
    }

    /** The job cannot be followed to its end: failed, cancelled, gone, stalled or malformed. */
    public static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean clientError;

        Stopped(String message, boolean clientError) {
            super(message, null, false, false);
            this.clientError = clientError;
        }

        /** True when the job itself failed (its text), false for a cluster fault (timeout, bad object). */
        public boolean jobFailed() {
            return clientError;
        }
    }

    /** Sleeps between polls (a test may pass its own). */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final Source source;
    private final int segments;
    private final long pollMs;
    private final long stallNanos;
    private final LongSupplier nanos;
    private final Sleeper sleeper;

    /**
     * @param segments how many segments the job has
     * @param poll interval between looks at the job's record
     * @param stall longest time without a new segment before the follower gives up
     */
    public SegmentFollower(
            Source source, int segments, Duration poll, Duration stall, LongSupplier nanos, Sleeper sleeper) {
        this.source = source;
        this.segments = segments;
        this.pollMs = Math.max(1, poll.toMillis());
        this.stallNanos = stall.toNanos();
        this.nanos = nanos;
        this.sleeper = sleeper;
    }

    /** A follower on the wall clock with {@link Thread#sleep}. */
    public SegmentFollower(Source source, int segments, Duration poll, Duration stall) {
        this(source, segments, poll, stall, System::nanoTime, Thread::sleep);
    }

    /**
     * Hands every segment to {@code sink} in order and returns when the last one was handed over.
     *
     * @throws Stopped when the job fails, is cancelled or deleted, makes no progress for the stall time, or a stored
     *     segment is not 16-bit mono WAV at the job's rate
     * @throws IOException what the sink throws (the client went away)
     */
    public void follow(Sink sink) throws IOException, InterruptedException {
        int next = 0;
        int seenDone = -1;
        int rate = -1;
        long lastProgress = nanos.getAsLong();
        long lastProbe = Long.MIN_VALUE / 2;
        while (next < segments) {
            JobRecord job = source.job().orElseThrow(() -> new Stopped("the job is gone (deleted or expired)", false));
            if (job.status() == JobStatus.FAILED) {
                throw new Stopped("the job failed: " + job.error(), true);
            }
            if (job.status() == JobStatus.CANCELLED) {
                throw new Stopped("the job was cancelled", true);
            }
            long now = nanos.getAsLong();
            boolean succeeded = job.status() == JobStatus.SUCCEEDED;
            if (job.done() != seenDone || succeeded || now - lastProbe >= 1_000_000_000L) {
                seenDone = job.done();
                lastProbe = now;
                Optional<byte[]> wav;
                while (next < segments && (wav = source.segment(next)).isPresent()) {
                    Wav.Info info;
                    try {
                        info = Wav.parse(wav.get());
                    } catch (FatalException e) {
                        throw new Stopped("segment " + next + " is not a WAV file: " + e.getMessage(), false);
                    }
                    if (info.channels() != 1 || info.bitsPerSample() != 16 || (rate > 0 && info.sampleRate() != rate)) {
                        throw new Stopped(
                                "segment " + next + " has format " + info + ", expected 16-bit mono"
                                        + (rate > 0 ? " at " + rate : ""),
                                false);
                    }
                    rate = info.sampleRate();
                    sink.segment(next, rate, wav.get(), info.dataOffset(), info.dataBytes());
                    next++;
                    lastProgress = nanos.getAsLong();
                }
                if (succeeded && next < segments) {
                    throw new Stopped("the job succeeded but segment " + next + "'s object is missing", false);
                }
            }
            if (next < segments) {
                if (nanos.getAsLong() - lastProgress > stallNanos) {
                    throw new Stopped(
                            "no new segment for " + Duration.ofNanos(stallNanos).toSeconds() + " s (segment " + next
                                    + " of " + segments + " not stored)",
                            false);
                }
                sleeper.sleep(pollMs);
            }
        }
    }
}
