package dev.ttscluster.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.worker.ingest.Prepared;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.retry.Stopped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelCallTest {
    /** A fake model: a row's audio is its phones as samples; any call holding a row of phone 9 throws. */
    private static final class Model implements SynthesisModel {
        int calls;

        @Override
        public List<SynthesisOutput> synthesize(List<SynthesisInput> rows) {
            calls++;
            if (rows.stream().anyMatch(r -> r.phones().length > 0 && r.phones()[0] == 9)) {
                throw new IllegalArgumentException("index out of range in self");
            }
            List<SynthesisOutput> out = new ArrayList<>();
            for (SynthesisInput r : rows) {
                float[] samples = new float[r.phones().length];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = r.phones()[i];
                }
                out.add(new SynthesisOutput(samples, new long[] {1}));
            }
            return out;
        }

        @Override
        public ModelManifest manifest() {
            return null; // not read by the model call
        }

        @Override
        public void close() {}
    }

    private final Model model = new Model();
    private final List<Long> pauses = new ArrayList<>();
    private final WorkerMetrics metrics = new WorkerMetrics(Clock.systemUTC());

    private static SegmentWork row(String text, long phone) {
        SegmentTask task =
                new SegmentTask(SegmentTask.SCHEMA_VERSION, "job", "default", 0, 1, text, "default", 1.0, 0L);
        long[] phones = {phone};
        return SegmentWork.of(new Prepared(task, phones), new SynthesisInput(phones, 0, 1f), null);
    }

    @Test
    void aRowThatKeepsFailingAloneIsGivenUpAfterItsAttemptsWithDoublingPausesAndTheOthersGetTheirAudio() {
        RowIsolation.Result r = new ModelCall(model, pauses::add, 100, metrics)
                .withMaxAttempts(3)
                .run(List.of(row("good", 1), row("bad", 9), row("fine", 2)));

        assertThat(r.outputs().get(0).samples()).containsExactly(1f);
        assertThat(r.outputs().get(1)).isNull();
        assertThat(r.outputs().get(2).samples()).containsExactly(2f);
        assertThat(r.failures().get(1).attempts()).isEqualTo(3);
        assertThat(r.failures().get(1).reason()).contains("index out of range in self");
        assertThat(pauses).containsExactly(100L, 200L);
        assertThat(metrics.render()).doesNotContain("tts_worker_inference_failures_total 0.0");
    }

    @Test
    void pausesBetweenAttemptsAreCappedAtTwoSeconds() {
        new ModelCall(model, pauses::add, 1_500, metrics).withMaxAttempts(4).run(List.of(row("bad", 9)));

        assertThat(pauses).containsExactly(1_500L, ModelCall.MAX_ATTEMPT_PAUSE_MS, ModelCall.MAX_ATTEMPT_PAUSE_MS);
    }

    @Test
    void anInjectedFaultFailsEveryCallHoldingTheMarkedSegment() {
        RowIsolation.Result r = new ModelCall(model, pauses::add, 100, metrics)
                .withMaxAttempts(1)
                .withFaultInjection("POISON")
                .run(List.of(row("a poison row", 1), row("a good row", 2)));

        assertThat(r.failures().get(0).reason()).contains("injected fault");
        assertThat(r.outputs().get(1).samples()).containsExactly(2f);
    }

    @Test
    void anInterruptedPauseAbandonsTheBatch() {
        ModelCall call = new ModelCall(
                        model,
                        ms -> {
                            throw new InterruptedException();
                        },
                        100,
                        metrics)
                .withMaxAttempts(2);
        try {
            assertThatThrownBy(() -> call.run(List.of(row("bad", 9)))).isInstanceOf(Stopped.class);
        } finally {
            Thread.interrupted(); // clear it for the next test
        }
    }

    @Test
    void atLeastOneAttemptIsRequired() {
        assertThatThrownBy(() -> new ModelCall(model, pauses::add, 100, metrics).withMaxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
