package dev.ttscluster.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.testing.MutableClock;
import dev.ttscluster.worker.batch.Batch;
import dev.ttscluster.worker.cache.SegmentCache;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
    /** Sample lines of a scrape as name (with labels) to value, as the benchmarks and e2e tests read them. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> m = new HashMap<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int sp = line.lastIndexOf(' ');
                m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
            }
        }
        return m;
    }

    @Test
    void batchesAreCountedWithTheirPaddingWaitAndReason() {
        MutableClock clock = new MutableClock(0);
        WorkerMetrics m = new WorkerMetrics(clock);

        m.batchClosed(new Batch<>(List.of(1, 2, 3, 4), 20, Batch.CloseReason.SIZE, 400, 300), 4);
        m.batchClosed(new Batch<>(List.of(5, 6), 50, Batch.CloseReason.WINDOW, 100, 100), 2);

        assertThat(m.batches()).isEqualTo(2);
        assertThat(m.meanBatchSize()).isEqualTo(3.0);
        assertThat(m.paddingRatio()).isCloseTo(0.2, within(1e-9));
        Map<String, Double> s = samples(m.render());
        assertThat(s)
                .containsEntry("tts_worker_batch_size_bucket{le=\"2.0\"}", 1.0)
                .containsEntry("tts_worker_batch_size_bucket{le=\"4.0\"}", 2.0)
                .containsEntry("tts_worker_batch_size_count", 2.0)
                .containsEntry("tts_worker_batch_size_sum", 6.0)
                .containsEntry("tts_worker_batches_total{reason=\"size\"}", 1.0)
                .containsEntry("tts_worker_batches_total{reason=\"window\"}", 1.0)
                .containsEntry("tts_worker_batches_total{reason=\"budget\"}", 0.0)
                .containsEntry("tts_worker_batch_wait_seconds_count", 2.0)
                .containsEntry("tts_worker_segments_total", 6.0)
                .containsEntry("tts_worker_padded_tokens_total", 500.0)
                .containsEntry("tts_worker_real_tokens_total", 400.0);
        assertThat(s.get("tts_worker_batch_wait_seconds_sum")).isCloseTo(0.07, within(1e-9));
        assertThat(s.get("tts_worker_padding_ratio")).isCloseTo(0.2, within(1e-9));
        // per batch: 0.25 of the first batch's slots were padding, none of the second's
        assertThat(s)
                .containsEntry("tts_worker_batch_padding_percent_count", 2.0)
                .containsEntry("tts_worker_batch_padding_percent_sum", 25.0)
                .containsEntry("tts_worker_batch_padding_percent_bucket{le=\"5.0\"}", 1.0)
                .containsEntry("tts_worker_batch_padding_percent_bucket{le=\"20.0\"}", 1.0)
                .containsEntry("tts_worker_batch_padding_percent_bucket{le=\"30.0\"}", 2.0);
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
        Map<String, Double> s = samples(m.render());
        assertThat(s)
                .containsEntry("tts_worker_audio_seconds_total", 50.0)
                .containsEntry("tts_worker_inference_seconds_count", 2.0)
                .containsEntry("tts_worker_inference_seconds_sum", 1.0)
                .containsEntry("tts_worker_audio_seconds_per_second", 2.0);
        // real-time factor per call: 60 and 40 audio seconds per inference second
        assertThat(s)
                .containsEntry("tts_worker_realtime_factor_count", 2.0)
                .containsEntry("tts_worker_realtime_factor_sum", 100.0)
                .containsEntry("tts_worker_realtime_factor_bucket{le=\"50.0\"}", 1.0)
                .containsEntry("tts_worker_realtime_factor_bucket{le=\"100.0\"}", 2.0);
    }

    @Test
    void deadLettersFailedModelCallsAndRetriableErrorsAreCounted() {
        WorkerMetrics m = new WorkerMetrics(new MutableClock(0));
        m.inferenceFailed(4);
        m.deadLettered();
        m.retriableError(Dependency.S3);
        m.retriableError(Dependency.S3);
        m.retriableError(Dependency.REDIS);

        assertThat(m.deadLetters()).isEqualTo(1);
        assertThat(m.retriableErrors(Dependency.S3)).isEqualTo(2);
        String text = m.render();
        assertThat(text).contains("tts_worker_dead_letters_total 1.0"); // the line PoisonSegmentEndToEndTest reads
        assertThat(samples(text))
                .containsEntry("tts_worker_inference_failures_total", 4.0)
                .containsEntry("tts_worker_retriable_errors_total{backend=\"s3\"}", 2.0)
                .containsEntry("tts_worker_retriable_errors_total{backend=\"redis\"}", 1.0)
                .containsEntry("tts_worker_retriable_errors_total{backend=\"kafka\"}", 0.0);
    }

    @Test
    void everySampleLineIsNameValue() {
        WorkerMetrics m = new WorkerMetrics(new MutableClock(0)).bindJvmMetrics();
        try {
            m.stored(0.02);
            m.segmentDurable(WorkerMetrics.Source.CACHE, 0.004);
            m.cacheStats(() -> new SegmentCache.Stats(1, 2, 3, 4, 5, 0.5, 6, false));
            for (String line : m.render().split("\n")) {
                if (!line.startsWith("#")) {
                    assertThat(line)
                            .matches(
                                    "[a-z_0-9]+(\\{[a-z_]+=\"[^\"]+\"(,[a-z_]+=\"[^\"]+\")*})? [-+]?[0-9.eE+-]+|.* NaN");
                }
            }
        } finally {
            m.close();
        }
    }

    @Test
    void jvmAndProcessMetersAreThereOnceBound() {
        WorkerMetrics m = new WorkerMetrics(new MutableClock(0));
        assertThat(m.render()).doesNotContain("jvm_memory_used_bytes");
        m.bindJvmMetrics();
        try {
            assertThat(m.render())
                    .contains(
                            "jvm_memory_used_bytes{",
                            "jvm_threads_live_threads ",
                            "process_uptime_seconds ",
                            "process_cpu_usage ",
                            "jvm_classes_loaded_classes ");
        } finally {
            m.close();
        }
    }

    @Test
    void cacheCountersAreReadFromTheCacheAtEachScrape() {
        WorkerMetrics m = new WorkerMetrics(new MutableClock(0));
        assertThat(m.render()).doesNotContain("tts_worker_cache_hits_total");
        SegmentCache.Stats[] now = {new SegmentCache.Stats(0, 0, 0, 0, 0, 0, 0, false)};
        m.cacheStats(() -> now[0]);
        now[0] = new SegmentCache.Stats(7, 3, 1, 700, 300, 0.25, 4, true);
        System.gc(); // the registry holds what a function counter reads only weakly: the metrics must hold it

        Map<String, Double> s = samples(m.render());
        assertThat(s)
                .containsEntry("tts_worker_cache_hits_total", 7.0)
                .containsEntry("tts_worker_cache_misses_total", 3.0)
                .containsEntry("tts_worker_cache_skipped_total", 1.0)
                .containsEntry("tts_worker_cache_read_bytes_total", 700.0)
                .containsEntry("tts_worker_cache_written_bytes_total", 300.0)
                .containsEntry("tts_worker_cache_lookup_seconds_total", 0.25)
                .containsEntry("tts_worker_cache_lookups_total", 4.0)
                .containsEntry("tts_worker_cache_open", 1.0);
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
        Map<String, Double> s = samples(text);
        // the keys CacheBench reads
        assertThat(s)
                .containsEntry("tts_worker_segment_seconds_bucket{source=\"cache\",le=\"0.005\"}", 1.0)
                .containsEntry("tts_worker_segment_seconds_count{source=\"cache\"}", 2.0)
                .containsEntry("tts_worker_segment_seconds_count{source=\"model\"}", 1.0)
                .containsEntry("tts_worker_segment_seconds_bucket{source=\"model\",le=\"+Inf\"}", 1.0)
                .containsEntry("tts_worker_segments_stored_total{source=\"cache\"}", 2.0)
                .containsEntry("tts_worker_segments_stored_total{source=\"reused\"}", 0.0);
        assertThat(s.get("tts_worker_segment_seconds_sum{source=\"cache\"}")).isCloseTo(0.01, within(1e-9));
        assertThat(text.split("# TYPE tts_worker_segment_seconds histogram", -1))
                .as("one TYPE line")
                .hasSize(2);
    }
}
