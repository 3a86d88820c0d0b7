package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ttscluster.client.api.Accepted;
import dev.ttscluster.client.api.JobRequest;
import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.TtsApiException;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.deploy.local.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Jobs through the whole real path: HTTP -> Kafka -> batched DJL workers -> S3 -> status and presigned URL. */
@OnSharedCluster
class JobLifecycleEndToEndTest {
    static final String[] SENTENCES = {
        "The quick brown fox jumps over the lazy dog.",
        "Your order has shipped and will arrive on Tuesday.",
        "Please hold while we connect you to an agent.",
        "Mr. Smith paid 42 dollars for the blue umbrella!",
        "Is this the right way to the station?",
        "A long sentence, with several clauses, keeps going for a while so that the segmenter has something to chew on.",
        "Thank you.",
    };

    final LocalCluster cluster = SharedCluster.get();
    final TtsClient api = SharedCluster.client();

    static String text(int i) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k <= i % 4; k++) {
            sb.append(SENTENCES[(i + k) % SENTENCES.length]).append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void twentyJobsSucceedAndTheirPresignedAudioIsTheExpectedWav() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Accepted<JobView>>> submitted = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Double> speeds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String t = text(i);
            double speed = i % 5 == 0 ? 1.5 : 1.0;
            texts.add(t);
            speeds.add(speed);
            submitted.add(pool.submit(() -> api.submitJob(JobRequest.of(t)
                    .withVoice(SharedCluster.VOICE)
                    .withFormat("wav")
                    .withSpeed(speed))));
        }
        List<String> ids = new ArrayList<>();
        for (Future<Accepted<JobView>> f : submitted) {
            Accepted<JobView> r = f.get();
            assertThat(r.view().status()).isEqualTo("queued");
            assertThat(r.location()).isEqualTo("/v1/jobs/" + r.view().id());
            ids.add(r.view().id());
        }
        pool.shutdown();

        for (int i = 0; i < ids.size(); i++) {
            JobView job = api.awaitJob(ids.get(i), Duration.ofSeconds(180));
            assertThat(job.status()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.progress()).isEqualTo(1.0);
            assertThat(job.segmentsDone()).isEqualTo(job.segments());

            byte[] audio = api.download(job.audioUrl());
            WavAssert.isServiceWav(audio, job.audioSeconds());
            ReferenceSynthesis.assertMatches(
                    ReferenceSynthesis.samples(audio),
                    ReferenceSynthesis.expected(texts.get(i), speeds.get(i)),
                    "job " + i);
            assertThat(api.jobAudio(ids.get(i))).isEqualTo(audio);
        }
    }

    @Test
    void presignedUrlWithABadSignatureIsRefused() throws Exception {
        String id = api.submitJob(JobRequest.of("Signed and sealed.")).view().id();
        JobView job = api.awaitJob(id, Duration.ofSeconds(120));
        String url = job.audioUrl();
        String tampered = url.substring(0, url.length() - 4) + (url.endsWith("0000") ? "1111" : "0000");

        assertThat(api.download(url)).isNotEmpty();
        assertThat(catchThrowableOfType(() -> api.download(tampered), TtsApiException.class)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void redeliveredSegmentIsCountedOnce() throws Exception {
        String text = "First sentence here. Second one follows.";
        String id = api.submitJob(JobRequest.of(text)).view().id();
        JobView done = api.awaitJob(id, Duration.ofSeconds(120));
        assertThat(done.status()).isEqualTo("succeeded");
        byte[] before = api.jobAudio(id);

        // Kafka delivers a segment again, as after a crash before the offset commit.
        Map<String, String> env = cluster.servers().env();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
                Map.of("bootstrap.servers", env.get(InfraConfig.KAFKA_BOOTSTRAP.name())),
                new StringSerializer(),
                new ByteArraySerializer())) {
            SegmentTask again = new SegmentTask(
                    SegmentTask.SCHEMA_VERSION,
                    id,
                    "default",
                    1,
                    2,
                    "Second one follows.",
                    SharedCluster.VOICE,
                    1.0,
                    0L);
            p.send(new ProducerRecord<>(Topics.SEGMENTS_INTERACTIVE, again.recordKey(), again.encode()))
                    .get();
        }
        awaitNoLag(env.get(InfraConfig.KAFKA_BOOTSTRAP.name()), Duration.ofSeconds(60));
        JobView after = api.job(id);
        assertThat(after.segmentsDone()).isEqualTo(2);
        assertThat(after.finishedAt()).isEqualTo(done.finishedAt());
        assertThat(api.jobAudio(id)).isEqualTo(before);
    }

    /**
     * Job {@code i}'s text: {@code sentences} of {@link #SENTENCES}, each with a numbered clause naming the run
     * ({@code tag} and {@code run}), so no segment is in the cache and the model makes every one.
     */
    static String uniqueText(int i, int sentences, String tag, long run) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < sentences; k++) {
            String s = SENTENCES[(i + k) % SENTENCES.length];
            sb.append(s, 0, s.length() - 1)
                    .append(", ")
                    .append(tag)
                    .append(' ')
                    .append(run)
                    .append(' ')
                    .append(i * sentences + k)
                    .append(s.charAt(s.length() - 1))
                    .append(' ');
        }
        return sb.toString().trim();
    }

    /** Waits until the workers' group has committed every record of the segments topic. */
    static void awaitNoLag(String bootstrap, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(Topics.WORKER_GROUP)
                        .partitionsToOffsetAndMetadata()
                        .get();
                Map<TopicPartition, OffsetSpec> query = new HashMap<>();
                committed.keySet().stream()
                        .filter(tp -> tp.topic().equals(Topics.SEGMENTS_INTERACTIVE))
                        .forEach(tp -> query.put(tp, OffsetSpec.latest()));
                long lag = 0;
                for (var e : admin.listOffsets(query).all().get().entrySet()) {
                    lag += e.getValue().offset() - committed.get(e.getKey()).offset();
                }
                if (lag == 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("workers still lag by " + lag + " records");
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void cancelledJobStaysCancelled() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append(SENTENCES[i % SENTENCES.length]).append(' ');
        }
        String id = api.submitJob(JobRequest.of(sb.toString())).view().id();
        JobView cancelled;
        try {
            cancelled = api.cancelJob(id);
        } catch (TtsApiException e) {
            // the workers were faster than the cancel: the job is already final, as the error says
            assertThat(e.status()).as(e.getMessage()).isEqualTo(409);
            assertThat(e.detail()).contains("already");
            return;
        }
        assertThat(cancelled.status()).isEqualTo("cancelled");
        Thread.sleep(2000);
        assertThat(api.job(id).status()).isEqualTo("cancelled");
        assertThat(catchThrowableOfType(() -> api.jobAudio(id), TtsApiException.class)
                        .status())
                .isEqualTo(409);
        assertThat(catchThrowableOfType(() -> api.cancelJob(id), TtsApiException.class)
                        .status())
                .isEqualTo(409);
    }
}
