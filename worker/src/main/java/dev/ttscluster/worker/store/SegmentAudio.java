package dev.ttscluster.worker.store;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.worker.logging.Traced;
import dev.ttscluster.worker.metrics.WorkerMetrics.Source;

/**
 * A segment whose audio is ready to be stored: what {@link SegmentStore} uploads and counts.
 *
 * @param task the segment
 * @param samples its waveform
 * @param durations frames per input phone (the word timings of a book's segment come from them)
 * @param source where the audio came from (cache, reused, model), for the metrics
 * @param polledNanos {@link System#nanoTime()} when the segment was polled (poll-to-durable latency)
 * @param traceId the trace id its log lines carry
 */
public record SegmentAudio(
        SegmentTask task, float[] samples, long[] durations, Source source, long polledNanos, String traceId)
        implements Traced {
    @Override
    public String jobId() {
        return task.jobId();
    }
}
