package dev.ttscluster.worker.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batched model call that survives poison rows. When the call throws, the batch is halved and
 * each half run again (bisection), down to single rows: a row that fails alone is found in about
 * 2 log2(n) calls, and every other row gets its audio from a call without it (the model's output
 * depends only on the row, so that audio is what the whole batch would have given). A row that fails
 * alone is tried alone again, up to {@code maxAttempts} calls in all, so a transient fault passes; after
 * that it is given up with the last error as its reason. Any {@link RuntimeException} of a call counts
 * as a failure of the rows in it, and so does a call that returns the wrong number of outputs; what
 * {@link Pause} throws propagates (the caller's stop signal). Not thread-safe: one thread owns the model.
 */
public final class RowIsolation {
    private static final Logger log = LoggerFactory.getLogger(RowIsolation.class);
    /** Longest reason kept: engine errors can carry whole stack traces in their message. */
    static final int MAX_REASON_CHARS = 300;

    /** Runs one model call on some rows of the batch, in order. */
    @FunctionalInterface
    public interface Call<T> {
        List<SynthesisOutput> run(List<T> rows);
    }

    /** Waits before a row's next attempt alone; may throw to abandon the whole batch (e.g. when stopping). */
    @FunctionalInterface
    public interface Pause {
        void before(int attempt);
    }

    /**
     * Why a row was given up.
     *
     * @param reason what the last attempt failed with, for the job and the dead-letter record
     * @param attempts calls in which the row ran alone and failed
     */
    public record Failure(String reason, int attempts) {}

    /**
     * What became of each row of the batch.
     *
     * @param outputs each row's audio, in order; null where the row failed
     * @param failures null where the row has audio, else why it was given up
     * @param calls model calls made
     * @param failedCalls calls that threw (transient faults that passed later included)
     */
    public record Result(List<SynthesisOutput> outputs, List<Failure> failures, int calls, int failedCalls) {
        /** Rows given up. */
        public int failed() {
            return (int) failures.stream().filter(f -> f != null).count();
        }
    }

    private final int maxAttempts;
    private final Pause pause;

    /**
     * @param maxAttempts calls a row may fail alone before it is given up, at least 1
     * @param pause runs before every attempt alone after the first
     */
    public RowIsolation(int maxAttempts, Pause pause) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.pause = pause;
    }

    /** Runs {@code rows} as one call, isolating the rows that fail when it throws. */
    public <T> Result run(List<T> rows, Call<T> call) {
        State<T> s = new State<>(rows, call);
        List<Integer> all = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            all.add(i);
        }
        if (!rows.isEmpty()) {
            s.run(all);
        }
        return new Result(
                Collections.unmodifiableList(Arrays.asList(s.outputs)),
                Collections.unmodifiableList(Arrays.asList(s.failures)),
                s.calls,
                s.failedCalls);
    }

    private final class State<T> {
        final List<T> rows;
        final Call<T> call;
        final SynthesisOutput[] outputs;
        final Failure[] failures;
        int calls;
        int failedCalls;

        State(List<T> rows, Call<T> call) {
            this.rows = rows;
            this.call = call;
            this.outputs = new SynthesisOutput[rows.size()];
            this.failures = new Failure[rows.size()];
        }

        void run(List<Integer> idx) {
            RuntimeException error = attempt(idx);
            if (error == null) {
                return;
            }
            if (idx.size() == 1) {
                retryAlone(idx.get(0), error);
                return;
            }
            log.warn("model call of {} rows failed ({}); bisecting to find the bad rows", idx.size(), firstLine(error));
            int mid = idx.size() / 2;
            run(idx.subList(0, mid));
            run(idx.subList(mid, idx.size()));
        }

        /** One call on these rows; null when it succeeded, else what it failed with. */
        RuntimeException attempt(List<Integer> idx) {
            List<T> part = new ArrayList<>(idx.size());
            for (int i : idx) {
                part.add(rows.get(i));
            }
            calls++;
            try {
                List<SynthesisOutput> out = call.run(part);
                if (out == null || out.size() != idx.size()) {
                    throw new IllegalStateException("the model returned "
                            + (out == null ? "nothing" : out.size() + " outputs") + " for " + idx.size() + " rows");
                }
                for (int k = 0; k < idx.size(); k++) {
                    outputs[idx.get(k)] = out.get(k);
                }
                return null;
            } catch (RuntimeException e) {
                failedCalls++;
                return e;
            }
        }

        void retryAlone(int row, RuntimeException first) {
            RuntimeException last = first;
            for (int n = 2; n <= maxAttempts; n++) {
                pause.before(n);
                last = attempt(List.of(row));
                if (last == null) {
                    log.info("row {} passed on attempt {} of {}", row, n, maxAttempts);
                    return;
                }
            }
            failures[row] = new Failure(
                    "synthesis failed after " + maxAttempts + (maxAttempts == 1 ? " attempt: " : " attempts: ")
                            + firstLine(last),
                    maxAttempts);
        }
    }

    /** The error's first line, at most {@link #MAX_REASON_CHARS} characters; its class when it says nothing. */
    static String firstLine(RuntimeException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        m = m.strip();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl).strip();
        }
        return m.length() <= MAX_REASON_CHARS ? m : m.substring(0, MAX_REASON_CHARS - 3) + "...";
    }
}
