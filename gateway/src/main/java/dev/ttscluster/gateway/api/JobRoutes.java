package dev.ttscluster.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.gateway.admission.Admission;
import dev.ttscluster.gateway.auth.Caller;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.gateway.events.JobEventStreams;
import dev.ttscluster.gateway.jobs.JobRequest;
import dev.ttscluster.gateway.jobs.JobService;
import dev.ttscluster.gateway.metrics.GatewayMetrics;
import dev.ttscluster.gateway.webhooks.Webhooks;
import dev.ttscluster.storage.AudioBucket;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/**
 * The job routes: {@code POST /v1/jobs} (a JSON body, 202 with the job's view and {@code Location}),
 * {@code GET} and {@code DELETE /v1/jobs/{id}}, {@code GET /v1/jobs/{id}/audio}, {@code POST /v1/jobs/{id}/cancel},
 * and when enabled {@code GET /v1/jobs/{id}/events} and {@code GET /v1/webhooks/secret}. A job of another tenant
 * is answered as unknown (404). Errors are {@link ApiException}s. Thread-safe.
 */
final class JobRoutes {
    private final GatewayConfig cfg;
    private final JobService jobs;
    private final AudioBucket bucket;
    private final Admission admission;
    private final Idempotency idempotency;
    private final Admitted admitted;
    private final GatewayMetrics metrics;
    private final JobViews views;
    private final JobEventStreams events;
    private final Webhooks webhooks;

    /** @param events null: no event streams; @param webhooks null: no webhooks */
    JobRoutes(
            GatewayConfig cfg,
            JobService jobs,
            AudioBucket bucket,
            Admission admission,
            Idempotency idempotency,
            GatewayMetrics metrics,
            JobViews views,
            JobEventStreams events,
            Webhooks webhooks) {
        this.cfg = cfg;
        this.jobs = jobs;
        this.bucket = bucket;
        this.admission = admission;
        this.idempotency = idempotency;
        this.admitted = new Admitted(admission, idempotency);
        this.metrics = metrics;
        this.views = views;
        this.events = events;
        this.webhooks = webhooks;
    }

    /** Adds the routes (behind the /v1 authorization). */
    void register(Javalin app) {
        app.post("/v1/jobs", this::submit);
        app.get("/v1/jobs/{id}", ctx -> ctx.json(views.of(job(ctx))));
        app.delete("/v1/jobs/{id}", ctx -> {
            jobs.delete(AuthFilter.caller(ctx).tenant(), ctx.pathParam("id"), bucket);
            ctx.status(204);
        });
        app.get("/v1/jobs/{id}/audio", this::audio);
        if (events != null) {
            app.get("/v1/jobs/{id}/events", ctx -> events.open(ctx, job(ctx)));
        }
        if (webhooks != null) {
            app.get(
                    "/v1/webhooks/secret",
                    ctx -> ctx.json(webhooks.secretView(AuthFilter.caller(ctx).tenant())));
        }
        app.post(
                "/v1/jobs/{id}/cancel",
                ctx -> ctx.json(views.of(jobs.cancel(AuthFilter.caller(ctx).tenant(), ctx.pathParam("id")))));
    }

    private void submit(Context ctx) {
        Bodies.JsonBody body = Bodies.json(ctx, cfg.maxBodyBytes());
        JsonNode json = body.json();
        JobRequest req = JobRequest.from(json, cfg);
        URI callback = webhooks == null ? null : webhooks.callbackOf(json);
        jobs.check(req);
        admission.interactiveQueueHasRoom();
        Caller caller = AuthFilter.caller(ctx);
        String id = JobService.newId();
        RequestTracing.job(id);
        Optional<String> replay = idempotency.replayOf(ctx, caller, body.raw(), id);
        if (replay.isPresent()) {
            JobRecord first = jobs.find(caller.tenant(), replay.get())
                    .orElseThrow(() -> new ApiException(
                            409,
                            "conflict",
                            "a request with this " + Idempotency.HEADER
                                    + " is still being accepted, or its job is gone",
                            1));
            ctx.status(202)
                    .header("Location", "/v1/jobs/" + first.id())
                    .header("Idempotent-Replayed", "true")
                    .json(views.of(first));
            return;
        }
        JobRecord job = admitted.create(ctx, caller, "job:" + id, () -> {
            if (callback != null) {
                webhooks.register("job", id, caller.tenant(), callback);
            }
            return jobs.submit(caller.tenant(), id, req);
        });
        metrics.submitted("job", job.segments());
        ctx.status(202).header("Location", "/v1/jobs/" + job.id()).json(views.of(job));
    }

    private void audio(Context ctx) {
        JobRecord job = job(ctx);
        if (!JobService.hasAudio(job)) {
            String why =
                    switch (job.status()) {
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

    /** The caller's job named by the path, or 404 (another tenant's job included). */
    private JobRecord job(Context ctx) {
        String id = ctx.pathParam("id");
        return jobs.find(AuthFilter.caller(ctx).tenant(), id)
                .orElseThrow(() -> ApiException.notFound("no job '" + JobRequest.abbreviate(id) + "'"));
    }
}
