package dev.ttscluster.e2e;

import dev.ttscluster.common.contract.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches, from outside, how far the workers' consumer group has made the interactive lane durable: a
 * thread samples every partition's committed offset and log end offset every {@value #PERIOD_MS} ms
 * (skipping samples while the broker is down), so a test can tell afterwards when the group made
 * progress again after a fault. A worker commits a record only once its segment is stored in S3 and
 * counted in Redis, so an advancing commit means Kafka, S3 and Redis all served it. Thread-safe.
 */
final class OffsetMonitor implements AutoCloseable {
    static final long PERIOD_MS = 200;

    /** One look at the group: per partition, the committed offset and the log end offset. */
    record Sample(long atMs, Map<Integer, Long> committed, Map<Integer, Long> end) {
        long uncommitted(Set<Integer> partitions) {
            long n = 0;
            for (int p : partitions) {
                n += Math.max(0, end.getOrDefault(p, 0L) - committed.getOrDefault(p, 0L));
            }
            return n;
        }
    }

    private final Admin admin;
    private volatile int partitions;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    OffsetMonitor(String bootstrap) {
        this.admin = Admin.create(Map.of(
                "bootstrap.servers",
                bootstrap,
                "request.timeout.ms",
                "1500",
                "default.api.timeout.ms",
                "3000",
                "reconnect.backoff.max.ms",
                "200"));
        this.thread = new Thread(this::run, "chaos-offset-monitor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            long t = System.currentTimeMillis();
            sample().ifPresent(s -> {
                synchronized (samples) {
                    samples.add(s);
                }
            });
            long left = PERIOD_MS - (System.currentTimeMillis() - t);
            if (left > 0) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * A sample taken now, or empty when the broker does not answer. A partition the group never committed
     * on counts as committed at 0 (the workers start such a partition at its earliest record).
     */
    Optional<Sample> sample() {
        try {
            long at = System.currentTimeMillis();
            if (partitions == 0) {
                partitions = admin.describeTopics(List.of(Topics.SEGMENTS_INTERACTIVE))
                        .allTopicNames()
                        .get(3, TimeUnit.SECONDS)
                        .get(Topics.SEGMENTS_INTERACTIVE)
                        .partitions()
                        .size();
            }
            Map<TopicPartition, OffsetAndMetadata> c = admin.listConsumerGroupOffsets(Topics.WORKER_GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get(3, TimeUnit.SECONDS);
            Map<Integer, Long> committed = new HashMap<>();
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(Topics.SEGMENTS_INTERACTIVE, p);
                OffsetAndMetadata o = c.get(tp);
                committed.put(p, o == null ? 0L : o.offset());
                query.put(tp, OffsetSpec.latest());
            }
            Map<Integer, Long> end = new HashMap<>();
            admin.listOffsets(query)
                    .all()
                    .get(3, TimeUnit.SECONDS)
                    .forEach((tp, o) -> end.put(tp.partition(), o.offset()));
            return Optional.of(new Sample(at, Map.copyOf(committed), Map.copyOf(end)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The interactive partitions the group member with this client id (a worker's id) holds now. */
    Set<Integer> partitionsOf(String clientId) {
        try {
            ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(Topics.WORKER_GROUP))
                    .all()
                    .get(3, TimeUnit.SECONDS)
                    .get(Topics.WORKER_GROUP);
            Set<Integer> out = new TreeSet<>();
            for (MemberDescription m : g.members()) {
                if (m.clientId().equals(clientId)) {
                    m.assignment().topicPartitions().stream()
                            .filter(tp -> tp.topic().equals(Topics.SEGMENTS_INTERACTIVE))
                            .forEach(tp -> out.add(tp.partition()));
                }
            }
            return out;
        } catch (Exception e) {
            return Set.of();
        }
    }

    /**
     * When the group first committed more on any partition than it had by {@code t}: progress resumed.
     */
    Optional<Long> firstAdvanceAfter(long t) {
        List<Sample> all = snapshot();
        Map<Integer, Long> base = new HashMap<>();
        for (Sample s : all) {
            if (s.atMs() <= t) {
                s.committed().forEach((p, o) -> base.merge(p, o, Math::max));
            }
        }
        for (Sample s : all) {
            if (s.atMs() > t) {
                for (var e : s.committed().entrySet()) {
                    if (e.getValue() > base.getOrDefault(e.getKey(), -1L)) {
                        return Optional.of(s.atMs());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * When, after {@code t}, every one of {@code partitions} had either committed past its offset in
     * {@code before} or caught up with its log end: the work those partitions held was taken over and made
     * durable by someone else.
     */
    Optional<Long> takenOverAfter(long t, Set<Integer> partitions, Map<Integer, Long> before) {
        for (Sample s : snapshot()) {
            if (s.atMs() <= t) {
                continue;
            }
            boolean all = true;
            for (int p : partitions) {
                long c = s.committed().getOrDefault(p, -1L);
                if (c <= before.getOrDefault(p, -1L) && c < s.end().getOrDefault(p, 0L)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return Optional.of(s.atMs());
            }
        }
        return Optional.empty();
    }

    private List<Sample> snapshot() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
