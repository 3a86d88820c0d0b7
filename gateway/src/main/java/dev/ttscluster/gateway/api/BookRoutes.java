package dev.ttscluster.gateway.api;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.storage.ObjectKeys;
import dev.ttscluster.gateway.admission.Admission;
import dev.ttscluster.gateway.auth.Caller;
import dev.ttscluster.gateway.books.BookService;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.gateway.jobs.JobRequest;
import dev.ttscluster.gateway.metrics.GatewayMetrics;
import dev.ttscluster.gateway.webhooks.Webhooks;
import dev.ttscluster.state.BookStore;
import dev.ttscluster.storage.AudioBucket;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The book routes: {@code POST /v1/books} (the upload is the body: {@code text/plain},
 * {@code text/markdown} or {@code application/epub+zip}; {@code title}, {@code voice} and {@code speed}
 * are query parameters), {@code GET /v1/books/{id}} (progress per chapter and for the book, and once a
 * chapter is done its files' presigned URLs), {@code GET /v1/books/{id}/manifest} and
 * {@code POST /v1/books/{id}/cancel}. Errors are {@link ApiException}s. Thread-safe.
 */
final class BookRoutes {
    private static final Set<String> PARAMS = Set.of("title", "voice", "speed", "callback_url");
    /** Files of a finished chapter, by the view's field name. */
    private static final Map<String, String> CHAPTER_FILES = Map.of(
            "audio_url",
            "audio.wav",
            "flac_url",
            "audio.flac",
            "timestamps_url",
            "timestamps.json",
            "vtt_url",
            "subtitles.vtt",
            "srt_url",
            "subtitles.srt");

    private final GatewayConfig cfg;
    private final BookService books;
    private final AudioBucket bucket;

    private final Idempotency idempotency;
    private final Admitted admitted;
    private final GatewayMetrics metrics;
    private final Webhooks webhooks;

    /** @param webhooks takes {@code callback_url} query parameters; null: webhooks are off */
    BookRoutes(
            GatewayConfig cfg,
            BookService books,
            AudioBucket bucket,
            Admission admission,
            Idempotency idempotency,
            GatewayMetrics metrics,
            Webhooks webhooks) {
        this.cfg = cfg;
        this.books = books;
        this.bucket = bucket;
        this.idempotency = idempotency;
        this.admitted = new Admitted(admission, idempotency);
        this.metrics = metrics;
        this.webhooks = webhooks;
    }

    /** Adds the routes (behind the /v1 authorization). */
    void register(Javalin app) {
        app.post("/v1/books", this::submit);
        app.get("/v1/books/{id}", this::get);
        app.delete("/v1/books/{id}", this::delete);
        app.get("/v1/books/{id}/manifest", this::manifest);
        app.post("/v1/books/{id}/cancel", this::cancel);
    }

    private void submit(Context ctx) {
        BookService.Format format = BookService.Format.of(ctx.contentType())
                .orElseThrow(() -> new ApiException(
                        415,
                        "unsupported_media_type",
                        "Content-Type must be text/plain, text/markdown or application/epub+zip"));
        for (String p : ctx.queryParamMap().keySet()) {
            if (!PARAMS.contains(p)) {
                throw ApiException.badRequest("unknown parameter '" + JobRequest.abbreviate(p)
                        + "'; allowed: title, voice, speed, callback_url");
            }
        }
        byte[] body = Bodies.read(ctx, cfg.maxBookBytes(), "the book");
        String title = ctx.queryParam("title");
        if (title != null && (title.isBlank() || title.length() > 300)) {
            throw ApiException.badRequest("'title' must have 1 to 300 characters");
        }
        if (title != null) {
            JobRequest.checkCharacters("title", title);
        }
        String voice =
                Optional.ofNullable(ctx.queryParam("voice")).orElse(cfg.voices().get(0));
        if (!cfg.voices().contains(voice)) {
            throw ApiException.badRequest(
                    "unknown voice '" + JobRequest.abbreviate(voice) + "'; available: " + cfg.voices());
        }
        double speed = 1.0;
        String s = ctx.queryParam("speed");
        if (s != null) {
            try {
                speed = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("'speed' must be a number");
            }
            if (!(speed >= JobRequest.MIN_SPEED && speed <= JobRequest.MAX_SPEED)) {
                throw ApiException.badRequest(
                        "'speed' must be between " + JobRequest.MIN_SPEED + " and " + JobRequest.MAX_SPEED);
            }
        }
        java.net.URI callback = webhooks == null ? null : webhooks.callbackOf(ctx.queryParam("callback_url"));
        Caller caller = AuthFilter.caller(ctx);
        String id = java.util.UUID.randomUUID().toString();
        RequestTracing.job("book:" + id);
        Optional<String> replay = idempotency.replayOf(ctx, caller, body, id);
        if (replay.isPresent()) {
            BookStore.Book first = books.find(caller.tenant(), replay.get())
                    .orElseThrow(() -> new ApiException(
                            409,
                            "conflict",
                            "a request with this " + Idempotency.HEADER
                                    + " is still being accepted, or its book is gone",
                            1));
            ctx.status(202)
                    .header("Location", "/v1/books/" + first.id())
                    .header("Idempotent-Replayed", "true")
                    .json(view(first));
            return;
        }
        BookService.Upload upload = new BookService.Upload(format, body, title, voice, speed);
        BookStore.Book book = admitted.create(ctx, caller, "book:" + id, () -> {
            if (callback != null) {
                webhooks.register("book", id, caller.tenant(), callback);
            }
            return books.submit(caller.tenant(), id, upload);
        });
        Map<String, Object> v = view(book);
        metrics.submitted("book", ((Number) v.get("segments")).intValue());
        ctx.status(202).header("Location", "/v1/books/" + book.id()).json(v);
    }

    private void get(Context ctx) {
        ctx.json(view(book(ctx)));
    }

    private void cancel(Context ctx) {
        ctx.json(view(books.cancel(AuthFilter.caller(ctx).tenant(), ctx.pathParam("id"))));
    }

    private void delete(Context ctx) {
        books.delete(AuthFilter.caller(ctx).tenant(), ctx.pathParam("id"));
        ctx.status(204);
    }

    private void manifest(Context ctx) {
        BookStore.Book book = book(ctx);
        if (book.status() != JobStatus.SUCCEEDED || book.manifestKey().isEmpty()) {
            throw new ApiException(
                    409,
                    "not_ready",
                    "book is " + book.status().wire() + "; its manifest comes when every " + "chapter is done");
        }
        InputStream in = bucket.open(book.manifestKey())
                .orElseThrow(
                        () -> new ApiException(404, "not_found", "the manifest of book " + book.id() + " has expired"));
        ctx.contentType("application/json");
        ctx.result(in);
    }

    private BookStore.Book book(Context ctx) {
        String id = ctx.pathParam("id");
        return books.find(AuthFilter.caller(ctx).tenant(), id)
                .orElseThrow(() -> ApiException.notFound("no book '" + JobRequest.abbreviate(id) + "'"));
    }

    private Map<String, Object> view(BookStore.Book b) {
        List<Optional<JobRecord>> chapters = books.chapters(b);
        long segments = 0;
        long done = 0;
        List<Map<String, Object>> cs = new ArrayList<>();
        Duration ttl = Duration.ofSeconds(cfg.presignTtlSeconds());
        for (int i = 0; i < chapters.size(); i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("index", i);
            c.put("title", i < b.chapterTitles().size() ? b.chapterTitles().get(i) : "Chapter " + (i + 1));
            Optional<JobRecord> j = chapters.get(i);
            c.put("job_id", b.chapterJobs().get(i));
            if (j.isEmpty()) {
                c.put("status", "expired");
                cs.add(c);
                continue;
            }
            JobRecord job = j.get();
            boolean ok = job.status() == JobStatus.SUCCEEDED;
            segments += job.segments();
            done += ok ? job.segments() : job.done();
            c.put("status", job.status().wire());
            c.put("progress", job.progress());
            c.put("segments", job.segments());
            c.put("segments_done", ok ? job.segments() : job.done());
            c.put("audio_seconds", ok ? Views.seconds(job.audioSamples(), job.sampleRate()) : null);
            for (Map.Entry<String, String> f : new java.util.TreeMap<>(CHAPTER_FILES).entrySet()) {
                c.put(
                        f.getKey(),
                        ok
                                ? bucket.presignGet(ObjectKeys.chapterFile(b.tenant(), b.id(), i, f.getValue()), ttl)
                                : null);
            }
            c.put("error", Views.text(job.error()));
            cs.add(c);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("title", b.title());
        m.put("status", b.status().wire());
        m.put("progress", b.status() == JobStatus.SUCCEEDED ? 1.0 : segments == 0 ? 0.0 : done / (double) segments);
        m.put("chapters_total", b.chapterJobs().size());
        m.put("chapters_done", b.chaptersDone());
        m.put("segments", segments);
        m.put("segments_done", done);
        m.put("voice", b.voice());
        m.put("speed", b.speed());
        m.put("source_format", b.sourceFormat());
        m.put("text_chars", b.textChars());
        m.put("created_at", Instant.ofEpochMilli(b.createdMs()).toString());
        m.put("finished_at", Views.instant(b.finishedMs()));
        m.put("error", Views.text(b.error()));
        m.put("manifest_url", b.manifestKey().isEmpty() ? null : bucket.presignGet(b.manifestKey(), ttl));
        m.put("chapters", cs);
        m.put("webhook", Views.webhook(webhooks, "book", b.id()));
        return m;
    }
}
