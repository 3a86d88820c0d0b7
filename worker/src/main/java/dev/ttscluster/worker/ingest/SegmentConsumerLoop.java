package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.worker.batch.Batch;
import dev.ttscluster.worker.batch.BatchAggregator;
import dev.ttscluster.worker.batch.BatchPolicy;
import dev.ttscluster.worker.commit.OffsetCommitter;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import dev.ttscluster.worker.retry.Stopped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's poll loop. One thread owns the consumer: it decodes and prepares records as they arrive
 * ({@link RecordDecoder}), lets the {@link Intake} answer what it can at once ({@link IntakeRouter}: cache
 * hits skip the batcher and become durable on serve threads of their own, so they never wait for a batch
 * window, a model call or a batch's uploads), gathers micro-batches of the rest under the {@link BatchPolicy}
 * of their {@link Lane}, computes each batch ({@link BatchProcessor}) and hands its durable step (uploads,
 * progress) to a store thread ({@link InFlightStores}), so the next batch computes while the last one uploads;
 * at most {@code storeInFlight} batches of a lane wait to become durable. Without {@link StoreThreads} each
 * batch is made durable and committed on the polling thread before the next one starts (the per-request
 * way). The bulk lane's partitions are paused while enough of it is buffered ({@link LaneThrottle}). Offsets
 * are committed only up to records whose effects are durable ({@link OffsetCommitter}), asynchronously while
 * running and synchronously before partitions are revoked ({@link PartitionRebalance}) and at the end:
 * at-least-once delivery with idempotent effects.
 *
 * <p>Another thread stops it with {@link #stop()} (a graceful stop, e.g. on SIGTERM): it polls no more,
 * batches what is still buffered below the highest record it already took from each partition (so the
 * commit passes everything it did and the next owner redoes nothing), lets every batch in flight become
 * durable, commits, and closes the consumer, which leaves the group at once (its partitions move without
 * waiting for the session timeout). What is buffered above that is dropped uncommitted: the next owner gets
 * it. All of it within {@value #STOP_GRACE_MS} ms; what is not durable by then stays uncommitted and is
 * redelivered. The store threads belong to the caller, who closes them after {@link #run()} returned.
 *
 * <p>Why it is a little longer than most classes: its size is the documentation of the one thread that owns
 * the consumer; rebalancing, decoding, intake routing, lane throttling and the store bookkeeping are classes of
 * their own beside it.
 */
public final class SegmentConsumerLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SegmentConsumerLoop.class);
    /** Longest wait for in-flight batches when partitions are revoked. */
    private static final long REVOKE_GRACE_MS = 30_000;
    /** Longest a stop spends finishing buffered and in-flight work before it closes the consumer. */
    static final long STOP_GRACE_MS = 20_000;

    private final Consumer<String, byte[]> consumer;
    private final BatchProcessor processor;
    private final RecordDecoder decoder;
    private final IntakeRouter router;
    private final LaneThrottle throttle;
    private final BatchAggregator<PolledRecord> aggregator;
    private final StoreThreads threads;
    private final InFlightStores stores;
    private final Clock clock;
    private final WorkerMetrics metrics;
    private final OffsetCommitter offsets;
    private List<String> topics = List.of(Topics.SEGMENTS_INTERACTIVE, Topics.SEGMENTS_BULK);
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Per partition, the highest offset that left the buffer (batched or served); owned by the polling thread. */
    private final Map<TopicPartition, Long> started = new HashMap<>();
    /** Set once stopping: the batcher gets no more records, only what is buffered. */
    private boolean finishing;

    private volatile long batches;
    private volatile long segments;

    /**
     * @param threads where durable steps run while the next batch computes; null: on the polling thread,
     *                each batch committed before the next one starts
     */
    public SegmentConsumerLoop(
            Consumer<String, byte[]> consumer,
            Intake intake,
            BatchProcessor processor,
            BatchPolicy policy,
            StoreThreads threads,
            Clock clock,
            WorkerMetrics metrics) {
        this.consumer = consumer;
        this.processor = processor;
        this.decoder = new RecordDecoder(intake);
        this.router = new IntakeRouter(intake);
        this.throttle = new LaneThrottle(consumer);
        this.threads = threads;
        this.clock = clock;
        this.metrics = metrics;
        this.offsets = new OffsetCommitter(consumer);
        this.stores = new InFlightStores(threads, this::done, metrics, clock);
        this.aggregator = new BatchAggregator<>(
                        timeout -> finishing ? List.of() : intake(consumer.poll(timeout)),
                        policy,
                        new BatchAggregator.Sizer<>() {
                            @Override
                            public int tokens(PolledRecord item) {
                                return item.prepared() == null
                                        ? 0
                                        : item.prepared().tokens();
                            }

                            @Override
                            public String group(PolledRecord item) {
                                return item.prepared() == null
                                        ? null
                                        : item.prepared().task().jobId();
                            }

                            @Override
                            public int lane(PolledRecord item) {
                                return item.lane().index();
                            }

                            /** An interactive job's first segment, when more follow: its audio is what a stream waits for. */
                            @Override
                            public boolean leads(PolledRecord item) {
                                return item.lane() == Lane.INTERACTIVE
                                        && item.prepared() != null
                                        && item.prepared().task().index() == 0
                                        && item.prepared().task().count() > 1;
                            }
                        },
                        clock)
                .whenLaneOpen(lane -> Lane.ofIndex(lane) == Lane.INTERACTIVE || stores.bulkOpen());
    }

    /** Durable steps on the polling thread, own metrics: for tests. */
    public SegmentConsumerLoop(
            Consumer<String, byte[]> consumer,
            Intake intake,
            BatchProcessor processor,
            BatchPolicy policy,
            Clock clock) {
        this(consumer, intake, processor, policy, null, clock, new WorkerMetrics(clock));
    }

    /**
     * Batches the bulk lane (books) under {@code bulkPolicy} instead of the interactive lane's; call before
     * {@link #run()}.
     *
     * @return this
     */
    public SegmentConsumerLoop withBulkPolicy(BatchPolicy bulkPolicy) {
        aggregator.withLanePolicy(Lane.BULK.index(), bulkPolicy);
        return this;
    }

    /**
     * Serves only these lanes' topics (both by default); call before {@link #run()}.
     *
     * @return this
     */
    public SegmentConsumerLoop serving(List<String> laneTopics) {
        this.topics = List.copyOf(laneTopics);
        return this;
    }

    /**
     * Takes what one poll brought: decodes and prepares each record, lets the intake serve what it can (those
     * become durable on the serve threads) and returns the rest for the batcher; then throttles the bulk lane.
     */
    private List<PolledRecord> intake(Iterable<ConsumerRecord<String, byte[]>> records) {
        List<PolledRecord> polled = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            offsets.taken(new TopicPartition(r.topic(), r.partition()), r.offset());
            polled.add(new PolledRecord(r, decoder.decode(r)));
        }
        IntakeRouter.Routed routed = router.route(polled);
        if (!routed.served().isEmpty()) {
            storeServed(routed.served(), routed.durable());
        }
        int bulk = aggregator.buffered(Lane.BULK.index());
        for (PolledRecord r : routed.batched()) {
            bulk += r.lane() == Lane.BULK ? 1 : 0;
        }
        throttle.adjust(bulk);
        return routed.batched();
    }

    /** Makes served segments durable: at once without store threads, else on a serve thread. */
    private void storeServed(List<PolledRecord> served, Durable durable) {
        segments += served.size();
        started(served);
        if (threads == null) {
            durable.complete(running::get); // synchronous serving: durable before the next poll
            done(served);
            return;
        }
        stores.bound(StoreKind.SERVED, StoreThreads.SERVED_IN_FLIGHT - 1);
        stores.submit(StoreKind.SERVED, served, () -> durable.complete(running::get));
    }

    @Override
    public void run() {
        consumer.subscribe(
                topics,
                new PartitionRebalance(
                        () -> {
                            stores.drain(REVOKE_GRACE_MS);
                            offsets.commitSync();
                        },
                        this::forget));
        try {
            while (running.get()) {
                try {
                    runOnce();
                } catch (WakeupException | Stopped e) {
                    // stop() was called: leave the loop without committing the interrupted batch
                } catch (KafkaException e) {
                    log.warn("Kafka error, continuing: {}", e.getMessage());
                }
            }
            long deadline = clock.millis() + STOP_GRACE_MS;
            finishStarted(deadline);
            stores.drain(Math.max(0, deadline - clock.millis()));
            offsets.commitSync();
        } finally {
            try {
                consumer.close();
            } catch (RuntimeException e) {
                log.warn("closing consumer: {}", e.getMessage());
            }
            log.info("poll loop stopped after {} batches, {} segments", batches, segments);
        }
    }

    /** Forgets partitions this worker no longer owns: their buffered records and their offsets. */
    private void forget(Collection<TopicPartition> partitions) {
        aggregator.drop(i -> partitions.contains(i.partition()));
        offsets.forget(partitions);
        started.keySet().removeAll(partitions);
    }

    /**
     * At stop: polls no more; drops what is buffered above the highest record already taken from its partition
     * (uncommitted, the next owner gets it: no record after it was done here) and batches the rest, so the
     * final commit passes every record this worker did. Gives up (uncommitted, redelivered) at {@code deadline}
     * or when a batch is abandoned because a server fails.
     */
    private void finishStarted(long deadline) {
        finishing = true;
        int buffered = aggregator.buffered();
        aggregator.drop(i -> i.offset() > started.getOrDefault(i.partition(), -1L));
        int gaps = aggregator.buffered();
        if (buffered > 0) {
            log.info(
                    "stopping: {} buffered segments left to the next owner, {} finished here (below work already done)",
                    buffered - gaps,
                    gaps);
        }
        try {
            while (aggregator.buffered() > 0) {
                long left = deadline - clock.millis();
                if (left <= 0) {
                    log.warn(
                            "stopping: {} buffered segments not finished in time; they will be redelivered",
                            aggregator.buffered());
                    return;
                }
                if (!runOnce()) {
                    if (stores.isEmpty()) {
                        return; // cannot happen: with nothing in flight every lane is open
                    }
                    stores.awaitOldest(left); // only a lane waiting for its stores is left: let them finish
                }
            }
        } catch (RuntimeException e) { // Stopped: a server failed while stopping; or a batch that failed
            log.warn(
                    "stopping: {} buffered segments will be redelivered ({})",
                    aggregator.buffered(),
                    e instanceof Stopped ? "a batch was abandoned" : e.toString());
        }
    }

    /** Records that these items left the buffer. */
    private void started(List<PolledRecord> items) {
        for (PolledRecord i : items) {
            started.merge(i.partition(), i.offset(), Math::max);
        }
    }

    /** Runs the next batch; false when there was none. */
    private boolean runOnce() {
        reap();
        Batch<PolledRecord> batch = aggregator.next(running::get, this::reap); // idle: still commit what became durable
        if (batch.isEmpty()) {
            return false;
        }
        started(batch.items());
        List<Prepared> work = new ArrayList<>(batch.items().size());
        for (PolledRecord i : batch.items()) {
            if (i.prepared() != null) {
                work.add(i.prepared());
            }
        }
        metrics.batchClosed(batch, work.size());
        Durable durable = work.isEmpty() ? Durable.DONE : processor.process(work, running::get);
        batches++;
        segments += work.size();
        if (threads == null) {
            long t0 = System.nanoTime();
            durable.complete(running::get);
            metrics.stored((System.nanoTime() - t0) / 1e9);
            done(batch.items());
            offsets.commitSync(); // per-request serving waits for each commit, as the naive server does
            return true;
        }
        long t0 = System.nanoTime();
        StoreKind kind = StoreKind.of(batch.items().get(0).lane()); // a batch holds one lane
        stores.submit(kind, batch.items(), () -> {
            durable.complete(running::get);
            metrics.stored((System.nanoTime() - t0) / 1e9);
        });
        if (kind == StoreKind.INTERACTIVE) {
            stores.bound(kind, threads.storeInFlight());
        } // bulk: the batcher starts no bulk batch until one of these is stored (bulkOpen), nothing blocks here
        return true;
    }

    /** Collects finished durable steps, oldest first, and commits what they made durable. */
    private void reap() {
        if (stores.reap()) {
            offsets.commitAsync();
        }
    }

    /** Marks these records' effects durable (commits still only advance past records whose every predecessor is done). */
    private void done(List<PolledRecord> items) {
        for (PolledRecord i : items) {
            offsets.done(i.partition(), i.offset());
        }
    }

    /**
     * Stops the loop from another thread. The batch computing finishes, so do the buffered records it
     * must finish for the commit to pass everything done (see the class comment), batches in flight
     * become durable and are committed, and the consumer leaves the group; polls are short (at most the
     * batch window or 200 ms), so {@link #run()} returns soon after that work. The consumer is
     * deliberately not woken up: a wakeup would make the in-flight batch's commit fail.
     */
    public void stop() {
        running.set(false);
    }

    /** Batches processed so far. */
    public long batches() {
        return batches;
    }
}
