package dev.ttscluster.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.common.config.InfraConfig;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.deploy.local.LocalCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Jobs through the whole real path: HTTP -> Kafka -> batched DJL workers -> S3 -> status and presigned URL. */
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

    static LocalCluster cluster;
    static Api api;

    @BeforeAll
    static void cluster() {
        cluster = SharedCluster.get();
        SharedCluster.restoreWorkers();
        api = new Api(cluster.gatewayUrl());
    }

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
        List<Future<HttpResponse<String>>> submitted = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Double> speeds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String t = text(i);
            double speed = i % 5 == 0 ? 1.5 : 1.0;
            texts.add(t);
            speeds.add(speed);
            submitted.add(pool.submit(() -> api.submit(Map.of("text", t, "voice", SharedCluster.VOICE, "format", "wav", "speed", speed))));
        }
        List<String> ids = new ArrayList<>();
        for (Future<HttpResponse<String>> f : submitted) {
            HttpResponse<String> r = f.get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode body = Api.json(r.body());
            assertThat(body.get("status").asText()).isEqualTo("queued");
            assertThat(r.headers().firstValue("Location")).hasValue("/v1/jobs/" + body.get("id").asText());
            ids.add(body.get("id").asText());
        }
        pool.shutdown();

        for (int i = 0; i < ids.size(); i++) {
            JsonNode job = api.awaitFinal(ids.get(i), Duration.ofSeconds(180));
            assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
            assertThat(job.get("segments_done").asInt()).isEqualTo(job.get("segments").asInt());

            HttpResponse<byte[]> audio = api.getBytes(job.get("audio_url").asText());
            assertThat(audio.statusCode()).isEqualTo(200);
            Wav.Info info = Wav.parse(audio.body());
            assertThat(info.sampleRate()).isEqualTo(16000);
            assertThat(info.channels()).isEqualTo(1);
            assertThat(info.bitsPerSample()).isEqualTo(16);
            assertThat(info.seconds()).isCloseTo(job.get("audio_seconds").asDouble(), org.assertj.core.data.Offset.offset(1e-6));

            ReferenceSynthesis.assertMatches(ReferenceSynthesis.samples(audio.body()),
                    ReferenceSynthesis.expected(texts.get(i), speeds.get(i)), "job " + i);
            assertThat(api.getBytes("/v1/jobs/" + ids.get(i) + "/audio").body()).isEqualTo(audio.body());
        }
    }

    @Test
    void presignedUrlWithABadSignatureIsRefused() throws Exception {
        String id = Api.json(api.submit(Map.of("text", "Signed and sealed.")).body()).get("id").asText();
        JsonNode job = api.awaitFinal(id, Duration.ofSeconds(120));
        String url = job.get("audio_url").asText();
        String tampered = url.substring(0, url.length() - 4) + (url.endsWith("0000") ? "1111" : "0000");

        assertThat(api.getBytes(url).statusCode()).isEqualTo(200);
        assertThat(api.getBytes(tampered).statusCode()).isEqualTo(403);
    }

    @Test
    void redeliveredSegmentIsCountedOnce() throws Exception {
        String text = "First sentence here. Second one follows.";
        String id = Api.json(api.submit(Map.of("text", text)).body()).get("id").asText();
        JsonNode done = api.awaitFinal(id, Duration.ofSeconds(120));
        assertThat(done.get("status").asText()).isEqualTo("succeeded");
        byte[] before = api.getBytes("/v1/jobs/" + id + "/audio").body();

        // Kafka delivers a segment again, as after a crash before the offset commit.
        Map<String, String> env = cluster.servers().env();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers",
                env.get(InfraConfig.KAFKA_BOOTSTRAP.name())), new StringSerializer(), new ByteArraySerializer())) {
            SegmentTask again = new SegmentTask(SegmentTask.SCHEMA_VERSION, id, "default", 1, 2, "Second one follows.",
                    SharedCluster.VOICE, 1.0, 0L);
            p.send(new ProducerRecord<>(Topics.SEGMENTS_INTERACTIVE, again.recordKey(), again.encode())).get();
        }
        awaitNoLag(env.get(InfraConfig.KAFKA_BOOTSTRAP.name()), Duration.ofSeconds(60));
        JsonNode after = api.job(id);
        assertThat(after.get("segments_done").asInt()).isEqualTo(2);
        assertThat(after.get("finished_at").asText()).isEqualTo(done.get("finished_at").asText());
        assertThat(api.getBytes("/v1/jobs/" + id + "/audio").body()).isEqualTo(before);
    }

    /** Waits until the workers' group has committed every record of the segments topic. */
    /**
     * Job {@code i}'s text: {@code sentences} of {@link #SENTENCES}, each with a numbered clause naming the run
     * ({@code tag} and {@code run}), so no segment is in the cache and the model makes every one.
     */
    static String uniqueText(int i, int sentences, String tag, long run) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < sentences; k++) {
            String s = SENTENCES[(i + k) % SENTENCES.length];
            sb.append(s, 0, s.length() - 1).append(", ").append(tag).append(' ').append(run).append(' ')
                    .append(i * sentences + k).append(s.charAt(s.length() - 1)).append(' ');
        }
        return sb.toString().trim();
    }

    static void awaitNoLag(String bootstrap, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(Topics.WORKER_GROUP)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> query = new HashMap<>();
                committed.keySet().stream().filter(tp -> tp.topic().equals(Topics.SEGMENTS_INTERACTIVE))
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
        String id = Api.json(api.submit(Map.of("text", sb.toString())).body()).get("id").asText();
        HttpResponse<String> c = api.post("/v1/jobs/" + id + "/cancel", null, "");
        if (c.statusCode() == 409) {
            // the workers were faster than the cancel: the job is already final, as the error says
            assertThat(Api.json(c.body()).get("message").asText()).contains("already");
            return;
        }
        assertThat(c.statusCode()).isEqualTo(200);
        assertThat(Api.json(c.body()).get("status").asText()).isEqualTo("cancelled");
        Thread.sleep(2000);
        assertThat(api.job(id).get("status").asText()).isEqualTo("cancelled");
        assertThat(api.get("/v1/jobs/" + id + "/audio").statusCode()).isEqualTo(409);
        assertThat(api.post("/v1/jobs/" + id + "/cancel", null, "").statusCode()).isEqualTo(409);
    }
}
