package dev.ttscluster.gateway.api;

import dev.ttscluster.gateway.admission.Admission;
import dev.ttscluster.gateway.auth.Authenticator;
import dev.ttscluster.gateway.books.BookService;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.gateway.events.JobEventStreams;
import dev.ttscluster.gateway.jobs.JobService;
import dev.ttscluster.gateway.metrics.GatewayMetrics;
import dev.ttscluster.gateway.tenants.IdempotencyStore;
import dev.ttscluster.gateway.webhooks.Webhooks;
import dev.ttscluster.storage.AudioBucket;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The HTTP API: assembles the server ({@link ServerTuning}), request tracing ({@link RequestTracing}), the
 * {@code /v1} authorization ({@link AuthFilter}), every route ({@link JobRoutes}, {@link BookRoutes},
 * {@link SpeechRoutes}, {@link WebRoutes}, and here {@code /metrics}, {@code /healthz}, {@code /readyz}) and
 * the error answers ({@link ErrorMapping}): every error is a JSON body {@code {"error": code, "message": text}}.
 * Build once with {@link #create()}; not thread-safe while being configured.
 */
public final class HttpApi {
    private final GatewayConfig cfg;
    private final JobService jobs;
    private final BookService books;
    private final AudioBucket bucket;
    private final BooleanSupplier ready;
    private final Authenticator auth;
    private final Admission admission;
    private final Idempotency idempotency;
    private final GatewayMetrics metrics;
    private JobEventStreams events;
    private Webhooks webhooks;

    /**
     * @param ready whether the backing servers answer (and the gateway is not stopping)
     * @param auth resolves the caller of every /v1 route
     * @param admission rate, concurrency and queue bounds
     * @param idempotency remembered Idempotency-Key claims
     * @param metrics the gateway's meters, served on {@code GET /metrics}
     */
    public HttpApi(
            GatewayConfig cfg,
            JobService jobs,
            BookService books,
            AudioBucket bucket,
            BooleanSupplier ready,
            Authenticator auth,
            Admission admission,
            IdempotencyStore idempotency,
            GatewayMetrics metrics) {
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
    public HttpApi events(JobEventStreams streams) {
        this.events = streams;
        return this;
    }

    /** Takes {@code callback_url}s and serves {@code GET /v1/webhooks/secret}; call before {@link #create()}. */
    public HttpApi webhooks(Webhooks hooks) {
        this.webhooks = hooks;
        return this;
    }

    /** Builds the Javalin app with every route (not yet started). */
    public Javalin create() {
        Javalin app = Javalin.create(c -> ServerTuning.apply(c, cfg));
        new RequestTracing(metrics).register(app);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/readyz", this::readyz);
        new AuthFilter(auth, admission).register(app);
        JobViews views = new JobViews(bucket, Duration.ofSeconds(cfg.presignTtlSeconds()), webhooks);
        new JobRoutes(cfg, jobs, bucket, admission, idempotency, metrics, views, events, webhooks).register(app);
        new BookRoutes(cfg, books, bucket, admission, idempotency, metrics, webhooks).register(app);
        // OpenAI-compatible speech: POST /v1/audio/speech (streamed audio), GET /v1/models, GET /v1/voices
        new SpeechRoutes(cfg, jobs, bucket, admission, idempotency, metrics).register(app);
        WebRoutes.register(app, cfg); // the page at /, its assets under /web/, GET /openapi.json (no key)
        new ErrorMapping(metrics).register(app);
        return app;
    }

    private void readyz(Context ctx) {
        boolean ok = ready.getAsBoolean();
        ctx.status(ok ? 200 : 503).json(Map.of("status", ok ? "ready" : "not_ready"));
    }
}
