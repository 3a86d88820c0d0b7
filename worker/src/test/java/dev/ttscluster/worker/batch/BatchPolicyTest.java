package dev.ttscluster.worker.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The padded-token budget, length grouping and per-job order, with an injected clock. */
class BatchPolicyTest {
    /** A segment: job, index within the job, length in tokens, and a global arrival number. */
    record Seg(String job, int index, int tokens, int seq) {}

    static final BatchAggregator.Sizer<Seg> SIZER = new BatchAggregator.Sizer<>() {
        @Override
        public int tokens(Seg s) {
            return s.tokens();
        }

        @Override
        public String group(Seg s) {
            return s.job();
        }
    };

    /** Scripted polls; an empty poll advances the clock by its whole timeout, a full one by 1 ms. */
    static final class Source implements BatchAggregator.Source<Seg> {
        final Deque<List<Seg>> polls = new ArrayDeque<>();
        final MutableClock clock;
        int seq;

        Source(MutableClock clock) {
            this.clock = clock;
        }

        /** One poll delivering segments given as job:index:tokens. */
        Source then(String... segs) {
            List<Seg> l = new ArrayList<>();
            for (String s : segs) {
                String[] p = s.split(":");
                l.add(new Seg(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), seq++));
            }
            polls.add(l);
            return this;
        }

        @Override
        public Collection<Seg> poll(Duration timeout) {
            List<Seg> next = polls.poll();
            if (next == null || next.isEmpty()) {
                clock.advance(timeout.toMillis());
                return List.of();
            }
            clock.advance(1);
            return next;
        }
    }

    private static List<String> names(Batch<Seg> b) {
        return b.items().stream().map(s -> s.job() + s.index()).toList();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new BatchPolicy(0, 10, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchPolicy(4, 0, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchPolicy(4, 10, -1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new BatchPolicy(4, 100, 0, false).fits(4, 25)).isTrue();
        assertThat(new BatchPolicy(4, 100, 0, false).fits(4, 26)).isFalse();
        assertThat(new BatchPolicy(4, 100, 0, false).fits(5, 1)).isFalse();
    }

    @Test
    void theTokenBudgetClosesABatchWithoutWaitingForTheWindow() {
        MutableClock clock = new MutableClock(0);
        Source src = new Source(clock).then("a:0:30", "b:0:30", "c:0:30", "d:0:30");
        BatchAggregator<Seg> agg = new BatchAggregator<>(src, new BatchPolicy(16, 100, 1000, false), SIZER, clock);

        Batch<Seg> b = agg.next(() -> true);

        assertThat(names(b)).containsExactly("a0", "b0", "c0");
        assertThat(b.reason()).isEqualTo(Batch.CloseReason.BUDGET);
        assertThat(b.waitedMs()).isLessThan(1000);
        assertThat(b.paddedTokens()).isEqualTo(90);
        assertThat(agg.buffered()).isEqualTo(1);
    }

    @Test
    void theBudgetCountsRowsTimesTheLongestRow() {
        MutableClock clock = new MutableClock(0);
        // 10 + 10 = 20 real tokens, but the 80-token row makes three rows cost 240 > 200
        Source src = new Source(clock).then("a:0:10", "b:0:10", "c:0:80");
        BatchAggregator<Seg> agg = new BatchAggregator<>(src, new BatchPolicy(16, 200, 1000, false), SIZER, clock);

        Batch<Seg> b = agg.next(() -> true);

        assertThat(names(b)).containsExactly("a0", "b0");
        assertThat(b.reason()).isEqualTo(Batch.CloseReason.BUDGET);
    }

    @Test
    void anItemLongerThanTheWholeBudgetStillGoesAlone() {
        MutableClock clock = new MutableClock(0);
        Source src = new Source(clock).then("a:0:500", "b:0:5");
        BatchAggregator<Seg> agg = new BatchAggregator<>(src, new BatchPolicy(16, 100, 50, false), SIZER, clock);

        Batch<Seg> first = agg.next(() -> true);
        Batch<Seg> second = agg.next(() -> true);

        assertThat(names(first)).containsExactly("a0");
        assertThat(first.reason()).isEqualTo(Batch.CloseReason.BUDGET);
        assertThat(names(second)).containsExactly("b0");
        assertThat(second.reason()).isEqualTo(Batch.CloseReason.WINDOW);
    }

    @Test
    void sizeClosesBeforeTheBudget() {
        MutableClock clock = new MutableClock(0);
        Source src = new Source(clock).then("a:0:1", "b:0:1", "c:0:1");
        BatchAggregator<Seg> agg = new BatchAggregator<>(src, new BatchPolicy(2, 1000, 1000, true), SIZER, clock);

        Batch<Seg> b = agg.next(() -> true);

        assertThat(b.reason()).isEqualTo(Batch.CloseReason.SIZE);
        assertThat(names(b)).containsExactly("a0", "b0");
    }

    @Test
    void theWindowCountsFromTheOldestItemNotFromTheLastBatch() {
        MutableClock clock = new MutableClock(0);
        Source src = new Source(clock).then("a:0:10", "b:0:10", "c:0:10");
        BatchAggregator<Seg> agg = new BatchAggregator<>(src, new BatchPolicy(2, 1000, 50, false), SIZER, clock);

        assertThat(names(agg.next(() -> true))).containsExactly("a0", "b0");
        clock.advance(80); // the model ran for 80 ms: c has waited longer than the window already
        Batch<Seg> b = agg.next(() -> true);

        assertThat(names(b)).containsExactly("c0");
        assertThat(b.reason()).isEqualTo(Batch.CloseReason.WINDOW);
        assertThat(b.waitedMs()).isGreaterThanOrEqualTo(80);
    }

    @Test
    void groupingTakesTheItemsClosestInLengthToTheOldest() {
        MutableClock clock = new MutableClock(0);
        Source src = new Source(clock).then("a:0:10", "b:0:200", "c:0:12", "d:0:190", "e:0:11");
        BatchAggregator<Seg> agg = new BatchAggregator<>(src, new BatchPolicy(3, 10_000, 50, true), SIZER, clock);

        Batch<Seg> first = agg.next(() -> true);
        Batch<Seg> second = agg.next(() -> true);

        assertThat(names(first)).containsExactly("a0", "c0", "e0");
        assertThat(first.paddingRatio()).isLessThan(0.1);
        assertThat(names(second)).containsExactly("b0", "d0");
    }

    @Test
    void withoutGroupingItemsGoInArrivalOrder() {
        MutableClock clock = new MutableClock(0);
        Source src = new Source(clock).then("a:0:10", "b:0:200", "c:0:12", "d:0:190", "e:0:11");
        BatchAggregator<Seg> agg = new BatchAggregator<>(src, new BatchPolicy(3, 10_000, 50, false), SIZER, clock);

        assertThat(names(agg.next(() -> true))).containsExactly("a0", "b0", "c0");
        assertThat(names(agg.next(() -> true))).containsExactly("d0", "e0");
    }

    @Test
    void groupingNeverTakesAJobsLaterSegmentBeforeAnEarlierOne() {
        MutableClock clock = new MutableClock(0);
        // j1 is as short as the anchor, but j0 (long) has not gone yet: j1 must wait for it
        Source src = new Source(clock).then("k:0:10", "j:0:200", "j:1:10", "k:1:10");
        BatchAggregator<Seg> agg = new BatchAggregator<>(src, new BatchPolicy(2, 10_000, 50, true), SIZER, clock);

        assertThat(names(agg.next(() -> true))).containsExactly("k0", "k1");
        assertThat(names(agg.next(() -> true))).containsExactly("j0", "j1");
    }

    @Test
    void randomTrafficLosesNothingAndKeepsEveryJobInOrder() {
        for (boolean grouped : new boolean[] {true, false}) {
            Random r = new Random(grouped ? 11 : 12);
            MutableClock clock = new MutableClock(0);
            Source src = new Source(clock);
            Map<String, Integer> nextIndex = new HashMap<>();
            int total = 0;
            for (int poll = 0; poll < 300; poll++) {
                int n = r.nextInt(6);
                String[] segs = new String[n];
                for (int k = 0; k < n; k++) {
                    String job = "j" + r.nextInt(12);
                    int idx = nextIndex.merge(job, 1, Integer::sum) - 1;
                    segs[k] = job + ":" + idx + ":" + (1 + r.nextInt(r.nextBoolean() ? 20 : 300));
                }
                src.then(segs);
                total += n;
            }
            BatchPolicy policy = new BatchPolicy(8, 600, 30, grouped);
            BatchAggregator<Seg> agg = new BatchAggregator<>(src, policy, SIZER, clock);
            Map<String, Integer> seenIndex = new HashMap<>();
            Set<Integer> seen = new HashSet<>();
            int calls = 0;
            while (seen.size() < total && calls++ < 10_000) {
                Batch<Seg> b = agg.next(() -> true);
                assertThat(b.items()).isNotEmpty();
                int longest = b.items().stream().mapToInt(Seg::tokens).max().orElse(0);
                if (b.items().size() > 1) {
                    assertThat(policy.fits(b.items().size(), longest))
                            .as("batch within size and budget")
                            .isTrue();
                }
                int lastSeq = -1;
                for (Seg s : b.items()) {
                    assertThat(s.seq())
                            .as("a batch lists items in arrival order")
                            .isGreaterThan(lastSeq);
                    lastSeq = s.seq();
                    assertThat(seen.add(s.seq())).as("no item twice").isTrue();
                    int expected = seenIndex.getOrDefault(s.job(), 0);
                    assertThat(s.index()).as("job %s in order", s.job()).isEqualTo(expected);
                    seenIndex.put(s.job(), expected + 1);
                }
            }
            assertThat(seen).as("nothing lost").hasSize(total);
            assertThat(agg.buffered()).isZero();
        }
    }
}
