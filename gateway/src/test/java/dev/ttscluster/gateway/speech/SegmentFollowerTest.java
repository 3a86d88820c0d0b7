package dev.ttscluster.gateway.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.state.JobRecord;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentFollowerTest {
    /** A job whose segments land out of order as the (fake) clock ticks. */
    static class FakeJob implements SegmentFollower.Source {
        final Map<Integer, byte[]> stored = new HashMap<>();
        JobStatus status = JobStatus.QUEUED;
        long now;
        final List<String> log = new ArrayList<>();

        @Override
        public Optional<JobRecord> job() {
            return Optional.of(new JobRecord(
                    "j",
                    "t",
                    status,
                    "amy",
                    "wav",
                    1.0,
                    3,
                    stored.size(),
                    0,
                    0,
                    10,
                    0,
                    0,
                    0,
                    0,
                    status == JobStatus.FAILED ? "boom" : "",
                    "",
                    0,
                    0));
        }

        @Override
        public Optional<byte[]> segment(int index) {
            return Optional.ofNullable(stored.get(index));
        }

        void tick(long ms) {
            now += ms * 1_000_000L;
            long t = now / 1_000_000L;
            if (t >= 100 && !stored.containsKey(1)) {
                stored.put(1, Wav.encodePcm(new short[] {10, 11}, 8000)); // a later segment first
            }
            if (t >= 200 && !stored.containsKey(0)) {
                stored.put(0, Wav.encodePcm(new short[] {1, 2, 3}, 8000));
            }
            if (t >= 300 && !stored.containsKey(2)) {
                stored.put(2, Wav.encodePcm(new short[] {20}, 8000));
                status = JobStatus.SUCCEEDED;
            }
        }
    }

    @Test
    void segmentsLeaveInOrderAsSoonAsTheyAndEveryEarlierOneAreStored() throws Exception {
        FakeJob job = new FakeJob();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SegmentFollower(job, 3, Duration.ofMillis(25), Duration.ofSeconds(5), () -> job.now, job::tick)
                .follow((index, rate, pcm, off, len) -> {
                    job.log.add(index + "@" + job.now / 1_000_000L);
                    assertThat(rate).isEqualTo(8000);
                    out.write(pcm, off, len);
                });
        assertThat(job.log).containsExactly("0@200", "1@200", "2@300");
        assertThat(out.toByteArray()).containsExactly(1, 0, 2, 0, 3, 0, 10, 0, 11, 0, 20, 0);
    }

    @Test
    void aFailedJobOrNoProgressStops() {
        FakeJob failed = new FakeJob();
        failed.status = JobStatus.FAILED;
        SegmentFollower.Stopped e = catchThrowableOfType(SegmentFollower.Stopped.class, () -> new SegmentFollower(
                        failed, 3, Duration.ofMillis(25), Duration.ofSeconds(5), () -> failed.now, failed::tick)
                .follow((i, r, p, o, l) -> {}));
        assertThat(e.jobFailed()).isTrue();
        assertThat(e.getMessage()).contains("boom");

        FakeJob stuck = new FakeJob() {
            @Override
            void tick(long ms) {
                now += ms * 1_000_000L;
            }
        };
        SegmentFollower.Stopped s = catchThrowableOfType(SegmentFollower.Stopped.class, () -> new SegmentFollower(
                        stuck, 3, Duration.ofMillis(25), Duration.ofSeconds(1), () -> stuck.now, stuck::tick)
                .follow((i, r, p, o, l) -> {}));
        assertThat(s.jobFailed()).isFalse();
        assertThat(s.getMessage()).contains("no new segment");
    }
}
