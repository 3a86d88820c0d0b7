package dev.ttscluster.worker.inference;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.worker.ingest.Prepared;
import dev.ttscluster.worker.logging.Traced;
import dev.ttscluster.worker.metrics.WorkerMetrics.Source;
import dev.ttscluster.worker.store.SegmentAudio;

/**
 * One row of a batch as it is computed: the segment, its model input, its cache key, and, once known, its
 * audio (with the durations its timing marks come from) and where that came from, or why it failed.
 * Immutable: each step returns a new one.
 *
 * @param segment the segment as prepared at intake
 * @param input its row for the model
 * @param key its cache key; null when caching is off
 * @param audio its audio; null until made, reused or taken from a twin (and when it failed)
 * @param source where the audio came from ({@link Source#MODEL} until decided)
 * @param failure why the model gave it up; null unless it failed
 */
public record SegmentWork(
        Prepared segment,
        SynthesisInput input,
        String key,
        SynthesisOutput audio,
        Source source,
        RowIsolation.Failure failure)
        implements Traced {
    /** A row yet to be computed. */
    public static SegmentWork of(Prepared segment, SynthesisInput input, String key) {
        return new SegmentWork(segment, input, key, null, Source.MODEL, null);
    }

    public SegmentTask task() {
        return segment.task();
    }

    @Override
    public String jobId() {
        return segment.jobId();
    }

    @Override
    public String traceId() {
        return segment.traceId();
    }

    /** This row with its audio, which came from {@code from}. */
    public SegmentWork withAudio(SynthesisOutput out, Source from) {
        return new SegmentWork(segment, input, key, out, from, null);
    }

    /** This row given up for {@code why}. */
    public SegmentWork withFailure(RowIsolation.Failure why) {
        return new SegmentWork(segment, input, key, null, source, why);
    }

    /** What the store stage needs of a row with audio. */
    public SegmentAudio toStored() {
        return new SegmentAudio(
                task(), audio.samples(), audio.durations(), source, segment.polledNanos(), segment.traceId());
    }
}
