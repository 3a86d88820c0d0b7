package dev.ttscluster.worker.metrics;

import dev.ttscluster.worker.MutableClock;
import dev.ttscluster.worker.batch.Batch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WorkerMetricsTest {
    @Test
    void batchesAreCountedWithTheirPaddingWaitAndReason() {
        MutableClock clock = new MutableClock(0);
        WorkerMetrics m = new WorkerMetrics(clock);

        m.batchClosed(new Batch<>(List.of(1, 2, 3, 4), 20, Batch.CloseReason.SIZE, 400, 300), 4);
        m.batchClosed(new Batch<>(List.of(5, 6), 50, Batch.CloseReason.WINDOW, 100, 100), 2);

        assertThat(m.batches()).isEqualTo(2);
        assertThat(m.meanBatchSize()).isEqualTo(3.0);
        assertThat(m.paddingRatio()).isCloseTo(0.2, within(1e-9));
        String text = m.render();
        assertThat(text).contains("tts_worker_batch_size_bucket{le=\"2\"} 1", "tts_worker_batch_size_bucket{le=\"4\"} 2",
                "tts_worker_batch_size_count 2", "tts_worker_batches_total{reason=\"size\"} 1",
                "tts_worker_batches_total{reason=\"window\"} 1", "tts_worker_batches_total{reason=\"budget\"} 0",
                "tts_worker_batch_wait_seconds_sum 0.0700000", "tts_worker_segments_total 6");
    }

    @Test
    void audioRateCoversTheLastTenSeconds() {
        MutableClock clock = new MutableClock(1_000_000);
        WorkerMetrics m = new WorkerMetrics(clock);

        m.inferred(0.5, 30.0);
        clock.advance(5_000);
        m.inferred(0.5, 20.0);

        assertThat(m.audioRate()).isCloseTo(5.0, within(1e-9));
        clock.advance(6_000); // the first call is now older than the window
        assertThat(m.audioRate()).isCloseTo(2.0, within(1e-9));
        assertThat(m.render()).contains("tts_worker_audio_seconds_total 50", "tts_worker_inference_seconds_count 2");
    }

    @Test
    void deadLettersAndFailedModelCallsAreCounted() {
        WorkerMetrics m = new WorkerMetrics(new MutableClock(0));
        m.inferenceFailed(4);
        m.deadLettered();

        assertThat(m.deadLetters()).isEqualTo(1);
        assertThat(m.render()).contains("tts_worker_dead_letters_total 1", "tts_worker_inference_failures_total 4");
    }

    @Test
    void everySampleLineIsNameValue() {
        WorkerMetrics m = new WorkerMetrics(new MutableClock(0));
        m.stored(0.02);
        m.segmentDurable(WorkerMetrics.Source.CACHE, 0.004);
        for (String line : m.render().split("\n")) {
            if (!line.startsWith("#")) {
                assertThat(line).matches("[a-z_]+(\\{[a-z]+=\"[^\"]+\"(,[a-z]+=\"[^\"]+\")*})? -?[0-9.e+-]+");
            }
        }
    }

    @Test
    void segmentLatencyIsKeptPerSourceInOneLabelledFamily() {
        WorkerMetrics m = new WorkerMetrics(new MutableClock(0));
        m.segmentDurable(WorkerMetrics.Source.CACHE, 0.004);
        m.segmentDurable(WorkerMetrics.Source.CACHE, 0.006);
        m.segmentDurable(WorkerMetrics.Source.MODEL, 0.3);

        String text = m.render();

        assertThat(m.segmentsStored(WorkerMetrics.Source.CACHE)).isEqualTo(2);
        assertThat(m.meanSegmentSeconds(WorkerMetrics.Source.CACHE)).isCloseTo(0.005, within(1e-12));
        assertThat(m.segmentsStored(WorkerMetrics.Source.REUSED)).isZero();
        assertThat(text).contains("tts_worker_segment_seconds_bucket{source=\"cache\",le=\"0.00500000\"} 1",
                "tts_worker_segment_seconds_count{source=\"cache\"} 2", "tts_worker_segment_seconds_count{source=\"model\"} 1",
                "tts_worker_segment_seconds_bucket{source=\"model\",le=\"+Inf\"} 1");
        assertThat(text.split("# TYPE tts_worker_segment_seconds histogram", -1)).as("one TYPE line").hasSize(2);
    }
}
