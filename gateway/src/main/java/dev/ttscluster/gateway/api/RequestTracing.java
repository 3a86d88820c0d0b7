package dev.ttscluster.gateway.api;

import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.gateway.metrics.GatewayMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * Every request's trace id and measurement. The trace id comes from a W3C {@code traceparent} or an
 * {@code X-Request-Id} the caller sent, or is new; it is set in the log context (MDC, with the job id once a
 * route knows it) and echoed as {@code X-Trace-Id}, and segments published for the request carry it to the
 * workers. After the request its method, route, status and duration are counted. Thread-safe.
 */
final class RequestTracing {
    private static final String STARTED = "tts.started";
    /** The MDC key of the job (or {@code book:<id>}) a request works on. */
    static final String JOB_ID = "job_id";

    private final GatewayMetrics metrics;

    RequestTracing(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Adds the before and after handlers of every request. */
    void register(Javalin app) {
        app.before(this::begin);
        app.after(this::end);
    }

    private void begin(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
        String trace = traceId(ctx.header("traceparent"), ctx.header("X-Request-Id"));
        MDC.put(Topics.TRACE_HEADER, trace);
        ctx.header("X-Trace-Id", trace);
    }

    private void end(Context ctx) {
        Long t0 = ctx.attribute(STARTED);
        if (t0 != null) {
            String route;
            try {
                route = ctx.endpointHandlerPath();
            } catch (RuntimeException e) {
                route = null; // no endpoint matched
            }
            metrics.request(
                    ctx.method().name(),
                    route == null || route.isEmpty() || route.equals("*") ? "unmatched" : route,
                    ctx.statusCode(),
                    Duration.ofNanos(System.nanoTime() - t0));
        }
        MDC.remove(Topics.TRACE_HEADER);
        MDC.remove(JOB_ID);
    }

    /** Names the job a request works on in the log context (until the request ends). */
    static void job(String id) {
        MDC.put(JOB_ID, id);
    }

    /** The trace id of a request: a valid traceparent's trace id, a sane X-Request-Id, or 32 fresh hex digits. */
    static String traceId(String traceparent, String requestId) {
        if (traceparent != null
                && traceparent.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
                && !traceparent.substring(3, 35).equals("0".repeat(32))) {
            return traceparent.substring(3, 35);
        }
        if (requestId != null && requestId.matches("[A-Za-z0-9._-]{8,64}")) {
            return requestId;
        }
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
