package dev.ttscluster.gateway.admission;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures how many records of each lane (topic) the workers' consumer group has not yet committed, every
 * {@code periodMs} on a daemon thread, and answers the last measurement at once. The answer is -1 until
 * the first measurement and whenever Kafka could not be asked for longer than three periods. Thread-safe.
 */
public final class LagMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);

    private final Admin admin;
    private final List<String> topics;
    private final String group;
    private final long periodMs;
    private final ScheduledExecutorService timer;
    private final Map<String, Long> lag = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long measuredAtMs;

    public LagMonitor(String bootstrap, List<String> topics, String group, long periodMs) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, periodMs * 2));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(2000, periodMs * 3));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "gateway-lag");
        this.admin = Admin.create(p);
        this.topics = List.copyOf(topics);
        this.group = group;
        this.periodMs = periodMs;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lag-monitor");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::measure, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    private void measure() {
        try {
            Map<String, TopicDescription> ds =
                    admin.describeTopics(topics).allTopicNames().get(periodMs * 3, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            ds.forEach((topic, d) -> d.partitions().forEach(p -> {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
            }));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end =
                    admin.listOffsets(latest).all().get(periodMs * 3, TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start =
                    admin.listOffsets(earliest).all().get(periodMs * 3, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(periodMs * 3, TimeUnit.MILLISECONDS);
            Map<String, Long> sums = new HashMap<>();
            topics.forEach(t -> sums.put(t, 0L));
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long from = c != null ? c.offset() : start.get(e.getKey()).offset();
                sums.merge(e.getKey().topic(), Math.max(0, e.getValue().offset() - from), Long::sum);
            }
            lag.putAll(sums);
            measuredAtMs = System.currentTimeMillis();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("lag of {} unknown: {}", topics, e.getMessage());
            if (System.currentTimeMillis() - measuredAtMs > periodMs * 3) {
                lag.clear();
            }
        }
    }

    /** Records of {@code topic} not yet committed by the group, or -1 when unknown. */
    public long lag(String topic) {
        return lag.getOrDefault(topic, -1L);
    }

    /** {@link #lag(String)} of one topic, as a supplier. */
    public LongSupplier of(String topic) {
        return () -> lag(topic);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(java.time.Duration.ofSeconds(1));
    }
}
