package dev.ttscluster.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.worker.cache.CachedAudio;
import dev.ttscluster.worker.cache.RecentAudio;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DedupTest {
    private static final CachedAudio AUDIO = new CachedAudio(new float[] {0.1f, 0.2f}, new long[] {2});

    @Test
    void aRowThisWorkerMadeRecentlyIsReusedFromMemory() {
        RecentAudio recent = new RecentAudio(1 << 20);
        recent.put("k1", AUDIO);

        List<Dedup.Decision> plan = new Dedup(recent).plan(List.of("k1", "k2"));

        assertThat(plan.get(0).recent()).isSameAs(AUDIO);
        assertThat(plan.get(0).miss()).isFalse();
        assertThat(plan.get(1).miss()).isTrue();
    }

    @Test
    void identicalRowsOfOneBatchAreMadeOnceAndTheLaterOnesAreTwinsOfTheFirst() {
        List<Dedup.Decision> plan = new Dedup(null).plan(List.of("a", "b", "a", "a"));

        assertThat(plan).extracting(Dedup.Decision::twinOf).containsExactly(-1, -1, 0, 0);
        assertThat(plan).extracting(Dedup.Decision::miss).containsExactly(true, true, false, false);
    }

    @Test
    void rowsWithoutAKeyAreAlwaysMade() {
        List<Dedup.Decision> plan = new Dedup(new RecentAudio(1 << 20)).plan(Arrays.asList(null, null));

        assertThat(plan).allSatisfy(d -> assertThat(d.miss()).isTrue());
    }

    @Test
    void audioJustMadeIsFoundByTheNextBatch() {
        Dedup dedup = new Dedup(new RecentAudio(1 << 20));
        dedup.remember("k", AUDIO);

        assertThat(dedup.plan(List.of("k")).get(0).recent()).isSameAs(AUDIO);
    }
}
