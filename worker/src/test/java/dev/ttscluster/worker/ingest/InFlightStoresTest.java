package dev.ttscluster.worker.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.retry.Stopped;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InFlightStoresTest {
    private final StoreThreads threads = new StoreThreads(1);
    private final List<PolledRecord> durable = new CopyOnWriteArrayList<>();
    private final InFlightStores stores =
            new InFlightStores(threads, durable::addAll, new WorkerMetrics(Clock.systemUTC()), Clock.systemUTC());

    @AfterEach
    void close() {
        threads.close();
    }

    private static List<PolledRecord> records(String topic, long offset) {
        return List.of(new PolledRecord(new ConsumerRecord<>(topic, 0, offset, "k", new byte[0]), null));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aStepThatSucceededHandsItsRecordsOverOnlyOnceCollected() {
        CountDownLatch release = new CountDownLatch(1);
        List<PolledRecord> batch = records(Topics.SEGMENTS_INTERACTIVE, 0);
        stores.submit(StoreKind.INTERACTIVE, batch, () -> await(release));

        assertThat(stores.reap()).isFalse();
        assertThat(durable).isEmpty();

        release.countDown();
        stores.bound(StoreKind.INTERACTIVE, 0);

        assertThat(durable).isEqualTo(batch);
        assertThat(stores.isEmpty()).isTrue();
    }

    @Test
    void aFailedStepLeavesItsRecordsUncommittedAndRethrows() {
        stores.submit(StoreKind.INTERACTIVE, records(Topics.SEGMENTS_INTERACTIVE, 0), () -> {
            throw new Stopped();
        });

        assertThatThrownBy(() -> stores.bound(StoreKind.INTERACTIVE, 0)).isInstanceOf(Stopped.class);
        assertThat(durable).isEmpty();
        assertThat(stores.isEmpty()).isTrue();
    }

    @Test
    void noNewBulkBatchWhileTheLastOneIsStillStoring() {
        CountDownLatch release = new CountDownLatch(1);
        stores.submit(StoreKind.BULK, records(Topics.SEGMENTS_BULK, 0), () -> await(release));

        assertThat(stores.bulkOpen()).isFalse();

        release.countDown();
        stores.bound(StoreKind.BULK, 0);
        assertThat(stores.bulkOpen()).isTrue();
    }

    @Test
    void aDrainForgetsStepsNotDurableInTime() {
        CountDownLatch release = new CountDownLatch(1);
        stores.submit(StoreKind.SERVED, records(Topics.SEGMENTS_INTERACTIVE, 0), () -> await(release));

        stores.drain(10);

        assertThat(stores.isEmpty()).isTrue();
        assertThat(durable).isEmpty();
        release.countDown();
    }
}
