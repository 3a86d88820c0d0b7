package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.api.JobView;
import dev.ttscluster.client.api.ModelInfo;
import dev.ttscluster.client.api.SpeechRequest;
import dev.ttscluster.client.api.SpeechStream;
import dev.ttscluster.client.api.TtsApiException;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.client.api.VoiceList;
import dev.ttscluster.deploy.local.LocalCluster;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/audio/speech} (OpenAI's speech API) on the shared cluster: the official {@code openai} npm client
 * gets a playable WAV of the expected length; WAV and PCM stream (the first audio arrives while the job's later
 * segments are still being made); FLAC round-trips; bad bodies get 4xx JSON errors; {@code GET /v1/models} and
 * {@code GET /v1/voices} list what the cluster serves.
 */
@OnSharedCluster
class SpeechEndToEndTest {
    /** Samples of the cluster's audio may differ from the one-row reference by a few steps (batch shapes). */
    static final Path CLIENT = SharedCluster.repoRoot().resolve("e2e/src/test/node/openai-speech");

    final LocalCluster cluster = SharedCluster.get();
    final TtsClient api = SharedCluster.client();

    /** A number no other run of the suite speaks, so the segment cache cannot serve the text. */
    static String nonce() {
        return Long.toString(ThreadLocalRandom.current().nextLong(10_000_000L, 99_999_999L));
    }

    @Test
    void theOpenAiNodeClientGetsAPlayableWavOfTheExpectedLength() throws Exception {
        assumeTrue(onPath("node"), "node is not installed: the openai npm client test is skipped");
        synchronized (SpeechEndToEndTest.class) {
            if (!Files.isDirectory(CLIENT.resolve("node_modules/openai"))) {
                assumeTrue(onPath("npm"), "npm is not installed: cannot install e2e/src/test/node/openai-speech");
                Exec ci = exec(
                        List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), CLIENT, Map.of(), 300);
                assertThat(ci.code).as("npm ci in %s:\n%s", CLIENT, ci.output).isZero();
            }
        }
        String text = "The node client asks for order " + nonce() + ". It arrives on Tuesday, as promised.";
        Path out = Files.createTempFile("speech", ".wav");
        try {
            Exec r = exec(
                    List.of("node", CLIENT.resolve("speech.mjs").toString()),
                    CLIENT,
                    Map.of(
                            "TTS_BASE_URL",
                            cluster.gatewayUrl() + "/v1",
                            "TTS_API_KEY",
                            SharedCluster.key(),
                            "TTS_INPUT",
                            text,
                            "TTS_OUT",
                            out.toString(),
                            "TTS_FORMAT",
                            "wav"),
                    180);
            assertThat(r.code).as("node speech.mjs:\n%s", r.output).isZero();
            JsonNode result = Api.json(r.stdout.lines().reduce((a, b) -> b).orElse("{}"));
            assertThat(result.get("models").toString())
                    .contains("\"tts-1\"", "\"tts-1-hd\"", "\"" + SharedCluster.VOICE + "\"");
            assertThat(result.get("modelObjects").asBoolean()).isTrue();
            assertThat(result.get("contentType").asText()).isEqualTo("audio/wav");
            assertThat(result.get("jobId").asText()).matches("[0-9a-f-]{36}");
            // OpenAI's default format: MP3 frames, encoded as the segments come (jump3r)
            assertThat(result.path("mp3").path("contentType").asText())
                    .as(r.output)
                    .isEqualTo("audio/mpeg");
            assertThat(result.path("mp3").path("bytes").asInt()).as(r.output).isGreaterThan(1000);
            assertThat(result.path("mp3").path("frameSync").asBoolean())
                    .as(r.output)
                    .isTrue();

            byte[] wav = Files.readAllBytes(out);
            assertThat(wav.length).isEqualTo(result.get("bytes").asInt());
            short[] got =
                    WavAssert.streamedWavSamples(wav, result.get("sampleRate").asInt());
            assertClose(got, ReferenceSynthesis.expected(text, 1.0));
            JobView job = api.job(result.get("jobId").asText());
            assertThat(job.status()).isEqualTo("succeeded");
            assertThat(job.voice()).isEqualTo(SharedCluster.VOICE);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * A 12-sentence unique stream: the audio must match the reference; returns true when its first bytes arrived
     * while segments were still being made and before the job finished.
     */
    boolean streamOnce() throws Exception {
        String n = nonce();
        StringBuilder sb = new StringBuilder();
        String[] parts = {
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth"
        };
        for (int i = 0; i < parts.length; i++) {
            sb.append("This is the ")
                    .append(parts[i])
                    .append(" sentence of streaming check ")
                    .append(n)
                    .append(", and it ")
                    .append(
                            "goes on for a good while, with several clauses and plenty of words, so that every segment ")
                    .append("takes the model some real time to speak, one after another, until it finally ends here. ");
        }
        String text = sb.toString().trim();
        long t0 = System.currentTimeMillis();
        byte[] all;
        long firstByteMs;
        int doneAtFirstByte;
        int segments;
        String id;
        int rate;
        try (SpeechStream r =
                api.speech(SpeechRequest.of("tts-1", text).withVoice("nova").withFormat("pcm"))) {
            id = r.jobId();
            rate = r.sampleRate();
            assertThat(id).isNotNull();
            assertThat(r.contentType()).isEqualTo("audio/pcm");
            assertThat(r.contentLength()).as("streamed: no length up front").isEmpty();
            InputStream in = r.body();
            int first = in.read();
            firstByteMs = System.currentTimeMillis();
            assertThat(first).isNotNegative();
            JobView atFirst = api.job(id);
            doneAtFirstByte = atFirst.segmentsDone();
            segments = atFirst.segments();
            byte[] rest = in.readAllBytes();
            all = new byte[rest.length + 1];
            all[0] = (byte) first;
            System.arraycopy(rest, 0, all, 1, rest.length);
        }
        long lastByteMs = System.currentTimeMillis();
        JobView job = api.awaitJob(id, Duration.ofSeconds(30));
        assertThat(job.status()).isEqualTo("succeeded");
        long finished = job.finishedAt().toEpochMilli();
        System.out.printf(
                "speech stream: %d segments; first audio after %d ms with %d segments done; job finished after "
                        + "%d ms; last byte after %d ms%n",
                segments, firstByteMs - t0, doneAtFirstByte, finished - t0, lastByteMs - t0);
        assertThat(segments).isEqualTo(parts.length);
        assertThat(rate).isPositive();
        assertClose(WavAssert.pcm(all), ReferenceSynthesis.expected(text, 1.0));
        return doneAtFirstByte < segments && firstByteMs < finished;
    }

    /**
     * The first audio leaves before the last segment is done. It can only leave once segment 0 is stored, and which
     * batch segment 0 lands in depends on how two workers split and batch the job (a whole 12-sentence job can fit
     * in one batch per worker), so up to three unique streams are tried; each one's audio is checked in full.
     */
    @Test
    void theFirstAudioArrivesBeforeTheLastSegmentIsDone() throws Exception {
        boolean early = false;
        for (int attempt = 1; attempt <= 3 && !early; attempt++) {
            early = streamOnce();
        }
        assertThat(early)
                .as("in one of three streams, the first audio arrived while segments were still being made")
                .isTrue();
    }

    @Test
    void aServedVoiceAtAnotherSpeedStreamsWavAndFlacRoundTrips() throws Exception {
        String text = "Speed check " + nonce() + ". Your parcel is on its way, and it will arrive soon.";
        byte[] wav;
        int rate;
        String jobId;
        try (SpeechStream w = api.speech(SpeechRequest.of(SharedCluster.VOICE, text)
                .withVoice(SharedCluster.VOICE)
                .withFormat("wav")
                .withSpeed(1.5))) {
            wav = w.readAll();
            rate = w.sampleRate();
            jobId = w.jobId();
        }
        short[] wavSamples = WavAssert.streamedWavSamples(wav, rate);
        assertClose(wavSamples, ReferenceSynthesis.expected(text, 1.5));
        JobView job = api.job(jobId);
        assertThat(job.speed()).isEqualTo(1.5);

        // the same text again: its segments come from the cache, byte for byte the WAV's samples
        byte[] flac;
        try (SpeechStream f = api.speech(SpeechRequest.of("tts-1-hd", text)
                .withVoice(SharedCluster.VOICE)
                .withFormat("flac")
                .withSpeed(1.5))) {
            flac = f.readAll();
            assertThat(f.contentType()).isEqualTo("audio/flac");
            assertThat(f.contentLength()).hasValue(flac.length);
        }
        assertThat(new String(flac, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("fLaC");
        ByteBuffer si = ByteBuffer.wrap(flac, 8, 34).order(ByteOrder.BIG_ENDIAN);
        si.position(8 + 10);
        long packed = si.getLong();
        int flacRate = (int) (packed >>> 44);
        long total = packed & 0xFFFFFFFFFL;
        byte[] md5 = new byte[16];
        si.get(md5);
        assertThat(flacRate).isEqualTo(rate);
        assertThat(total).isEqualTo(wavSamples.length);
        ByteBuffer le = ByteBuffer.allocate(wavSamples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : wavSamples) {
            le.putShort(s);
        }
        assertThat(md5)
                .as("STREAMINFO MD5 of the samples")
                .isEqualTo(MessageDigest.getInstance("MD5").digest(le.array()));
        if (Files.isExecutable(Path.of("/usr/bin/flac"))) {
            assertThat(BookEndToEndTest.decodedFlacSamples(flac)).isEqualTo(wavSamples);
        }
    }

    @Test
    void badRequestsGetJsonErrorsBeforeAnyAudio() throws Exception {
        record Bad(String name, String contentType, String body, int status, String code, String says) {}
        String ok = "\"model\":\"tts-1\",\"voice\":\"alloy\"";
        Api raw = new Api(cluster.gatewayUrl());
        List<Bad> cases = List.of(
                new Bad(
                        "unknown model",
                        "application/json",
                        "{\"model\":\"tts-9\",\"voice\":\"alloy\",\"input\":\"Hi.\"}",
                        400,
                        "invalid_request",
                        "tts-1"),
                new Bad(
                        "no model",
                        "application/json",
                        "{\"voice\":\"alloy\",\"input\":\"Hi.\"}",
                        400,
                        "invalid_request",
                        "'model' is required"),
                new Bad(
                        "unknown voice",
                        "application/json",
                        "{\"model\":\"tts-1\",\"voice\":\"bob\",\"input\":\"Hi.\"}",
                        400,
                        "invalid_request",
                        "unknown voice 'bob'"),
                new Bad(
                        "aac",
                        "application/json",
                        "{" + ok + ",\"input\":\"Hi.\",\"response_format\":\"aac\"}",
                        400,
                        "invalid_request",
                        "supported: [wav, pcm, flac, mp3]"),
                new Bad(
                        "opus",
                        "application/json",
                        "{" + ok + ",\"input\":\"Hi.\",\"response_format\":\"opus\"}",
                        400,
                        "invalid_request",
                        "'opus'"),
                new Bad(
                        "speed too high",
                        "application/json",
                        "{" + ok + ",\"input\":\"Hi.\",\"speed\":5}",
                        400,
                        "invalid_request",
                        "'speed' must be between 0.25 and 4.0"),
                new Bad(
                        "speed not a number",
                        "application/json",
                        "{" + ok + ",\"input\":\"Hi.\",\"speed\":\"fast\"}",
                        400,
                        "invalid_request",
                        "'speed' must be a number"),
                new Bad("no input", "application/json", "{" + ok + "}", 400, "invalid_request", "'input' is required"),
                new Bad(
                        "empty input",
                        "application/json",
                        "{" + ok + ",\"input\":\"  \"}",
                        400,
                        "invalid_request",
                        "'input' is empty"),
                new Bad(
                        "input not a string",
                        "application/json",
                        "{" + ok + ",\"input\":7}",
                        400,
                        "invalid_request",
                        "'input' must be a string"),
                new Bad(
                        "nothing to speak",
                        "application/json",
                        "{" + ok + ",\"input\":\"... !!\"}",
                        400,
                        "invalid_request",
                        "nothing to speak"),
                new Bad(
                        "control character",
                        "application/json",
                        "{" + ok + ",\"input\":\"a\\u0007b\"}",
                        400,
                        "invalid_request",
                        "control character"),
                new Bad(
                        "input too long",
                        "application/json",
                        "{" + ok + ",\"input\":\"" + "a".repeat(5001) + "\"}",
                        413,
                        "text_too_long",
                        "'input' has 5001 characters"),
                new Bad(
                        "unknown field",
                        "application/json",
                        "{" + ok + ",\"input\":\"Hi.\",\"instructions\":\"calm\"}",
                        400,
                        "invalid_request",
                        "unknown field 'instructions'"),
                new Bad(
                        "sse",
                        "application/json",
                        "{" + ok + ",\"input\":\"Hi.\",\"stream_format\":\"sse\"}",
                        400,
                        "invalid_request",
                        "stream_format"),
                new Bad("not JSON", "application/json", "{\"model\":", 400, "invalid_request", "not valid JSON"),
                new Bad("not an object", "application/json", "[1]", 400, "invalid_request", "JSON object"),
                new Bad("text/plain", "text/plain", "Hello.", 415, "unsupported_media_type", "application/json"));
        for (Bad b : cases) {
            HttpResponse<String> r = raw.post("/v1/audio/speech", b.contentType(), b.body());
            assertThat(r.statusCode()).as(b.name() + ": " + r.body()).isEqualTo(b.status());
            JsonNode e = Api.json(r.body());
            assertThat(e.get("error").asText()).as(b.name()).isEqualTo(b.code());
            assertThat(e.get("message").asText()).as(b.name()).contains(b.says());
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        }
        TtsApiException anon = catchThrowableOfType(
                () -> SharedCluster.client(null)
                        .speech(SpeechRequest.of("tts-1", "Hi.").withVoice("alloy")),
                TtsApiException.class);
        assertThat(anon.status()).isEqualTo(401);
        assertThat(anon.code()).isEqualTo("unauthorized");
        assertThat(raw.get("/v1/audio/speech").statusCode()).isEqualTo(405);
    }

    @Test
    void modelsAndVoicesListWhatTheClusterServes() {
        List<ModelInfo> models = api.models();
        for (ModelInfo d : models) {
            assertThat(d.object()).isEqualTo("model");
            assertThat(d.ownedBy()).isEqualTo("tts-cluster");
        }
        assertThat(models).extracting(ModelInfo::id).contains("tts-1", "tts-1-hd", SharedCluster.VOICE);
        VoiceList voices = api.voices();
        assertThat(voices.defaultVoice()).isEqualTo(SharedCluster.VOICE);
        assertThat(voices.voices().get(0).id()).isEqualTo(SharedCluster.VOICE);
        assertThat(voices.voices().get(0).isDefault()).isTrue();
        assertThat(voices.aliases().get("alloy")).isEqualTo(SharedCluster.VOICE);
        assertThat(catchThrowableOfType(() -> SharedCluster.client(null).models(), TtsApiException.class)
                        .status())
                .isEqualTo(401);
    }

    // ---------------------------------------------------------------- helpers

    static void assertClose(short[] got, short[] want) {
        ReferenceSynthesis.assertMatches(got, want, "the speech response");
    }

    record Exec(int code, String stdout, String output) {}

    static boolean onPath(String command) {
        try {
            return exec(List.of(command, "--version"), null, Map.of(), 30).code == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static Exec exec(List<String> command, Path dir, Map<String, String> env, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("speech-test", ".out");
        Path err = Files.createTempFile("speech-test", ".err");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Map<String, String> e = new HashMap<>(env);
            pb.environment().putAll(e);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
            }
            String stdout = Files.readString(out);
            return new Exec(p.exitValue(), stdout, stdout + Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
