package dev.ttscluster.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ttscluster.client.api.StubGateway.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TtsClientTest {
    static final String QUEUED =
            "{\"id\":\"j1\",\"status\":\"queued\",\"progress\":0,\"segments\":2,\"segments_done\":0}";
    static final String DONE =
            "{\"id\":\"j1\",\"status\":\"succeeded\",\"progress\":1.0,\"segments\":2,\"segments_done\":2,"
                    + "\"finished_at\":\"2026-01-02T03:04:05Z\",\"audio_seconds\":1.5,\"audio_url\":\"http://s3/a.wav?sig=1\","
                    + "\"webhook\":{\"url\":\"http://hook\",\"state\":\"delivered\",\"delivered\":true,"
                    + "\"attempts\":[{\"at\":\"2026-01-02T03:04:06Z\",\"status\":500,\"error\":\"500\"},{\"status\":200,\"error\":null}]}}";

    StubGateway gw;
    TtsClient client;

    @BeforeEach
    void start() throws Exception {
        gw = new StubGateway();
        client = TtsClient.of(gw.url(), "tts_secret");
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void submittedJobSendsItsFieldsAndKeysAndReadsTheAcceptedView() {
        gw.on(
                "POST /v1/jobs",
                new Reply(
                        202,
                        Map.of("Location", "/v1/jobs/j1", "Idempotent-Replayed", "true"),
                        QUEUED.getBytes(StandardCharsets.UTF_8)));

        Accepted<JobView> a = client.submitJob(JobRequest.of("Hello.")
                .withVoice("slt")
                .withSpeed(1.5)
                .withCallbackUrl("http://hook")
                .withIdempotencyKey("k-1"));

        assertThat(a.view().id()).isEqualTo("j1");
        assertThat(a.view().status()).isEqualTo("queued");
        assertThat(a.location()).isEqualTo("/v1/jobs/j1");
        assertThat(a.replayed()).isTrue();
        StubGateway.Seen s = gw.seen.get(0);
        assertThat(s.header("Authorization")).isEqualTo("Bearer tts_secret");
        assertThat(s.header("Idempotency-Key")).isEqualTo("k-1");
        assertThat(s.header("Content-Type")).isEqualTo("application/json");
        assertThat(s.text())
                .isEqualTo("{\"text\":\"Hello.\",\"voice\":\"slt\",\"speed\":1.5,\"callback_url\":\"http://hook\"}");
    }

    @Test
    void anErrorAnswerCarriesStatusCodeMessageAndRetryAfter() {
        gw.on(
                "POST /v1/jobs",
                new Reply(
                        503,
                        Map.of("Retry-After", "7"),
                        "{\"error\":\"unavailable\",\"message\":\"Redis is down\"}".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> client.submitJob(JobRequest.of("Hi.")))
                .isInstanceOfSatisfying(TtsApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.code()).isEqualTo("unavailable");
                    assertThat(e.detail()).isEqualTo("Redis is down");
                    assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
                    assertThat(e.retriable()).isTrue();
                });
    }

    @Test
    void aNonJsonErrorKeepsItsBodyAsTheMessage() {
        gw.on(
                "GET /bucket/a.wav",
                new Reply(403, Map.of(), "<Error>SignatureDoesNotMatch</Error>".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> client.download(gw.url() + "/bucket/a.wav?X-Amz-Signature=0000"))
                .isInstanceOfSatisfying(TtsApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.code()).isNull();
                    assertThat(e.detail()).contains("SignatureDoesNotMatch");
                    assertThat(e.retriable()).isFalse();
                });
    }

    @Test
    void aPresignedUrlIsFetchedWithoutTheKeyAndAGatewayPathWithIt() {
        gw.on("GET /bucket/a.wav", new Reply(200, Map.of(), new byte[] {1, 2, 3}));
        gw.on("GET /v1/jobs/j1/audio", new Reply(200, Map.of(), new byte[] {4}));

        assertThat(client.download(gw.url() + "/bucket/a.wav?sig=1")).containsExactly(1, 2, 3);
        assertThat(client.jobAudio("j1")).containsExactly(4);
        assertThat(gw.seen.get(0).header("Authorization")).isNull();
        assertThat(gw.seen.get(1).header("Authorization")).isEqualTo("Bearer tts_secret");
    }

    @Test
    void theJobViewIsTyped() {
        gw.on("GET /v1/jobs/j1", Reply.json(200, DONE));

        JobView j = client.job("j1");

        assertThat(j.succeeded()).isTrue();
        assertThat(j.isFinal()).isTrue();
        assertThat(j.finishedAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(j.firstAudioAt()).isNull();
        assertThat(j.audioSeconds()).isEqualTo(1.5);
        assertThat(j.webhook().delivered()).isTrue();
        assertThat(j.webhook().attempts())
                .extracting(WebhookState.Attempt::status)
                .containsExactly(500, 200);
        assertThat(j.webhook().attempts().get(1).error()).isNull();
    }

    @Test
    void awaitingAJobPollsWithTheInjectedSleeperUntilItIsFinal() {
        gw.on("GET /v1/jobs/j1", Reply.json(200, QUEUED), Reply.json(200, QUEUED), Reply.json(200, DONE));
        List<Duration> slept = new ArrayList<>();
        TtsClient c = TtsClient.builder(gw.url())
                .apiKey("k")
                .pollInterval(Duration.ofMillis(250))
                .clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                .sleeper(slept::add)
                .build();

        JobView j = c.awaitJob("j1", Duration.ofSeconds(10));

        assertThat(j.status()).isEqualTo("succeeded");
        assertThat(slept).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
    }

    @Test
    void awaitingAJobReturnsTheLastViewWhenTheDeadlinePasses() {
        gw.on("GET /v1/jobs/j1", Reply.json(200, QUEUED));
        Instant[] now = {Instant.EPOCH};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        TtsClient c = TtsClient.builder(gw.url())
                .pollInterval(Duration.ofSeconds(1))
                .clock(clock)
                .sleeper(d -> now[0] = now[0].plus(d))
                .build();

        JobView j = c.awaitJob("j1", Duration.ofSeconds(3));

        assertThat(j.status()).isEqualTo("queued");
        assertThat(gw.seen).hasSize(4);
    }

    @Test
    void aBookIsUploadedWithItsTypeAndQueryAndItsChapterFilesAreNamedByIndex(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String chapter = "{\"index\":0,\"title\":\"One\",\"job_id\":\"c0\",\"status\":\"succeeded\",\"progress\":1,"
                + "\"audio_url\":\"" + gw.url() + "/b/a.wav\",\"flac_url\":null,\"vtt_url\":\"" + gw.url()
                + "/b/a.vtt\"}";
        gw.on(
                "POST /v1/books",
                Reply.json(
                        202,
                        "{\"id\":\"b1\",\"title\":\"My Book\",\"status\":\"queued\",\"chapters_total\":1,"
                                + "\"chapters\":[" + chapter + "]}"));
        gw.on("GET /b/a.wav", new Reply(200, Map.of(), new byte[] {9}));
        gw.on("GET /b/a.vtt", new Reply(200, Map.of(), "WEBVTT".getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve("book.md");
        Files.writeString(file, "# My Book\n\nText.");

        BookView b = client.submitBook(
                        BookUpload.ofFile(file).withTitle("My Book").withSpeed(1.25))
                .view();
        List<Path> files = client.downloadChapter(b.chapters().get(0), dir);

        StubGateway.Seen s = gw.seen.get(0);
        assertThat(s.uri()).isEqualTo("/v1/books?title=My+Book&speed=1.25");
        assertThat(s.header("Content-Type")).isEqualTo("text/markdown");
        assertThat(s.text()).isEqualTo("# My Book\n\nText.");
        assertThat(b.chaptersTotal()).isEqualTo(1);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("001.wav", "001.vtt");
        assertThat(Files.readString(dir.resolve("001.vtt"))).isEqualTo("WEBVTT");
    }

    @Test
    void speechStreamsItsBodyWithTheJobAndSampleRate() throws Exception {
        gw.on(
                "POST /v1/audio/speech",
                new Reply(
                        200,
                        Map.of("Content-Type", "audio/pcm", "X-Job-Id", "j9", "X-Sample-Rate", "16000"),
                        new byte[] {1, 0, 2, 0}));

        try (SpeechStream s =
                client.speech(SpeechRequest.of("tts-1", "Hi.").withVoice("nova").withFormat("pcm"))) {
            assertThat(s.jobId()).isEqualTo("j9");
            assertThat(s.sampleRate()).isEqualTo(16000);
            assertThat(s.contentType()).isEqualTo("audio/pcm");
            assertThat(s.readAll()).containsExactly(1, 0, 2, 0);
        }
        assertThat(gw.seen.get(0).text())
                .isEqualTo(
                        "{\"model\":\"tts-1\",\"input\":\"Hi.\",\"voice\":\"nova\"," + "\"response_format\":\"pcm\"}");
    }

    @Test
    void theEventStreamYieldsTypedEventsAndResumesWithLastEventId() {
        String sse = ": keep-alive\n\nevent: state\ndata: {\"status\":\"running\"}\n\n"
                + "id: 1\nevent: segment\ndata: {\"index\":0,\"samples\":800}\n\n"
                + "event: progress\ndata: {\"segments_done\":1,\"segments\":1,\"progress\":1.0}\n\n"
                + "event: state\ndata: {\"status\":\"succeeded\",\"audio_url\":\"http://s3/a\",\"audio_seconds\":0.05}\n\n";
        gw.on(
                "GET /v1/jobs/j1/events",
                new Reply(200, Map.of("Content-Type", "text/event-stream"), sse.getBytes(StandardCharsets.UTF_8)));

        List<JobEvent> events;
        String last;
        try (JobEventStream s = client.events("j1", "0")) {
            events = s.readAll();
            last = s.lastEventId();
        }

        assertThat(events)
                .containsExactly(
                        new JobEvent.State(null, "running", null, null, null),
                        new JobEvent.Segment("1", 0, 800),
                        new JobEvent.Progress(null, 1, 1, 1.0),
                        new JobEvent.State(null, "succeeded", "http://s3/a", 0.05, null));
        assertThat(((JobEvent.State) events.get(3)).isFinal()).isTrue();
        assertThat(last).isEqualTo("1");
        assertThat(gw.seen.get(0).header("Last-Event-ID")).isEqualTo("0");
        assertThat(gw.seen.get(0).header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void anotherTenantsEventStreamIsRefusedBeforeAnyEvent() {
        gw.on("GET /v1/jobs/j1/events", Reply.json(404, "{\"error\":\"not_found\",\"message\":\"no job j1\"}"));

        assertThatThrownBy(() -> client.events("j1", null))
                .isInstanceOfSatisfying(
                        TtsApiException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
    }

    @Test
    void modelsVoicesAndTheWebhookSecretAreTyped() {
        gw.on(
                "GET /v1/models",
                Reply.json(
                        200,
                        "{\"object\":\"list\",\"data\":[{\"id\":\"tts-1\",\"object\":\"model\","
                                + "\"created\":0,\"owned_by\":\"tts-cluster\"}]}"));
        gw.on(
                "GET /v1/voices",
                Reply.json(
                        200,
                        "{\"object\":\"list\",\"default\":\"slt\",\"data\":[{\"id\":\"slt\","
                                + "\"object\":\"voice\",\"default\":true,\"sample_url\":\"/v1/voices/slt/sample\",\"sample_text\":\"Hi\"}],"
                                + "\"aliases\":{\"alloy\":\"slt\"},\"formats\":[\"wav\",\"pcm\"]}"));
        gw.on(
                "GET /v1/webhooks/secret",
                Reply.json(
                        200,
                        "{\"tenant\":\"t\",\"secret\":\"s\",\"header\":\"X-Sig\","
                                + "\"scheme\":\"hmac\",\"enabled\":true}"));

        assertThat(client.models()).containsExactly(new ModelInfo("tts-1", "model", 0, "tts-cluster"));
        VoiceList v = client.voices();
        assertThat(v.defaultVoice()).isEqualTo("slt");
        assertThat(v.voices()).containsExactly(new VoiceList.Voice("slt", true, "/v1/voices/slt/sample", "Hi"));
        assertThat(v.aliases()).containsEntry("alloy", "slt");
        assertThat(v.formats()).containsExactly("wav", "pcm");
        assertThat(client.webhookSecret()).isEqualTo(new WebhookSecret("t", "s", "X-Sig", "hmac", true));
    }

    @Test
    void cancelAndDeleteUseTheirRoutes() {
        gw.on("POST /v1/jobs/j1/cancel", Reply.json(200, "{\"id\":\"j1\",\"status\":\"cancelled\"}"));
        gw.on("DELETE /v1/jobs/j1", new Reply(204, Map.of(), new byte[0]));
        gw.on("POST /v1/books/b1/cancel", Reply.json(409, "{\"error\":\"conflict\",\"message\":\"already final\"}"));

        assertThat(client.cancelJob("j1").status()).isEqualTo("cancelled");
        client.deleteJob("j1");
        assertThatThrownBy(() -> client.cancelBook("b1"))
                .isInstanceOfSatisfying(
                        TtsApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void aBaseUrlThatIsNotHttpIsRefusedAtBuild() {
        assertThatThrownBy(() -> TtsClient.builder("127.0.0.1:8080").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baseUrl");
    }
}
