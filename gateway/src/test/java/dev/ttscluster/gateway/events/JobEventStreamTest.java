package dev.ttscluster.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One job's event stream, ticked by hand against a fake job and a clock moved by hand. */
class JobEventStreamTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    /** A job of three segments whose state the test sets. */
    static final class FakeJob implements JobProgress {
        JobStatus status = JobStatus.QUEUED;
        long[] samples = {-1, -1, -1};
        boolean gone;
        boolean redisDown;
        String error = "";

        @Override
        public Optional<JobRecord> job(String id) {
            if (redisDown) {
                throw new RetriableException(Dependency.REDIS, "job-state Redis unavailable: test", null);
            }
            if (gone) {
                return Optional.empty();
            }
            int done = (int) Arrays.stream(samples).filter(s -> s >= 0).count();
            boolean ok = status == JobStatus.SUCCEEDED;
            return Optional.of(new JobRecord(
                    id,
                    "acme",
                    status,
                    "slt",
                    "wav",
                    1.0,
                    samples.length,
                    done,
                    0,
                    0,
                    30,
                    1,
                    2,
                    status.isFinal() ? 3 : 0,
                    0,
                    error,
                    ok ? "tenants/acme/jobs/" + id + "/audio.wav" : "",
                    ok ? 16000 : 0,
                    ok ? 8000 : 0));
        }

        @Override
        public long[] segmentSamples(String id, int count) {
            if (redisDown) {
                throw new RetriableException(Dependency.REDIS, "job-state Redis unavailable: test", null);
            }
            return samples.clone();
        }
    }

    private final FakeJob job = new FakeJob();
    private final MutableClock clock = new MutableClock(1_000_000L);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AtomicInteger ends = new AtomicInteger();

    private JobEventStream stream(int resumeAt) {
        return new JobEventStream(
                "j1", resumeAt, out, job, key -> "https://s3.test/" + key, clock, HEARTBEAT, ends::incrementAndGet);
    }

    /** Everything written since the last call. */
    private String take() {
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }

    @Test
    void theFirstEventIsTheJobsState() {
        JobEventStream s = stream(0);
        s.tick();
        assertThat(take()).startsWith("event: state\ndata: {\"status\":\"queued\"}\n\n");
    }

    @Test
    void segmentsAreAnnouncedInIndexOrderOnceEachOnlyWhenEveryEarlierOneIsDone() {
        JobEventStream s = stream(0);
        job.status = JobStatus.RUNNING;
        job.samples = new long[] {-1, 500, -1}; // a later segment first
        s.tick();
        String first = take();
        assertThat(first)
                .contains("event: state\ndata: {\"status\":\"running\"}")
                .contains("event: progress\ndata: {\"segments_done\":1,\"segments\":3,")
                .doesNotContain("event: segment");

        job.samples = new long[] {400, 500, -1};
        s.tick();
        assertThat(take())
                .contains("id: 1\nevent: segment\ndata: {\"index\":0,\"samples\":400}\n\n"
                        + "id: 2\nevent: segment\ndata: {\"index\":1,\"samples\":500}\n\n")
                .doesNotContain("event: state");

        s.tick(); // nothing changed
        assertThat(take()).isEmpty();
    }

    @Test
    void aReconnectWithLastEventIdResumesWithoutRepeatingSegments() {
        job.status = JobStatus.RUNNING;
        job.samples = new long[] {400, 500, -1};
        JobEventStream s = stream(JobEventStreams.resumeAfter("2", 3));
        s.tick();
        assertThat(take()).doesNotContain("event: segment");

        job.samples = new long[] {400, 500, 600};
        s.tick();
        assertThat(take())
                .contains("id: 3\nevent: segment\ndata: {\"index\":2,\"samples\":600}")
                .doesNotContain("\"index\":0")
                .doesNotContain("\"index\":1");
    }

    @Test
    void lastEventIdOutsideTheJobOrMalformedIsClampedOrIgnored() {
        assertThat(JobEventStreams.resumeAfter("99", 3)).isEqualTo(3);
        assertThat(JobEventStreams.resumeAfter(" 1 ", 3)).isEqualTo(1);
        assertThat(JobEventStreams.resumeAfter("-1", 3)).isZero();
        assertThat(JobEventStreams.resumeAfter("abc", 3)).isZero();
        assertThat(JobEventStreams.resumeAfter(null, 3)).isZero();
    }

    @Test
    void theFinalStateComesLastAndThenTheStreamCloses() {
        JobEventStream s = stream(0);
        s.tick();
        take();
        job.status = JobStatus.SUCCEEDED;
        job.samples = new long[] {400, 500, 600};
        s.tick();
        String last = take();
        assertThat(last)
                .contains("\"index\":0")
                .contains("\"index\":2")
                .endsWith("event: state\ndata: {\"status\":\"succeeded\",\"audio_url\":"
                        + "\"https://s3.test/tenants/acme/jobs/j1/audio.wav\",\"audio_seconds\":2.0}\n\n");
        assertThat(last.indexOf("\"index\":2")).isLessThan(last.indexOf("event: progress"));
        assertThat(s.ended()).isTrue();
        assertThat(ends).hasValue(1);

        s.tick();
        s.end();
        assertThat(take()).isEmpty();
        assertThat(ends).hasValue(1);
    }

    @Test
    void aFailedJobEndsWithItsError() {
        JobEventStream s = stream(0);
        job.status = JobStatus.FAILED;
        job.error = "segment 1 failed";
        s.tick();
        assertThat(take()).endsWith("event: state\ndata: {\"status\":\"failed\",\"error\":\"segment 1 failed\"}\n\n");
        assertThat(s.ended()).isTrue();
    }

    @Test
    void aDeletedJobEndsTheStreamAsGone() {
        JobEventStream s = stream(0);
        job.gone = true;
        s.tick();
        assertThat(take()).isEqualTo("event: state\ndata: {\"status\":\"gone\"}\n\n");
        assertThat(s.ended()).isTrue();
    }

    @Test
    void aHeartbeatIsSentAfterTheSilenceOnTheInjectedClock() {
        JobEventStream s = stream(0);
        s.tick();
        take();
        clock.advance(HEARTBEAT.toMillis() - 1);
        s.tick();
        assertThat(take()).isEmpty();
        clock.advance(1);
        s.tick();
        assertThat(take()).isEqualTo(": keep-alive\n\n");
        s.tick();
        assertThat(take()).isEmpty();
    }

    @Test
    void aRedisOutageKeepsTheStreamOpenWithHeartbeatsAndItCatchesUpAfter() {
        JobEventStream s = stream(0);
        s.tick();
        take();
        job.redisDown = true;
        clock.advance(HEARTBEAT);
        s.tick();
        assertThat(take()).isEqualTo(": keep-alive\n\n");
        assertThat(s.ended()).isFalse();

        job.redisDown = false;
        job.status = JobStatus.RUNNING;
        job.samples = new long[] {400, -1, -1};
        s.tick();
        assertThat(take()).contains("\"status\":\"running\"").contains("\"index\":0");
    }
}
