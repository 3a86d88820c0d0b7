package dev.ttscluster.gateway.api;

import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.storage.ObjectKeys;
import dev.ttscluster.gateway.admission.Admission;
import dev.ttscluster.gateway.auth.Caller;
import dev.ttscluster.gateway.config.GatewayConfig;
import dev.ttscluster.gateway.jobs.JobRequest;
import dev.ttscluster.gateway.jobs.JobService;
import dev.ttscluster.gateway.metrics.GatewayMetrics;
import dev.ttscluster.gateway.speech.SegmentFollower;
import dev.ttscluster.gateway.speech.SpeechRequest;
import dev.ttscluster.gateway.speech.StreamingWav;
import dev.ttscluster.storage.AudioBucket;
import io.javalin.Javalin;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenAI-compatible speech: {@code POST /v1/audio/speech} runs the body as a normal job of the caller (the same
 * checks, admission and quotas as {@code POST /v1/jobs}, interactive lane) and answers with its audio.
 * {@code wav} and {@code pcm} stream with chunked transfer: each segment's samples leave as soon as it and every
 * earlier one are stored, so the first audio leaves long before the last segment is made. {@code flac} waits for
 * the whole job. The job's id is in {@code X-Job-Id}, the sample rate in {@code X-Sample-Rate}.
 *
 * <p>Errors before the first byte are the project's JSON {@code {"error", "message"}}. A failure after it (job
 * failed or cancelled, S3 or Redis gone, no progress for {@link #STALL}) is logged and the connection is cut without
 * the stream's final chunk, so the client sees a truncated body rather than a short file. A client that goes away
 * mid-stream cancels its job. Also {@code GET /v1/models} and {@code GET /v1/voices}. Thread-safe.
 */
final class SpeechRoutes {
    private static final Logger log = LoggerFactory.getLogger(SpeechRoutes.class);
    /** How often a streaming request looks at its job's progress in Redis. */
    static final Duration POLL = Duration.ofMillis(25);
    /** Longest wait for the next segment before a request gives up. */
    static final Duration STALL = Duration.ofSeconds(300);

    static final String OWNER = "tts-cluster";

    private final GatewayConfig cfg;
    private final JobService jobs;
    private final AudioBucket bucket;
    private final Admission admission;
    private final Admitted admitted;
    private final GatewayMetrics metrics;

    SpeechRoutes(
            GatewayConfig cfg,
            JobService jobs,
            AudioBucket bucket,
            Admission admission,
            Idempotency idempotency,
            GatewayMetrics metrics) {
        this.cfg = cfg;
        this.jobs = jobs;
        this.bucket = bucket;
        this.admission = admission;
        this.admitted = new Admitted(admission, idempotency);
        this.metrics = metrics;
    }

    /** Adds the routes (behind the /v1 authorization). */
    void register(Javalin app) {
        app.post("/v1/audio/speech", this::speech);
        app.get("/v1/models", this::models);
        app.get("/v1/voices", this::voices);
        app.get("/v1/voices/{voice}/sample", this::sample);
    }

    /** The sentence a voice's sample speaks. */
    static String sampleText(String voice) {
        return "Hello, I am " + voice + ". This is how I sound when I read a page of your book to you.";
    }

    void models(Context ctx) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (String id : SpeechRequest.models(cfg)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("object", "model");
            m.put("created", 0);
            m.put("owned_by", OWNER);
            data.add(m);
        }
        ctx.json(Map.of("object", "list", "data", data));
    }

    void voices(Context ctx) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (String v : cfg.voices()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", v);
            m.put("object", "voice");
            m.put("default", v.equals(cfg.voices().get(0)));
            m.put("sample_url", "/v1/voices/" + v + "/sample");
            m.put("sample_text", sampleText(v));
            data.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("default", cfg.voices().get(0));
        body.put("data", data);
        body.put("aliases", SpeechRequest.aliases(cfg));
        body.put("formats", SpeechRequest.FORMATS);
        ctx.json(body);
    }

    void speech(Context ctx) throws InterruptedException {
        serve(ctx, SpeechRequest.from(Bodies.json(ctx, cfg.maxBodyBytes()).json(), cfg));
    }

    /**
     * {@code GET /v1/voices/{voice}/sample}: a short WAV of the voice, made as a speech job of the caller's
     * ({@link #sampleText}; the segment cache makes repeats cheap).
     *
     * @throws ApiException 404 for a voice not served
     */
    void sample(Context ctx) throws InterruptedException {
        String voice = ctx.pathParam("voice");
        if (!cfg.voices().contains(voice)) {
            throw new ApiException(
                    404, "not_found", "no voice '" + JobRequest.abbreviate(voice) + "'; available: " + cfg.voices());
        }
        serve(ctx, new SpeechRequest(new JobRequest(sampleText(voice), voice, "wav", 1.0), voice, "wav"));
    }

    private void serve(Context ctx, SpeechRequest req) throws InterruptedException {
        jobs.check(req.job());
        admission.interactiveQueueHasRoom();
        Caller caller = AuthFilter.caller(ctx);
        String id = JobService.newId();
        RequestTracing.job(id);
        JobRecord job = admitted.create(ctx, caller, "job:" + id, () -> jobs.submit(caller.tenant(), id, req.job()));
        metrics.submitted("job", job.segments());
        ctx.header("X-Job-Id", id);
        String tenant = caller.tenant();
        boolean single = job.segments() == 1;
        SegmentFollower follower = new SegmentFollower(
                new SegmentFollower.Source() {
                    @Override
                    public Optional<JobRecord> job() {
                        return jobs.find(tenant, id);
                    }

                    @Override
                    public Optional<byte[]> segment(int index) {
                        // a job of one segment has nothing to join: workers store that segment as the job's audio
                        return bucket.get(
                                single
                                        ? ObjectKeys.jobAudio(tenant, id, "wav")
                                        : ObjectKeys.segment(tenant, id, index));
                    }
                },
                job.segments(),
                POLL,
                STALL);
        if (req.format().equals("flac")) {
            flac(ctx, follower);
        } else {
            stream(ctx, follower, req.format(), tenant, id);
        }
    }

    /** The whole job, then FLAC with a Content-Length; every failure is still a JSON error. */
    private void flac(Context ctx, SegmentFollower follower) throws InterruptedException {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        int[] rate = {0};
        try {
            follower.follow((index, sampleRate, b, off, len) -> {
                rate[0] = sampleRate;
                pcm.write(b, off, len);
            });
        } catch (SegmentFollower.Stopped e) {
            throw stopped(e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // not reached: the sink writes to memory
        }
        short[] samples = new short[pcm.size() / 2];
        java.nio.ByteBuffer.wrap(pcm.toByteArray())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asShortBuffer()
                .get(samples);
        byte[] flac = dev.ttscluster.codecs.Flac.encode(samples, rate[0]);
        ctx.header("X-Sample-Rate", Integer.toString(rate[0]));
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType("audio/flac");
        res.setContentLength(flac.length);
        try {
            res.getOutputStream().write(flac);
        } catch (IOException e) {
            log.info("speech client of a FLAC job went away: {}", e.getMessage());
        }
    }

    private static ApiException stopped(SegmentFollower.Stopped e) {
        return e.jobFailed()
                ? new ApiException(422, "job_failed", e.getMessage())
                : new ApiException(503, "unavailable", "the audio could not be followed: " + e.getMessage(), 2);
    }

    /**
     * WAV (streaming header), raw PCM or MP3 (encoded as it goes), each segment as soon as it is ready; headers with
     * the first one.
     */
    private void stream(Context ctx, SegmentFollower follower, String format, String tenant, String id)
            throws InterruptedException {
        boolean wav = format.equals("wav");
        boolean mp3 = format.equals("mp3");
        HttpServletResponse res = ctx.res();
        ServletOutputStream[] out = {null};
        long[] sent = {0};
        dev.ttscluster.gateway.speech.Mp3Stream[] encoder = {null};
        try {
            follower.follow((index, sampleRate, b, off, len) -> {
                if (out[0] == null) {
                    res.setStatus(200);
                    res.setContentType(wav ? "audio/wav" : mp3 ? "audio/mpeg" : "audio/pcm");
                    res.setHeader("X-Sample-Rate", Integer.toString(sampleRate));
                    res.setHeader("X-Sample-Format", "s16le");
                    res.setHeader("X-Channels", "1");
                    res.setHeader("Cache-Control", "no-store");
                    out[0] = res.getOutputStream();
                    if (wav) {
                        out[0].write(StreamingWav.header(sampleRate));
                    }
                    if (mp3) {
                        encoder[0] = new dev.ttscluster.gateway.speech.Mp3Stream(sampleRate);
                    }
                }
                if (mp3) {
                    out[0].write(encoder[0].encode(b, off, len));
                } else {
                    out[0].write(b, off, len);
                }
                out[0].flush();
                sent[0] += len;
            });
            if (encoder[0] != null) {
                out[0].write(encoder[0].finish());
                out[0].flush();
            }
        } catch (SegmentFollower.Stopped e) {
            if (out[0] == null) {
                throw stopped(e);
            }
            log.warn("speech stream of job {} cut after {} audio bytes: {}", id, sent[0], e.getMessage());
            abort(ctx, e);
            return;
        } catch (IOException e) {
            log.info(
                    "speech client of job {} went away after {} audio bytes ({}); cancelling the job",
                    id,
                    sent[0],
                    e.getMessage());
            try {
                jobs.cancel(tenant, id);
            } catch (RuntimeException ignored) {
                // finished or gone meanwhile
            }
            abort(ctx, e);
            return;
        } catch (RuntimeException e) {
            if (out[0] == null) {
                throw e;
            }
            log.warn("speech stream of job {} cut after {} audio bytes: {}", id, sent[0], e.toString());
            abort(ctx, e);
            return;
        }
        log.debug("speech stream of job {} done: {} audio bytes", id, sent[0]);
    }

    /** Ends the response without the final chunk: the client sees the body cut, never a complete short file. */
    private static void abort(Context ctx, Throwable cause) {
        try {
            org.eclipse.jetty.server.Request.getBaseRequest(ctx.req())
                    .getHttpChannel()
                    .abort(cause);
        } catch (RuntimeException e) {
            log.debug("could not abort the response: {}", e.toString());
        }
    }
}
