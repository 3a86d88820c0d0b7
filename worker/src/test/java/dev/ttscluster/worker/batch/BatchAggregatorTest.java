package dev.ttscluster.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchAggregatorTest {

    /** A source that hands out scripted polls; an empty poll "waits" by advancing the clock by its timeout. */
    static final class ScriptedSource implements BatchAggregator.Source<Integer> {
        final Deque<List<Integer>> polls = new ArrayDeque<>();
        final MutableClock clock;
        final List<Duration> timeouts = new ArrayList<>();

        ScriptedSource(MutableClock clock) {
            this.clock = clock;
        }

        ScriptedSource then(Integer... items) {
            polls.add(List.of(items));
            return this;
        }

        @Override
        public Collection<Integer> poll(Duration timeout) {
            timeouts.add(timeout);
            List<Integer> next = polls.poll();
            if (next == null || next.isEmpty()) {
                clock.advance(timeout.toMillis());
                return List.of();
            }
            clock.advance(1);
            return next;
        }
    }

    @Test
    void sizeClosesTheBatchWithoutWaitingForTheWindow() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src = new ScriptedSource(clock).then(1, 2).then(3, 4);
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(4, 1000), clock);

        Batch<Integer> b = agg.next(() -> true);

        assertThat(b.items()).containsExactly(1, 2, 3, 4);
        assertThat(b.reason()).isEqualTo(Batch.CloseReason.SIZE);
        assertThat(b.waitedMs()).isLessThan(1000);
    }

    @Test
    void windowClosesAPartialBatch() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src = new ScriptedSource(clock).then(1).then().then();
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(8, 50), clock);

        Batch<Integer> b = agg.next(() -> true);

        assertThat(b.items()).containsExactly(1);
        assertThat(b.reason()).isEqualTo(Batch.CloseReason.WINDOW);
        assertThat(b.waitedMs()).isEqualTo(50);
    }

    @Test
    void pollsOnlyForTheTimeLeftInTheWindow() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src = new ScriptedSource(clock).then(1);
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(8, 50), clock);

        agg.next(() -> true);

        // first poll waits idle; the following ones never ask for more than the window's remainder
        assertThat(src.timeouts.subList(1, src.timeouts.size()))
                .allSatisfy(t -> assertThat(t.toMillis()).isLessThanOrEqualTo(50));
    }

    @Test
    void itemsBeyondTheSizeStayBufferedInOrderForTheNextBatch() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src =
                new ScriptedSource(clock).then(IntStream.range(0, 10).boxed().toArray(Integer[]::new));
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(4, 50), clock);

        List<Integer> seen = new ArrayList<>();
        seen.addAll(agg.next(() -> true).items());
        seen.addAll(agg.next(() -> true).items());
        seen.addAll(agg.next(() -> true).items());

        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(agg.buffered()).isZero();
    }

    @Test
    void perRequestPolicyMakesBatchesOfOne() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src = new ScriptedSource(clock).then(7, 8);
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, BatchPolicy.perRequest(), clock);

        assertThat(agg.next(() -> true).items()).containsExactly(7);
        assertThat(agg.next(() -> true).items()).containsExactly(8);
    }

    @Test
    void stoppingWhileIdleReturnsAnEmptyBatch() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src = new ScriptedSource(clock);
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(4, 50), clock);
        int[] calls = {0};

        Batch<Integer> b = agg.next(() -> calls[0]++ < 3);

        assertThat(b.isEmpty()).isTrue();
        assertThat(b.reason()).isEqualTo(Batch.CloseReason.STOPPED);
    }

    @Test
    void droppedItemsNeverReachABatch() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src = new ScriptedSource(clock).then(1, 2, 3, 4, 5, 6);
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(2, 50), clock);

        assertThat(agg.next(() -> true).items()).containsExactly(1, 2);
        agg.drop(i -> i % 2 == 1);

        assertThat(agg.next(() -> true).items()).containsExactly(4, 6);
    }
    /** Items >= 100 are bulk (lane 1), the rest interactive; all one token, no groups. */
    private static BatchAggregator.Sizer<Integer> lanes() {
        return new BatchAggregator.Sizer<>() {
            @Override
            public int tokens(Integer item) {
                return 1;
            }

            @Override
            public String group(Integer item) {
                return null;
            }

            @Override
            public int lane(Integer item) {
                return item >= 100 ? 1 : 0;
            }
        };
    }

    @Test
    void interactiveItemsGoBeforeBulkItemsBufferedEarlier() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src = new ScriptedSource(clock).then(100, 101, 102).then(1, 2);
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(2, 50), lanes(), clock);

        Batch<Integer> first = agg.next(() -> true);
        assertThat(agg.buffered(1)).isEqualTo(1);
        Batch<Integer> second = agg.next(() -> true);

        assertThat(first.items()).containsExactly(100, 101); // nothing interactive had arrived yet
        assertThat(second.items())
                .as("interactive first, though bulk 102 is older")
                .containsExactly(1, 2);
        assertThat(agg.next(() -> true).items()).containsExactly(102);
    }

    @Test
    void aBatchNeverMixesLanesAndTheWindowCountsFromTheOldestInteractiveItem() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src = new ScriptedSource(clock).then(100, 101);
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(8, 50), lanes(), clock);
        Batch<Integer> bulk = agg.next(() -> true);
        assertThat(bulk.items()).containsExactly(100, 101);
        assertThat(bulk.reason()).isEqualTo(Batch.CloseReason.WINDOW);

        src.then(102).then(3);
        clock.advance(1000);
        Batch<Integer> next = agg.next(() -> true);
        assertThat(next.items()).containsExactly(3);
        assertThat(next.waitedMs())
                .as("counted from the interactive item, not from bulk 102")
                .isLessThanOrEqualTo(50);
    }

    @Test
    void aClosedLaneWaitsInTheBufferWhileOpenLanesAreServed() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src = new ScriptedSource(clock).then(100, 101).then().then(1);
        boolean[] bulkOpen = {false};
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(4, 50), lanes(), clock)
                .whenLaneOpen(lane -> lane == 0 || bulkOpen[0]);
        int[] idle = {0};

        Batch<Integer> first = agg.next(() -> true, () -> idle[0]++);

        assertThat(first.items())
                .as("bulk is closed: the interactive item goes alone")
                .containsExactly(1);
        assertThat(idle[0])
                .as("the caller got its idle calls while only closed-lane items were buffered")
                .isPositive();
        assertThat(agg.buffered(1)).isEqualTo(2);
        bulkOpen[0] = true;
        assertThat(agg.next(() -> true).items()).containsExactly(100, 101);
    }

    /** Item j*10+k is segment k of job j; segment 0 leads; all one token. */
    private static BatchAggregator.Sizer<Integer> jobs() {
        return new BatchAggregator.Sizer<>() {
            @Override
            public int tokens(Integer item) {
                return 1;
            }

            @Override
            public String group(Integer item) {
                return "job" + item / 10;
            }

            @Override
            public boolean leads(Integer item) {
                return item % 10 == 0;
            }
        };
    }

    @Test
    void aJobsFirstSegmentGoesFirstInABatchOfLeadsOnly() {
        MutableClock clock = new MutableClock(0);
        // job 1's later segments arrived before its first one (other partitions), job 2's lead after them
        ScriptedSource src = new ScriptedSource(clock).then(12, 14, 10, 16).then(20, 22);
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(8, 50), jobs(), clock);

        Batch<Integer> first = agg.next(() -> true);
        Batch<Integer> second = agg.next(() -> true);

        assertThat(first.items())
                .as("leads only, though job 1's later segments are older")
                .containsExactly(10, 20);
        assertThat(second.items()).as("then the rest, in arrival order").containsExactly(12, 14, 16, 22);
    }

    @Test
    void leadsNeverComeTwiceInARowWhileOlderWorkHasWaitedItsWindow() {
        MutableClock clock = new MutableClock(0);
        ScriptedSource src = new ScriptedSource(clock).then(11, 12, 10);
        BatchAggregator<Integer> agg = new BatchAggregator<>(src, new BatchPolicy(2, 50), jobs(), clock);
        assertThat(agg.next(() -> true).items()).containsExactly(10);

        src.then(20);
        clock.advance(100); // 11 and 12 have waited past their window
        Batch<Integer> next = agg.next(() -> true);
        assertThat(next.items()).as("the oldest work goes before a new lead").containsExactly(11, 12);
        assertThat(agg.next(() -> true).items()).containsExactly(20);
    }
}
