package dev.ttscluster.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.worker.cache.CachedAudio;
import dev.ttscluster.worker.cache.RecentAudio;
import dev.ttscluster.worker.frontend.Phonemizer;
import dev.ttscluster.worker.ingest.Prepared;
import dev.ttscluster.worker.ingest.Served;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheIntakeTest {
    /** One phone per character. */
    private static final Phonemizer CHARS = text -> text.chars().asLongStream().toArray();
    /** The model knows the voice "default" only. */
    private static final SegmentKeys KEYS = new SegmentKeys("v1", voice -> voice.equals("default") ? 0 : -1, CHARS);

    private static SegmentTask task(String text, String voice) {
        return new SegmentTask(SegmentTask.SCHEMA_VERSION, "job", "default", 0, 1, text, voice, 1.0, 0L);
    }

    /** The store stage is only reached by the served segments' durable step, which these tests never run. */
    private static CacheIntake intake(RecentAudio recent) {
        return new CacheIntake(CHARS, KEYS, null, null, recent);
    }

    @Test
    void theFrontendRunsAtIntakeSoTheBatcherKnowsTheLengthInPhones() {
        Prepared p = intake(null).prepare(task("hello", "default"));

        assertThat(p.tokens()).isEqualTo(5);
    }

    @Test
    void aSegmentWhoseAudioIsInMemoryIsServedWithoutABatch() {
        RecentAudio recent = new RecentAudio(1 << 20);
        CacheIntake intake = intake(recent);
        Prepared known = intake.prepare(task("known", "default"));
        Prepared fresh = intake.prepare(task("fresh", "default"));
        Prepared otherVoice = intake.prepare(task("known", "nobody"));
        recent.put(KEYS.of(known), new CachedAudio(new float[] {0.5f}, new long[] {1}));

        Served served = intake.serve(List.of(known, fresh, otherVoice));

        assertThat(served.taken()).containsExactly(true, false, false);
        assertThat(served.count()).isEqualTo(1);
    }

    @Test
    void withoutACacheNothingIsServed() {
        CacheIntake intake = intake(null);
        Prepared p = intake.prepare(task("hello", "default"));

        assertThat(intake.serve(List.of(p)).count()).isZero();
    }
}
