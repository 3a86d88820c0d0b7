package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.client.api.Accepted;
import dev.ttscluster.client.api.JobRequest;
import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.deploy.local.ChildJvm;
import dev.ttscluster.deploy.local.LocalCluster;
import dev.ttscluster.worker.store.DeadLetterTopic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A segment the model always rejects, among other jobs' segments submitted at the same moment: it is
 * retried, lands on the dead-letter topic with the reason, its job fails with that reason, and every
 * other job succeeds. The shared cluster's workers run with fault injection ({@code
 * TTS_WORKER_FAULT_INJECT_TEXT}, see {@link SharedCluster}): a segment holding {@link #MARKER} fails in
 * the model every time, as a poison segment would.
 */
@OnSharedCluster
class PoisonSegmentEndToEndTest {
    /** The fault-injection marker of the shared cluster's workers; no other test's text holds it. */
    static final String MARKER = "qzxpoisonqzx";

    final LocalCluster cluster = SharedCluster.get();
    final TtsClient api = SharedCluster.client();

    private static String unique(String sentence, long run, int n) {
        return sentence.substring(0, sentence.length() - 1) + ", poison run " + run + " part " + n
                + sentence.charAt(sentence.length() - 1);
    }

    @Test
    void aSegmentThatAlwaysFailsIsDeadLetteredWithTheReasonAndFailsOnlyItsJob() throws Exception {
        long run = System.nanoTime() % 100_000;
        String[] s = JobLifecycleEndToEndTest.SENTENCES;
        String poisoned =
                unique(s[0], run, 0) + " This sentence holds " + MARKER + " for the model. " + unique(s[1], run, 1);
        List<String> texts = new ArrayList<>();
        texts.add(poisoned);
        for (int i = 0; i < 6; i++) {
            texts.add(unique(s[(i + 2) % s.length], run, 10 + i) + " " + unique(s[(i + 3) % s.length], run, 20 + i));
        }
        // submitted at the same moment, so the others' segments share the poisoned one's batches
        List<CompletableFuture<Accepted<JobView>>> sent = new ArrayList<>();
        for (String t : texts) {
            sent.add(api.submitJobAsync(JobRequest.of(t)));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<Accepted<JobView>> f : sent) {
            ids.add(f.get().view().id());
        }

        JobView failed = api.awaitJob(ids.get(0), Duration.ofSeconds(120));
        assertThat(failed.status()).as(failed.toString()).isEqualTo("failed");
        String reason = failed.error();
        assertThat(reason).startsWith("synthesis failed after 3 attempts: injected fault");
        for (String id : ids.subList(1, ids.size())) {
            JobView job = api.awaitJob(id, Duration.ofSeconds(120));
            assertThat(job.status()).as(job.toString()).isEqualTo("succeeded");
        }

        ConsumerRecord<String, byte[]> dead = deadLetter(ids.get(0) + "/1", Duration.ofSeconds(30));
        assertThat(dead)
                .as("the poisoned segment on " + Topics.SEGMENTS_DEAD_LETTER)
                .isNotNull();
        Map<String, String> headers = new HashMap<>();
        for (Header h : dead.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(headers)
                .containsEntry(DeadLetterTopic.REASON, reason)
                .containsEntry(DeadLetterTopic.JOB_ID, ids.get(0))
                .containsEntry(DeadLetterTopic.SEGMENT_INDEX, "1")
                .containsEntry(DeadLetterTopic.ATTEMPTS, "3");
        List<String> workers = cluster.workers().stream().map(ChildJvm::name).toList();
        assertThat(headers.get(DeadLetterTopic.WORKER_ID)).isIn(workers);
        assertThat(SegmentTask.decode(dead.value()).text()).contains(MARKER);

        long deadLetters = (long) Prometheus.workers(cluster, "tts_worker_dead_letters_total");
        assertThat(deadLetters)
                .as("tts_worker_dead_letters_total over the workers")
                .isPositive();
    }

    /** The dead-letter record with this key, read from the topic's start; null if none comes in time. */
    private ConsumerRecord<String, byte[]> deadLetter(String key, Duration timeout) {
        Map<String, Object> p = Map.of(
                "bootstrap.servers",
                cluster.servers().env().get(InfraConfig.KAFKA_BOOTSTRAP.name()),
                "enable.auto.commit",
                "false");
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.SEGMENTS_DEAD_LETTER, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        return r;
                    }
                }
            }
            return null;
        }
    }
}
