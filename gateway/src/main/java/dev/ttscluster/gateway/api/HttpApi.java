package dev.ttscluster.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.storage.AudioBucket;
import dev.ttscluster.common.tenant.IdempotencyStore;
import dev.ttscluster.gateway.GatewayConfig;
import dev.ttscluster.gateway.admission.Admission;
import dev.ttscluster.gateway.auth.Authenticator;
import dev.ttscluster.gateway.auth.Caller;
import dev.ttscluster.gateway.metrics.GatewayMetrics;
import dev.ttscluster.common.contract.Topics;
import org.slf4j.MDC;
import dev.ttscluster.gateway.jobs.JobRequest;
import dev.ttscluster.gateway.books.BookService;
import dev.ttscluster.gateway.jobs.JobService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The HTTP API: routes, JSON errors and the job view. Every error is a JSON body
 * {@code {"error": code, "message": text}} with a 4xx status for client mistakes and 503 when a
 * backing server is unavailable; an unexpected fault is a logged 500 that never leaks a stack trace.
 */
public final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    private static final String CALLER = "tts.caller";
    private static final String STARTED = "tts.started";
    /** Largest header block (request line and headers) accepted; more gets 431. */
    static final int REQUEST_HEADER_BYTES = 16 * 1024;
    /**
     * Slowest body accepted, in bytes per second, after a grace of {@link #BODY_RATE_GRACE_MS}; slower gets 408.
     * Measured from the moment the route starts reading, so a request that waited for a thread on a busy server
     * is never mistaken for a slow client (Jetty's own minimum data rate counts that wait and refused small
     * bodies under load).
     */
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;
    static final long BODY_RATE_GRACE_MS = 2000;
    /** A connection silent this long is closed (a request's headers or body never finishing included). */
    static final long IDLE_TIMEOUT_MS = 15_000;

    private final GatewayConfig cfg;
    private final JobService jobs;
    private final BookService books;
    private final AudioBucket bucket;
    private final BooleanSupplier ready;
    private final Authenticator auth;
    private final Admission admission;
    private final Idempotency idempotency;
    private final GatewayMetrics metrics;
    private dev.ttscluster.gateway.events.JobEventStreams events;
    private dev.ttscluster.gateway.webhooks.Webhooks webhooks;

    /**
     * @param ready whether the backing servers answer (and the gateway is not stopping)
     * @param auth resolves the caller of every /v1 route
     * @param admission rate, concurrency and queue bounds
     * @param idempotency remembered Idempotency-Key claims
     * @param metrics the gateway's meters, served on {@code GET /metrics}
     */
    public HttpApi(GatewayConfig cfg, JobService jobs, BookService books, AudioBucket bucket, BooleanSupplier ready,
                   Authenticator auth, Admission admission, IdempotencyStore idempotency, GatewayMetrics metrics) {
        this.cfg = cfg;
        this.jobs = jobs;
        this.books = books;
        this.bucket = bucket;
        this.ready = ready;
        this.auth = auth;
        this.admission = admission;
        this.idempotency = new Idempotency(idempotency);
        this.metrics = metrics;
    }

    /** Serves {@code GET /v1/jobs/{id}/events} from {@code streams}; call before {@link #create()}. */
    public HttpApi events(dev.ttscluster.gateway.events.JobEventStreams streams) {
        this.events = streams;
        return this;
    }

    /** Takes {@code callback_url}s and serves {@code GET /v1/webhooks/secret}; call before {@link #create()}. */
    public HttpApi webhooks(dev.ttscluster.gateway.webhooks.Webhooks hooks) {
        this.webhooks = hooks;
        return this;
    }

    /** Builds the Javalin app with every route (not yet started). */
    public Javalin create() {
        Javalin app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.http.maxRequestSize = Math.max(cfg.maxBodyBytes(), cfg.maxBookBytes()); // each route checks its own
            c.http.prefer405over404 = true;
            c.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            c.jetty.modifyServer(server -> {
                // graceful stop: Jetty drains requests in flight only with a StatisticsHandler in the chain
                server.setHandler(new org.eclipse.jetty.server.handler.StatisticsHandler());
                server.setStopTimeout(10_000);
                server.setErrorHandler(new JsonErrorHandler());
            });
            c.jetty.modifyHttpConfiguration(h -> {
                h.setRequestHeaderSize(REQUEST_HEADER_BYTES);
                h.setSendServerVersion(false);
            });
            c.jetty.addConnector((server, http) -> {
                org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(server,
                        new org.eclipse.jetty.server.HttpConnectionFactory(http));
                connector.setHost(cfg.bindHost());
                connector.setPort(cfg.port());
                connector.setIdleTimeout(IDLE_TIMEOUT_MS);
                // while stopping, a connection silent this long is closed (Jetty's default, 1 s, cut bodies in flight)
                connector.setShutdownIdleTimeout(5_000);
                return connector;
            });
        });
        app.before(this::trace);
        app.after(this::measure);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/readyz", this::readyz);
        app.before("/v1/*", this::authorize);
        app.post("/v1/jobs", this::submit);
        app.get("/v1/jobs/{id}", ctx -> ctx.json(view(job(ctx))));
        app.delete("/v1/jobs/{id}", ctx -> {
            jobs.delete(caller(ctx).tenant(), ctx.pathParam("id"), bucket);
            ctx.status(204);
        });
        app.get("/v1/jobs/{id}/audio", this::audio);
        if (events != null) {
            app.get("/v1/jobs/{id}/events", ctx -> events.open(ctx, job(ctx)));
        }
        if (webhooks != null) {
            app.get("/v1/webhooks/secret", ctx -> ctx.json(webhooks.secretView(caller(ctx).tenant())));
        }
        app.post("/v1/jobs/{id}/cancel", ctx -> ctx.json(view(jobs.cancel(caller(ctx).tenant(), ctx.pathParam("id")))));
        BookRoutes bookRoutes = new BookRoutes(cfg, books, bucket, admission, idempotency, metrics).webhooks(webhooks);
        app.post("/v1/books", bookRoutes::submit);
        app.get("/v1/books/{id}", bookRoutes::get);
        app.delete("/v1/books/{id}", bookRoutes::delete);
        app.get("/v1/books/{id}/manifest", bookRoutes::manifest);
        app.post("/v1/books/{id}/cancel", bookRoutes::cancel);
        // OpenAI-compatible speech: POST /v1/audio/speech (streamed audio), GET /v1/models, GET /v1/voices
        new SpeechRoutes(cfg, jobs, bucket, admission, idempotency, metrics).register(app);
        WebRoutes.register(app, cfg); // the page at /, its assets under /web/, GET /openapi.json (no key)

        app.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            error(ctx, e.status(), e.code(), e.getMessage(), e.retryAfterSeconds());
        });
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), codeFor(e.getStatus()),
                e.getMessage(), null));
        app.exception(org.eclipse.jetty.http.BadMessageException.class, (e, ctx) -> error(ctx, e.getCode(),
                e.getCode() == 408 ? "request_timeout" : codeFor(e.getCode()),
                e.getCode() == 408 ? "the request body arrived too slowly" : firstLine(e.getReason()), null));
        app.exception(RetriableException.class, (e, ctx) -> {
            log.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            metrics.backendError(backendOf(e.getMessage()));
            error(ctx, 503, "unavailable", "a backing service is unavailable, try again shortly", 2);
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal", "internal error", null);
        });
        return app;
    }

    private void readyz(Context ctx) {
        boolean ok = ready.getAsBoolean();
        ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "ready" : "not_ready"));
    }

    /**
     * Every request: its trace id, from a W3C {@code traceparent} or an {@code X-Request-Id} the caller sent, or
     * a new one; set in the log context (with the job id once known) and echoed as {@code X-Trace-Id}. Segments
     * published for the request carry it to the workers.
     */
    private void trace(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
        String trace = traceId(ctx.header("traceparent"), ctx.header("X-Request-Id"));
        MDC.put(Topics.TRACE_HEADER, trace);
        ctx.header("X-Trace-Id", trace);
    }

    private void measure(Context ctx) {
        Long t0 = ctx.attribute(STARTED);
        if (t0 != null) {
            String route;
            try {
                route = ctx.endpointHandlerPath();
            } catch (RuntimeException e) {
                route = null; // no endpoint matched
            }
            metrics.request(ctx.method().name(), route == null || route.isEmpty() || route.equals("*") ? "unmatched" : route,
                    ctx.statusCode(), Duration.ofNanos(System.nanoTime() - t0));
        }
        MDC.remove(Topics.TRACE_HEADER);
        MDC.remove("job_id");
    }

    /** The trace id of a request: a valid traceparent's trace id, a sane X-Request-Id, or 32 fresh hex digits. */
    static String traceId(String traceparent, String requestId) {
        if (traceparent != null && traceparent.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
                && !traceparent.substring(3, 35).equals("0".repeat(32))) {
            return traceparent.substring(3, 35);
        }
        if (requestId != null && requestId.matches("[A-Za-z0-9._-]{8,64}")) {
            return requestId;
        }
        byte[] b = new byte[16];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    private static String backendOf(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("redis") ? "redis" : m.contains("s3") ? "s3" : m.contains("kafka") || m.contains("queue") ? "kafka"
                : "other";
    }

    /** Every /v1 request: who is calling, and may they call now. */
    private void authorize(Context ctx) {
        Caller caller = auth.authenticate(ctx.header("Authorization"));
        ctx.attribute(CALLER, caller);
        admission.request(caller);
    }

    /**
     * Creates work as active work of the caller: admits {@code member} under the caller's concurrency quota, then
     * runs {@code create}. When either fails, the admission and the request's Idempotency-Key claim are given back,
     * so a retry may create it.
     *
     * @throws ApiException 429 when the caller is at its limit; whatever {@code create} throws
     */
    static <T> T admitted(Admission admission, Idempotency idempotency, Context ctx, Caller caller, String member,
                          java.util.function.Supplier<T> create) {
        try {
            admission.admit(caller, member);
            try {
                return create.get();
            } catch (RuntimeException e) {
                admission.release(caller, member);
                throw e;
            }
        } catch (RuntimeException e) {
            idempotency.release(ctx, caller);
            throw e;
        }
    }

    /** The request's caller, set by {@link #authorize}. */
    static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c == null) {
            throw new IllegalStateException("route reached without authorization: " + ctx.path());
        }
        return c;
    }

    private void submit(Context ctx) {
        String ct = ctx.contentType();
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "Content-Type must be application/json");
        }
        byte[] raw = body(ctx, cfg.maxBodyBytes(), "the body");
        JsonNode body;
        try {
            body = RequestJson.parse(raw);
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("body is not valid JSON: " + firstLine(e.getMessage()));
        }
        JobRequest req = JobRequest.from(body, cfg);
        java.net.URI callback = webhooks == null ? null : webhooks.callbackOf(body);
        jobs.check(req);
        admission.interactiveQueueHasRoom();
        Caller caller = caller(ctx);
        String id = JobService.newId();
        MDC.put("job_id", id);
        Optional<String> replay = idempotency.replayOf(ctx, caller, raw, id);
        if (replay.isPresent()) {
            JobRecord first = jobs.find(caller.tenant(), replay.get()).orElseThrow(() -> new ApiException(409, "conflict",
                    "a request with this " + Idempotency.HEADER + " is still being accepted, or its job is gone", 1));
            ctx.status(202).header("Location", "/v1/jobs/" + first.id()).header("Idempotent-Replayed", "true")
                    .json(view(first));
            return;
        }
        JobRecord job = admitted(admission, idempotency, ctx, caller, "job:" + id, () -> {
            if (callback != null) {
                webhooks.register("job", id, caller.tenant(), callback);
            }
            return jobs.submit(caller.tenant(), id, req);
        });
        metrics.submitted("job", job.segments());
        ctx.status(202).header("Location", "/v1/jobs/" + job.id()).json(view(job));
    }

    private void audio(Context ctx) throws java.io.IOException {
        JobRecord job = job(ctx);
        if (!JobService.hasAudio(job)) {
            String why = switch (job.status()) {
                case QUEUED, RUNNING -> "job is " + job.status().wire() + "; audio is not ready yet";
                case FAILED -> "job failed: " + job.error();
                default -> "job is " + job.status().wire() + "; it has no audio";
            };
            throw new ApiException(409, "not_ready", why);
        }
        InputStream in = bucket.open(job.audioKey())
                .orElseThrow(() -> new ApiException(404, "not_found", "audio of job " + job.id() + " has expired"));
        ctx.contentType("audio/" + job.format());
        ctx.header("Content-Disposition", "attachment; filename=\"" + job.id() + "." + job.format() + "\"");
        ctx.result(in);
    }

    private JobRecord job(Context ctx) {
        String id = ctx.pathParam("id");
        return jobs.find(caller(ctx).tenant(), id)
                .orElseThrow(() -> ApiException.notFound("no job '" + JobRequest.abbreviate(id) + "'"));
    }

    private Map<String, Object> view(JobRecord j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("status", j.status().wire());
        m.put("progress", j.progress());
        m.put("segments", j.segments());
        m.put("segments_done", j.status() == dev.ttscluster.common.contract.JobStatus.SUCCEEDED ? j.segments() : j.done());
        m.put("segments_cached", j.cached());
        m.put("voice", j.voice());
        m.put("format", j.format());
        m.put("speed", j.speed());
        m.put("created_at", Instant.ofEpochMilli(j.createdMs()).toString());
        m.put("updated_at", Instant.ofEpochMilli(j.updatedMs()).toString());
        m.put("finished_at", j.finishedMs() == 0 ? null : Instant.ofEpochMilli(j.finishedMs()).toString());
        m.put("first_audio_at", j.firstAudioMs() == 0 ? null : Instant.ofEpochMilli(j.firstAudioMs()).toString());
        m.put("error", j.error().isEmpty() ? null : j.error());
        if (JobService.hasAudio(j)) {
            m.put("audio_seconds", j.sampleRate() == 0 ? null : j.audioSamples() / (double) j.sampleRate());
            m.put("audio_url", bucket.presignGet(j.audioKey(), Duration.ofSeconds(cfg.presignTtlSeconds())));
        } else {
            m.put("audio_seconds", null);
            m.put("audio_url", null);
        }
        m.put("webhook", webhooks == null ? null : webhooks.view("job", j.id()).orElse(null));
        return m;
    }

    /**
     * The request body, at most {@code limit} bytes (the server's own bound is the largest route's).
     *
     * @throws ApiException 413 naming {@code what} and the limit
     */
    static byte[] body(Context ctx, long limit, String what) {
        long length = ctx.req().getContentLengthLong();
        if (length > limit) {
            throw new ApiException(413, "payload_too_large", what + " has " + length + " bytes; the limit is " + limit);
        }
        // read at most limit + 1 bytes whatever the framing (a chunked body declares no length)
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(Math.max(length, 256), limit));
        byte[] buf = new byte[16 * 1024];
        long start = System.nanoTime();
        try (InputStream in = ctx.req().getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > limit) {
                    throw new ApiException(413, "payload_too_large", what + " has more than " + limit + " bytes, the limit");
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                if (ms > BODY_RATE_GRACE_MS && out.size() * 1000L / ms < MIN_BODY_BYTES_PER_SECOND) {
                    throw new ApiException(408, "request_timeout", what + " arrived too slowly: " + out.size() + " bytes in "
                            + ms + " ms; at least " + MIN_BODY_BYTES_PER_SECOND + " bytes/s are expected");
                }
            }
        } catch (java.io.IOException e) {
            if (e.getCause() instanceof org.eclipse.jetty.http.BadMessageException b) {
                throw b;
            }
            throw new ApiException(400, "invalid_request", what + " could not be read: " + firstLine(e.getMessage()));
        }
        return out.toByteArray();
    }

    private void error(Context ctx, int status, String code, String message, Integer retryAfter) {
        metrics.refused(status, code);
        send(ctx, status, code, message, retryAfter);
    }

    private static void send(Context ctx, int status, String code, String message, Integer retryAfter) {
        if (retryAfter != null) {
            ctx.header("Retry-After", Integer.toString(retryAfter));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message == null || message.isBlank() ? code : message);
        ctx.status(status).json(body);
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 429 -> "rate_limited";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal" : "error";
        };
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return abbreviateLong(nl < 0 ? s : s.substring(0, nl));
    }

    private static String abbreviateLong(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
