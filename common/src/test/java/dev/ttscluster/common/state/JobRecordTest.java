package dev.ttscluster.common.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.contract.JobStatus;
import org.junit.jupiter.api.Test;

class JobRecordTest {
    private static JobRecord rec(JobStatus status, int segments, int done) {
        return new JobRecord("j", "t", status, "v", "wav", 1.0, segments, done, 0, 0, 10, 1, 1, 0, 0, "", "", 0, 0);
    }

    @Test
    void progressIsZeroWithNoSegments() {
        assertThat(rec(JobStatus.QUEUED, 0, 0).progress()).isZero();
    }

    @Test
    void progressIsDoneOverSegments() {
        assertThat(rec(JobStatus.RUNNING, 4, 1).progress()).isEqualTo(0.25);
        assertThat(rec(JobStatus.RUNNING, 4, 4).progress()).isEqualTo(1.0);
    }

    @Test
    void progressNeverExceedsOne() {
        assertThat(rec(JobStatus.RUNNING, 2, 5).progress()).isEqualTo(1.0);
    }

    @Test
    void progressIsOneWhenSucceeded() {
        assertThat(rec(JobStatus.SUCCEEDED, 4, 0).progress()).isEqualTo(1.0);
        assertThat(rec(JobStatus.SUCCEEDED, 0, 0).progress()).isEqualTo(1.0);
    }

    @Test
    void queuedJobStartsEmpty() {
        JobRecord r = JobRecord.queued("j", "t", "v", "wav", 1.5, 3, 42, 1000L);
        assertThat(r.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(r.done()).isZero();
        assertThat(r.duplicates()).isZero();
        assertThat(r.segments()).isEqualTo(3);
        assertThat(r.createdMs()).isEqualTo(1000L);
        assertThat(r.updatedMs()).isEqualTo(1000L);
        assertThat(r.finishedMs()).isZero();
        assertThat(r.error()).isEmpty();
        assertThat(r.audioKey()).isEmpty();
        assertThat(r.progress()).isZero();
    }
}
