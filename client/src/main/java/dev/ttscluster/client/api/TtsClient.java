package dev.ttscluster.client.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.internal.JsonFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A typed client of the gateway's HTTP API (see the gateway's {@code /openapi.json}): jobs, books, OpenAI-style
 * speech, models and voices, job event streams and the webhook secret. Build one per gateway and API key with
 * {@link #builder(String)}; it is thread-safe and may be shared.
 *
 * <p>Every call fails with {@link TtsApiException} when the server answers with an unexpected status (carrying
 * the status, the JSON error code and message, and Retry-After), and with {@link UncheckedIOException} when the
 * server cannot be reached or the connection breaks (also when the calling thread is interrupted; its interrupt
 * flag is then set again). The {@code await...} methods poll with the builder's interval, clock and sleeper.
 *
 * <p>One class over the usual size on purpose: it is the API's table of contents, one short method per route,
 * so a reader finds every call in one place; the plumbing lives in {@code Http}, the views in their records.
 */
public final class TtsClient {
    /** How the {@code await...} methods wait between polls; tests inject one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Http http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration pollInterval;

    private TtsClient(Builder b) {
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(b.connectTimeout);
        if (b.executor != null) {
            hb.executor(b.executor);
        }
        this.http = new Http(hb.build(), b.baseUrl, b.apiKey, b.requestTimeout);
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.pollInterval = b.pollInterval;
    }

    /** A builder for a client of the gateway at {@code baseUrl} (e.g. {@code http://127.0.0.1:8080}). */
    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    /** A client of {@code baseUrl} calling with {@code apiKey} (null: no Authorization header) and default settings. */
    public static TtsClient of(String baseUrl, String apiKey) {
        return builder(baseUrl).apiKey(apiKey).build();
    }

    /** The gateway's base URL, without a trailing slash. */
    public String baseUrl() {
        return http.base();
    }

    // ------------------------------------------------------------------ jobs

    /** Submits a job; the answer's view has status {@code queued} (or the first job's, on an idempotent replay). */
    public Accepted<JobView> submitJob(JobRequest job) {
        return accepted(http.send(submitRequest(job), HttpResponse.BodyHandlers.ofByteArray()));
    }

    /**
     * As {@link #submitJob} without blocking: the future fails with a {@link CompletionException} around the
     * {@link TtsApiException} or the {@link IOException}.
     */
    public CompletableFuture<Accepted<JobView>> submitJobAsync(JobRequest job) {
        return http.sendAsync(submitRequest(job), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(TtsClient::accepted);
    }

    private HttpRequest submitRequest(JobRequest job) {
        HttpRequest.Builder b = http.request("/v1/jobs")
                .header("Content-Type", "application/json")
                .POST(Http.jsonBody(job.body()));
        if (job.idempotencyKey() != null) {
            b.header("Idempotency-Key", job.idempotencyKey());
        }
        return b.build();
    }

    private static Accepted<JobView> accepted(HttpResponse<byte[]> r) {
        JsonNode n = Http.parse(Http.check(r, 202).body());
        return new Accepted<>(
                JobView.from(n),
                r.headers().firstValue("Location").orElse(null),
                r.headers()
                        .firstValue("Idempotent-Replayed")
                        .map("true"::equals)
                        .orElse(false));
    }

    public JobView job(String id) {
        return JobView.from(http.json(http.request("/v1/jobs/" + id).GET().build(), 200));
    }

    /** Cancels a running job and returns its view; a final job is refused with 409. */
    public JobView cancelJob(String id) {
        return JobView.from(http.json(
                http.request("/v1/jobs/" + id + "/cancel")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                200));
    }

    /** Deletes a job with its audio (cancelling it first if it runs). */
    public void deleteJob(String id) {
        http.call(http.request("/v1/jobs/" + id).DELETE().build(), 204);
    }

    /** The finished job's WAV through the gateway; 409 while it is not succeeded. */
    public byte[] jobAudio(String id) {
        return download("/v1/jobs/" + id + "/audio");
    }

    /** Polls the job until it is final or {@code timeout} passes; returns the last view either way. */
    public JobView awaitJob(String id, Duration timeout) {
        return awaitJob(id, timeout, JobView::isFinal);
    }

    /** Polls the job until {@code until} holds or {@code timeout} passes; returns the last view either way. */
    public JobView awaitJob(String id, Duration timeout, Predicate<JobView> until) {
        return poll(() -> job(id), until, timeout, v -> {});
    }

    // ------------------------------------------------------------------ books

    /** Submits a book file; the view lists its chapters. */
    public Accepted<BookView> submitBook(BookUpload book) {
        StringBuilder q = new StringBuilder();
        param(q, "title", book.title());
        param(q, "voice", book.voice());
        param(q, "speed", book.speed() == null ? null : book.speed().toString());
        param(q, "callback_url", book.callbackUrl());
        HttpRequest.Builder b = http.request("/v1/books" + q)
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", book.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(book.body()));
        if (book.idempotencyKey() != null) {
            b.header("Idempotency-Key", book.idempotencyKey());
        }
        HttpResponse<byte[]> r = Http.check(http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray()), 202);
        return new Accepted<>(
                BookView.from(Http.parse(r.body())),
                r.headers().firstValue("Location").orElse(null),
                r.headers()
                        .firstValue("Idempotent-Replayed")
                        .map("true"::equals)
                        .orElse(false));
    }

    private static void param(StringBuilder q, String k, String v) {
        if (v != null) {
            q.append(q.length() == 0 ? '?' : '&')
                    .append(k)
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
    }

    public BookView book(String id) {
        return BookView.from(http.json(http.request("/v1/books/" + id).GET().build(), 200));
    }

    /** The book's manifest (chapters with titles, durations, segments and file keys); 409 until every chapter is done. */
    public JsonNode manifest(String id) {
        return http.json(http.request("/v1/books/" + id + "/manifest").GET().build(), 200);
    }

    /** Cancels a book (its chapters not yet done stop) and returns its view; a final book is refused with 409. */
    public BookView cancelBook(String id) {
        return BookView.from(http.json(
                http.request("/v1/books/" + id + "/cancel")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                200));
    }

    public void deleteBook(String id) {
        http.call(http.request("/v1/books/" + id).DELETE().build(), 204);
    }

    /** Polls the book until it is final or {@code timeout} passes, showing each view to {@code each}; returns the last. */
    public BookView awaitBook(String id, Duration timeout, Consumer<BookView> each) {
        return awaitBook(id, timeout, BookView::isFinal, each);
    }

    /** Polls the book until {@code until} holds or {@code timeout} passes; returns the last view either way. */
    public BookView awaitBook(String id, Duration timeout, Predicate<BookView> until, Consumer<BookView> each) {
        return poll(() -> book(id), until, timeout, each);
    }

    /**
     * A finished chapter's files into {@code into} as {@code 001.wav}, {@code 001.flac}, {@code 001.json} (timestamps),
     * {@code 001.vtt} and {@code 001.srt} (numbered from 1); returns the files written.
     *
     * @throws UncheckedIOException when a file cannot be written
     */
    public List<Path> downloadChapter(ChapterView c, Path into) {
        String stem = String.format(java.util.Locale.ROOT, "%03d", c.index() + 1);
        List<Path> written = new ArrayList<>();
        String[][] files = {
            {c.audioUrl(), ".wav"},
            {c.flacUrl(), ".flac"},
            {c.timestampsUrl(), ".json"},
            {c.vttUrl(), ".vtt"},
            {c.srtUrl(), ".srt"}
        };
        for (String[] f : files) {
            if (f[0] != null) {
                written.add(download(f[0], into.resolve(stem + f[1])));
            }
        }
        return written;
    }

    // ------------------------------------------------------------------ files

    /** The bytes at a presigned URL (sent without the key) or a gateway path (sent with it); a status other than 200 throws. */
    public byte[] download(String urlOrPath) {
        return http.call(
                http.request(urlOrPath).timeout(Duration.ofMinutes(5)).GET().build(), 200);
    }

    /** As {@link #download(String)} into a file (removed again when the answer is an error); returns {@code to}. */
    public Path download(String urlOrPath, Path to) {
        HttpResponse<Path> r = http.send(
                http.request(urlOrPath).timeout(Duration.ofMinutes(5)).GET().build(),
                HttpResponse.BodyHandlers.ofFile(to));
        if (r.statusCode() != 200) {
            byte[] body;
            try {
                body = Files.readAllBytes(to);
                Files.deleteIfExists(to);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw Http.error(r.statusCode(), r.headers(), body);
        }
        return to;
    }

    // ------------------------------------------------------------------ speech, models, voices

    /**
     * OpenAI-style speech: the gateway makes a job and streams its audio as it is made. The caller reads and closes
     * the returned stream. An error status (before any audio) throws.
     */
    public SpeechStream speech(SpeechRequest request) {
        return stream(http.request("/v1/audio/speech")
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(Http.jsonBody(request.body()))
                .build());
    }

    private SpeechStream stream(HttpRequest request) {
        HttpResponse<InputStream> r =
                Http.checkStream(http.send(request, HttpResponse.BodyHandlers.ofInputStream()), 200);
        var h = r.headers();
        return new SpeechStream(
                h.firstValue("X-Job-Id").orElse(null),
                h.firstValue("X-Sample-Rate").map(Integer::parseInt).orElse(0),
                h.firstValue("Content-Type").orElse(null),
                h.firstValue("Content-Length")
                        .map(v -> OptionalLong.of(Long.parseLong(v)))
                        .orElse(OptionalLong.empty()),
                r.body());
    }

    /** {@code GET /v1/models}: the OpenAI model names and the served voices. */
    public List<ModelInfo> models() {
        List<ModelInfo> out = new ArrayList<>();
        for (JsonNode m :
                http.json(http.request("/v1/models").GET().build(), 200).path("data")) {
            out.add(new ModelInfo(
                    JsonFields.text(m, "id"),
                    JsonFields.text(m, "object"),
                    m.path("created").asLong(),
                    JsonFields.text(m, "owned_by")));
        }
        return List.copyOf(out);
    }

    public VoiceList voices() {
        return VoiceList.from(http.json(http.request("/v1/voices").GET().build(), 200));
    }

    /** A short streamed WAV of one voice (made as a speech job of the caller's); 404 for a voice not served. */
    public SpeechStream voiceSample(String voice) {
        return stream(http.request("/v1/voices/" + URLEncoder.encode(voice, StandardCharsets.UTF_8) + "/sample")
                .timeout(Duration.ofMinutes(2))
                .GET()
                .build());
    }

    public WebhookSecret webhookSecret() {
        JsonNode n = http.json(http.request("/v1/webhooks/secret").GET().build(), 200);
        return new WebhookSecret(
                JsonFields.text(n, "tenant"),
                JsonFields.text(n, "secret"),
                JsonFields.text(n, "header"),
                JsonFields.text(n, "scheme"),
                n.path("enabled").asBoolean());
    }

    // ------------------------------------------------------------------ events

    /**
     * Opens the job's event stream; with {@code lastEventId} (null: from the start) it resumes after that segment.
     * An error status throws at once; read the stream on one thread and close it.
     */
    public JobEventStream events(String id, String lastEventId) {
        HttpRequest.Builder b = http.request("/v1/jobs/" + id + "/events")
                .timeout(Duration.ofMinutes(2))
                .header("Accept", "text/event-stream")
                .GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> r =
                Http.checkStream(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()), 200);
        return new JobEventStream(
                new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)),
                lastEventId,
                r.headers().firstValue("Content-Type").orElse(null));
    }

    // ------------------------------------------------------------------ polling

    private <T> T poll(java.util.function.Supplier<T> read, Predicate<T> until, Duration timeout, Consumer<T> each) {
        Instant deadline = clock.instant().plus(timeout);
        T v = read.get();
        each.accept(v);
        while (!until.test(v) && clock.instant().isBefore(deadline)) {
            try {
                sleeper.sleep(pollInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted while waiting"));
            }
            v = read.get();
            each.accept(v);
        }
        return v;
    }

    /**
     * Settings of a {@link TtsClient}: API key (none by default), connect timeout (10 s), request timeout (30 s; to
     * the answer's head), poll interval of the {@code await...} methods (200 ms), their clock and sleeper, and the
     * executor of the JDK HTTP client (its own by default). Not thread-safe; build once.
     */
    public static final class Builder {
        private final String baseUrl;
        private String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofMillis(200);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private Executor executor;

        private Builder(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        public Builder pollInterval(Duration d) {
            this.pollInterval = positive(d, "pollInterval");
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Builder sleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s, "sleeper");
            return this;
        }

        public Builder executor(Executor e) {
            this.executor = e;
            return this;
        }

        /** @throws IllegalArgumentException when the base URL is not an http(s) URL */
        public TtsClient build() {
            if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
                throw new IllegalArgumentException("baseUrl must start with http:// or https://: " + baseUrl);
            }
            return new TtsClient(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
