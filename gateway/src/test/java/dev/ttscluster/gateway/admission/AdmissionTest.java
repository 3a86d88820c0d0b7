package dev.ttscluster.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.gateway.api.ApiException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    @Test
    void theQueueBoundAnswers503WithRetryAfterOnlyPastTheBound() {
        AtomicLong lag = new AtomicLong(100);
        Admission a = new Admission(null, lag::get, 100, 3);
        assertThatCode(a::interactiveQueueHasRoom).doesNotThrowAnyException();
        lag.set(101);
        assertThatThrownBy(a::interactiveQueueHasRoom).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("overloaded");
            assertThat(e.retryAfterSeconds()).isEqualTo(3);
            assertThat(e.getMessage()).contains("101 segments are waiting");
        });
    }

    @Test
    void anUnknownLagOrNoBoundAdmits() {
        assertThatCode(new Admission(null, () -> -1L, 10, 2)::interactiveQueueHasRoom)
                .doesNotThrowAnyException();
        assertThatCode(new Admission(null, () -> 1_000_000L, 0, 2)::interactiveQueueHasRoom)
                .doesNotThrowAnyException();
    }
}
