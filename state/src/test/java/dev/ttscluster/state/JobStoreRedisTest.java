package dev.ttscluster.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.state.SegmentMark;
import dev.ttscluster.testing.LoopbackPorts;
import dev.ttscluster.testing.LoopbackRedis;
import dev.ttscluster.testing.MutableClock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job-state transitions against a real Redis on loopback. */
class JobStoreRedisTest {
    static final MutableClock CLOCK = new MutableClock(1_700_000_000_000L);
    static LoopbackRedis redis;
    static JobStore store;

    @BeforeAll
    static void connect() {
        redis = LoopbackRedis.start();
        store = JobStore.connect(redis.url(), CLOCK, 3600);
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static String newJob(int segments) {
        String id = UUID.randomUUID().toString();
        store.create(JobRecord.queued(id, "default", "default", "wav", 1.0, segments, 10, CLOCK.millis()));
        return id;
    }

    @Test
    void aSegmentMarkedTwiceIsCountedOnce() {
        String id = newJob(2);

        SegmentMark first = store.markSegmentDone(id, 0, 100);
        SegmentMark again = store.markSegmentDone(id, 0, 100);

        assertThat(first.counted()).isTrue();
        assertThat(again.counted()).isFalse();
        assertThat(again.done()).isEqualTo(1);
        JobRecord r = store.get(id).orElseThrow();
        assertThat(r.done()).isEqualTo(1);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.status().wire()).isEqualTo("running");
    }

    @Test
    void theLastDistinctSegmentMakesTheJobReadyToAssemble() {
        String id = newJob(3);

        assertThat(store.markSegmentDone(id, 2, 10).readyToAssemble()).isFalse();
        assertThat(store.markSegmentDone(id, 0, 20).readyToAssemble()).isFalse();
        assertThat(store.markSegmentDone(id, 0, 20).readyToAssemble()).isFalse();
        SegmentMark last = store.markSegmentDone(id, 1, 30);

        assertThat(last.readyToAssemble()).isTrue();
        assertThat(store.segmentSamples(id, 3)).containsExactly(20, 30, 10);
    }

    @Test
    void aJobSucceedsOnceAndThenNothingChangesIt() {
        String id = newJob(1);
        store.markSegmentDone(id, 0, 5);

        assertThat(store.markSucceeded(id, "k", 5, 16000)).isTrue();
        assertThat(store.markSucceeded(id, "k", 5, 16000)).isFalse();
        assertThat(store.markFailed(id, "late failure")).isFalse();
        assertThat(store.cancel(id)).isFalse();
        SegmentMark redelivered = store.markSegmentDone(id, 0, 5);

        assertThat(redelivered.jobFinal()).isTrue();
        assertThat(redelivered.readyToAssemble()).isFalse();
        assertThat(store.get(id).orElseThrow().status().wire()).isEqualTo("succeeded");
    }

    @Test
    void unknownJobsAreAbsent() {
        String id = UUID.randomUUID().toString();

        assertThat(store.get(id)).isEmpty();
        assertThat(store.markSegmentDone(id, 0, 1).total()).isZero();
        assertThat(store.statuses(List.of(id))).isEmpty();
    }

    @Test
    void aDeletedJobIsForgotten() {
        String id = newJob(1);

        store.delete(id);

        assertThat(store.get(id)).isEmpty();
        assertThat(store.markSegmentDone(id, 0, 1).total()).isZero();
    }

    @Test
    void anUnreachableRedisIsARetriableRedisFailure() {
        try (JobStore down = JobStore.connect("redis://127.0.0.1:" + LoopbackPorts.free(), CLOCK, 3600)) {
            assertThatThrownBy(() -> down.get("any"))
                    .isInstanceOfSatisfying(RetriableException.class, e -> assertThat(e.dependency())
                            .isEqualTo(Dependency.REDIS));
            assertThat(down.ping()).isFalse();
        }
    }
}
