package dev.ttscluster.worker.ingest;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.worker.SynthesisPipeline;
import dev.ttscluster.worker.batch.Batch;
import dev.ttscluster.worker.batch.BatchAggregator;
import dev.ttscluster.worker.batch.BatchPolicy;
import dev.ttscluster.worker.metrics.WorkerMetrics;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The worker's poll loop. One thread owns the consumer: it prepares records as they arrive, gathers
 * micro-batches under the {@link BatchPolicy}, computes each batch and hands its durable step (uploads,
 * progress) to a store thread, so the next batch computes while the last one uploads; at most
 * {@code storeInFlight} batches wait to become durable (0: each batch is made durable and committed on
 * the polling thread before the next one starts, the per-request way). What the handler can answer as
 * it is polled ({@link BatchHandler#serve}: cache hits) skips the batcher and becomes durable on serve
 * threads of its own, so it never waits for a batch window, a model call or a batch's uploads; at most
 * {@value #SERVED_IN_FLIGHT} such groups are in flight, each on its own thread. Offsets are committed only up
 * to records whose effects are durable ({@link OffsetTracker}), asynchronously while running and
 * synchronously before partitions are revoked and at the end: at-least-once delivery with idempotent
 * effects.
 * Another thread stops it with {@link #stop()} (a graceful stop, e.g. on SIGTERM): it polls no more, batches
 * what is still buffered below the highest record it already took from each partition (so the commit
 * passes everything it did and the next owner redoes nothing), lets every batch in flight become
 * durable, commits, and closes the consumer, which leaves the group at once (its partitions move without
 * waiting for the session timeout). What is buffered above that is dropped uncommitted: the next
 * owner gets it. All of it within {@value #STOP_GRACE_MS} ms; what is not durable by then stays
 * uncommitted and is redelivered.
 */
public final class SegmentConsumerLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SegmentConsumerLoop.class);
    /** Longest wait for in-flight batches when partitions are revoked. */
    private static final long REVOKE_GRACE_MS = 30_000;
    /** Longest a stop spends finishing buffered and in-flight work before it closes the consumer. */
    static final long STOP_GRACE_MS = 20_000;

    /** A record as the batcher sees it; {@code prepared} is null for a record that cannot be decoded. */
    private record Item(ConsumerRecord<String, byte[]> record, Prepared prepared) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }

        /** 0 for the interactive lane, 1 for bulk (books). */
        int lane() {
            return Topics.SEGMENTS_BULK.equals(record.topic()) ? 1 : 0;
        }
    }

    /**
     * Bulk segments buffered beyond which bulk partitions are paused: polls keep fetching interactive
     * work however large a book is, and at most this many bulk segments wait in this worker's memory.
     */
    static final int BULK_BUFFERED = 32;

    /** What an in-flight durable step belongs to: each kind has its own threads and its own bound. */
    private enum Kind { INTERACTIVE, BULK, SERVED }

    /** Items whose durable step runs on another thread. */
    private record InFlight(List<Item> items, Future<?> durable, Kind kind) {
    }

    /** Groups of served-at-intake segments that may be storing at once, beyond the batches in flight. */
    static final int SERVED_IN_FLIGHT = 4;

    private final Consumer<String, byte[]> consumer;
    private final BatchHandler handler;
    private final BatchAggregator<Item> aggregator;
    private final int storeInFlight;
    private final ExecutorService store;
    private final ExecutorService bulkStore;
    private final ExecutorService served;
    private final Clock clock;
    private final WorkerMetrics metrics;
    private final OffsetTracker offsets = new OffsetTracker();
    private List<String> topics = List.of(Topics.SEGMENTS_INTERACTIVE, Topics.SEGMENTS_BULK);
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Per partition, the highest offset that left the buffer (batched or served); owned by the polling thread. */
    private final Map<TopicPartition, Long> started = new HashMap<>();
    /** Set once stopping: the batcher gets no more records, only what is buffered. */
    private boolean finishing;
    private volatile long batches;
    private volatile long segments;

    /**
     * @param storeInFlight batches whose durable step may still run while the next batch computes
     */
    public SegmentConsumerLoop(Consumer<String, byte[]> consumer, BatchHandler handler, BatchPolicy policy,
                               int storeInFlight, Clock clock, WorkerMetrics metrics) {
        if (storeInFlight < 0) {
            throw new IllegalArgumentException("storeInFlight must not be negative");
        }
        this.consumer = consumer;
        this.handler = handler;
        this.storeInFlight = storeInFlight;
        this.clock = clock;
        this.metrics = metrics;
        this.store = storeInFlight == 0 ? null : daemonThreads("store", 1);
        // a book's batches (and its chapters' assembly) store on a thread of their own: interactive batches
        // never queue behind them
        this.bulkStore = storeInFlight == 0 ? null : daemonThreads("bulk-store", 1);
        // served segments store on threads of their own: they never queue behind a batch's uploads, nor
        // behind each other's
        this.served = storeInFlight == 0 ? null : daemonThreads("serve", SERVED_IN_FLIGHT);
        this.aggregator = new BatchAggregator<>(timeout -> finishing ? List.of() : intake(consumer.poll(timeout)), policy,
                new BatchAggregator.Sizer<>() {
            @Override
            public int tokens(Item item) {
                return item.prepared() == null ? 0 : item.prepared().tokens();
            }

            @Override
            public String group(Item item) {
                return item.prepared() == null ? null : item.prepared().task().jobId();
            }

            @Override
            public int lane(Item item) {
                return item.lane();
            }

            /** An interactive job's first segment, when more follow: its audio is what a stream waits for. */
            @Override
            public boolean leads(Item item) {
                return item.lane() == 0 && item.prepared() != null && item.prepared().task().index() == 0
                        && item.prepared().task().count() > 1;
            }
        }, clock).whenLaneOpen(lane -> lane == 0 || bulkOpen());
    }

    /**
     * As the other constructor, with bulk (book) batches under {@code bulkPolicy}.
     */
    public SegmentConsumerLoop(Consumer<String, byte[]> consumer, BatchHandler handler, BatchPolicy policy,
                               BatchPolicy bulkPolicy, int storeInFlight, Clock clock, WorkerMetrics metrics) {
        this(consumer, handler, policy, storeInFlight, clock, metrics);
        aggregator.withLanePolicy(1, bulkPolicy);
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

    /** Bulk batches may start while fewer than {@code storeInFlight} of them are still being stored. */
    private boolean bulkOpen() {
        return store == null || inFlight.stream().filter(f -> f.kind() == Kind.BULK && !f.durable().isDone()).count()
                < storeInFlight;
    }

    /** Synchronous store, own clock and metrics: for tests. */
    public SegmentConsumerLoop(Consumer<String, byte[]> consumer, BatchHandler handler, BatchPolicy policy, Clock clock) {
        this(consumer, handler, policy, 0, clock, new WorkerMetrics(clock));
    }

    private static ExecutorService daemonThreads(String name, int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Prepares what one poll brought and lets the handler serve what it can at once (cache hits): those
     * become durable on the serve threads, the rest go to the batcher.
     */
    private List<Item> intake(Iterable<ConsumerRecord<String, byte[]>> records) {
        List<Item> items = intake0(records);
        throttleBulk(items);
        return items;
    }

    /**
     * Pauses the bulk lane's partitions while enough bulk work is buffered, resumes them when it ran low:
     * bulk never fills the buffer, so interactive records are always fetched at the next poll.
     */
    private void throttleBulk(List<Item> arriving) {
        int bulk = aggregator.buffered(1);
        for (Item i : arriving) {
            bulk += i.lane();
        }
        List<TopicPartition> lane = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) {
            if (tp.topic().equals(Topics.SEGMENTS_BULK)) {
                lane.add(tp);
            }
        }
        if (lane.isEmpty()) {
            return;
        }
        boolean paused = consumer.paused().containsAll(lane);
        if (bulk >= BULK_BUFFERED && !paused) {
            consumer.pause(lane);
        } else if (bulk < BULK_BUFFERED / 2 && !consumer.paused().isEmpty()) {
            consumer.resume(lane);
        }
    }

    private List<Item> intake0(Iterable<ConsumerRecord<String, byte[]>> records) {
        List<Item> items = new ArrayList<>();
        List<Prepared> ready = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            offsets.taken(new TopicPartition(r.topic(), r.partition()), r.offset());
            Item item = new Item(r, prepare(r));
            items.add(item);
            if (item.prepared() != null) {
                ready.add(item.prepared());
            }
        }
        if (ready.isEmpty()) {
            return items;
        }
        BatchHandler.Served answer = handler.serve(ready);
        if (answer.count() == 0) {
            return items;
        }
        List<Item> rest = new ArrayList<>(items.size());
        List<Item> fast = new ArrayList<>();
        int k = 0;
        for (Item i : items) {
            if (i.prepared() != null && answer.taken()[k++]) {
                fast.add(i);
            } else {
                rest.add(i);
            }
        }
        segments += fast.size();
        started(fast);
        if (served == null) {
            answer.durable().complete(running::get); // synchronous serving: durable before the next poll
            done(fast);
            return rest;
        }
        bound(Kind.SERVED, SERVED_IN_FLIGHT - 1);
        inFlight.addLast(new InFlight(fast, served.submit(() -> answer.durable().complete(running::get)), Kind.SERVED));
        metrics.inFlight(inFlight.size());
        return rest;
    }

    /** Decodes and prepares a record in its job's log context (trace id from its header, else the job id). */
    private Prepared prepare(ConsumerRecord<String, byte[]> r) {
        String trace = LogContext.traceOf(r.headers());
        SegmentTask task = null;
        try {
            task = SegmentTask.decode(r.value());
            try (LogContext c = LogContext.job(task.jobId(), trace)) {
                return handler.prepare(task).traced(trace);
            }
        } catch (FatalException e) {
            try (LogContext c = LogContext.job(task == null ? null : task.jobId(), trace)) {
                log.error("skipping record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
            }
            return null;
        }
    }

    @Override
    public void run() {
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // finish what is in flight and commit it while the partitions are still ours
                drain(REVOKE_GRACE_MS);
                commitSync();
                aggregator.drop(i -> partitions.contains(i.partition()));
                offsets.forget(partitions);
                started.keySet().removeAll(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                log.info("assigned {} partitions", partitions.size());
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                // another worker owns them already: commits would fail; in-flight effects are idempotent
                aggregator.drop(i -> partitions.contains(i.partition()));
                offsets.forget(partitions);
                started.keySet().removeAll(partitions);
            }
        });
        try {
            while (running.get()) {
                try {
                    runOnce();
                } catch (WakeupException | SynthesisPipeline.Stopped e) {
                    // stop() was called: leave the loop without committing the interrupted batch
                } catch (KafkaException e) {
                    log.warn("Kafka error, continuing: {}", e.getMessage());
                }
            }
            long deadline = System.currentTimeMillis() + STOP_GRACE_MS;
            finishStarted(deadline);
            drain(Math.max(0, deadline - System.currentTimeMillis()));
            commitSync();
        } finally {
            if (store != null) {
                store.shutdownNow();
                bulkStore.shutdownNow();
                served.shutdownNow();
            }
            try {
                consumer.close();
            } catch (RuntimeException e) {
                log.warn("closing consumer: {}", e.getMessage());
            }
            log.info("poll loop stopped after {} batches, {} segments", batches, segments);
        }
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
        aggregator.drop(i -> i.record().offset() > started.getOrDefault(i.partition(), -1L));
        int gaps = aggregator.buffered();
        if (buffered > 0) {
            log.info("stopping: {} buffered segments left to the next owner, {} finished here (below work already done)",
                    buffered - gaps, gaps);
        }
        try {
            while (aggregator.buffered() > 0) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    log.warn("stopping: {} buffered segments not finished in time; they will be redelivered",
                            aggregator.buffered());
                    return;
                }
                if (!runOnce()) {
                    if (inFlight.isEmpty()) {
                        return; // cannot happen: with nothing in flight every lane is open
                    }
                    awaitOldest(left); // only a lane waiting for its stores is left: let them finish
                }
            }
        } catch (RuntimeException e) { // Stopped: a server failed while stopping; or a batch that failed
            log.warn("stopping: {} buffered segments will be redelivered ({})", aggregator.buffered(),
                    e instanceof SynthesisPipeline.Stopped ? "a batch was abandoned" : e.toString());
        }
    }

    /** Records that these items left the buffer. */
    private void started(List<Item> items) {
        for (Item i : items) {
            started.merge(i.partition(), i.record().offset(), Math::max);
        }
    }

    /** Runs the next batch; false when there was none. */
    private boolean runOnce() {
        reap();
        Batch<Item> batch = aggregator.next(running::get, this::reap); // idle: still commit what became durable
        if (batch.isEmpty()) {
            return false;
        }
        started(batch.items());
        List<Prepared> work = new ArrayList<>(batch.items().size());
        for (Item i : batch.items()) {
            if (i.prepared() != null) {
                work.add(i.prepared());
            }
        }
        metrics.batchClosed(batch, work.size());
        BatchHandler.Durable durable = work.isEmpty() ? BatchHandler.DONE : handler.process(work, running::get);
        batches++;
        segments += work.size();
        if (store == null) {
            long t0 = System.nanoTime();
            durable.complete(running::get);
            metrics.stored((System.nanoTime() - t0) / 1e9);
            done(batch.items());
            commitSync(); // per-request serving waits for each commit, as the naive server does
            return true;
        }
        long t0 = System.nanoTime();
        Kind kind = batch.items().get(0).lane() == 0 ? Kind.INTERACTIVE : Kind.BULK; // a batch holds one lane
        inFlight.addLast(new InFlight(batch.items(), (kind == Kind.BULK ? bulkStore : store).submit(() -> {
            durable.complete(running::get);
            metrics.stored((System.nanoTime() - t0) / 1e9);
        }), kind));
        metrics.inFlight(inFlight.size());
        if (kind == Kind.INTERACTIVE) {
            bound(kind, storeInFlight);
        } // bulk: the batcher starts no bulk batch until one of these is stored (bulkOpen), nothing blocks here
        return true;
    }

    /** Waits, oldest first, until at most {@code max} durable steps of {@code kind} are in flight. */
    private void bound(Kind kind, int max) {
        while (true) {
            List<InFlight> mine = inFlight.stream().filter(f -> f.kind() == kind).toList();
            if (mine.size() <= max) {
                return;
            }
            await(mine.get(0), Long.MAX_VALUE);
        }
    }

    /** Collects finished durable steps, oldest first, and commits what they made durable. */
    private void reap() {
        boolean any = false;
        while (!inFlight.isEmpty() && inFlight.peekFirst().durable().isDone()) {
            awaitOldest(0);
            any = true;
        }
        if (any) {
            commit();
        }
    }

    /**
     * Waits for the oldest in-flight batch; marks its records done when its durable step succeeded.
     *
     * @throws SynthesisPipeline.Stopped when the step was abandoned because the worker is stopping
     */
    private void awaitOldest(long timeoutMs) {
        await(inFlight.peekFirst(), timeoutMs);
    }

    /**
     * Waits for one in-flight durable step; marks its records done when it succeeded (commits still only
     * advance past records whose every predecessor is done).
     *
     * @throws SynthesisPipeline.Stopped when the step was abandoned because the worker is stopping
     */
    private void await(InFlight f, long timeoutMs) {
        try {
            if (timeoutMs == Long.MAX_VALUE) {
                f.durable().get();
            } else {
                f.durable().get(timeoutMs, TimeUnit.MILLISECONDS);
            }
            inFlight.removeFirstOccurrence(f);
            done(f.items());
        } catch (ExecutionException e) {
            inFlight.removeFirstOccurrence(f);
            if (e.getCause() instanceof SynthesisPipeline.Stopped s) {
                throw s;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SynthesisPipeline.Stopped();
        } finally {
            metrics.inFlight(inFlight.size());
        }
    }

    /** Waits up to {@code graceMs} for every in-flight batch; those not durable by then stay uncommitted. */
    private void drain(long graceMs) {
        long deadline = System.currentTimeMillis() + graceMs;
        while (!inFlight.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                log.warn("{} batches not durable after {} ms; they will be redelivered", inFlight.size(), graceMs);
                inFlight.clear();
                return;
            }
            try {
                awaitOldest(left);
            } catch (SynthesisPipeline.Stopped e) {
                // abandoned: stays uncommitted
            }
        }
    }

    private void done(List<Item> items) {
        for (Item i : items) {
            offsets.done(i.partition(), i.record().offset());
        }
    }

    /**
     * Commits what became durable without waiting for the broker (the polling thread goes back to the
     * model at once); a failed asynchronous commit is sent again with the next one.
     */
    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> next = offsets.advance();
        if (next.isEmpty()) {
            return;
        }
        offsets.committed(next);
        consumer.commitAsync(next, (done, error) -> {
            if (error != null) {
                log.debug("asynchronous commit failed, sending it again later: {}", error.getMessage());
                offsets.uncommitted(next);
            }
        });
    }

    /** Commits what became durable and waits for the broker: before partitions go and at the end. */
    private void commitSync() {
        Map<TopicPartition, OffsetAndMetadata> next = offsets.advanceAll();
        if (next.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(next);
            offsets.committed(next);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            log.warn("commit refused after a rebalance; the batch may be redelivered (harmless): {}", e.getMessage());
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
