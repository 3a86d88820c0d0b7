package dev.ttscluster.worker.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.testing.Eventually;
import dev.ttscluster.worker.batch.BatchPolicy;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.retry.Stopped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SegmentConsumerLoopTest {
    private static final TopicPartition TP = new TopicPartition(Topics.SEGMENTS_INTERACTIVE, 0);

    /** Remembers the last committed offset of {@link #TP}, readable after the consumer is closed. */
    private volatile OffsetAndMetadata lastCommit;

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            super.commitSync(offsets);
            if (offsets.containsKey(TP)) {
                lastCommit = offsets.get(TP);
            }
        }

        @Override
        public synchronized void commitAsync(
                Map<TopicPartition, OffsetAndMetadata> offsets,
                org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
            super.commitAsync(offsets, callback);
            if (offsets.containsKey(TP)) {
                lastCommit = offsets.get(TP);
            }
        }
    };

    /** Store threads of the loops under test, closed after each test as the worker's wiring closes them. */
    private final List<StoreThreads> storeThreads = new ArrayList<>();

    private StoreThreads storeThreads(int inFlight) {
        StoreThreads t = new StoreThreads(inFlight);
        storeThreads.add(t);
        return t;
    }

    @AfterEach
    void closeStoreThreads() {
        storeThreads.forEach(StoreThreads::close);
    }

    private static SegmentTask task(String job, int index, int count) {
        return new SegmentTask(
                SegmentTask.SCHEMA_VERSION, job, "default", index, count, "hello " + index, "default", 1.0, 0L);
    }

    private void deliver(List<byte[]> values) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            consumer.updateBeginningOffsets(Map.of(TP, 0L));
            long offset = 0;
            for (byte[] v : values) {
                consumer.addRecord(new ConsumerRecord<>(TP.topic(), TP.partition(), offset++, "k", v));
            }
        });
    }

    private OffsetAndMetadata committed() {
        return lastCommit;
    }

    @Test
    void offsetsAreCommittedOnlyAfterTheBatchIsProcessed() {
        deliver(List.of(
                task("j", 0, 3).encode(),
                task("j", 1, 3).encode(),
                task("j", 2, 3).encode()));
        List<OffsetAndMetadata> committedDuringProcessing = new ArrayList<>();
        List<SegmentTask> processed = new ArrayList<>();
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        loop[0] = new SegmentConsumerLoop(
                consumer,
                Intake.PLAIN,
                (batch, running) -> {
                    committedDuringProcessing.add(committed());
                    batch.forEach(p -> processed.add(p.task()));
                    if (processed.size() == 3) {
                        loop[0].stop();
                    }
                    return Durable.DONE;
                },
                new BatchPolicy(2, 0),
                Clock.systemUTC());

        loop[0].run();

        assertThat(processed).extracting(SegmentTask::index).containsExactly(0, 1, 2);
        // batches: [0] (a job's first segment goes alone, first audio comes early), then [1, 2]
        assertThat(committedDuringProcessing.get(0)).isNull();
        assertThat(committedDuringProcessing.get(1).offset()).isEqualTo(1);
        assertThat(committed().offset()).isEqualTo(3);
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void aStopFinishesWhatIsBufferedBelowWorkAlreadyDoneAndLeavesTheRestUncommitted() {
        // lengths 3, 9, 3, 9, 3: length grouping takes offsets 0 and 2 first, leaving 1 behind them
        deliver(List.of(
                task("a", 0, 1).encode(),
                task("b", 0, 1).encode(),
                task("c", 0, 1).encode(),
                task("d", 0, 1).encode(),
                task("e", 0, 1).encode()));
        List<List<String>> batches = new ArrayList<>();
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        loop[0] = new SegmentConsumerLoop(
                consumer,
                task -> new Prepared(task, new long["bd".contains(task.jobId()) ? 9 : 3]),
                (batch, running) -> {
                    batches.add(batch.stream().map(p -> p.task().jobId()).toList());
                    loop[0].stop(); // SIGTERM while the first batch computes
                    return Durable.DONE;
                },
                new BatchPolicy(2, 2048, 0, true),
                storeThreads(2),
                Clock.systemUTC(),
                new WorkerMetrics(Clock.systemUTC()));

        loop[0].run();

        // b (offset 1) is finished so the commit passes c; d and e, above everything done, go to the next owner
        assertThat(batches).containsExactly(List.of("a", "c"), List.of("b"));
        assertThat(committed().offset()).isEqualTo(3);
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void aBatchInterruptedByStopIsNotCommitted() {
        deliver(List.of(task("j", 0, 1).encode()));
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        loop[0] = new SegmentConsumerLoop(
                consumer,
                Intake.PLAIN,
                (batch, running) -> {
                    loop[0].stop();
                    throw new Stopped();
                },
                new BatchPolicy(4, 0),
                Clock.systemUTC());

        loop[0].run();

        assertThat(committed()).isNull();
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void undecodableRecordIsSkippedButItsOffsetIsCommitted() {
        deliver(List.of(
                "not json".getBytes(StandardCharsets.UTF_8), task("j", 0, 1).encode()));
        List<SegmentTask> processed = new ArrayList<>();
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        loop[0] = new SegmentConsumerLoop(
                consumer,
                Intake.PLAIN,
                (batch, running) -> {
                    batch.forEach(p -> processed.add(p.task()));
                    loop[0].stop();
                    return Durable.DONE;
                },
                new BatchPolicy(2, 0),
                Clock.systemUTC());

        loop[0].run();

        assertThat(processed).hasSize(1);
        assertThat(committed().offset()).isEqualTo(2);
    }

    @Test
    void aBatchWhoseUploadsAreAbandonedAtStopIsNotCommittedButEarlierOnesAre() {
        deliver(List.of(task("a", 0, 1).encode(), task("b", 0, 1).encode()));
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        int[] batches = {0};
        loop[0] = new SegmentConsumerLoop(
                consumer,
                Intake.PLAIN,
                (batch, running) -> {
                    if (++batches[0] == 1) {
                        return Durable.DONE;
                    }
                    loop[0].stop();
                    return r -> {
                        throw new Stopped();
                    };
                },
                new BatchPolicy(1, 0),
                storeThreads(2),
                Clock.systemUTC(),
                new WorkerMetrics(Clock.systemUTC()));

        loop[0].run();

        assertThat(committed().offset()).isEqualTo(1);
    }

    @Test
    void whileAnEarlierBatchIsStillUploadingCommitsNeverPassIt() throws Exception {
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            values.add(task("j" + i, 0, 1).encode());
        }
        deliver(values);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch laterBatchesDone = new CountDownLatch(2);
        List<Long> commitsWhileBlocked = new CopyOnWriteArrayList<>();
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        int[] batches = {0};
        loop[0] = new SegmentConsumerLoop(
                consumer,
                Intake.PLAIN,
                (batch, running) -> {
                    int n = ++batches[0];
                    if (n == 1) {
                        return r -> {
                            try {
                                release.await(10, TimeUnit.SECONDS); // the first batch's uploads are slow
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        };
                    }
                    if (n == 3) {
                        // two later batches computed while the first still uploads: nothing may be committed
                        OffsetAndMetadata c = committed();
                        commitsWhileBlocked.add(c == null ? -1L : c.offset());
                        release.countDown();
                        loop[0].stop();
                    }
                    return r -> laterBatchesDone.countDown();
                },
                new BatchPolicy(2, 0),
                storeThreads(2),
                Clock.systemUTC(),
                new WorkerMetrics(Clock.systemUTC()));

        Thread t = new Thread(loop[0]);
        t.start();
        t.join(20_000);

        assertThat(commitsWhileBlocked).containsExactly(-1L);
        assertThat(committed().offset()).isEqualTo(6);
    }

    @Test
    void segmentsArePreparedAtIntakeAndTheBatcherSeesTheirLength() {
        deliver(List.of(task("a", 0, 1).encode(), task("b", 0, 1).encode()));
        List<Integer> tokens = new ArrayList<>();
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        loop[0] = new SegmentConsumerLoop(
                consumer,
                task -> new Prepared(task, new long[task.jobId().equals("a") ? 3 : 5]),
                (batch, running) -> {
                    batch.forEach(p -> tokens.add(p.tokens()));
                    loop[0].stop();
                    return Durable.DONE;
                },
                new BatchPolicy(4, 0),
                Clock.systemUTC());

        loop[0].run();

        assertThat(tokens).containsExactly(3, 5);
    }

    @Test
    void theLastBatchBeforeAQuietSpellIsCommittedWithoutWaitingForMoreTraffic() throws Exception {
        deliver(List.of(task("j", 0, 1).encode()));
        SegmentConsumerLoop loop = new SegmentConsumerLoop(
                consumer,
                Intake.PLAIN,
                (batch, running) -> r -> {},
                new BatchPolicy(4, 0),
                storeThreads(2),
                Clock.systemUTC(),
                new WorkerMetrics(Clock.systemUTC()));
        Thread t = new Thread(loop);
        t.start();
        Eventually.onRealTime().within(Duration.ofSeconds(10), () -> committed() != null);
        OffsetAndMetadata whileRunning = committed();
        loop.stop();
        t.join(10_000);

        assertThat(whileRunning)
                .as("committed while the loop idles, before it stops")
                .isNotNull();
        assertThat(whileRunning.offset()).isEqualTo(1);
    }

    @Test
    void segmentsTheHandlerServesAtIntakeSkipTheBatcherAndAreCommittedOnceDurable() throws Exception {
        deliver(List.of(
                task("hit", 0, 2).encode(),
                task("miss", 0, 1).encode(),
                task("hit", 1, 2).encode()));
        List<String> batched = new CopyOnWriteArrayList<>();
        List<String> served = new CopyOnWriteArrayList<>();
        CountDownLatch servedDurable = new CountDownLatch(1);
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        loop[0] = new SegmentConsumerLoop(
                consumer,
                new Intake() {
                    @Override
                    public Prepared prepare(SegmentTask task) {
                        return new Prepared(task, null);
                    }

                    @Override
                    public Served serve(List<Prepared> polled) {
                        boolean[] taken = new boolean[polled.size()];
                        List<String> mine = new ArrayList<>();
                        for (int i = 0; i < polled.size(); i++) {
                            taken[i] = polled.get(i).task().jobId().equals("hit");
                            if (taken[i]) {
                                mine.add(polled.get(i).task().recordKey());
                            }
                        }
                        return new Served(taken, running -> {
                            served.addAll(mine);
                            servedDurable.countDown();
                        });
                    }
                },
                (batch, running) -> {
                    batch.forEach(p -> batched.add(p.task().recordKey()));
                    return Durable.DONE;
                },
                new BatchPolicy(4, 0),
                storeThreads(2),
                Clock.systemUTC(),
                new WorkerMetrics(Clock.systemUTC()));
        Thread t = new Thread(loop[0]);
        t.start();
        assertThat(servedDurable.await(10, TimeUnit.SECONDS)).isTrue();
        Eventually.onRealTime()
                .within(
                        Duration.ofSeconds(10),
                        () -> committed() != null && committed().offset() >= 3);
        loop[0].stop();
        t.join(10_000);

        assertThat(served).containsExactly("hit/0", "hit/1");
        assertThat(batched).containsExactly("miss/0");
        assertThat(committed().offset()).isEqualTo(3);
    }

    @Test
    void nothingServedAtIntakeIsCommittedBeforeItIsDurable() throws Exception {
        deliver(List.of(task("hit", 0, 1).encode(), task("miss", 0, 1).encode()));
        CountDownLatch release = new CountDownLatch(1);
        List<Long> commitsBeforeRelease = new CopyOnWriteArrayList<>();
        SegmentConsumerLoop[] loop = new SegmentConsumerLoop[1];
        loop[0] = new SegmentConsumerLoop(
                consumer,
                new Intake() {
                    @Override
                    public Prepared prepare(SegmentTask task) {
                        return new Prepared(task, null);
                    }

                    @Override
                    public Served serve(List<Prepared> polled) {
                        boolean[] taken = new boolean[polled.size()];
                        taken[0] = true; // the first record, "hit", is served; its upload hangs until released
                        return new Served(taken, running -> {
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    }
                },
                (batch, running) -> r -> {
                    OffsetAndMetadata c = committed();
                    commitsBeforeRelease.add(c == null ? -1L : c.offset());
                },
                new BatchPolicy(4, 0),
                storeThreads(2),
                Clock.systemUTC(),
                new WorkerMetrics(Clock.systemUTC()));
        Thread t = new Thread(loop[0]);
        t.start();
        Thread.sleep(300); // the batched record is durable; the served one before it is not
        OffsetAndMetadata whileHanging = committed();
        release.countDown();
        Eventually.onRealTime()
                .within(
                        Duration.ofSeconds(10),
                        () -> committed() != null && committed().offset() >= 2);
        loop[0].stop();
        t.join(10_000);

        assertThat(whileHanging)
                .as("offset 0 is not durable yet, so nothing may be committed")
                .isNull();
        assertThat(committed().offset()).isEqualTo(2);
    }
}
