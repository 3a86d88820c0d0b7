package dev.ttscluster.gateway.jobs;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a job's segments to a segments topic (the interactive or the bulk lane) and waits until Kafka has acknowledged all of
 * them (acks=all, idempotent producer), so an accepted job is never lost. Thread-safe.
 */
public final class SegmentPublisher implements AutoCloseable {
    private final Producer<String, byte[]> producer;
    private final long timeoutMs;

    public SegmentPublisher(Producer<String, byte[]> producer, long timeoutMs) {
        this.producer = producer;
        this.timeoutMs = timeoutMs;
    }

    /** A publisher with a real producer for {@code bootstrap}. */
    public static SegmentPublisher connect(String bootstrap, int timeoutMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(timeoutMs));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.max(1000, timeoutMs / 2)));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs + 1000));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway");
        return new SegmentPublisher(
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer()), timeoutMs);
    }

    /**
     * Sends every task to {@code topic} (a lane) and waits for all acknowledgements. Each record carries the
     * calling thread's trace id (SLF4J MDC {@code trace_id}, set per request) in the {@link Topics#TRACE_HEADER}
     * header, so the workers' log lines of the segment name the request that made it.
     *
     * @throws RetriableException when Kafka does not acknowledge them in time; some tasks may have
     *     been written, which is harmless because workers treat (job, index) idempotently
     */
    public void publish(String topic, List<SegmentTask> tasks) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(tasks.size());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            String trace = org.slf4j.MDC.get(Topics.TRACE_HEADER);
            for (SegmentTask t : tasks) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, t.recordKey(), t.encode());
                if (trace != null) {
                    r.headers().add(Topics.TRACE_HEADER, trace.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                acks.add(producer.send(r));
            }
            for (Future<RecordMetadata> f : acks) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new RetriableException(
                    Dependency.KAFKA,
                    "Kafka did not accept the segments: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new RetriableException(
                    Dependency.KAFKA, "Kafka did not acknowledge the segments within " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException(Dependency.KAFKA, "interrupted while publishing", e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new RetriableException(Dependency.KAFKA, "Kafka unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
