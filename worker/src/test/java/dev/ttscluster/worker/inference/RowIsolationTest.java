package dev.ttscluster.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RowIsolationTest {
    /** A fake model: row r's audio is {r, r}; a call holding a row {@code bad} accepts throws. */
    private static final class Model implements RowIsolation.Call<Integer> {
        final List<List<Integer>> calls = new ArrayList<>();
        Predicate<List<Integer>> fails = part -> false;

        @Override
        public List<SynthesisOutput> run(List<Integer> rows) {
            calls.add(List.copyOf(rows));
            if (fails.test(rows)) {
                throw new IllegalStateException("row rejected by the engine\n\tat some.native.Frame(line 1)");
            }
            return rows.stream()
                    .map(r -> new SynthesisOutput(new float[] {r, r}, new long[] {r}))
                    .toList();
        }

        long aloneCalls(int row) {
            return calls.stream().filter(c -> c.equals(List.of(row))).count();
        }
    }

    private static List<Integer> rows(int n) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(i);
        }
        return rows;
    }

    @Test
    void aHealthyBatchIsOneCall() {
        Model m = new Model();

        RowIsolation.Result r = new RowIsolation(3, n -> {}).run(rows(5), m);

        assertThat(m.calls).hasSize(1);
        assertThat(r.failed()).isZero();
        assertThat(r.outputs()).extracting(o -> (int) o.samples()[0]).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aPoisonRowIsTriedAloneMaxAttemptsTimesAndEveryOtherRowGetsItsAudio() {
        Model m = new Model();
        m.fails = part -> part.contains(5);
        List<Integer> pauses = new ArrayList<>();

        RowIsolation.Result r = new RowIsolation(3, pauses::add).run(rows(16), m);

        assertThat(m.aloneCalls(5)).isEqualTo(3);
        assertThat(pauses).containsExactly(2, 3);
        assertThat(r.failures().get(5))
                .isEqualTo(
                        new RowIsolation.Failure("synthesis failed after 3 attempts: row rejected by the engine", 3));
        assertThat(r.outputs().get(5)).isNull();
        for (int i = 0; i < 16; i++) {
            if (i != 5) {
                assertThat(r.failures().get(i)).isNull();
                assertThat(r.outputs().get(i).samples()).containsExactly(i, i);
            }
        }
        // bisection: the batch, then two halves per level down to the bad row, then its two retries
        assertThat(m.calls).hasSize(1 + 2 * 4 + 2);
        assertThat(m.calls.stream().filter(c -> !c.contains(5)))
                .allSatisfy(c -> assertThat(c).isNotEmpty());
    }

    @Test
    void aTransientFaultThatPassesOnTheSecondAttemptFailsNothing() {
        Model m = new Model();
        int[] aloneFailures = {0};
        m.fails = part -> part.contains(2) && (part.size() > 1 || aloneFailures[0]++ == 0);

        RowIsolation.Result r = new RowIsolation(3, n -> {}).run(rows(4), m);

        assertThat(r.failed()).isZero();
        assertThat(m.aloneCalls(2)).isEqualTo(2);
        assertThat(r.outputs()).extracting(o -> (int) o.samples()[0]).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aBatchThatFailsOnceAsAWholeIsRecoveredByItsHalves() {
        Model m = new Model();
        m.fails = part -> m.calls.size() == 1;

        RowIsolation.Result r = new RowIsolation(3, n -> {}).run(rows(6), m);

        assertThat(r.failed()).isZero();
        assertThat(r.failedCalls()).isEqualTo(1);
        assertThat(m.calls).containsExactly(rows(6), List.of(0, 1, 2), List.of(3, 4, 5));
    }

    @Test
    void everyBadRowIsFoundAndAModelReturningTooFewOutputsCountsAsAFailure() {
        Model m = new Model();
        m.fails = part -> part.contains(0) || part.contains(7);
        RowIsolation.Call<Integer> shortChanged = part -> part.contains(3) ? List.of() : m.run(part);

        RowIsolation.Result r = new RowIsolation(2, n -> {}).run(rows(8), shortChanged);

        assertThat(r.failed()).isEqualTo(3);
        assertThat(r.failures().get(3).reason()).contains("returned 0 outputs for 1 rows");
        assertThat(r.failures()).extracting(f -> f == null ? 0 : f.attempts()).containsExactly(2, 0, 0, 2, 0, 0, 0, 2);
    }

    @Test
    void whatThePauseThrowsAbandonsTheBatch() {
        Model m = new Model();
        m.fails = part -> true;

        assertThatThrownBy(() -> new RowIsolation(3, n -> {
                            throw new IllegalStateException("stopping");
                        })
                        .run(rows(1), m))
                .hasMessage("stopping");
    }

    @Test
    void longReasonsAreCutToOneShortLine() {
        String reason = RowIsolation.firstLine(new RuntimeException("x".repeat(1000) + "\nmore"));

        assertThat(reason).hasSize(RowIsolation.MAX_REASON_CHARS).endsWith("...");
        assertThat(RowIsolation.firstLine(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
