package dev.ttscluster.worker.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrierTest {
    private final List<Long> sleeps = new ArrayList<>();
    private final List<Dependency> failures = new ArrayList<>();

    private Retrier retrier(long backoffMs) {
        return new Retrier(sleeps::add, backoffMs, failures::add);
    }

    @Test
    void aRetriableFailureIsRetriedWithADoublingBackoffAndCountedAgainstItsServer() {
        int[] calls = {0};
        String result = retrier(100)
                .call(
                        () -> {
                            if (++calls[0] <= 3) {
                                throw new RetriableException(Dependency.S3, "S3 unavailable");
                            }
                            return "stored";
                        },
                        () -> true);

        assertThat(result).isEqualTo("stored");
        assertThat(sleeps).containsExactly(100L, 200L, 400L);
        assertThat(failures).containsExactly(Dependency.S3, Dependency.S3, Dependency.S3);
    }

    @Test
    void theBackoffStopsGrowingAtItsMaximum() {
        int[] calls = {0};
        retrier(4_000)
                .run(
                        () -> {
                            if (++calls[0] <= 4) {
                                throw new RetriableException(Dependency.REDIS, "Redis unavailable");
                            }
                        },
                        () -> true);

        assertThat(sleeps).containsExactly(4_000L, 8_000L, Retrier.MAX_BACKOFF_MS, Retrier.MAX_BACKOFF_MS);
    }

    @Test
    void aRetriableFailureWhileStoppingAbandonsTheCallWithoutWaiting() {
        assertThatThrownBy(() -> retrier(100)
                        .run(
                                () -> {
                                    throw new RetriableException(Dependency.KAFKA, "dead-letter topic unavailable");
                                },
                                () -> false))
                .isInstanceOf(Stopped.class);

        assertThat(failures).containsExactly(Dependency.KAFKA);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void otherFailuresAreNotRetried() {
        assertThatThrownBy(() -> retrier(100)
                        .run(
                                () -> {
                                    throw new IllegalStateException("a bug");
                                },
                                () -> true))
                .isInstanceOf(IllegalStateException.class);

        assertThat(sleeps).isEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void anInterruptedWaitStopsAndKeepsTheInterrupt() {
        Retrier r = new Retrier(
                ms -> {
                    throw new InterruptedException();
                },
                100,
                failures::add);
        try {
            assertThatThrownBy(() -> r.run(
                            () -> {
                                throw new RetriableException(Dependency.S3, "S3 unavailable");
                            },
                            () -> true))
                    .isInstanceOf(Stopped.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted(); // clear it for the next test
        }
    }
}
