package dev.ttscluster.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobStatusTest {
    @Test
    void wireNamesAreLowerCase() {
        assertThat(JobStatus.QUEUED.wire()).isEqualTo("queued");
        assertThat(JobStatus.RUNNING.wire()).isEqualTo("running");
        assertThat(JobStatus.SUCCEEDED.wire()).isEqualTo("succeeded");
        assertThat(JobStatus.FAILED.wire()).isEqualTo("failed");
        assertThat(JobStatus.CANCELLED.wire()).isEqualTo("cancelled");
    }

    @Test
    void wireNamesRoundTrip() {
        for (JobStatus s : JobStatus.values()) {
            assertThat(JobStatus.fromWire(s.wire())).isEqualTo(s);
        }
    }

    @Test
    void unknownWireNameIsRejected() {
        assertThatThrownBy(() -> JobStatus.fromWire("paused")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlySucceededFailedAndCancelledAreFinal() {
        assertThat(JobStatus.QUEUED.isFinal()).isFalse();
        assertThat(JobStatus.RUNNING.isFinal()).isFalse();
        assertThat(JobStatus.SUCCEEDED.isFinal()).isTrue();
        assertThat(JobStatus.FAILED.isFinal()).isTrue();
        assertThat(JobStatus.CANCELLED.isFinal()).isTrue();
    }
}
