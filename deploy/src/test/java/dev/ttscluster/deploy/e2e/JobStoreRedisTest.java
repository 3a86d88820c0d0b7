package dev.ttscluster.deploy.e2e;

import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.state.JobStore;
import dev.ttscluster.common.state.SegmentMark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The job-state transitions against the cluster's real Redis. */
class JobStoreRedisTest {
    static JobStore store;

    @BeforeAll
    static void connect() {
        store = JobStore.connect(SharedCluster.get().servers().env().get(InfraConfig.REDIS_URL.name()),
                Clock.systemUTC(), 3600);
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    static String newJob(int segments) {
        String id = UUID.randomUUID().toString();
        store.create(JobRecord.queued(id, "default", "default", "wav", 1.0, segments, 10, System.currentTimeMillis()));
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
}
