package dev.ttscluster.worker.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class IntakeRouterTest {
    private static PolledRecord polled(long offset, String job) {
        ConsumerRecord<String, byte[]> r =
                new ConsumerRecord<>(Topics.SEGMENTS_INTERACTIVE, 0, offset, "k", new byte[0]);
        return new PolledRecord(
                r,
                job == null
                        ? null
                        : new Prepared(
                                new SegmentTask(
                                        SegmentTask.SCHEMA_VERSION, job, "default", 0, 1, "hello", "default", 1.0, 0L),
                                null));
    }

    /** Serves the segments of job "hit"; remembers what it was asked. */
    private static final class HitIntake implements Intake {
        final List<List<String>> asked = new ArrayList<>();
        final Durable durable = running -> {};

        @Override
        public Prepared prepare(SegmentTask task) {
            return new Prepared(task, null);
        }

        @Override
        public Served serve(List<Prepared> polled) {
            asked.add(polled.stream().map(Prepared::jobId).toList());
            boolean[] taken = new boolean[polled.size()];
            for (int i = 0; i < taken.length; i++) {
                taken[i] = polled.get(i).jobId().equals("hit");
            }
            return new Served(taken, durable);
        }
    }

    @Test
    void servedSegmentsSkipTheBatcherAndTheRestKeepTheirOrder() {
        HitIntake intake = new HitIntake();
        PolledRecord a = polled(0, "a");
        PolledRecord undecodable = polled(1, null);
        PolledRecord hit = polled(2, "hit");
        PolledRecord b = polled(3, "b");

        IntakeRouter.Routed routed = new IntakeRouter(intake).route(List.of(a, undecodable, hit, b));

        assertThat(intake.asked).containsExactly(List.of("a", "hit", "b")); // the undecodable record is not asked about
        assertThat(routed.batched()).containsExactly(a, undecodable, b);
        assertThat(routed.served()).containsExactly(hit);
        assertThat(routed.durable()).isSameAs(intake.durable);
    }

    @Test
    void whenNothingIsServedEverythingGoesToTheBatcher() {
        List<PolledRecord> polled = List.of(polled(0, "a"), polled(1, "b"));

        IntakeRouter.Routed routed = new IntakeRouter(new HitIntake()).route(polled);

        assertThat(routed.batched()).isEqualTo(polled);
        assertThat(routed.served()).isEmpty();
        assertThat(routed.durable()).isSameAs(Durable.DONE);
    }
}
