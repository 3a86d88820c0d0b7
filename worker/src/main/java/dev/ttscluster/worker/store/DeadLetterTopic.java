package dev.ttscluster.worker.store;

import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes segments that failed for good to {@link Topics#SEGMENTS_DEAD_LETTER}: the segment's own
 * record (same key, same JSON), with headers saying why ({@link #REASON}), whose it was ({@link #JOB_ID},
 * {@link #SEGMENT_INDEX}), how often it was tried alone ({@link #ATTEMPTS}) and by which worker
 * ({@link #WORKER_ID}); header values are UTF-8 text. Each send waits for the broker's acknowledgement.
 * Thread-safe (the producer is); closing it closes the producer.
 */
public final class DeadLetterTopic implements DeadLetters, AutoCloseable {
    /** Header: why the segment failed (also its job's error). */
    public static final String REASON = "reason";
    /** Header: the segment's job id. */
    public static final String JOB_ID = "job_id";
    /** Header: the segment's index in its job. */
    public static final String SEGMENT_INDEX = "segment_index";
    /** Header: model calls in which the segment ran alone and failed (0: it never reached the model). */
    public static final String ATTEMPTS = "attempts";
    /** Header: the worker that gave up on it. */
    public static final String WORKER_ID = "worker_id";

    private final Producer<String, byte[]> producer;
    private final String workerId;
    private final Duration timeout;

    /**
     * @param producer acks=all in production; closed with this
     * @param timeout longest wait for the broker's acknowledgement
     */
    public DeadLetterTopic(Producer<String, byte[]> producer, String workerId, Duration timeout) {
        this.producer = producer;
        this.workerId = workerId;
        this.timeout = timeout;
    }

    /**
     * Publishes the segment and waits until the broker has it.
     *
     * @throws RetriableException when the broker does not acknowledge it in time
     */
    @Override
    public void send(SegmentTask task, String reason, int attempts) {
        ProducerRecord<String, byte[]> r =
                new ProducerRecord<>(Topics.SEGMENTS_DEAD_LETTER, task.recordKey(), task.encode());
        header(r, REASON, reason);
        header(r, JOB_ID, task.jobId());
        header(r, SEGMENT_INDEX, Integer.toString(task.index()));
        header(r, ATTEMPTS, Integer.toString(attempts));
        header(r, WORKER_ID, workerId);
        try {
            producer.send(r).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new RetriableException(
                    Dependency.KAFKA, "dead-letter topic unavailable: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException(Dependency.KAFKA, "interrupted while publishing a dead letter", e);
        }
    }

    private static void header(ProducerRecord<String, byte[]> r, String name, String value) {
        r.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}
