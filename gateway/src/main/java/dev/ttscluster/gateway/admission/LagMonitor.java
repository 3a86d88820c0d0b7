package dev.ttscluster.gateway.admission;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Measures how many records of one topic the workers' consumer group has not yet committed, every
 * {@code periodMs} on a daemon thread, and answers the last measurement at once. The answer is -1 until
 * the first measurement and whenever Kafka could not be asked for longer than three periods. Thread-safe.
 */
public final class LagMonitor implements LongSupplier, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);

    private final Admin admin;
    private final String topic;
    private final String group;
    private final long periodMs;
    private final ScheduledExecutorService timer;
    private volatile long lag = -1;
    private volatile long measuredAtMs;

    public LagMonitor(String bootstrap, String topic, String group, long periodMs) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, periodMs * 2));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(2000, periodMs * 3));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "gateway-lag");
        this.admin = Admin.create(p);
        this.topic = topic;
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
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(periodMs * 3, TimeUnit.MILLISECONDS)
                    .get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            d.partitions().forEach(p -> {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
            });
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(latest).all()
                    .get(periodMs * 3, TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> start = admin.listOffsets(earliest).all()
                    .get(periodMs * 3, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(periodMs * 3, TimeUnit.MILLISECONDS);
            long sum = 0;
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long from = c != null ? c.offset() : start.get(e.getKey()).offset();
                sum += Math.max(0, e.getValue().offset() - from);
            }
            lag = sum;
            measuredAtMs = System.currentTimeMillis();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("lag of {} unknown: {}", topic, e.getMessage());
            if (System.currentTimeMillis() - measuredAtMs > periodMs * 3) {
                lag = -1;
            }
        }
    }

    /** Records of the topic not yet committed by the group, or -1 when unknown. */
    @Override
    public long getAsLong() {
        return lag;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(java.time.Duration.ofSeconds(1));
    }
}
